#!/usr/bin/env bash
# Installs the built provider where Terraform's implied local mirror looks for it:
#   ~/.terraform.d/plugins/registry.terraform.io/tfjira/jira/<version>/<os_arch>/terraform-provider-jira_v<version>
# so that `terraform init` finds `source = "tfjira/jira"` without any registry.
#
# Usage: scripts/install.sh [BUILD_DIR]          (default: build)
# Environment:
#   TFJ_PLUGIN_DIR   plugin directory to install into instead of ~/.terraform.d/plugins
#   VERSION          version to install as (default: the CMake project version)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_dir="$(tfj_abs_path "${1:-build}")"
bin="$(tfj_provider_binary "$build_dir")"
version="$(tfj_version)"
platform="$(tfj_platform)"
plugin_dir="${TFJ_PLUGIN_DIR:-${HOME}/.terraform.d/plugins}"
target_dir="$plugin_dir/$TFJ_PROVIDER_SOURCE/$version/$platform"
target="$target_dir/${TFJ_BINARY_NAME}_v${version}"

mkdir -p "$target_dir"
# Copy to a temporary name first so a running terraform never sees a half-written binary.
cp "$bin" "$target.tmp.$$"
chmod 0755 "$target.tmp.$$"
mv -f "$target.tmp.$$" "$target"

cat <<MSG
Installed $target

Use it from any configuration with:

  terraform {
    required_providers {
      jira = {
        source  = "$TFJ_PROVIDER_NAMESPACE/$TFJ_PROVIDER_TYPE"
        version = "$version"
      }
    }
  }

then run 'terraform init'. After reinstalling the same version, delete the configuration's
.terraform.lock.hcl (its checksum is for the previous build) and run 'terraform init' again.
MSG
