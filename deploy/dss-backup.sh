#!/bin/sh
# Nightly backups of a production site as BagIt bags (manage.py backup), run by
# deploy/systemd/dss-backup.timer as the dss account with /etc/dss/dss.env loaded.
#
#   deploy/dss-backup.sh          a full bag when the folder has none or on the weekday
#                                 ${DSS_BACKUP_FULL_DAY:-7} (1 = Monday … 7 = Sunday), otherwise
#                                 an incremental bag on top of the newest bag
#   deploy/dss-backup.sh chain    the bags a restore needs, oldest first: the newest full
#                                 bag and every bag after it (restore "$(... chain)")
#   deploy/dss-backup.sh full     a full bag now
#
# Bags go to ${DSS_BACKUP_DIR:-/srv/dss/backups}/<date>-full or <date>-incremental; their
# names sort in the order they were made. Copy the folder to another machine or disk
# (rsync) after each run: a backup on the server's own disk is not a backup.
set -eu
cd "$(dirname "$0")/.."
root=${DSS_BACKUP_DIR:-/srv/dss/backups}
mkdir -p "$root"

newest() { ls -1d "$root"/*-full "$root"/*-incremental 2>/dev/null | sort | tail -n 1; }

chain() {
  full=$(ls -1d "$root"/*-full 2>/dev/null | sort | tail -n 1)
  [ -n "$full" ] || { echo "no full bag in $root" >&2; exit 1; }
  ls -1d "$root"/*-full "$root"/*-incremental 2>/dev/null | sort | awk -v from="$full" '$0 >= from'
}

stamp=$(date +%Y-%m-%dT%H%M%S)
case "${1:-auto}" in
  chain) chain ;;
  full) exec .venv/bin/python manage.py backup "$root/$stamp-full" ;;
  auto)
    previous=$(newest)
    if [ -z "$previous" ] || [ "$(date +%u)" = "${DSS_BACKUP_FULL_DAY:-7}" ]; then
      exec .venv/bin/python manage.py backup "$root/$stamp-full"
    fi
    exec .venv/bin/python manage.py backup "$root/$stamp-incremental" --since "$previous"
    ;;
  *) echo "usage: $0 [auto|full|chain]" >&2; exit 2 ;;
esac
