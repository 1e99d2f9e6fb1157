#include "resources/provider.h"

#include <string>

#include "provider/core/log.h"
#include "resources/all.h"
#include "resources/jira_access.h"

namespace tfjira {
namespace {

constexpr const char* kVersion = "0.1.0";

// Reports a CAPTCHA lockout or rejected credentials as one clear error; false for any
// other failure.
bool ReportAuthFailure(const jira::Error& e, const jira::ClientConfig& config,
                       tf::Diagnostics& diags) {
  if (e.IsCaptchaLockout()) {
    diags.AddError(
        "Jira account locked behind a CAPTCHA",
        "Jira refuses to log in " + config.username + " until a CAPTCHA is answered, after "
        "too many failed logins (X-Authentication-Denied-Reason: " + e.denied_reason +
        "). Sign in to Jira in a browser and solve the CAPTCHA, or ask an administrator to "
        "reset the failed login count. The provider never retries a rejected login, so it "
        "cannot make the lockout worse.");
    return true;
  }
  if (e.kind == jira::ErrorKind::kUnauthorized || e.kind == jira::ErrorKind::kForbidden) {
    // Error::Message() of a 401 carries its own generic "check the credentials" advice; the
    // specific advice here replaces it, so the answer is described from its parts.
    std::string answer = "Jira answered " + std::to_string(e.http_status);
    if (!e.method_and_path.empty()) answer += " to " + e.method_and_path;
    if (!e.login_reason.empty()) answer += " (X-Seraph-LoginReason: " + e.login_reason + ")";
    if (!e.denied_reason.empty()) answer += " (X-Authentication-Denied-Reason: " + e.denied_reason + ")";
    diags.AddError("Jira rejected the credentials",
                   std::string(config.token.empty()
                                   ? "Check the username and password (or JIRA_USERNAME and "
                                     "JIRA_PASSWORD)."
                                   : "Check the personal access token (or JIRA_TOKEN).") +
                       " " + answer + ".");
    return true;
  }
  return false;
}

class JiraProvider final : public tf::Provider {
 public:
  JiraProvider(ClientFactory factory, EnvLookup env)
      : factory_(std::move(factory)), env_(std::move(env)) {}

  std::string TypeName() const override { return "jira"; }
  std::string Version() const override { return kVersion; }
  tf::Schema GetSchema() const override { return ProviderSchema(); }

  void ValidateConfig(const tf::ValidateProviderRequest& req,
                      tf::ValidateProviderResponse& resp) override {
    ValidateProviderConfig(req.config, resp.diagnostics);
  }

  void Configure(const tf::ConfigureProviderRequest& req,
                 tf::ConfigureProviderResponse& resp) override {
    auto& diags = resp.diagnostics;
    std::optional<jira::ClientConfig> config = ResolveClientConfig(req.config, env_, diags);
    if (!config) {
      if (!diags.HasError()) {
        tf::log::Debug("provider configuration holds unknown values; Jira is not contacted yet");
      }
      return;
    }
    tf::log::RegisterSecret(config->password);
    tf::log::RegisterSecret(config->token);
    config->log = [](std::string_view line) { tf::log::Debug(line); };
    config->user_agent = "terraform-provider-jira/" + std::string(kVersion) +
                         (req.terraform_version.empty() ? "" : " terraform/" + req.terraform_version);

    auto client = factory_(*config);
    if (!client.ok()) {
      diags.AddError("Cannot set up the Jira client", client.error().Message());
      return;
    }
    auto jira = client.value()->WithCancellation([c = req.cancel] { return c.cancelled(); });

    auto info = jira->GetServerInfo();
    if (!info.ok()) {
      if (!ReportAuthFailure(info.error(), *config, diags)) {
        AddJiraError(diags, "Cannot reach Jira at " + config->base_url, info.error());
      }
      return;
    }
    if (info->deployment_type == "Cloud") {
      diags.AddAttributeError(
          tf::Path().AtName("url"), "Jira Cloud is not supported",
          config->base_url + " is Jira Cloud. This provider targets Jira Server/Data Center "
          "(REST v2 with usernames, user keys and passwords); Jira Cloud uses accountId/groupId "
          "and does not allow setting passwords. Use a Jira Cloud provider instead.");
      return;
    }
    auto me = jira->GetMyself();
    if (!me.ok()) {
      if (!ReportAuthFailure(me.error(), *config, diags)) {
        AddJiraError(diags, "Cannot check the Jira credentials", me.error());
      }
      return;
    }
    auto data = std::make_shared<ProviderData>();
    data->client = client.value();
    resp.provider_data = std::shared_ptr<const ProviderData>(std::move(data));
  }

  std::vector<tf::ResourceFactory> Resources() const override { return AllResources(); }
  std::vector<tf::DataSourceFactory> DataSources() const override { return AllDataSources(); }

 private:
  ClientFactory factory_;
  EnvLookup env_;
};

}  // namespace

std::unique_ptr<tf::Provider> NewProviderWith(ClientFactory factory, EnvLookup env) {
  return std::make_unique<JiraProvider>(std::move(factory), std::move(env));
}

std::unique_ptr<tf::Provider> NewProvider() {
  return NewProviderWith(
      [](const jira::ClientConfig& c) { return jira::NewBeastClient(c); }, ProcessEnvironment());
}

}  // namespace tfjira
