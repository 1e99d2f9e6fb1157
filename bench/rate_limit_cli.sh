#!/usr/bin/env bash
# Rate-limit benchmark with the real Terraform CLI against the Jira emulator.
#
# 200 users, 10 groups and 200 memberships, applied, planned and destroyed at -parallelism
# 10, 50 and 200, once with Jira's rate limit (--rate-limit 40/20: a burst of 40, then 20
# requests a second, per user) and once without. For each step it prints the requests Jira
# received, how many it refused (429), the wall time, and the time the bucket allows for the
# requests the work needs: (needed - burst) / fill, the bucket being full when each step
# starts (the script waits for it to refill). Goals: requests <= 1.05 x needed, wall within
# 15% of what the bucket allows (the unlimited run shows Terraform's own overhead). Each line
# also shows the 1-minute load average when the step started: wall times on a loaded machine
# are not comparable with an idle one.
#
# usage: bench/rate_limit_cli.sh [BUILD_DIR]   (default: build). Skipped, saying so, when
# terraform is not on PATH. TFJ_BENCH_PARALLELISM="10 50" runs fewer cases.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
provider="$build/bin/terraform-provider-jira"
emulator="$build/bin/jira-emulator"
parallelism="${TFJ_BENCH_PARALLELISM:-10 50 200}"
burst=40
fill=20

if ! command -v terraform >/dev/null; then
  echo "rate_limit_cli: skipped: terraform is not on PATH"
  exit 0
fi
for b in "$provider" "$emulator"; do
  [[ -x "$b" ]] || { echo "rate_limit_cli: $b not found; build it first" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/tfj-ratebench.XXXXXX")"
emulator_pid=""
cleanup() {
  if [[ -n "$emulator_pid" ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$emulator" --listen 127.0.0.1:0 --threads 8 >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 300); do
  [[ -s "$work/emulator.out" ]] && break
  sleep 0.1
done
url="$(head -n1 "$work/emulator.out")"
url="${url#listening on }"
url="${url%%[[:space:]]*}"
[[ "$url" == http://* ]] || { echo "rate_limit_cli: the emulator did not start" >&2; cat "$work/emulator.log" >&2; exit 1; }

mkdir -p "$work/config"
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/tfjira/jira" = "$(dirname "$provider")"
  }
  direct {}
}
CFG
cat >"$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    jira = { source = "registry.terraform.io/tfjira/jira" }
  }
}
provider "jira" {}

resource "jira_group" "g" {
  count = 10
  name  = "bench-group-${count.index}"
}
resource "jira_user" "u" {
  count        = 200
  name         = "bench-user-${count.index}"
  email        = "bench-user-${count.index}@example.com"
  display_name = "Bench user ${count.index}"
}
resource "jira_group_membership" "m" {
  count    = 200
  group    = jira_group.g[count.index % 10].name
  username = jira_user.u[count.index].name
}
TF
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
export JIRA_URL="$url" JIRA_USERNAME=admin JIRA_PASSWORD=admin
unset TF_LOG TF_LOG_PROVIDER TF_REATTACH_PROVIDERS TF_DATA_DIR TF_WORKSPACE

stats() { curl -fsS "$url/_emulator/stats"; }
# total and refused (429 from the bucket) so far
counts() {
  stats | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["total"], s.get("faults",{}).get("rate-limited",0))'
}
set_limit() {  # $1 = capacity (0 = off)
  curl -fsS -X POST "$url/_emulator/faults" \
    -d "{\"rate_limit_capacity\": $1, \"rate_limit_refill_per_s\": $fill}" >/dev/null
}

failures=0
printf '%-9s %-5s %-8s %9s %8s %8s %9s %9s %9s %10s %s\n' \
  limit par step requests refused needed wall_s bucket_s wall/bkt req/needed load
run_step() {  # $1 = label, $2 = parallelism, $3 = step, then the terraform command
  local label="$1" par="$2" step="$3"
  shift 3
  if [[ "$label" != none ]]; then
    # Start every step with a full bucket, so the bound below holds for each one alone.
    sleep $(( burst / fill + 1 ))
  fi
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  read -r t0 r0 < <(counts)
  local start end code=0
  start="$(date +%s.%N)"
  (cd "$work/config" && "$@" >"$work/${label////-}-$par-$step.log" 2>&1) || code=$?
  end="$(date +%s.%N)"
  read -r t1 r1 < <(counts)
  local requests=$((t1 - t0)) refused=$((r1 - r0))
  local needed=$((requests - refused))
  python3 - "$label" "$par" "$step" "$requests" "$refused" "$needed" "$start" "$end" "$burst" "$fill" "$label" "$load" <<'PY'
import sys
label, par, step, req, ref, need, start, end, burst, fill, lim, load = sys.argv[1:]
req, ref, need, burst, fill = int(req), int(ref), int(need), int(burst), int(fill)
wall = float(end) - float(start)
bucket = max(0.0, (need - burst) / fill) if lim == "40/20" else 0.0
ratio = f"{wall / bucket:9.2f}" if bucket > 0 else f"{'-':>9}"
print(f"{label:<9} {par:<5} {step:<8} {req:9d} {ref:8d} {need:8d} {wall:9.1f} {bucket:9.1f} {ratio} {req / max(need, 1):10.3f} {load}", flush=True)
PY
  if [[ $code -ne 0 ]]; then
    echo "  FAILED ($step exited $code); last lines of its output:"
    tail -n 15 "$work/${label////-}-$par-$step.log" | sed 's/^/  | /'
    failures=$((failures + 1))
  fi
}

for limit in 40/20 none; do
  for par in $parallelism; do
    curl -fsS -X POST "$url/_emulator/reset" >/dev/null
    if [[ "$limit" == none ]]; then set_limit 0; else set_limit "$burst"; fi
    rm -f "$work/config/terraform.tfstate" "$work/config/terraform.tfstate.backup"
    run_step "$limit" "$par" apply terraform apply -auto-approve -no-color -parallelism="$par"
    run_step "$limit" "$par" plan terraform plan -detailed-exitcode -no-color -parallelism="$par"
    run_step "$limit" "$par" destroy terraform destroy -auto-approve -no-color -parallelism="$par"
  done
done
echo "bucket_s: (needed - burst $burst) / fill $fill per second, the least time the bucket allows;"
echo "wall/bkt: wall time over it (goal <= 1.15); req/needed: goal <= 1.05; load: 1-min load average at the start"
if [[ $failures -gt 0 ]]; then
  echo "rate_limit_cli: $failures step(s) failed" >&2
  exit 1
fi
