#!/usr/bin/env bash
# Start a Redis server on loopback for the replay-store tests (test/as/replay-redis.test.ts).
# Installs redis-server from Debian's packages only when it is not on PATH. Idempotent: a server
# already answering on the port is left alone. Tests read TPROOF_REDIS_URL (default
# redis://127.0.0.1:6390); this script exports nothing. The fault tests
# (test/e2e/replay-durability.test.ts) start, SIGKILL and restart their own redis-server on
# 127.0.0.1:${TPROOF_REDIS_RESTART_PORT:-6391}, and test/e2e/replay-replication.test.ts starts a
# primary + replica (6393, 6394), a stalled server (6395) and a 3+3 Redis Cluster (6401-6406, bus
# ports +10000, created with redis-cli --cluster create): this script only makes sure redis-server
# and redis-cli are installed.
set -euo pipefail

PORT="${TPROOF_REDIS_PORT:-6390}"

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
  echo "redis: already answering on 127.0.0.1:$PORT"
  exit 0
fi

DIR="$(mktemp -d /tmp/tproof-redis.XXXXXX)"
redis-server --bind 127.0.0.1 --port "$PORT" --protected-mode yes --daemonize yes \
  --dir "$DIR" --save '' --appendonly no --logfile "$DIR/redis.log" --pidfile "$DIR/redis.pid"

for _ in $(seq 1 50); do
  if redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null | grep -q PONG; then
    echo "redis: answering on 127.0.0.1:$PORT (pid $(cat "$DIR/redis.pid"), dir $DIR)"
    exit 0
  fi
  sleep 0.2
done

echo "redis: did not answer on 127.0.0.1:$PORT" >&2
cat "$DIR/redis.log" >&2 || true
exit 1
