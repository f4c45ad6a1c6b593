#!/usr/bin/env bash
# Memory per idle keep-alive connection: phial's quickstart against the axum peer.
#
#   bash bench/idle_connections.sh          # CONNECTIONS=10000, HTTP/1.1 then h2c
#
# For each protocol and server: start the server (RUST_LOG=warn), warm it up with
# one request, read its resident memory (VmRSS), open CONNECTIONS keep-alive
# connections that each make one GET /protected with a valid token and then sit
# idle (bench/idle_connections.py, Python asyncio; h2 needs the `h2` package), read
# VmRSS again, and report (after - before) / connections. The file limit is raised
# for this script's processes only. Phial's idle timeouts (HEADER_READ_TIMEOUT 30 s
# for HTTP/1.1 keep-alive, HTTP2_IDLE_TIMEOUT 60 s) are longer than the run, and
# its MAX_CONNECTIONS (10 000) admits the default count.
#
# Needs curl, jq, python3 (and `pip install h2` for the h2c rows).
set -euo pipefail
cd "$(dirname "$0")/.."
connections="${CONNECTIONS:-10000}"
secret="bench-secret-that-is-at-least-32-bytes-long"
python="${PYTHON:-python3}"

# shellcheck source=bench/common.sh
source bench/common.sh
need_tools curl jq
# Per process: the client holds `connections` sockets, and so does the server.
wanted=$((connections + 1024))
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$wanted" ]; then wanted=$hard; fi
ulimit -n "$wanted"
if [ "$wanted" -lt $((connections + 64)) ]; then
    echo "the file limit ($wanted) is too low for $connections connections; lower CONNECTIONS" >&2
    exit 1
fi

echo "== building (release)" >&2
cargo build --release --quiet --example quickstart
cargo build --release --quiet --manifest-path bench/axum-peer/Cargo.toml
target="${CARGO_TARGET_DIR:-target}"

server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

echo "| protocol | server | connections open | RSS before (kB) | RSS after (kB) | per connection (bytes) |"
echo "|---|---|---:|---:|---:|---:|"
for protocol in http1 h2c; do
    for name in phial axum; do
        case "$name" in
        phial) binary="$target/release/examples/quickstart" ;;
        axum) binary=./bench/axum-peer/target/release/axum-peer ;;
        esac
        port=$(free_port)
        JWT_SECRET_KEY="$secret" PORT="$port" RUST_LOG=warn "$binary" >/dev/null 2>&1 &
        server_pid=$!
        wait_for_port "$port"
        token=$(curl -sf -X POST "http://127.0.0.1:$port/login" -H 'Content-Type: application/json' \
            -d '{"username": "test", "password": "test"}' | jq -er .access_token)
        curl -sf -o /dev/null -H "Authorization: Bearer $token" "http://127.0.0.1:$port/protected"
        sleep 1
        before=$(rss "$server_pid")
        flag=""
        [ "$protocol" = h2c ] && flag=--h2
        fifo=$(mktemp -u)
        mkfifo "$fifo"
        "$python" bench/idle_connections.py "$port" "$connections" "$token" $flag <"$fifo" >"$fifo.out" &
        client_pid=$!
        exec 3>"$fifo"
        until grep -q ready "$fifo.out" 2>/dev/null; do sleep 0.2; done
        sleep 2
        after=$(rss "$server_pid")
        opened=$(awk '/ready/ {print $2}' "$fifo.out")
        exec 3>&-
        wait "$client_pid" 2>/dev/null || true
        rm -f "$fifo" "$fifo.out"
        echo "| $protocol | $name | $opened | $before | $after | $(((after - before) * 1024 / opened)) |"
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    done
done
