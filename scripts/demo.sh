#!/usr/bin/env bash
# The GitLab-integration walkthrough (examples/gitlab-integration) against the bundled Jira
# emulator, entirely offline:
#   - with terraform (or tofu) on PATH: init through a filesystem mirror built from the
#     fresh binary, apply, a plan that must show no changes, destroy;
#   - otherwise, or with TFJ_DEMO_NO_CLI=1: the same walkthrough through the acceptance
#     harness (build/tests/tfj-demo), which prints each step's plan and the Jira objects.
# It says which of the two it used.
#
# Usage: scripts/demo.sh [BUILD_DIR]     (default: build; `make demo` builds it first)
# Environment:
#   TFJ_DEMO_NO_CLI=1   use the harness even when a Terraform CLI is on PATH
#   TFJ_DEMO_KEEP=1     keep the temporary working directory (printed) for a look around
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_dir="$(tfj_abs_path "${1:-build}")"
provider_bin="$(tfj_provider_binary "$build_dir")"
emulator_bin="$build_dir/bin/jira-emulator"
fallback_bin="$build_dir/tests/tfj-demo"
example_dir="$TFJ_ROOT/examples/gitlab-integration"
[[ -x "$emulator_bin" ]] || { echo "error: $emulator_bin not found; run 'make build' first" >&2; exit 1; }

step() { printf '\n==> %s\n' "$*"; }

work="$(mktemp -d "${TMPDIR:-/tmp}/tfj-demo.XXXXXX")"
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  if [[ "${TFJ_DEMO_KEEP:-}" == 1 ]]; then
    echo "Kept the working directory $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# ---- the emulator, on a free port ------------------------------------------------------------
step "Starting the Jira emulator"
# One project, DEMO, for the walkthrough to put on the GitLab permission scheme.
"$emulator_bin" --listen 127.0.0.1:0 --project "DEMO=Demo project" >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
first_line=""
for _ in $(seq 300); do  # up to 30 s for the first complete line
  if [[ "$(wc -l <"$work/emulator.out")" -ge 1 ]]; then
    first_line="$(head -n1 "$work/emulator.out")"
    break
  fi
  kill -0 "$emulator_pid" 2>/dev/null || break
  sleep 0.1
done
if [[ -z "$first_line" ]]; then
  echo "error: the emulator printed no address:" >&2
  cat "$work/emulator.log" >&2
  exit 1
fi
jira_url="${first_line#listening on }"
jira_url="${jira_url%%[[:space:]]*}"
if [[ "$jira_url" != http://* && "$jira_url" != https://* ]]; then
  echo "error: unexpected first line from the emulator: $first_line" >&2
  exit 1
fi
echo "Jira emulator at $jira_url (administrator admin/admin), pid $emulator_pid"

export JIRA_URL="$jira_url" JIRA_USERNAME=admin JIRA_PASSWORD=admin
# The integration account's password: random per run, never printed.
TF_VAR_gitlab_password="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
export TF_VAR_gitlab_password
export TF_VAR_jira_project_keys='["DEMO"]'

cli=""
if [[ "${TFJ_DEMO_NO_CLI:-}" != 1 ]]; then
  cli="$(command -v terraform || command -v tofu || true)"
fi

# ---- the fallback: the acceptance harness plays Terraform ---------------------------------------
if [[ -z "$cli" ]]; then
  if [[ "${TFJ_DEMO_NO_CLI:-}" == 1 ]]; then
    reason="TFJ_DEMO_NO_CLI=1"
  else
    reason="no terraform or tofu on PATH"
  fi
  [[ -x "$fallback_bin" ]] || { echo "error: $fallback_bin not found; run 'make build' first" >&2; exit 1; }
  step "Walkthrough of examples/gitlab-integration through the acceptance harness ($reason)"
  "$fallback_bin" --provider "$provider_bin" --jira-url "$jira_url"
  echo
  echo "Demo complete: used the acceptance harness in place of a Terraform CLI ($reason)."
  exit 0
fi

# ---- the real CLI, installing our provider from a filesystem mirror ----------------------------
cli_name="$(basename "$cli")"
cli_version="$("$cli" version 2>/dev/null | sed -n 1p)"  # sed reads it all: no SIGPIPE under pipefail
step "Walkthrough of examples/gitlab-integration with $cli_version"

mirror="$work/mirror"
TFJ_PLUGIN_DIR="$mirror" "$TFJ_ROOT/scripts/install.sh" "$build_dir" >/dev/null
# OpenTofu resolves "tfjira/jira" on its own registry host; serve both from the mirror.
mkdir -p "$mirror/registry.opentofu.org"
cp -R "$mirror/$TFJ_PROVIDER_HOST/$TFJ_PROVIDER_NAMESPACE" "$mirror/registry.opentofu.org/"
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/tfjira/jira", "registry.opentofu.org/tfjira/jira"]
  }
}
CFG
mkdir -p "$work/config"
cp "$example_dir"/*.tf "$work/config/"
cd "$work/config"

export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_PLUGIN_CACHE_DIR TF_REATTACH_PROVIDERS TF_DATA_DIR TF_WORKSPACE

step "$cli_name init (provider from the filesystem mirror $mirror; no network)"
"$cli" init -no-color

step "$cli_name apply"
"$cli" apply -auto-approve -no-color

step "$cli_name output"
"$cli" output -no-color

step "Jira's own answer: the permission scheme of project DEMO"
curl -fsS -u "admin:$JIRA_PASSWORD" "$jira_url/rest/api/2/project/DEMO/permissionscheme"
echo

step "$cli_name plan -detailed-exitcode (must report no changes)"
set +e
"$cli" plan -detailed-exitcode -no-color
plan_code=$?
set -e
if [[ $plan_code -ne 0 ]]; then
  echo "error: the plan after apply was not empty (exit code $plan_code)" >&2
  exit 1
fi

step "$cli_name destroy"
"$cli" destroy -auto-approve -no-color

echo
echo "Demo complete: used the $cli_name CLI ($cli_version): init, apply, an empty plan, destroy."
