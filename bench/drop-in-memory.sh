#!/usr/bin/env bash
# The drop-in's memory: the executor run as an agent's command executor (a launcher folder whose
# mesos-executor links to bin/spark-mesos-executor, under the harness's command-task mode), its resident
# memory while its one task runs, with the JVM options bin/spark-mesos-executor picks for that mode and
# with the executor's usual ones, beside a hello-world JVM measured in the same run. About 30 s.
#   usage: bench/drop-in-memory.sh [RUNS]   (default 3; medians of RUNS; work files in build/bench/drop-in)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=$PWD/build/bench/drop-in
rm -rf "$work" && mkdir -p "$work/launcher"
ln -s "$PWD/bin/spark-mesos-executor" "$work/launcher/mesos-executor"
bin/spark-mesos-executor help >/dev/null # builds the project when it is not built
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi

# kB of VmRSS and RssAnon of a process
memory() { awk '/^VmRSS|^RssAnon/ {printf "%s ", $2}' "/proc/$1/status"; }

# one run of the executor: "<VmRSS> <RssAnon>" while its task runs; $1 is --env for the harness, or none
executor_run() {
  local sandbox="$work/sandbox-$RANDOM"
  mkdir -p "$sandbox"
  echo '{"task_id": {"value": "m"}, "command": {"value": "echo $PPID > executor.pid; until [ -e done ]; do sleep 0.1; done"}}' \
    > "$work/task.json"
  bin/spark-mesos-executor harness "$work/task.json" --sandbox "$sandbox" --launcher-dir "$work/launcher" "$@" \
    > "$work/harness.out" 2>> "$work/harness.log" &
  local harness=$!
  until [ -s "$sandbox/executor.pid" ]; do sleep 0.1; done
  sleep 2 # the executor settles after TASK_RUNNING
  memory "$(cat "$sandbox/executor.pid")"
  touch "$sandbox/done"
  wait "$harness"
}

# one run of the baseline: a JVM that only sleeps, same java
hello_run() {
  mkdir -p "$work/hello"
  [ -f "$work/hello/Hello.java" ] || cat > "$work/hello/Hello.java" <<'EOF'
public class Hello { public static void main(String[] a) throws Exception { System.out.println("hello"); Thread.sleep(60_000); } }
EOF
  [ -f "$work/hello/Hello.class" ] || "${java%java}javac" -d "$work/hello" "$work/hello/Hello.java"
  rm -f "$work/hello/out"
  "$java" -XX:+UseSerialGC "$@" -cp "$work/hello" Hello > "$work/hello/out" &
  local pid=$!
  until [ -s "$work/hello/out" ]; do sleep 0.1; done
  sleep 2
  memory "$pid"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

measure() { # label, function and its arguments: prints "label medianRSS medianAnon" in MiB
  local label=$1; shift
  local out=()
  for _ in $(seq "$runs"); do out+=("$("$@")"); done
  local rss anon
  rss=$(printf '%s\n' "${out[@]}" | awk '{print $1}' | median)
  anon=$(printf '%s\n' "${out[@]}" | awk '{print $2}' | median)
  echo "$label $((rss / 1024)) $((anon / 1024))"
}

small=$(measure "executor, drop-in JVM options" executor_run)
usual=$(measure "executor, usual JVM options" executor_run --env SPARK_MESOS_EXECUTOR_JAVA_OPTS=)
hello=$(measure "hello JVM" hello_run)
printf '%-34s %10s %10s | %-20s %10s %10s | %7s\n' "measured (median of $runs)" "RSS MiB" "anon MiB" "baseline" "RSS MiB" \
  "anon MiB" "ratio"
for row in "$small" "$usual"; do
  read -r -a f <<< "${row##*options }"
  label=${row%% [0-9]*}
  read -r -a b <<< "${hello##*JVM }"
  printf '%-34s %10s %10s | %-20s %10s %10s | %7s\n' "$label" "${f[0]}" "${f[1]}" "hello JVM" "${b[0]}" "${b[1]}" \
    "$(awk -v a="${f[0]}" -v b="${b[0]}" 'BEGIN {printf "%.2f", a / b}')"
done
