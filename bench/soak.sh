#!/usr/bin/env bash
# Soak test: holds SOAK_CONNECTIONS keep-alive connections (default 200) against the
# quickstart's GET /protected for SOAK_SECONDS (default 60), on loopback only, and
# reports errors (expected: zero) and the server's RSS at start and end.
#
#   bash bench/soak.sh
#
# Needs wrk (installed from Debian's packages when missing) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

connections="${SOAK_CONNECTIONS:-200}"
seconds="${SOAK_SECONDS:-60}"
port="${SOAK_PORT:-5077}"

if ! command -v wrk >/dev/null; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq wrk
fi

cargo build --release --quiet --example quickstart
JWT_SECRET_KEY="soak-test-secret-that-is-long-enough-32b" PORT="$port" RUST_LOG=off \
    ./target/release/examples/quickstart >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
done
token=$(curl -s -X POST "http://127.0.0.1:$port/login" -H 'Content-Type: application/json' \
    -d '{"username": "test", "password": "test"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$server/status"; }
echo "server pid $server, RSS at start: $(rss)"
# ulimit: wrk and the server each hold `connections` sockets.
ulimit -n 65536 2>/dev/null || true
wrk -t 1 -c "$connections" -d "${seconds}s" --latency \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$port/protected" | tee /tmp/phial-soak.txt
echo "RSS at end: $(rss)"
echo "peak RSS: $(awk '/VmHWM/ {print $2 " kB"}' "/proc/$server/status")"
if grep -qE "Non-2xx|Socket errors" /tmp/phial-soak.txt; then
    echo "ERRORS during the soak (see above)"
    exit 1
fi
echo "no errors"
