#!/usr/bin/env bash
# The main job (one epoch of SimpleCnn on Fashion-MNIST, then its evaluation) with the runtime's malloc thresholds
# (the default) and with glibc's own (DECLCNN_MALLOC_TUNING=0), alternating, one process each: the setting is
# process-wide, so the two cannot share a process. Prints each run's epoch line, test accuracy and peak memory.
#
#   tests/DeclCnn.Benchmarks/malloc-thresholds.sh [rounds]      (default 2; run from the repository root)
set -euo pipefail

if [[ ! -x /usr/bin/time ]]; then
  echo "GNU time is needed for the peak memory: apt-get install time" >&2
  exit 1
fi

rounds="${1:-2}"
project=samples/DeclCnn.Samples.FashionMnist
dotnet build "$project" -c Release -v quiet -nologo >/dev/null
output="$(mktemp -d)"
trap 'rm -rf "$output"' EXIT

for round in $(seq 1 "$rounds"); do
  for mode in tuned glibc; do
    switch=()
    [[ "$mode" == glibc ]] && switch=(env DECLCNN_MALLOC_TUNING=0)
    # GNU time's -f writes the peak resident set of the whole process (kB) after the run's own output.
    lines="$("${switch[@]}" /usr/bin/time -f 'peak memory %M kB, %e s wall' \
      dotnet run --no-build --project "$project" -c Release -- train --preset main --output "$output/$mode-$round" 2>&1 \
      | grep -E '^epoch 1:|^Test accuracy|^peak memory' | tr '\n' ' ')"
    echo "round $round, $mode: $lines"
  done
done
