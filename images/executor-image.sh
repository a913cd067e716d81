#!/usr/bin/env bash
# The executor's own image, spark-mesos-executor:VERSION: the base image (images/base-image.sh, made when
# missing) with the distribution tarball unpacked at /opt/spark-mesos-executor and the entrypoint as its
# ENTRYPOINT (images/executor.Dockerfile). Run by Maven in the distribution module's pre-integration-test.
# Without a Docker engine it says it is skipped, except under CI=true, where that is an error.
#   images/executor-image.sh TARBALL VERSION
set -euo pipefail
[ $# = 2 ] || { echo "usage: images/executor-image.sh TARBALL VERSION" >&2; exit 2; }
tarball=$1
tag="spark-mesos-executor:$2"
images=$(cd "$(dirname "$0")" && pwd)

if ! docker info >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then
    echo "executor-image: no Docker engine answers, and CI=true never skips (.ci/run starts one)" >&2
    exit 1
  fi
  echo "executor-image: skipped: no Docker engine answers (the Docker tests will skip too)" >&2
  exit 0
fi

base=$("$images/base-image.sh")
context="$(dirname "$tarball")/image"
rm -rf "$context"
mkdir -p "$context/spark-mesos-executor"
tar -xzf "$tarball" -C "$context/spark-mesos-executor" --strip-components=1
echo "executor-image: building $tag from $base" >&2
docker build -q --build-arg "BASE=$base" -f "$images/executor.Dockerfile" -t "$tag" "$context" >/dev/null
echo "executor-image: built $tag" >&2
