#!/usr/bin/env bash
# A throwaway S3-compatible server for tests and trials, owned by the project: S3Proxy
# (Apache-2.0, from Maven Central) on Java 17, storing objects in a plain folder.
#
#   scripts/s3.sh start    fetch the S3Proxy jar once (with mvn, into the cache folder),
#                          then serve on 127.0.0.1:${DSS_S3_PORT:-9000} and wait until it answers
#   scripts/s3.sh stop
#   scripts/s3.sh status
#
# Credentials are the test pair below (loopback only). Objects live under
# ${DSS_S3_DIR:-/tmp/dss-s3-PORT}; the jar under ${DSS_CACHE_DIR:-$HOME/.cache/di-san-so}.
# When something already answers on the port it is used as is.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${DSS_S3PROXY_VERSION:-2.6.0}
port=${DSS_S3_PORT:-9000}
data=$(realpath -m "${DSS_S3_DIR:-${TMPDIR:-/tmp}/dss-s3-$port}")
cache=${DSS_CACHE_DIR:-$HOME/.cache/di-san-so}
jar="$cache/s3proxy-$version.jar"
pidfile="$data.pid"
log="$data.log"
identity=${DSS_S3_TEST_ACCESS_KEY:-dss-test}
secret=${DSS_S3_TEST_SECRET_KEY:-dss-test-secret}

answers() {
  # Any HTTP answer (S3Proxy says 403 to an anonymous request) means it is up.
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)
  [ -n "$code" ] && [ "$code" != "000" ]
}

fetch_jar() {
  [ -s "$jar" ] && return 0
  command -v java >/dev/null || { echo "java (17 or later) is needed: apt-get install openjdk-17-jre-headless" >&2; exit 1; }
  command -v mvn >/dev/null || { echo "mvn is needed to fetch S3Proxy: apt-get install maven" >&2; exit 1; }
  mkdir -p "$cache"
  mvn -q dependency:get -Dtransitive=false \
    -Dartifact="org.gaul:s3proxy:$version:jar:jar-with-dependencies" >/dev/null
  cp "$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar" "$jar"
}

start() {
  if answers; then
    echo "S3 already answers on 127.0.0.1:$port"
    return 0
  fi
  fetch_jar
  mkdir -p "$data"
  cat >"$data.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$secret
jclouds.provider=filesystem
jclouds.filesystem.basedir=$data
PROPS
  nohup java -Xmx256m -jar "$jar" --properties "$data.properties" >"$log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 120); do
    if answers; then
      echo "S3 ready at http://127.0.0.1:$port (access key $identity)"
      return 0
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "S3Proxy did not start; the end of $log:"
  tail -n 20 "$log"
  exit 1
}

stop() {
  if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    kill "$(cat "$pidfile")" && rm -f "$pidfile" && echo "S3Proxy stopped"
  else
    echo "No project S3Proxy running from $data"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "S3 answers on 127.0.0.1:$port"; else echo "S3: no answer on 127.0.0.1:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
