#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and trials, owned by the project:
#
#   scripts/postgres.sh start    install Debian's server if absent, then start a cluster of
#                                 our own on 127.0.0.1:${DSS_PG_PORT:-5432} (trust on loopback
#                                 only) with a `dss` database
#   scripts/postgres.sh stop
#   scripts/postgres.sh status
#
# It never touches the system cluster's configuration: the data folder is
# ${DSS_PG_DIR:-/tmp/dss-postgres-PORT}. When something already answers on the port it is used as is.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${DSS_PG_PORT:-5432}
# Under /tmp by default: the postgres account may not be able to enter the checkout.
data=$(realpath -m "${DSS_PG_DIR:-${TMPDIR:-/tmp}/dss-postgres-$port}")
log="$data.log"

as_owner() {
  # initdb and the server refuse to run as root: use the postgres account when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

answers() { pg_isready -q -h 127.0.0.1 -p "$port" 2>/dev/null; }

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

start() {
  if answers; then
    echo "PostgreSQL already answers on 127.0.0.1:$port"
  else
    if [ -z "$(bindir)" ] || ! command -v pg_isready >/dev/null; then
      PYTHON=${PYTHON:-python3} bash scripts/system_deps.sh ci
    fi
    local bin
    bin=$(bindir)
    mkdir -p "$(dirname "$data")"
    if [ ! -s "$data/PG_VERSION" ]; then
      mkdir -p "$data"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
      as_owner "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    touch "$log"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$log"
    # Loopback only, sockets in the data folder: nothing else on the machine is affected.
    as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off" >/dev/null ||
      { echo "PostgreSQL did not start; the end of $log:"; tail -n 20 "$log"; exit 1; }
  fi
  if ! psql -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='dss'" |
    grep -q 1; then
    createdb -h 127.0.0.1 -p "$port" -U postgres dss
  fi
  echo "PostgreSQL ready at postgres://postgres@127.0.0.1:$port/dss"
}

stop() {
  local bin
  bin=$(bindir) || true
  if [ -n "${bin:-}" ] && [ -s "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null && echo "PostgreSQL stopped"
  else
    echo "No project PostgreSQL running from $data"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "PostgreSQL answers on 127.0.0.1:$port"; else echo "PostgreSQL: no answer on 127.0.0.1:$port"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
