#!/usr/bin/env bash
# The fetch benchmark of issue 3: serves the Spark 3.5.9 distribution tarball (built from Maven Central
# jars, ~161 MiB) from nginx on loopback and prints, measured in the same run, the fetcher's cold
# fetch+extract time, its cached relaunch time, `curl -s URL | tar xz` and `curl -s URL | gzip -dc`,
# with their ratios.      usage: bench/fetch-benchmark.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if ! command -v nginx >/dev/null 2>&1; then
  echo "bench: installing nginx-light (Debian)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null
fi
tarball=$(bin/spark-mesos-executor spark-dist)
work=$(mktemp -d /tmp/fetch-bench-XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$port; root $(dirname "$tarball"); }
}
CONF
nginx -c "$work/nginx/nginx.conf" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null; wait $nginx_pid 2>/dev/null; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port/$(basename "$tarball")"
for _ in $(seq 1 100); do curl -s -f -o /dev/null -r 0-0 "$url" && break; sleep 0.05; done
bin/spark-mesos-executor bench-fetch "$url" --runs "$runs" --work "$work/runs"
