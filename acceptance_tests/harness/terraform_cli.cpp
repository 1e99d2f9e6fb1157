#include "acceptance_tests/harness/terraform_cli.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "acceptance_tests/harness/process.h"

namespace tfj::harness {
namespace {

std::string HclString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CliResult::Describe() const {
  return "$ " + command + "\nexit code: " + std::to_string(exit_code) +
         (timed_out ? " (timed out)" : "") + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
}

std::string TerraformCli::FindTerraform() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  std::string p(path);
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    if (end == std::string::npos) end = p.size();
    std::string dir = p.substr(start, end - start);
    if (!dir.empty()) {
      std::string candidate = dir + "/terraform";
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return "";
}

TerraformCli::TerraformCli(TerraformCliOptions options) : options_(std::move(options)) {}

TerraformCli::~TerraformCli() {
  if (debug_provider_) (void)debug_provider_->Shutdown();
  debug_provider_.reset();
  RemoveTree(dir_);
}

Status TerraformCli::Setup() {
  terraform_ = FindTerraform();
  if (terraform_.empty()) return Status::Error("terraform is not on PATH");
  dir_ = MakeTempDir("tfj-cli-");
  if (dir_.empty()) return Status::Error("cannot create a temporary directory");
  std::string bin_dir = std::filesystem::path(options_.provider_binary).parent_path().string();
  cli_config_ = dir_ + "/terraformrc";
  if (options_.protocol == 5) {
    // Reattach only: with no dev_overrides Terraform cannot start the binary itself, so a
    // passing command proves it used our protocol 5 process.
    std::ofstream(cli_config_) << "provider_installation {\n  direct {}\n}\n";
  } else {
    std::ofstream config(cli_config_);
    config << "provider_installation {\n  dev_overrides {\n";
    config << "    " << HclString(options_.provider_source) << " = " << HclString(bin_dir) << "\n";
    for (const auto& source : options_.extra_provider_sources) {
      config << "    " << HclString(source) << " = " << HclString(bin_dir) << "\n";
    }
    config << "  }\n  direct {}\n}\n";
  }
  if (options_.protocol == 5) {
    Status status;
    debug_provider_ = ProviderProcess::LaunchDebug(options_.provider_binary, 5, options_.env, &status);
    if (!status.ok()) return status;
    if (debug_provider_->reattach()->protocol != 5) {
      return Status::Error("the debug provider announced protocol " +
                           std::to_string(debug_provider_->reattach()->protocol) + ", not 5");
    }
  }
  return Status::Ok();
}

void TerraformCli::WriteMainTf(const std::string& hcl) { std::ofstream(dir_ + "/main.tf") << hcl; }

CliResult TerraformCli::Run(const std::vector<std::string>& args) {
  CliResult result;
  ProcessOptions po;
  po.argv = {terraform_};
  po.argv.insert(po.argv.end(), args.begin(), args.end());
  for (const auto& a : args) result.command += (result.command.empty() ? "terraform " : " ") + a;
  po.working_dir = dir_;
  po.env = options_.env;
  po.env["TF_CLI_CONFIG_FILE"] = cli_config_;
  po.env["TF_IN_AUTOMATION"] = "1";
  po.env["CHECKPOINT_DISABLE"] = "1";
  po.env["TF_INPUT"] = "0";
  po.unset_env = {"TF_REATTACH_PROVIDERS", "TF_CLI_ARGS", "TF_WORKSPACE", "TF_DATA_DIR"};
  if (debug_provider_) {
    std::string reattach = debug_provider_->reattach()->json;
    if (!options_.extra_provider_sources.empty()) {
      // The same process under each extra address (the value is keyed by provider address).
      nlohmann::json doc = nlohmann::json::parse(reattach, nullptr, false);
      if (doc.is_object() && doc.size() == 1) {
        nlohmann::json entry = doc.begin().value();
        for (const auto& source : options_.extra_provider_sources) doc[source] = entry;
        reattach = doc.dump();
      }
    }
    po.env["TF_REATTACH_PROVIDERS"] = reattach;
  }
  std::string out_file = dir_ + "/.stdout";
  std::string err_file = dir_ + "/.stderr";
  po.stdout_file = out_file;
  po.stderr_file = err_file;
  Process proc;
  std::string error;
  if (!proc.Start(po, &error)) {
    result.err = error;
    return result;
  }
  auto code = proc.Wait(options_.timeout);
  if (!code) {
    result.timed_out = true;
    proc.Kill();
    code = proc.Wait(std::chrono::seconds(5));
  }
  result.exit_code = code.value_or(-1);
  result.out = ReadFileOrEmpty(out_file);
  result.err = ReadFileOrEmpty(err_file);
  return result;
}

CliResult TerraformCli::Plan() { return Run({"plan", "-detailed-exitcode", "-input=false", "-no-color"}); }
CliResult TerraformCli::Apply() { return Run({"apply", "-auto-approve", "-input=false", "-no-color"}); }
CliResult TerraformCli::Destroy() { return Run({"destroy", "-auto-approve", "-input=false", "-no-color"}); }
CliResult TerraformCli::Refresh() {
  return Run({"apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"});
}
CliResult TerraformCli::Import(const std::string& address, const std::string& id) {
  return Run({"import", "-input=false", "-no-color", address, id});
}
CliResult TerraformCli::Validate() { return Run({"validate", "-json", "-no-color"}); }

nlohmann::json TerraformCli::ParseJson(const CliResult& r, Status* status) {
  if (r.exit_code != 0) {
    *status = Status::Error(r.Describe());
    return nullptr;
  }
  nlohmann::json doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) {
    *status = Status::Error("not JSON:\n" + r.Describe());
    return nullptr;
  }
  *status = Status::Ok();
  return doc;
}

nlohmann::json TerraformCli::ProvidersSchemaJson(Status* status) {
  return ParseJson(Run({"providers", "schema", "-json"}), status);
}

nlohmann::json TerraformCli::ShowJson(Status* status) { return ParseJson(Run({"show", "-json"}), status); }

nlohmann::json TerraformCli::PlanJson(Status* status) {
  CliResult plan = Run({"plan", "-input=false", "-no-color", "-out=tfplan"});
  if (plan.exit_code != 0) {
    *status = Status::Error(plan.Describe());
    return nullptr;
  }
  return ParseJson(Run({"show", "-json", "tfplan"}), status);
}

const std::optional<ReattachInfo>& TerraformCli::reattach() const {
  return debug_provider_ ? debug_provider_->reattach() : no_reattach_;
}

std::string TerraformCli::ProviderStderr() const {
  return debug_provider_ ? debug_provider_->Stderr() : "";
}

}  // namespace tfj::harness
