#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL and Redis on free local ports:
#
#   bash scripts/with-services.sh npm test
#   bash scripts/with-services.sh npx vitest run packages/server/test/postgres-concurrency.test.ts
#
# The command sees THREADLINE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres
# and THREADLINE_TEST_REDIS_URL=redis://127.0.0.1:PORT. Both servers keep their data
# in /tmp, trust local connections, skip fsync (nothing here must survive), and
# are stopped and deleted when the command ends, however it ends. The command's
# exit status is this script's. Debian packages are installed only when missing
# (TOOLCHAIN.md: PostgreSQL 15 and redis-server 7.0 are what the tests know).
set -euo pipefail

log() { echo "[with-services] $*" >&2; }

if [ $# -eq 0 ]; then
  echo "usage: bash scripts/with-services.sh COMMAND [ARGS...]" >&2
  exit 64
fi

find_pg_bin() {
  local dir
  # The newest installed major version (Debian 12 ships 15).
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

missing=()
find_pg_bin >/dev/null || missing+=(postgresql)
{ command -v redis-server && command -v redis-cli; } >/dev/null || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing ${missing[*]} and not root: install them (apt-get install ${missing[*]}) and run again"
    exit 69
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages start their default servers where policy-rc.d allows it (Docker images
  # forbid it). Those just installed are ours to stop: the tests use their own below.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | awk '$4 == "online" { print $1, $2 }' | while read -r version cluster; do pg_ctlcluster "$version" "$cluster" stop || true; done
  fi
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then service redis-server stop >/dev/null 2>&1 || true; fi
fi
pg_bin="$(find_pg_bin)"

# initdb and postgres refuse to run as root: run them as the postgres user then.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });"
}

work_dir="$(mktemp -d /tmp/threadline-services.XXXXXX)"
pg_data="$work_dir/pg"
redis_pid_file="$work_dir/redis.pid"
pg_started=0

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ "$pg_started" -eq 1 ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || log "could not stop PostgreSQL (data in $pg_data)"
  fi
  if [ -s "$redis_pid_file" ]; then
    kill "$(cat "$redis_pid_file")" 2>/dev/null || true
    # Redis removes its pid file when it has shut down.
    for _ in $(seq 50); do [ -e "$redis_pid_file" ] || break; sleep 0.1; done
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# PostgreSQL: its own cluster, socket in the data folder, TCP on 127.0.0.1 only.
mkdir -p "$pg_data"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$work_dir"; fi
as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$work_dir/initdb.log" 2>&1 || {
  cat "$work_dir/initdb.log" >&2
  exit 70
}
for attempt in 1 2 3; do
  pg_port="$(free_port)"
  # fsync off and no WAL flushing: a test database that must be fast, not durable.
  if as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -t 60 \
    -o "-k $pg_data -h 127.0.0.1 -p $pg_port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null; then
    pg_started=1
    break
  fi
  log "PostgreSQL did not start on port $pg_port (attempt $attempt)"
  tail -n 20 "$pg_data/server.log" >&2 || true
done
[ "$pg_started" -eq 1 ] || exit 70

# Redis: no persistence at all.
for attempt in 1 2 3; do
  redis_port="$(free_port)"
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save '' --appendonly no \
    --dir "$work_dir" --pidfile "$redis_pid_file" --logfile "$work_dir/redis.log" || true
  for _ in $(seq 50); do
    [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ] && break 2
    sleep 0.1
  done
  log "Redis did not start on port $redis_port (attempt $attempt)"
  tail -n 20 "$work_dir/redis.log" >&2 || true
  if [ -s "$redis_pid_file" ]; then kill "$(cat "$redis_pid_file")" 2>/dev/null || true; fi
  rm -f "$redis_pid_file"
done
[ -s "$redis_pid_file" ] || exit 70

export THREADLINE_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
export THREADLINE_TEST_REDIS_URL="redis://127.0.0.1:$redis_port"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') at $THREADLINE_TEST_DATABASE_URL, Redis at $THREADLINE_TEST_REDIS_URL"

# Not exec: the trap must outlive the command to stop both servers.
set +e
"$@"
