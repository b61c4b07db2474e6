#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster (as the postgres user) and a Redis server on loopback
# ports for the tests, and prints the variables to export. Usage: eval "$(bash .ci/services.sh)"
# Ports: PG_PORT (default 55432), REDIS_PORT (default 56379).
set -euo pipefail
PG_PORT="${PG_PORT:-55432}"
REDIS_PORT="${REDIS_PORT:-56379}"
pg_bin="${TEST_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
pg_dir="$(mktemp -d /tmp/gatherpad-ci-pg.XXXXXX)"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$pg_dir"
  as_postgres=(runuser -u postgres --)
fi
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --no-sync -E UTF8 --locale=C >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
"${as_postgres[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres gatherpad
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$pg_dir/redis.pid" --logfile "$pg_dir/redis.log"
for _ in $(seq 1 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/gatherpad"
echo "export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
echo "export TEST_PG_BIN=$pg_bin"
echo "export TEST_SERVICES_DIR=$pg_dir"
