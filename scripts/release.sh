#!/usr/bin/env bash
# Packages the built provider the way the Terraform registry and `terraform providers
# mirror` expect, into DIST_DIR:
#   terraform-provider-jira_<version>_<os>_<arch>.zip   (holds terraform-provider-jira_v<version>)
#   terraform-provider-jira_<version>_manifest.json     (protocol versions 5.0 and 6.0)
#   terraform-provider-jira_<version>_SHA256SUMS        (covers the zip and the manifest)
#   terraform-provider-jira_<version>_SHA256SUMS.sig    (only when GPG_FINGERPRINT is set)
#
# Usage: scripts/release.sh [BUILD_DIR] [DIST_DIR]      (defaults: build, dist)
# Environment:
#   VERSION            release version (default: the CMake project version)
#   SOURCE_DATE_EPOCH  timestamp stored in the zip (default: the last commit's), so two
#                      releases of the same binary are byte-identical
#   GPG_FINGERPRINT    key to sign SHA256SUMS with, as the public registry requires
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_dir="$(tfj_abs_path "${1:-build}")"
dist_dir="$(tfj_abs_path "${2:-${TFJ_DIST_DIR:-$TFJ_ROOT/dist}}")"
bin="$(tfj_provider_binary "$build_dir")"
version="$(tfj_version)"
platform="$(tfj_platform)"
prefix="${TFJ_BINARY_NAME}_${version}"

for tool in zip sha256sum; do
  command -v "$tool" >/dev/null || { echo "error: $tool is required (make deps installs it)" >&2; exit 1; }
done

# A release whose binary reports another version would confuse every user: refuse it.
reported="$("$bin" --version 2>&1 || true)"
if [[ "$reported" != *"$version"* ]]; then
  echo "error: '$bin --version' printed '$reported', expected it to contain $version" >&2
  exit 1
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

inner="${TFJ_BINARY_NAME}_v${version}"
cp "$bin" "$stage/$inner"
chmod 0755 "$stage/$inner"
# Debug info is for developers' builds; the shipped plugin keeps its symbols only.
# (A wrapper script, as some tests use, is shipped as it is.)
if command -v strip >/dev/null && [[ "$(head -c 4 "$stage/$inner" | od -An -c | tr -d ' ')" == "177ELF" ]]; then
  strip --strip-debug "$stage/$inner"
fi
epoch="${SOURCE_DATE_EPOCH:-$(git -C "$TFJ_ROOT" log -1 --format=%ct 2>/dev/null || echo 315532800)}"
touch -d "@$epoch" "$stage/$inner"

mkdir -p "$dist_dir"
zip_name="${prefix}_${platform}.zip"
manifest_name="${prefix}_manifest.json"
sums_name="${prefix}_SHA256SUMS"
rm -f "$dist_dir/$zip_name" "$dist_dir/$manifest_name" "$dist_dir/$sums_name" "$dist_dir/$sums_name.sig"

(cd "$stage" && TZ=UTC zip -q -X "$dist_dir/$zip_name" "$inner")
printf '{"version":1,"metadata":{"protocol_versions":["5.0","6.0"]}}\n' >"$dist_dir/$manifest_name"
(cd "$dist_dir" && sha256sum "$zip_name" "$manifest_name" >"$sums_name")

if [[ -n "${GPG_FINGERPRINT:-}" ]]; then
  gpg --batch --yes --local-user "$GPG_FINGERPRINT" --output "$dist_dir/$sums_name.sig" \
    --detach-sign "$dist_dir/$sums_name"
fi

echo "Release $version for $platform written to $dist_dir:"
(cd "$dist_dir" && ls -l "$zip_name" "$manifest_name" "$sums_name" ${GPG_FINGERPRINT:+"$sums_name.sig"} | sed 's/^/  /')
