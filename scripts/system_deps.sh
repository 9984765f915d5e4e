#!/usr/bin/env bash
# Install the Debian packages that `make run`, `make test` or CI need and that pip cannot bring.
#
#   scripts/system_deps.sh run    venv, ffmpeg, bubblewrap, poppler
#   scripts/system_deps.sh test   the same, plus Chromium, nginx, Redis, curl, Java and Maven
#   scripts/system_deps.sh ci     the same, plus the PostgreSQL server
#   scripts/system_deps.sh stack  run's, plus what scripts/stack.sh and bench/load.py use:
#                                 nginx, Redis, the PostgreSQL server, curl and wrk
# (test and ci also bring nginx and Redis, for the stack test.)
#
# As root it uses apt-get, otherwise `sudo -n apt-get`. When neither can install, it stops
# before anything else happens and prints one sentence with the exact command to run.
set -euo pipefail

mode=${1:-run}
python=${PYTHON:-python3}

# command-or-check:package pairs. A check is a command line that must succeed.
wanted=(
  "ffmpeg:ffmpeg"
  "ffprobe:ffmpeg"
  "bwrap:bubblewrap"
  "pdftoppm:poppler-utils"
)
case "$mode" in
  # Java and Maven fetch and run S3Proxy and OpenSearch (preinstalled on the project's machines).
  test) wanted+=("chromium:chromium" "nginx:nginx" "redis-server:redis-server" "curl:curl"
    "java:default-jre-headless" "mvn:maven") ;;
  ci) wanted+=("chromium:chromium" "pg_ctlcluster:postgresql" "initdb@/usr/lib/postgresql:postgresql"
    "nginx:nginx" "redis-server:redis-server" "curl:curl" "java:default-jre-headless" "mvn:maven") ;;
  stack) wanted+=("nginx:nginx" "redis-server:redis-server" "pg_ctlcluster:postgresql"
    "initdb@/usr/lib/postgresql:postgresql" "curl:curl" "wrk:wrk") ;;
  run) ;;
  *) echo "usage: $0 run|test|ci|stack" >&2; exit 2 ;;
esac

missing=()
for pair in "${wanted[@]}"; do
  cmd=${pair%%:*}
  pkg=${pair##*:}
  case "$cmd" in
    *@*) # a program under a folder, not on PATH (PostgreSQL's server binaries)
      ls "${cmd##*@}"/*/bin/"${cmd%%@*}" >/dev/null 2>&1 || missing+=("$pkg") ;;
    *) command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
# `python3 -m venv` needs ensurepip, which Debian ships in python3-venv (or python3.X-venv).
if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  missing+=("python${version}-venv")
fi

[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo -n apt-get)
else
  echo "Missing system packages; run this once, then try again: sudo apt-get install -y ${packages[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -qq
"${apt[@]}" install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "Installed: ${packages[*]}"
