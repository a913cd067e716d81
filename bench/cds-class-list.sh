#!/bin/sh
# Makes the executor's class list for class data sharing again, from a real run under the harness: a task
# that fetches a tarball through the node cache, one that runs a plain command, both to their end. Run it
# when the executor's start path changes; bin/spark-mesos-executor makes its archive from this list. The
# Docker runtime's classes are left out on purpose: in the archive they cost every executor about 20 MiB
# of resident memory (measured with bench/drop-in-memory.sh), more than the ~0.2 s they save a first
# container.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/executor/src/main/resources/META-INF/cds/executor.classlist"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/bin/spark-mesos-executor" help >/dev/null # builds what is missing
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
mkdir -p "$work/dist/training/jars"
echo training > "$work/dist/training/jars/a.jar"
tar -czf "$work/training.tgz" -C "$work/dist" training
task() { # id, conf (JSON), command
  data=$(printf '{"conf":%s,"backend":{"driverUrl":"spark://CoarseGrainedScheduler@127.0.0.1:1","executorId":"%s","appId":"training","cores":1},"command":"%s"}' "$2" "$1" "$3" | base64 -w0)
  printf '{"name":"%s","task_id":{"value":"%s"},"data":"%s"}' "$1" "$1" "$data"
}
tasks="$(task fetched "{\"spark.executor.uri\":\"file://$work/training.tgz\",\"spark.mesos.fetcherCache.enable\":\"true\"}" "cd training && ls jars"),$(task plain '{}' 'exit 0')"
printf '[%s]' "$tasks" > "$work/tasks.json"
"$here/bin/spark-mesos-executor" harness "$work/tasks.json" --sandbox "$work/sandbox" --fetch-cache "$work/cache" \
  --executor-command "exec '$java' -Dcom.google.protobuf.use_unsafe_pre22_gencode -XX:+UseSerialGC \
-XX:DumpLoadedClassList='$work/classes' -cp '$here/executor/target/spark-mesos-executor.jar:$here/executor/target/lib/*' \
io.github.sparkmesos.executor.ExecutorMain" >/dev/null
grep -v '^#' "$work/classes" > "$out"
echo "$(wc -l < "$out") classes in $out"
