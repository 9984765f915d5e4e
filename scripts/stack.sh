#!/usr/bin/env bash
# The production stack on one machine, for a trial, the stack test and the load benchmark:
#
#   scripts/stack.sh start        PostgreSQL, Redis, migrate + collectstatic, gunicorn, two
#                                 task workers and nginx, all on loopback, all owned by the
#                                 run folder; prints the address
#   scripts/stack.sh stop         stops what start started, in reverse order
#   scripts/stack.sh status       what answers
#   scripts/stack.sh env          the environment the stack's processes run with (source it
#                                 to run manage.py against the stack)
#   scripts/stack.sh nginx-conf   deploy/nginx.conf rendered for this environment (for a real
#                                 server: > /etc/nginx/conf.d/dss.conf, see the README)
#   scripts/stack.sh nginx-up DIR ADDR / nginx-down DIR
#                                 only nginx, owned by DIR, listening on ADDR, in front of
#                                 DSS_BIND (the S3 tests' X-Accel-Redirect check)
#
# Everything lives in the run folder ${DSS_STACK_DIR:-/tmp/dss-stack}: data/ (DSS_DATA_DIR),
# nginx/ (its own prefix, config, pid, logs, micro-cache), redis/, logs/ and pids.
# Ports (loopback only): nginx ${DSS_STACK_PORT:-8080}, gunicorn ${DSS_STACK_APP_PORT:-8001},
# Redis ${DSS_STACK_REDIS_PORT:-6380}, PostgreSQL ${DSS_STACK_PG_PORT:-5433} (a cluster of the
# stack's own through scripts/postgres.sh). Installs Debian's nginx and redis-server when they
# are missing (scripts/system_deps.sh stack). /etc/nginx and the system Redis are not touched.
#
# The trial runs over plain HTTP on loopback and lets the client's X-Forwarded-Proto stand for
# a TLS terminator in front; cookies are Secure, so sign in with a client that sends
# "X-Forwarded-Proto: https" (the stack test does) or put TLS in front.
#
# DSS_STACK_DEMO: "records" (default: the demo archive without media), "full" (with
# placeholder media, processed by the workers in the first minutes) or "none".
# Any setting of the README's table may be exported before `start` to override the trial's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RUN=$(realpath -m "${DSS_STACK_DIR:-${TMPDIR:-/tmp}/dss-stack}")
PORT=${DSS_STACK_PORT:-8080}
APP_PORT=${DSS_STACK_APP_PORT:-8001}
REDIS_PORT=${DSS_STACK_REDIS_PORT:-6380}
PG_PORT=${DSS_STACK_PG_PORT:-5433}
WORKERS=${DSS_STACK_TASK_WORKERS:-2}
PY="$ROOT/.venv/bin/python"
LOGS="$RUN/logs"

say() { echo "[stack] $*"; }

stack_env() {
  # The trial's settings; anything already exported wins.
  local secret_file="$RUN/secret_key"
  if [ ! -s "$secret_file" ]; then
    mkdir -p "$RUN"
    head -c 48 /dev/urandom | base64 | tr -d '\n/+=' >"$secret_file"
    chmod 600 "$secret_file"
  fi
  export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-heritage.settings.production}
  export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(cat "$secret_file")}
  export DSS_DATA_DIR=${DSS_DATA_DIR:-$RUN/data}
  export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:$PG_PORT/dss}
  export DATABASE_CONN_MAX_AGE=${DATABASE_CONN_MAX_AGE:-60}
  export DSS_CACHE_URL=${DSS_CACHE_URL:-redis://127.0.0.1:$REDIS_PORT/0}
  export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
  export DJANGO_SECURE_PROXY_SSL_HEADER=${DJANGO_SECURE_PROXY_SSL_HEADER:-HTTP_X_FORWARDED_PROTO,https}
  export DJANGO_SECURE_COOKIES=${DJANGO_SECURE_COOKIES:-1}
  # Plain HTTP on loopback for the trial: no redirect to HTTPS, no HSTS.
  export DJANGO_SECURE_SSL_REDIRECT=${DJANGO_SECURE_SSL_REDIRECT:-0}
  export DJANGO_SECURE_HSTS_SECONDS=${DJANGO_SECURE_HSTS_SECONDS:-0}
  export DSS_PROXY_COUNT=${DSS_PROXY_COUNT:-1}
  export DSS_ACCEL_REDIRECT=${DSS_ACCEL_REDIRECT:-1}
  export DSS_PROXY_CACHE_SECONDS=${DSS_PROXY_CACHE_SECONDS:-1}
  export DSS_HEARTBEAT_SECONDS=${DSS_HEARTBEAT_SECONDS:-10}
  export DSS_DEMO_ALLOWED=${DSS_DEMO_ALLOWED:-1}
  export WAGTAILADMIN_BASE_URL=${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$PORT}
  export DSS_BIND=${DSS_BIND:-127.0.0.1:$APP_PORT}
  export DSS_WEB_WORKERS=${DSS_WEB_WORKERS:-2}
  export DSS_WEB_ACCESS_LOG=${DSS_WEB_ACCESS_LOG:-$LOGS/gunicorn-access.log}
}

