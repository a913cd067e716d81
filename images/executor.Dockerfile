# The executor's own image: the base of images/base-image.sh, the distribution at /opt/spark-mesos-executor,
# and the entrypoint as PID 1. Built by images/executor-image.sh from a context holding the unpacked tarball.
ARG BASE
FROM $BASE
COPY spark-mesos-executor /opt/spark-mesos-executor
ENTRYPOINT ["/opt/spark-mesos-executor/bin/spark-mesos-executor", "entrypoint", "--"]
