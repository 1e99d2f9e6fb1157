# Shared helpers for the scripts in this folder. Sourced, never run.
# shellcheck shell=bash

TFJ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TFJ_PROVIDER_HOST="registry.terraform.io"
TFJ_PROVIDER_NAMESPACE="tfjira"
TFJ_PROVIDER_TYPE="jira"
TFJ_PROVIDER_SOURCE="${TFJ_PROVIDER_HOST}/${TFJ_PROVIDER_NAMESPACE}/${TFJ_PROVIDER_TYPE}"
TFJ_BINARY_NAME="terraform-provider-${TFJ_PROVIDER_TYPE}"

# The release version is the CMake project version (VERSION in the environment overrides it).
tfj_version() {
  if [[ -n "${VERSION:-}" ]]; then
    echo "$VERSION"
    return
  fi
  sed -n 's/^project(terraform_provider_jira VERSION \([0-9][0-9.]*\).*/\1/p' "$TFJ_ROOT/CMakeLists.txt"
}

# Terraform's name for this machine's platform, e.g. linux_amd64.
tfj_platform() {
  local os arch
  os="$(uname -s | tr '[:upper:]' '[:lower:]')"
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    i?86) arch=386 ;;
    armv*) arch=arm ;;
    *) arch="$(uname -m)" ;;
  esac
  echo "${os}_${arch}"
}

# The built provider binary in BUILD_DIR/bin; exits with a hint when it is missing.
tfj_provider_binary() {
  local build_dir="$1"
  local bin="$build_dir/bin/$TFJ_BINARY_NAME"
  if [[ ! -x "$bin" ]]; then
    echo "error: $bin not found; run 'make build' first" >&2
    exit 1
  fi
  echo "$bin"
}

tfj_abs_path() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
  esac
}