render_nginx() {
  # deploy/nginx.conf with its placeholders filled from the environment.
  # STATIC_ROOT and MEDIA_ROOT are DSS_DATA_DIR/static and DSS_DATA_DIR/media (settings/base.py).
  local data
  data=$(realpath -m "${DSS_DATA_DIR:-$ROOT/var}")
  local max_body=${DSS_MAX_UPLOAD_BYTES:-8589934592}
  local s3=${DSS_S3_ENDPOINT_URL:-http://127.0.0.1:9000}
  s3=${s3%/}
  sed -e "s|@LISTEN@|${DSS_NGINX_LISTEN:-80}|" \
    -e "s|@SERVER_NAME@|${DSS_NGINX_SERVER_NAME:-_}|" \
    -e "s|@UPSTREAM@|${DSS_BIND:-127.0.0.1:8001}|" \
    -e "s|@CACHE_DIR@|${DSS_NGINX_CACHE_DIR:-/var/cache/nginx/dss}|" \
    -e "s|@STATIC_PARENT@|$data|" \
    -e "s|@MEDIA_ROOT@|$data/media|" \
    -e "s|@ORIGINALS_ROOT@|$(realpath -m "${DSS_ORIGINALS_ROOT:-$data/originals}")|" \
    -e "s|@DERIVATIVES_ROOT@|$(realpath -m "${DSS_DERIVATIVES_ROOT:-$data/derivatives}")|" \
    -e "s|@S3_ENDPOINT@|$s3|" \
    -e "s|@FORWARDED_PROTO@|${DSS_NGINX_FORWARDED_PROTO:-\$scheme}|" \
    -e "s|@MAX_BODY@|$max_body|" \
    "$ROOT/deploy/nginx.conf"
}

pid_alive() { local pid; pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

wait_http() { # url seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do
    curl -s -o /dev/null -m 2 "$1" && return 0
    sleep 0.2
  done
  return 1
}

start_redis() {
  mkdir -p "$RUN/redis"
  if pid_alive "$RUN/redis/redis.pid"; then
    say "Redis already running"
    return
  fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN/redis" \
    --daemonize yes --pidfile "$RUN/redis/redis.pid" --logfile "$LOGS/redis.log" \
    --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru >/dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  say "Redis did not answer; see $LOGS/redis.log"
  exit 1
}

start_nginx() {
  run_nginx "$RUN/nginx" "127.0.0.1:$PORT"
}

run_nginx() { # folder listen-address: an nginx owned by the folder (config, pid, logs, cache)
  local dir=$1 listen=$2
  local conf="$dir/nginx.conf"
  mkdir -p "$dir/cache" "$dir/logs" "$dir/tmp"
  DSS_NGINX_LISTEN="$listen" DSS_NGINX_SERVER_NAME="127.0.0.1 localhost" \
    DSS_NGINX_CACHE_DIR="$dir/cache" DSS_NGINX_FORWARDED_PROTO='$http_x_forwarded_proto' \
    render_nginx >"$dir/dss.conf"
  local user_line=""
  # As root, nginx's workers run as www-data (Debian's web account), as on a real server.
  [ "$(id -u)" -eq 0 ] && user_line="user www-data;"
  cat >"$conf" <<EOF
# Written by scripts/stack.sh: a main file of the trial's own around deploy/nginx.conf.
$user_line
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    types { text/vtt vtt; application/manifest+json webmanifest; }
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/dss.conf;
}
EOF
  nginx -p "$dir" -c "$conf" -t -q
  if pid_alive "$dir/nginx.pid"; then
    nginx -p "$dir" -c "$conf" -s reload
  else
    nginx -p "$dir" -c "$conf"
  fi
}

start() {
  command -v nginx >/dev/null && command -v redis-server >/dev/null ||
    PYTHON=${PYTHON:-python3} bash scripts/system_deps.sh stack
  mkdir -p "$RUN" "$LOGS"
  stack_env
  local started=$SECONDS
  DSS_PG_PORT=$PG_PORT DSS_PG_DIR="$RUN/postgres" bash scripts/postgres.sh start >/dev/null
  say "PostgreSQL on 127.0.0.1:$PG_PORT"
  start_redis
  say "Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$DSS_DATA_DIR" "${DSS_ORIGINALS_ROOT:-$DSS_DATA_DIR/originals}" "${DSS_DERIVATIVES_ROOT:-$DSS_DATA_DIR/derivatives}"
  "$PY" manage.py migrate --noinput -v0 >"$LOGS/migrate.log" 2>&1 ||
    { say "migrate failed; the end of $LOGS/migrate.log:"; tail -n 30 "$LOGS/migrate.log"; exit 1; }
  "$PY" manage.py collectstatic --noinput -v0
  case "${DSS_STACK_DEMO:-records}" in
    records) "$PY" manage.py load_demo --no-media >"$LOGS/load_demo.log" 2>&1 ;;
    full) "$PY" manage.py load_demo >"$LOGS/load_demo.log" 2>&1 ;;
    none) ;;
    *) echo "DSS_STACK_DEMO must be records, full or none" >&2; exit 2 ;;
  esac
  "$PY" manage.py media_recover >/dev/null
  "$PY" manage.py schedule_publishing >/dev/null
  say "database migrated, static files collected"

  if ! pid_alive "$RUN/gunicorn.pid"; then
    "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py --pid "$RUN/gunicorn.pid" \
      --daemon --error-logfile "$LOGS/gunicorn.log" heritage.wsgi:application
  fi
  local n
  for ((n = 1; n <= WORKERS; n++)); do
    if ! pid_alive "$RUN/worker-$n.pid"; then
      setsid "$PY" manage.py db_worker --queue-name '*' --worker-id "stack-$n" --interval 1 \
        >>"$LOGS/worker-$n.log" 2>&1 </dev/null &
      echo $! >"$RUN/worker-$n.pid"
    fi
  done
  wait_http "http://$DSS_BIND/healthz" 60 || {
    say "gunicorn did not answer; the end of $LOGS/gunicorn.log:"
    tail -n 30 "$LOGS/gunicorn.log"
    exit 1
  }
  say "gunicorn ($DSS_WEB_WORKERS workers) on $DSS_BIND; $WORKERS task workers"
  start_nginx
  wait_http "http://127.0.0.1:$PORT/healthz" 30 || { say "nginx did not answer"; exit 1; }
  say "ready after $((SECONDS - started)) s: http://127.0.0.1:$PORT/ (health: /healthz)"
}

