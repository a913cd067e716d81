#!/usr/bin/env bash
# The base of the executor's image, made without Docker Hub: a Debian bookworm root filesystem (minbase)
# with a Java 17 runtime, procps and a shell, assembled by debootstrap from Debian's packages, kept as a
# tarball under build/images/ and imported into the engine. Its tag names its content (the hash of this
# script), so a change here makes a new base. Each step runs only when its result is missing.
# Prints the tag on stdout; progress goes to stderr.
#   images/base-image.sh [--tag-only]
set -euo pipefail
cd "$(dirname "$0")/.."

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
hash=$(sha256sum "images/base-image.sh" | cut -c1-12)
tag="spark-mesos-executor-base:bookworm-jre17-$hash"
if [ "${1:-}" = --tag-only ]; then echo "$tag"; exit 0; fi

cache=build/images
tarball="$cache/base-bookworm-jre17-$hash.tar.gz"
mkdir -p "$cache"
# one builder at a time per checkout; a second waits and then finds the result
exec 9>"$cache/.base.lock"
flock 9

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

if [ ! -f "$tarball" ]; then
  command -v debootstrap >/dev/null || { echo "base-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "base-image: debootstrap needs root" >&2; exit 1; }
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'umount -l "$rootfs/proc" "$rootfs/sys" 2>/dev/null || true; rm -rf "$rootfs" "$tarball.tmp"' EXIT
  echo "base-image: debootstrap bookworm from $mirror into $rootfs (a few minutes, once)" >&2
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,procps \
    bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  # what a container never reads: package caches and lists, docs, manuals, translations
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/var/log/*.log
  tar -C "$rootfs" --numeric-owner -czf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
fi

echo "base-image: importing $tarball as $tag" >&2
java_home=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
docker import \
  --change "ENV JAVA_HOME=$java_home" \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change 'CMD ["/bin/sh"]' \
  "$tarball" "$tag" >/dev/null
echo "$tag"
