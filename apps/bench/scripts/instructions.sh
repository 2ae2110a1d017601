#!/bin/bash
# Instructions per unit of a scenario, under callgrind: the difference between a run of A and
# a run of B units, divided by B - A (start-up and warm-up cancel out). Repeatable to about ±3%,
# whatever else loads the machine. Needs valgrind and a build (pnpm build).
#   bash apps/bench/scripts/instructions.sh ping-pong 20000 120000
set -euo pipefail
scenario=$1; a=${2:-20000}; b=${3:-120000}
here=$(cd "$(dirname "$0")" && pwd)
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --single-threaded "$here/instructions.mjs" "$scenario" "$1" 2>&1 |
    sed -n 's/.*Collected : //p'
}
x=$(count "$a"); y=$(count "$b")
echo "$scenario: $(( (y - x) / (b - a) )) instructions per unit"