stop_pidfile() { # pidfile name [signal]
  local pidfile=$1 name=$2 pid i
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-${3:-TERM}" "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop in 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "$name stopped"
  fi
  rm -f "$pidfile"
}

stop() {
  stop_pidfile "$RUN/nginx/nginx.pid" nginx QUIT
  local f
  for f in "$RUN"/worker-*.pid; do
    [ -e "$f" ] && stop_pidfile "$f" "task worker $(basename "$f" .pid | cut -d- -f2)"
  done
  stop_pidfile "$RUN/gunicorn.pid" gunicorn
  stop_pidfile "$RUN/redis/redis.pid" Redis
  if [ -s "$RUN/postgres/postmaster.pid" ]; then
    DSS_PG_PORT=$PG_PORT DSS_PG_DIR="$RUN/postgres" bash scripts/postgres.sh stop >/dev/null
    say "PostgreSQL stopped"
  fi
}

status() {
  local bad=0
  pid_alive "$RUN/nginx/nginx.pid" && say "nginx: running (127.0.0.1:$PORT)" || { say "nginx: stopped"; bad=1; }
  pid_alive "$RUN/gunicorn.pid" && say "gunicorn: running (127.0.0.1:$APP_PORT)" || { say "gunicorn: stopped"; bad=1; }
  local f
  for f in "$RUN"/worker-*.pid; do
    [ -e "$f" ] || continue
    pid_alive "$f" && say "$(basename "$f" .pid): running" || { say "$(basename "$f" .pid): stopped"; bad=1; }
  done
  pid_alive "$RUN/redis/redis.pid" && say "Redis: running (127.0.0.1:$REDIS_PORT)" || { say "Redis: stopped"; bad=1; }
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" 2>/dev/null && say "PostgreSQL: answers (127.0.0.1:$PG_PORT)" || { say "PostgreSQL: no answer"; bad=1; }
  if curl -s -m 5 "http://127.0.0.1:$PORT/healthz" >"$RUN/healthz.json" 2>/dev/null; then
    say "health: $(cat "$RUN/healthz.json")"
  fi
  return $bad
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  env)
    stack_env
    while IFS='=' read -r name _; do
      printf 'export %s=%q\n' "$name" "${!name}"
    done < <(env | grep -E '^(DJANGO_|DSS_|DATABASE_|WAGTAILADMIN_)[A-Z_]*=' | sort)
    ;;
  nginx-conf) render_nginx ;;
  # nginx alone, owned by a folder of the caller's, in front of whatever DSS_BIND names (the
  # S3 tests put it before their own server): nginx-up DIR HOST:PORT, nginx-down DIR.
  nginx-up) run_nginx "$(realpath -m "$2")" "$3" ;;
  nginx-down) stop_pidfile "$(realpath -m "$2")/nginx.pid" nginx QUIT ;;
  *) echo "usage: $0 start|stop|status|env|nginx-conf|nginx-up DIR ADDR|nginx-down DIR" >&2; exit 2 ;;
esac
