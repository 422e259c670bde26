#!/usr/bin/env bash
# Run the test suite ($PYTEST, default .venv/bin/pytest) against a throwaway PostgreSQL cluster
# built from the Debian server binaries; the cluster is deleted afterwards.
set -euo pipefail
PYTEST=${PYTEST:-.venv/bin/pytest}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}

if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  if [ -n "${CI:-}" ]; then
    echo "PostgreSQL server binaries not found; CI must install Debian's postgresql" >&2
    exit 1
  fi
  echo "SKIPPED: PostgreSQL run of the suite: no server binaries (apt-get install postgresql)"
  exit 0
fi

dir=$(mktemp -d /tmp/zimao-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the cluster belongs to the postgres system user.
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
  "${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$PGBIN/initdb" -D "$dir/data" -U zimao --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

DATABASE_URL="postgres://zimao@127.0.0.1:$port/zimao" "$PYTEST" "$@"
