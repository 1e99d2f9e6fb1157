#!/usr/bin/env bash
# Runs every bench_* program of a build and prints what it reports.
# usage: scripts/bench.sh [build-dir]   (default: build)
set -euo pipefail
build="${1:-$(cd "$(dirname "$0")/.." && pwd)/build}"
found=0
for dir in "$build/bench" "$build/bin"; do
  [ -d "$dir" ] || continue
  for b in "$dir"/bench_*; do
    [ -x "$b" ] && [ -f "$b" ] || continue
    found=1
    echo "== $(basename "$b")"
    "$b"
    echo
  done
done
# The start-up of the plugin served by the other gRPC server (-DTFJ_RPC_SERVER: the build
# puts that one in build/rpc-<other>/bin), for comparison with the shipped one above.
for other in "$build"/rpc-*/bin/terraform-provider-jira; do
  [ -x "$other" ] && [ -x "$build/bench/bench_handshake" ] || continue
  echo "== bench_handshake, $(basename "$(dirname "$(dirname "$other")")")"
  "$build/bench/bench_handshake" --binary "$other"
  echo
done
# Script benchmarks in bench/ (e.g. the rate-limit run with the real Terraform CLI).
for s in "$(cd "$(dirname "$0")/.." && pwd)"/bench/*.sh; do
  [ -x "$s" ] || continue
  echo "== $(basename "$s")"
  "$s" "$build"
  echo
done
if [ "$found" = 0 ]; then
  echo "no bench_* programs in $build/bench or $build/bin; build them first (cmake --build $build --target bench_handshake)" >&2
  exit 1
fi
