#!/usr/bin/env bash
# The log benchmark of issue 10: `seq 1 N` writing 1 GiB of numbered lines to stdout, run alternately
# redirected to a file (the executor's path without rotation) and through the process runtime with rotation
# (a pipe, one copier thread, stdout/stdout.1/... of 64 MiB x 4 by default); prints each run, both medians and
# the speed ratio, file time / rotating time, measured in the same run (the issue's target: >= 0.90).
# Each rotating run is checked: no file above its size, at most size x files on disk, the last line kept.
#   usage: bench/log-benchmark.sh [RUNS] [bench-logs options: --bytes B --max-size B --max-files N]
#   (default 5 runs; about 1 minute on 2 cores; files under build/bench/logs, removed at the end)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
mkdir -p build/bench
bin/spark-mesos-executor bench-logs --runs "$runs" --work build/bench/logs "$@"
