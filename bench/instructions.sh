#!/usr/bin/env bash
# Userspace instructions per request of phial's quickstart and of the axum +
# jsonwebtoken peer, counted by valgrind's callgrind while wrk drives them over
# loopback: GET /protected with a valid token, and without one (401).
#
#   bash bench/instructions.sh            # DURATION=6 seconds of load per server and scenario
#   CORS=1 bash bench/instructions.sh     # what one tower layer costs: each server with and
#                                         # without the same CorsLayer, a front end's Origin sent
#   KEEP=/tmp/profiles bash bench/instructions.sh   # also keep the profiles (callgrind_annotate)
#   BLOCKLIST=1 bash bench/instructions.sh          # a revocation check: MemoryBlocklist against
#                                                   # RedisBlocklist with its local cache
#   H2=1 bash bench/instructions.sh   # over h2c (h2load: 16 connections x 8 streams)
#   LOG=1 bash bench/instructions.sh  # the access log: the quickstart with its default log
#                                     # (RUST_LOG=info) and without (warn), the peer with
#                                     # tower-http's TraceLayer at info and without
#
# Why: requests/s on a shared VM moves by a third between runs of the same binary,
# most of it in the kernel (loopback TCP, wake-ups), which is the same for both
# servers. The instructions the server itself executes per request do not move
# with the neighbours: they show what the framework costs, run after run.
#
# How: each server runs under callgrind, pinned to one core (SERVER_CPU, default
# 0), wrk on the other (LOAD_CPU, default 1). After a 2 s warm-up the counters are
# zeroed (callgrind_control -z), wrk runs for DURATION seconds with 64 keep-alive
# connections, the counters are dumped (callgrind_control -d), and the total is
# divided by the requests wrk completed. Under valgrind the CPU has no SHA
# instructions, so both servers hash in sha2's portable code (the same crate in
# both); natively the hash is a smaller share of a request.
#
# Needs valgrind, wrk, curl, jq, taskset (installed from Debian's packages when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-6}"
server_cpu="${SERVER_CPU:-0}"
load_cpu="${LOAD_CPU:-1}"
secret="bench-secret-that-is-at-least-32-bytes-long"

# shellcheck source=bench/common.sh
source bench/common.sh
need_tools valgrind wrk curl jq taskset

cors="${CORS:-}"
# H2=1: the same scenarios over h2c, driven by h2load instead of wrk.
h2="${H2:-}"
if [ -n "$h2" ] && ! command -v h2load >/dev/null; then install nghttp2-client; fi
logged="${LOG:-}"
# BLOCKLIST=1: what a revocation check costs, examples/revocation_stores with
# MemoryBlocklist against RedisBlocklist with its local pub/sub cache (a
# redis-server on a free loopback port, started here), valid token only.
blocklist="${BLOCKLIST:-}"
if [ -n "$blocklist" ] && ! command -v redis-server >/dev/null; then install redis-server; fi

