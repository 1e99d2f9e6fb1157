#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzzer.cpp) in their own clang tree and runs each in
# turn, printing the executions and crashes of each. Exits non-zero when any fuzzer found a
# crash, a leak, a timeout or ran out of memory; what it found is kept in
# <build-dir>/fuzz-artifacts/<fuzzer>/ (reproduce: <build-dir>/fuzz/<fuzzer> <file>).
#
#   fuzz/run.sh [--smoke] [--seconds N] [--build-dir DIR] [--cxx CLANG++] [fuzzer ...]
#
#   --seconds N   run each fuzzer N seconds (default $FUZZ_SECONDS, else 60), growing a
#                 working corpus in <build-dir>/fuzz-work/<fuzzer>/ from the seeds
#   --smoke       instead, a bounded run from the seed corpus only ($FUZZ_SMOKE_RUNS
#                 inputs, default 3000, at most 30 s each): the ctest `fuzz_smoke`
#   --build-dir   the clang build tree (default build-fuzz, as `cmake --preset fuzz`)
#   --no-build    run the fuzzers already built there
# One process per fuzzer (-jobs=1): the fuzzers run one after another.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
smoke=0
build=1
seconds=${FUZZ_SECONDS:-60}
build_dir=$src/build-fuzz
cxx=clang++-14
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --smoke) smoke=1 ;;
    --no-build) build=0 ;;
    --seconds) seconds=$2; shift ;;
    --build-dir) build_dir=$2; shift ;;
    --cxx) cxx=$2; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1") ;;
  esac
  shift
done
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$src"/fuzz/*_fuzzer.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi

# ---- build (a separate configure: the normal g++ build is never touched)
if [ $build = 1 ] && [ ! -f "$build_dir/CMakeCache.txt" ]; then
  launcher=()
  if command -v ccache >/dev/null; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S "$src" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$cxx" -DTFJ_SANITIZE=address,undefined -DTFJ_FUZZ=ON \
    "${launcher[@]}" >/dev/null
fi
if [ $build = 1 ]; then
  cmake --build "$build_dir" -j "${JOBS:-2}" --target fuzzers
fi

# ---- run
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
total=0
printf '%-26s %14s %8s\n' fuzzer executions crashes
for t in "${targets[@]}"; do
  bin=$build_dir/fuzz/$t
  seeds=$src/fuzz/corpus/$t
  artifacts=$build_dir/fuzz-artifacts/$t
  log=$build_dir/fuzz-logs/$t.log
  mkdir -p "$artifacts" "$(dirname "$log")"
  args=(-artifact_prefix="$artifacts/" -print_final_stats=1 -timeout=25 -rss_limit_mb=2048)
  [ -f "$src/fuzz/dict/$t.dict" ] && args+=(-dict="$src/fuzz/dict/$t.dict")
  if [ $smoke = 1 ]; then
    # libFuzzer adds new inputs to its first corpus directory: a scratch one, so the
    # committed seeds stay as they are.
    work=$(mktemp -d)
    args+=(-runs="${FUZZ_SMOKE_RUNS:-3000}" -max_total_time=30 "$work" "$seeds")
  else
    work=$build_dir/fuzz-work/$t
    mkdir -p "$work"
    args+=(-max_total_time="$seconds" "$work" "$seeds")
  fi
  # Findings: crash-, leak-, timeout- and oom- files. libFuzzer also keeps slow-unit- files
  # (an input over 10 s, e.g. on a loaded machine); they are not failures.
  findings() { find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
                 -o -name 'oom-*' \) | wc -l; }
  before=$(findings)
  rc=0
  "$bin" "${args[@]}" >"$log" 2>&1 || rc=$?
  [ $smoke = 1 ] && rm -rf "$work"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(( $(findings) - before ))
  if [ "$rc" != 0 ] && [ "$crashes" = 0 ]; then crashes=1; fi  # e.g. a crash in start-up
  printf '%-26s %14s %8s\n' "$t" "${execs:-0}" "$crashes"
  total=$(( total + ${execs:-0} ))
  if [ "$rc" != 0 ]; then
    failed=1
    echo "--- $t failed (exit $rc); its log, $log, ends:" >&2
    tail -40 "$log" >&2
  fi
done
printf '%-26s %14s\n' total "$total"
exit $failed
