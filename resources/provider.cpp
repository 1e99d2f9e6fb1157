#include "resources/provider.h"

namespace tfjira {
namespace {

class JiraProvider final : public tf::Provider {
 public:
  std::string TypeName() const override { return "jira"; }
  std::string Version() const override { return "0.1.0"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    auto str = [](std::string name, std::string d, bool sensitive = false) {
      tf::Attribute a;
      a.name = std::move(name);
      a.type = tf::Type::String();
      a.description = std::move(d);
      a.optional = true;
      a.sensitive = sensitive;
      return a;
    };
    s.block.attributes.push_back(str("url", "Base URL of Jira Server/Data Center."));
    s.block.attributes.push_back(str("username", "Basic auth username."));
    s.block.attributes.push_back(str("password", "Basic auth password.", true));
    s.block.attributes.push_back(str("token", "Personal access token.", true));
    s.block.attributes.push_back(str("ca_file", "Extra trusted CA bundle (PEM)."));
    tf::Attribute insecure;
    insecure.name = "insecure_skip_verify";
    insecure.type = tf::Type::Bool();
    insecure.optional = true;
    s.block.attributes.push_back(insecure);
    s.block.attributes.push_back(str("request_timeout", "Per-request timeout, e.g. \"30s\"."));
    tf::Attribute retries;
    retries.name = "max_retries";
    retries.type = tf::Type::Number();
    retries.optional = true;
    s.block.attributes.push_back(retries);
    return s;
  }
  void Configure(const tf::ConfigureProviderRequest&, tf::ConfigureProviderResponse&) override {}
  std::vector<tf::ResourceFactory> Resources() const override { return {}; }
  std::vector<tf::DataSourceFactory> DataSources() const override { return {}; }
};

}  // namespace

std::unique_ptr<tf::Provider> NewProvider() { return std::make_unique<JiraProvider>(); }

}  // namespace tfjira
