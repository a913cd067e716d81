#!/usr/bin/env bash
# The launch-path benchmark: runs the executor under the in-process harness and prints one table of
# medians and p90s, each beside a baseline measured in the same run (a hello-world JVM, a direct spawn,
# raw POSTs to the agent API), with their ratios and the issue's targets. 1.5 to 3 minutes on 2 cores.
#   usage: bench/launch-benchmark.sh [RUNS]   (default 10; the harness's log goes to build/bench/launch.log)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
mkdir -p build/bench
if ! bin/spark-mesos-executor bench-launch --runs "$runs" 2> build/bench/launch.log; then
  tail -n 20 build/bench/launch.log >&2
  exit 1
fi
