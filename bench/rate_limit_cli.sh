#!/usr/bin/env bash
# Rate-limit benchmark with the real Terraform CLI against the Jira emulator.
#
# 200 users, 10 groups and 200 memberships, applied, planned and destroyed at -parallelism
# 10, 50 and 200, first without a limit and then with Jira's rate limit (--rate-limit 40/20: a
# burst of 40, then 20 requests a second, per user). For each step it prints the requests Jira
# received, how many it refused (429), the wall time split by the emulator's clock into the
# time before Jira's first request, the span from it to the last answer and the time after
# (with the longest pause inside the span: Terraform between its plan and its apply), and the
# time the bucket allows: plainly (needed - burst) / fill, the bucket being full when each step
# starts (the script waits for it to refill), and as the least wall time once Terraform's own
# time measured without a limit (before, pause, after) is added. Goals: requests <= 1.05 x
# needed, wall within 15% of what the bucket allows. Each line also shows the 1-minute load
# average when the step started: wall times on a loaded machine are not comparable with an
# idle one. About 6 minutes on an idle machine.
#
# usage: bench/rate_limit_cli.sh [BUILD_DIR]   (default: build). Skipped, saying so, when
# terraform is not on PATH. TFJ_BENCH_PARALLELISM="10 50" runs fewer cases, TFJ_BENCH_LIMITS=none
# only the no-limit runs (the least times need them, so "none" must come first).
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
clear_stats() { curl -fsS -X DELETE "$url/_emulator/stats" >/dev/null; }
set_limit() {  # $1 = capacity (0 = off)
  curl -fsS -X POST "$url/_emulator/faults" \
    -d "{\"rate_limit_capacity\": $1, \"rate_limit_refill_per_s\": $fill}" >/dev/null
}

failures=0
missed_goals=()
declare -A unlimited  # "par step" -> "pre pause post requests_before_pause" of the no-limit run
printf '%-6s %-4s %-8s %5s %5s %5s %6s %5s %6s %5s %5s %6s %5s %5s %6s %5s %5s %s\n' \
  limit par step reqs 429s needed wall pre span pause post bound spn/b wal/b least wal/l r/need load
