#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for hookhub's tests on 127.0.0.1:${HOOKHUB_TEST_PG_PORT:-15432} and prints the
# JDBC URL to export as HOOKHUB_TEST_PG_URL. Installs Debian's postgresql package when no server is present.
# Usage: eval "$(.ci/postgres.sh start)"   ...   .ci/postgres.sh stop
set -euo pipefail
port="${HOOKHUB_TEST_PG_PORT:-15432}"
dir="${HOOKHUB_TEST_PG_DIR:-/tmp/hookhub-pg-$port}"

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    echo "installing postgresql (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
    d=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$d"
}

# PostgreSQL refuses to run as root: run it as an unprivileged user.
as_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-start}" in
  start)
    bin=$(bindir)
    if ! as_user "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      rm -rf "$dir" && mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && { id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres; chown postgres "$dir"; }
      as_user "$bin/initdb" -D "$dir" -U hookhub --auth=trust -E UTF8 >/dev/null
      as_user "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" start >/dev/null
      as_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U hookhub hookhub_test
    fi
    echo "export HOOKHUB_TEST_PG_URL=jdbc:postgresql://127.0.0.1:$port/hookhub_test"
    echo "export HOOKHUB_TEST_PG_USER=hookhub"
    ;;
  stop)
    bin=$(bindir)
    as_user "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
