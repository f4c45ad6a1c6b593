#!/usr/bin/env bash
# Chaos under load: examples/revocation_stores.rs with BLOCKLIST=redis under wrk,
# while Redis is stopped and restarted twice. Loopback only; bounded (about a
# minute); not part of CI.
#
#   bash bench/chaos.sh          # DURATION=40 seconds of load
#
# Reports requests served, the answers that were not 200 (503s while Redis is
# down: FailMode::Closed), how long protected requests took to succeed again after
# each restart, and how many times a revoked token was accepted (must be 0). Redis
# runs with an append-only file (fsync always), so a revocation survives its
# restart, as a production Redis holding revocations should.
#
# Needs wrk, curl, jq, redis-server (installed from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-40}"
secret="chaos-secret-that-is-at-least-32-bytes-long"

# shellcheck source=bench/common.sh
source bench/common.sh
need_tools wrk curl jq
command -v redis-server >/dev/null || install redis-server

echo "== building (release)" >&2
cargo build --release --quiet --example revocation_stores

work=$(mktemp -d)
started=()
cleanup() {
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

redis_port=$(free_port)
redis_pid=""
start_redis() {
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work" --appendonly yes --appendfsync always \
        --save "" >/dev/null 2>&1 &
    redis_pid=$!
    started+=("$redis_pid")
    wait_for_port "$redis_port"
}
stop_redis() {
    kill "$redis_pid"
    wait "$redis_pid" 2>/dev/null || true
}

start_redis
port=$(free_port)
RUST_LOG=error BLOCKLIST=redis REDIS_URL="redis://127.0.0.1:$redis_port/0" JWT_SECRET_KEY="$secret" PORT="$port" \
    ./target/release/examples/revocation_stores >/dev/null 2>&1 &
started+=($!)
wait_for_port "$port"

login() { curl -sf -X POST "http://127.0.0.1:$port/login" | jq -er .access_token; }
status() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $1" "http://127.0.0.1:$port/protected"; }

valid=$(login)
revoked=$(login)
curl -sf -X DELETE "http://127.0.0.1:$port/logout" -H "Authorization: Bearer $revoked" >/dev/null
[ "$(status "$revoked")" = 401 ] || { echo "the revoked token is not refused before the chaos" >&2; exit 1; }

# The revoked token, tried every 20 ms for the whole run: every 200 is a failure.
(
    accepted=0 tries=0
    end=$(($(date +%s) + duration))
    while [ "$(date +%s)" -lt "$end" ]; do
        [ "$(status "$revoked")" = 200 ] && accepted=$((accepted + 1))
        tries=$((tries + 1))
        sleep 0.02
    done
    echo "$tries $accepted" >"$work/revoked"
) &
started+=($!)
prober=$!

wrk -t 1 -c 32 -d "${duration}s" -H "Authorization: Bearer $valid" "http://127.0.0.1:$port/protected" >"$work/wrk" &
started+=($!)
loader=$!

# Twice: 8 s of load, Redis down for 4 s, then the time until a request succeeds.
recoveries=()
for round in 1 2; do
    sleep 8
    stop_redis
    echo "round $round: Redis stopped; protected answers $(status "$valid") while it is down" >&2
    sleep 4
    start_redis
    began=$(date +%s%N)
    until [ "$(status "$valid")" = 200 ]; do sleep 0.01; done
    recoveries+=("$(((($(date +%s%N) - began)) / 1000000))")
    echo "round $round: Redis back; requests succeed again after ${recoveries[-1]} ms" >&2
done

wait "$loader" || true
wait "$prober" || true
read -r tries accepted <"$work/revoked"
requests=$(awk '/requests in/ {print $1}' "$work/wrk")
not_ok=$(awk '/Non-2xx/ {print $5}' "$work/wrk")
socket_errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/wrk")

echo
echo "| requests served | not 200 (Redis down) | socket errors | recovery after restart 1 (ms) | recovery after restart 2 (ms) | revoked token accepted |"
echo "|---:|---:|---:|---:|---:|---:|"
echo "| ${requests:-0} | ${not_ok:-0} | ${socket_errors:-0} | ${recoveries[0]} | ${recoveries[1]} | $accepted of $tries |"
[ "$accepted" -eq 0 ]
