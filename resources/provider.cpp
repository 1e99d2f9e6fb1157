#include "resources/provider.h"

#include <string>

#include "provider/core/log.h"
#include "provider/jira/read_after_write.h"
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

// The supported range is Jira Server/Data Center 8.0 to 10.x. Older versions lack REST
// behaviour the resources rely on (user keys without renames' pitfalls, /group/member,
// active over REST); they are refused. A newer major version is only warned about.
bool ReportUnsupportedVersion(const jira::ServerInfo& info, const jira::ClientConfig& config,
                              tf::Diagnostics& diags) {
  if (info.version_numbers.empty()) return true;  // unknown: let the calls themselves tell
  const int major = info.version_numbers[0];
  if (major < 8) {
    diags.AddAttributeError(
        tf::Path().AtName("url"), "Unsupported Jira version",
        config.base_url + " runs Jira " + VersionText(info) + ". This provider supports Jira "
        "Server/Data Center 8.0 to 10.x; upgrade Jira or use an older provider release.");
    return false;
  }
  if (major > 10) {
    diags.AddAttributeWarning(
        tf::Path().AtName("url"), "Untested Jira version",
        config.base_url + " runs Jira " + VersionText(info) + "; this provider is tested with "
        "Jira Server/Data Center 8.0 to 10.x.");
  }
  return true;
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
    config->log_info = [](std::string_view line) { tf::log::Info(line); };
    config->user_agent = "terraform-provider-jira/" + std::string(kVersion) +
                         (req.terraform_version.empty() ? "" : " terraform/" + req.terraform_version);

    auto client = factory_(*config);
    if (!client.ok()) {
      AddClientSetupError(client.error(), diags);
      return;
    }
    auto jira = client.value()->WithCancellation([c = req.cancel] { return c.cancelled(); });

    auto info = jira->GetServerInfo();
    if (!info.ok()) {
      if (info.error().IsRedirect()) {
        diags.AddAttributeError(tf::Path().AtName("url"), "Jira's URL redirects",
                                config->base_url + ": " + info.error().Message());
        return;
      }
      if (info.error().kind == jira::ErrorKind::kNotFound) {
        // Something answers HTTP at the URL, but Jira's REST API is not there: usually a
        // Jira served below a context path.
        diags.AddAttributeError(
            tf::Path().AtName("url"), "Jira's REST API not found at " + config->base_url,
            info.error().Message() + ". If Jira runs below a context path, include it in url "
            "(for example https://jira.example.com/jira); the url is the address of Jira's "
            "start page, without /rest/api/2.");
        return;
      }
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
    if (!ReportUnsupportedVersion(*info, *config, diags)) return;
    auto me = jira->GetMyself();
    if (!me.ok()) {
      if (!ReportAuthFailure(me.error(), *config, diags)) {
        AddJiraError(diags, "Cannot check the Jira credentials", me.error());
      }
      return;
    }
    auto data = std::make_shared<ProviderData>();
    data->client = client.value();
    data->server = info.value();
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
      [](const jira::ClientConfig& c) { return jira::NewClient(c); }, ProcessEnvironment());
}

}  // namespace tfjira