run_step() {  # $1 = label, $2 = parallelism, $3 = step, then the terraform command
  local label="$1" par="$2" step="$3"
  shift 3
  if [[ "$label" != none ]]; then
    # Start every step with a full bucket, so the bound below holds for each one alone.
    sleep $(( burst / fill + 1 ))
  fi
  local load
  load="$(cut -d' ' -f1 /proc/loadavg)"
  clear_stats
  local start end code=0
  start="$(date +%s.%N)"
  (cd "$work/config" && "$@" >"$work/${label////-}-$par-$step.log" 2>&1) || code=$?
  end="$(date +%s.%N)"
  local out
  out="$(python3 - "$(stats)" "$label" "$par" "$step" "$start" "$end" "$burst" "$fill" "$load" \
    "${unlimited["$par $step"]:-}" <<'PY'
import json, sys
stats, label, par, step, start, end, burst, fill, load, base = sys.argv[1:]
s = json.loads(stats)
req = s["total"]
ref = s.get("faults", {}).get("rate-limited", 0)
need = req - ref
start, end, burst, fill = float(start), float(end), int(burst), int(fill)
wall = end - start
first, last = s.get("first_request_at"), s.get("last_answer_at")
pause = s.get("longest_pause_s", 0.0)
if first is None:
    pre, span, post = wall, 0.0, 0.0
else:
    pre, span, post = first - start, last - first, end - last
limited = label != "none"
# The plain bound: one full bucket, then `fill` a second.
bound = max(0.0, (need - burst) / fill) if limited else 0.0
# The least wall time: Terraform's own time without a limit (before the first request, its
# longest pause between requests and after the last one) plus the bucket's time for the
# requests on either side of that pause, the bucket refilling (up to its size) during it.
least = 0.0
if limited and base:
    pre0, pause0, post0, before0 = (float(x) for x in base.split())
    # Under the limit Terraform's queued work (its state writes after the last answers at
    # high parallelism) overlaps with the waiting, and the limited run's own pause may be a
    # wait for the next batch: each part is the smaller of the two runs' figures.
    pre0, pause0, post0 = min(pre0, pre), min(pause0, pause), min(post0, post)
    n1 = min(int(before0), need)
    n2 = need - n1
    t1 = max(0.0, (n1 - burst) / fill)
    left = max(0, burst - n1)
    t2 = max(0.0, (n2 - min(burst, left + fill * pause0)) / fill)
    least = pre0 + t1 + pause0 + t2 + post0
def ratio(a, b):
    return f"{a / b:.2f}" if b > 0 else "-"
print(f"{label:<6} {par:<4} {step:<8} {req:5d} {ref:5d} {need:5d} {wall:6.1f} {pre:5.1f} "
      f"{span:6.1f} {pause:5.1f} {post:5.1f} {bound:6.1f} {ratio(span, bound):>5} "
      f"{ratio(wall, bound):>5} {least:6.1f} {ratio(wall, least):>5} {req / max(need, 1):5.3f} {load}")
# second line: this run's own time outside the requests, for the limited runs' "least"
print(f"{pre:.3f} {pause:.3f} {post:.3f} {s.get('requests_before_pause', 0)}")
# third line: the goals this step misses (limited runs: wall within 15% of the bound;
# every run: requests within 5% of those needed, none refused in the end)
missed = []
if limited and bound > 0 and wall > 1.15 * bound:
    missed.append(f"{label} -parallelism={par} {step}: wall / bound {wall / bound:.2f} > 1.15")
if req > 1.05 * need:
    missed.append(f"{label} -parallelism={par} {step}: requests / needed {req / need:.3f} > 1.05")
print("; ".join(missed) if missed else "-")  # never empty: $(...) drops a trailing empty line
PY
)"
  local first rest
  first="${out%%$'\n'*}"
  rest="${out#*$'\n'}"
  echo "$first"
  if [[ "$label" == none ]]; then unlimited["$par $step"]="${rest%%$'\n'*}"; fi
  local missed="${rest#*$'\n'}"
  if [[ "$missed" != - ]]; then missed_goals+=("$missed"); fi
  if [[ $code -ne 0 ]]; then
    echo "  FAILED ($step exited $code); last lines of its output:"
    tail -n 15 "$work/${label////-}-$par-$step.log" | sed 's/^/  | /'
    failures=$((failures + 1))
  fi
}

# Without a limit first: its time outside the request span is Terraform's (and the provider's
# start and stop) own, which no pacing can overlap; the limited runs add it to their bound.
for limit in ${TFJ_BENCH_LIMITS:-none 40/20}; do
  for par in $parallelism; do
    curl -fsS -X POST "$url/_emulator/reset" >/dev/null
    if [[ "$limit" == none ]]; then set_limit 0; else set_limit "$burst"; fi
    rm -f "$work/config/terraform.tfstate" "$work/config/terraform.tfstate.backup"
    run_step "$limit" "$par" apply terraform apply -auto-approve -no-color -parallelism="$par"
    run_step "$limit" "$par" plan terraform plan -detailed-exitcode -no-color -parallelism="$par"
    run_step "$limit" "$par" destroy terraform destroy -auto-approve -no-color -parallelism="$par"
  done
done
cat <<EOF
wall: the step's wall time; pre / span / post: before Jira's first request, from it to the last
answer, after that; pause: the longest time in the span with no request at Jira (Terraform
between its plan and its apply); all in seconds.
bound: (needed - burst $burst) / fill $fill a second, the plain least time the bucket allows;
spn/b and wal/b: span and wall over it (goal: wal/b <= 1.15). least: pre + pause + post
(Terraform's own time, which pacing cannot overlap; each the smaller of this run's and the
no-limit run's) plus the bucket's time for the requests before and after that pause, the
bucket refilling during it; wal/l: wall over it (what the pacing adds, Terraform's own time
set aside).
r/need: requests sent over requests needed (goal <= 1.05); load: 1-minute load average at the start.
EOF
if [[ ${#missed_goals[@]} -eq 0 ]]; then
  echo "goals: all met (wal/b <= 1.15 for every limited step, r/need <= 1.05 for every step)"
else
  echo "goals missed (on a loaded machine Terraform's own time grows; see the load column):"
  printf '  %s\n' "${missed_goals[@]}"
fi
if [[ $failures -gt 0 ]]; then
  echo "rate_limit_cli: $failures step(s) failed" >&2
  exit 1
fi