echo "== building (release)" >&2
cargo build --release --quiet --example quickstart
[ -n "$cors" ] && cargo build --release --quiet --example cors
[ -n "$blocklist" ] && cargo build --release --quiet --example revocation_stores
cargo build --release --quiet --manifest-path bench/axum-peer/Cargo.toml

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    # KEEP=dir keeps callgrind's profiles, for callgrind_annotate.
    if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/*.1 "$KEEP"/ 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# wrk on the load core; prints the number of requests it completed.
load() {
    local port=$1 scenario=$2 seconds=$3 token=$4
    local -a header=()
    [ "$scenario" = valid ] && header=(-H "Authorization: Bearer $token")
    [ -n "$cors" ] && header+=(-H "Origin: http://localhost:3000")
    if [ -n "$h2" ]; then
        # h2load: 16 connections of 8 streams each, over h2c; the requests done.
        taskset -c "$load_cpu" h2load -t 1 -c 16 -m 8 -D "$seconds" "${header[@]}" "http://127.0.0.1:$port/protected" |
            awk '/^requests:/ {print $6}'
        return
    fi
    taskset -c "$load_cpu" wrk -t 1 -c 64 -d "${seconds}s" "${header[@]}" "http://127.0.0.1:$port/protected" |
        awk '/requests in/ {print $1}'
}

# Instructions per request of server $1 in scenario $2.
measure() {
    local name=$1 scenario=$2 binary port token requests total
    local layer="" log=warn trace=""
    # Where cargo put them: CARGO_TARGET_DIR when set (one shared for both builds).
    local target="${CARGO_TARGET_DIR:-./target}" peer_target="${CARGO_TARGET_DIR:-./bench/axum-peer/target}"
    case "$name" in
    phial) binary=$target/release/examples/quickstart ;;
    phial+cors) binary=$target/release/examples/cors ;;
    axum) binary=$peer_target/release/axum-peer ;;
    axum+cors) binary=$peer_target/release/axum-peer layer=1 ;;
    phial-logged) binary=$target/release/examples/quickstart log=info ;;
    axum-traced) binary=$peer_target/release/axum-peer log=info trace=1 ;;
    memory | redis-cached) binary=$target/release/examples/revocation_stores ;;
    esac
    local store=${name%-cached} cache=""
    [ "$name" = redis-cached ] && cache=1
    port=$(free_port)
    BLOCKLIST="$store" REDIS_CACHE="$cache" REDIS_URL="${redis_url:-}" \
        CORS="$layer" TRACE="$trace" JWT_SECRET_KEY="$secret" PORT="$port" RUST_LOG="$log" taskset -c "$server_cpu" \
        valgrind --tool=callgrind --callgrind-out-file="$work/$name.$scenario.%p" "$binary" >/dev/null 2>&1 &
    server_pid=$!
    wait_for_port "$port" 30
    token=$(curl -sf -X POST "http://127.0.0.1:$port/login" -H 'Content-Type: application/json' \
        -d '{"username": "test", "password": "test"}' | jq -er .access_token)
    load "$port" "$scenario" 2 "$token" >/dev/null
    callgrind_control -z "$server_pid" >/dev/null 2>&1
    requests=$(load "$port" "$scenario" "$duration" "$token")
    callgrind_control -d "$server_pid" >/dev/null 2>&1
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    # The dump made on request is part 1; its summary line is the total.
    total=$(awk '/^summary:/ {print $2; exit}' "$work/$name.$scenario".*.1)
    echo "$name $scenario $requests $total" >>"$work/results"
    echo "| $name | $scenario | $requests | $total | $((total / requests)) |"
}

echo "| server | scenario | requests | instructions | per request |"
echo "|---|---|---:|---:|---:|"
if [ -n "$blocklist" ]; then
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no >/dev/null 2>&1 &
    redis_pid=$!
    trap 'kill $redis_pid 2>/dev/null || true; cleanup' EXIT INT TERM
    wait_for_port "$redis_port"
    redis_url="redis://127.0.0.1:$redis_port/0"
    for name in memory redis-cached; do
        measure "$name" valid
    done
    echo
    awk '{ per[$1] = $4 / $3 }
        END { printf "| redis-cached / memory, instructions per request | %.3fx |\n", per["redis-cached"] / per["memory"] }' \
        "$work/results"
    exit 0
fi
if [ -n "$logged" ]; then
    # Each server's log goes to /dev/null (as the servers' output does here).
    for scenario in valid missing; do
        for name in phial phial-logged axum axum-traced; do
            measure "$name" "$scenario"
        done
    done
    echo
    echo "| scenario | phial-logged / phial | phial-logged / axum-traced |"
    echo "|---|---:|---:|"
    awk '{ per[$1 " " $2] = $4 / $3 }
        END { split("valid missing", scenarios, " ")
              for (i = 1; i <= 2; i++) { s = scenarios[i]
                  printf "| %s | %.3fx | %.3fx |\n", s, per["phial-logged " s] / per["phial " s], per["phial-logged " s] / per["axum-traced " s] } }' \
        "$work/results"
    exit 0
fi
if [ -n "$cors" ]; then
    for name in phial phial+cors axum axum+cors; do
        measure "$name" valid
    done
    echo
    echo "| server | instructions the CorsLayer adds per request |"
    echo "|---|---:|"
    awk '{ per[$1] = $4 / $3 }
        END { printf "| phial | %.0f |\n| axum | %.0f |\n", per["phial+cors"] - per["phial"], per["axum+cors"] - per["axum"] }' \
        "$work/results"
    exit 0
fi
for scenario in valid missing; do
    for name in phial axum; do
        measure "$name" "$scenario"
    done
done
echo
echo "| scenario | phial / axum, instructions per request |"
echo "|---|---:|"
awk '{ per[$1 " " $2] = $4 / $3; seen[$2] = 1 }
    END { for (s in seen) printf "| %s | %.3fx |\n", s, per["phial " s] / per["axum " s] }' "$work/results" | sort
