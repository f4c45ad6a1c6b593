#!/usr/bin/env bash
# Load benchmark over loopback: phial's quickstart against the same app on axum +
# jsonwebtoken (bench/axum-peer), or the Redis blocklist on and off.
#
#   bash bench/http.sh             # suite "peers": phial vs axum, valid token and no token (401)
#   bash bench/http.sh blocklist   # suite "blocklist": revocation_stores with no store / memory / redis
#                                  #   (SERVERS="redis-cached memory": Redis with the local pub/sub cache)
#   bash bench/http.sh static      # suite "static": a 1 MiB file from examples/web's static folder
#                                  #   vs tower-http's ServeFile in the axum peer
#   bash bench/http.sh h2          # suite "h2": the peers suite over h2c with h2load (Debian's
#                                  #   nghttp2-client): H2_CLIENTS connections (default 16), each with
#                                  #   H2_STREAMS concurrent streams (default 8); p50/p99 from its log
#   bash bench/http.sh rs256       # suite "rs256": examples/asymmetric_keys vs the peer signing and
#                                  #   verifying RS256, both with jwt-ext/tests/keys/rsa2048_*.pem
#
# Each server runs pinned to one core (SERVER_CPU, default 0) and wrk to the other
# (LOAD_CPU, default 1). Servers alternate A/B/A/B for ROUNDS rounds (default 3);
# each round starts the server afresh, warms it up for 2 s, then runs every scenario
# for DURATION seconds (default 10) with CONNECTIONS keep-alive connections
# (default 64). It prints one row per run (requests/s, p50, p99 from wrk --latency,
# errors, the server's peak RSS from /proc/PID/status VmHWM), then the means and the
# ratios. Both servers install the same logger (tracing-subscriber's fmt with an
# EnvFilter) and log nothing per request (RUST_LOG=warn), except the
# `phial-logged` variant (the quickstart with its default log, RUST_LOG=info) and
# the `axum-traced` one (the peer with tower-http's TraceLayer at info), as in
# SERVERS="phial phial-logged axum axum-traced"; their logs go to /dev/null. The
# `axum-nodelay` variant sets TCP_NODELAY on each connection, as phial does (axum
# 0.8 does not by default): SERVERS="phial axum-nodelay axum".
# With TOGETHER=1 (wrk suites only) each round starts every server at once, all
# pinned to the server core, and drives each with its own wrk at the same time
# (all on the load core): the core's time is shared between them, so whatever
# slows the machine during a round slows them alike, and the ratio of their
# requests/s is the inverse ratio of their CPU cost per request. On a shared VM,
# where runs a minute apart differ by 20 %, this is how a few per cent shows:
#   TOGETHER=1 ROUNDS=5 SERVERS="phial-logged phial" bash bench/http.sh
# Everything it starts is stopped on exit.
#
# Needs wrk, curl, jq, taskset (installed from Debian's packages when missing), and
# redis-server for the blocklist suite.
set -euo pipefail
cd "$(dirname "$0")/.."

suite="${1:-peers}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-10}"
connections="${CONNECTIONS:-64}"
server_cpu="${SERVER_CPU:-0}"
load_cpu="${LOAD_CPU:-1}"
together="${TOGETHER:-}"
secret="bench-secret-that-is-at-least-32-bytes-long"

case "$suite" in
peers)
    servers="${SERVERS:-phial axum}"
    scenarios="valid missing"
    ;;
blocklist)
    servers="${SERVERS:-redis-cached redis memory none}"
    scenarios="valid"
    ;;
static)
    servers="${SERVERS:-phial axum}"
    scenarios="file"
    ;;
rs256 | h2)
    servers="${SERVERS:-phial axum}"
    scenarios="valid missing"
    ;;
*)
    echo "usage: bench/http.sh [peers|blocklist|static|rs256|h2]" >&2
    exit 2
    ;;
esac

if [ -n "$together" ] && [ "$suite" = h2 ]; then
    echo "TOGETHER=1 drives the servers with wrk (HTTP/1.1); the h2 suite uses h2load" >&2
    exit 2
fi

# shellcheck source=bench/common.sh
source bench/common.sh
need_tools wrk curl jq taskset
if [ "$suite" = h2 ] && ! command -v h2load >/dev/null; then install nghttp2-client; fi
if [ "$suite" = blocklist ] && ! command -v redis-server >/dev/null; then install redis-server; fi

echo "== building (release)" >&2
cargo build --release --quiet --example quickstart --example revocation_stores --example web --example asymmetric_keys
rsa_private="$PWD/jwt-ext/tests/keys/rsa2048_private.pem"
rsa_public="$PWD/jwt-ext/tests/keys/rsa2048_public.pem"
cargo build --release --quiet --manifest-path bench/axum-peer/Cargo.toml

# The static suite's file: 1 MiB of random bytes, made afresh.
static_dir=$(mktemp -d)
head -c 1048576 /dev/urandom >"$static_dir/big.bin"
static_file="$static_dir/big.bin"

# Every process started here, stopped on exit.
started=()
cleanup() {
    for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$static_dir"
}
trap cleanup EXIT INT TERM

redis_url=""
if [ "$suite" = blocklist ]; then
    redis_port=$(free_port)
    # On the server's core: the server pays for its Redis round trips.
    taskset -c "$server_cpu" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
        >/dev/null 2>&1 &
    started+=($!)
    wait_for_port "$redis_port"
    redis_url="redis://127.0.0.1:$redis_port/0"
fi

# Starts server $1 on port $2, pinned to the server core; sets $server_pid.
start_server() {
    local name=$1 port=$2
    local -a command
    case "$name" in
    phial)
        if [ "$suite" = static ]; then
            command=(env RUST_LOG=warn STATIC_FOLDER="$static_dir" ./target/release/examples/web)
        elif [ "$suite" = rs256 ]; then
            command=(env RUST_LOG=warn JWT_ALGORITHM=RS256 JWT_PRIVATE_KEY_FILE="$rsa_private"
                JWT_PUBLIC_KEY_FILE="$rsa_public" ./target/release/examples/asymmetric_keys)
        else
            command=(env RUST_LOG=warn ./target/release/examples/quickstart)
        fi
        ;;
    phial-logged) command=(env RUST_LOG=info ./target/release/examples/quickstart) ;;
    axum-traced) command=(env RUST_LOG=info TRACE=1 ./bench/axum-peer/target/release/axum-peer) ;;
    axum-nodelay) command=(env RUST_LOG=warn NODELAY=1 ./bench/axum-peer/target/release/axum-peer) ;;
    axum)
        if [ "$suite" = rs256 ]; then
            command=(env RUST_LOG=warn JWT_PRIVATE_KEY_FILE="$rsa_private" JWT_PUBLIC_KEY_FILE="$rsa_public"
                ./bench/axum-peer/target/release/axum-peer)
        else
            command=(env RUST_LOG=warn STATIC_FILE="$static_file" ./bench/axum-peer/target/release/axum-peer)
        fi
        ;;
    none | memory | redis)
        command=(env RUST_LOG=warn BLOCKLIST="$name" REDIS_URL="$redis_url" ./target/release/examples/revocation_stores)
        ;;
    redis-cached)
        command=(env RUST_LOG=warn BLOCKLIST=redis REDIS_CACHE=1 REDIS_URL="$redis_url"
            ./target/release/examples/revocation_stores)
        ;;
    *)
        echo "unknown server $name" >&2
        exit 2
        ;;
    esac
    JWT_SECRET_KEY="$secret" PORT="$port" taskset -c "$server_cpu" "${command[@]}" >/dev/null 2>&1 &
    server_pid=$!
    started+=("$server_pid")
    wait_for_port "$port"
}

stop_server() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
}

# An access token from POST /login (none for the static suite).
login() {
    [ "$suite" = static ] && return 0
    curl -sf -X POST "http://127.0.0.1:$1/login" -H 'Content-Type: application/json' \
        -d '{"username": "test", "password": "test"}' | jq -er .access_token
}

# Checks that scenario $2 answers what it should before measuring it.
check() {
    local port=$1 scenario=$2 token=$3 status
    case "$scenario" in
    valid) status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
        "http://127.0.0.1:$port/protected") && [ "$status" = 200 ] ;;
    missing) status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/protected") &&
        [ "$status" = 401 ] ;;
    file) status=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$port/static/big.bin") &&
        [ "$status" = "200 1048576" ] ;;
    esac || {
        echo "scenario $scenario answered $status" >&2
        exit 1
    }
}

# wrk on the load core for $3 seconds; prints wrk's report.
load() {
    local port=$1 scenario=$2 seconds=$3 token=$4
    local -a header=()
    [ "$scenario" = valid ] && header=(-H "Authorization: Bearer $token")
    local path=/protected
    [ "$scenario" = file ] && path=/static/big.bin
    taskset -c "$load_cpu" wrk -t 1 -c "$connections" -d "${seconds}s" --latency "${header[@]}" \
        "http://127.0.0.1:$port$path"
}

# h2load over h2c on the load core for $3 seconds; prints "requests/s p50 p99
# errors" (latencies in microseconds, from h2load's per-request log).
load_h2() {
    local port=$1 scenario=$2 seconds=$3 token=$4 log report
    local -a header=()
    [ "$scenario" = valid ] && header=(-H "authorization: Bearer $token")
    log=$(mktemp)
    report=$(taskset -c "$load_cpu" h2load -t 1 -c "${H2_CLIENTS:-16}" -m "${H2_STREAMS:-8}" -D "$seconds" \
        --log-file="$log" "${header[@]}" "http://127.0.0.1:$port/protected")
    local rps expected=200 errors
    rps=$(awk '/^finished in/ {gsub(",", ""); print $4}' <<<"$report")
    [ "$scenario" = missing ] && expected=401
    errors=$(awk -v want="$expected" '$2 != want {n++} END {print n + 0}' "$log")
    sort -n -k3 "$log" | awk -v rps="$rps" -v errors="$errors" '{ d[NR] = $3 }
        END { printf "%s %d %d %d\n", rps, d[int(NR * 0.5)], d[int(NR * 0.99)], errors }'
    rm -f "$log"
}

# wrk's latency ("812.00us", "1.20ms", "1.01s") in microseconds.
micros() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) print n; else if (v ~ /ms$/) print n * 1000; else if (v ~ /s$/) print n * 1000000; else print n
    }'
}

ulimit -n 65536 2>/dev/null || true
results=$(mktemp)
started_at=$(date +%s)

echo "suite $suite: servers [$servers], scenarios [$scenarios], $rounds rounds of ${duration}s," \
    "$connections connections, server on CPU $server_cpu, wrk on CPU $load_cpu${together:+, servers at once}"
echo
echo "| round | server | scenario | requests/s | p50 (us) | p99 (us) | errors | peak RSS (kB) |"
echo "|---:|---|---|---:|---:|---:|---:|---:|"
# Prints and records one row from wrk's report in file $3 (server $1, scenario $2,
# server process $4, round $5).
wrk_row() {
    local name=$1 scenario=$2 report=$3 pid=$4 round=$5 rps p50 p99 errors rss
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$report")
    p50=$(micros "$(awk '$1 == "50%" {print $2}' "$report")")
    p99=$(micros "$(awk '$1 == "99%" {print $2}' "$report")")
    # Socket errors always count; non-2xx only where 200 was expected.
    errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$report")
    errors=${errors:-0}
    if [ "$scenario" = valid ]; then
        errors=$((errors + $(awk '/Non-2xx/ {print $5}' "$report" | grep . || echo 0)))
    fi
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
    echo "| $round | $name | $scenario | $rps | $p50 | $p99 | $errors | $rss |"
    echo "$name $scenario $rps $p50 $p99 $errors $rss $round" >>"$results"
}

# One round with every server at once (TOGETHER=1): all on the server core, each
# under its own wrk, all on the load core, at the same time.
together_round() {
    local round=$1 i scenario
    local -a names=() ports=() pids=() tokens=() loads=() reports=()
    for name in $servers; do
        port=$(free_port)
        start_server "$name" "$port"
        names+=("$name") ports+=("$port") pids+=("$server_pid") tokens+=("$(login "$port")")
    done
    for scenario in $scenarios; do
        loads=() reports=()
        for i in "${!names[@]}"; do check "${ports[$i]}" "$scenario" "${tokens[$i]}"; done
        for i in "${!names[@]}"; do
            load "${ports[$i]}" "$scenario" 2 "${tokens[$i]}" >/dev/null &
            loads+=($!)
        done
        wait "${loads[@]}"
        loads=()
        for i in "${!names[@]}"; do
            reports+=("$(mktemp)")
            load "${ports[$i]}" "$scenario" "$duration" "${tokens[$i]}" >"${reports[$i]}" &
            loads+=($!)
        done
        wait "${loads[@]}"
        for i in "${!names[@]}"; do
            wrk_row "${names[$i]}" "$scenario" "${reports[$i]}" "${pids[$i]}" "$round"
            rm -f "${reports[$i]}"
        done
    done
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

for round in $(seq 1 "$rounds"); do
    if [ -n "$together" ]; then
        together_round "$round"
        continue
    fi
    for name in $servers; do
        port=$(free_port)
        start_server "$name" "$port"
        token=$(login "$port")
        for scenario in $scenarios; do
            check "$port" "$scenario" "$token"
            load "$port" "$scenario" 2 "$token" >/dev/null
            if [ "$suite" = h2 ]; then
                read -r rps p50 p99 errors < <(load_h2 "$port" "$scenario" "$duration" "$token")
                rss=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
                echo "| $round | $name | $scenario | $rps | $p50 | $p99 | $errors | $rss |"
                echo "$name $scenario $rps $p50 $p99 $errors $rss $round" >>"$results"
                continue
            fi
            report=$(mktemp)
            load "$port" "$scenario" "$duration" "$token" >"$report"
            wrk_row "$name" "$scenario" "$report" "$server_pid" "$round"
            rm -f "$report"
        done
        stop_server
    done
done

echo
echo "Means over the rounds:"
echo
echo "| server | scenario | requests/s | p50 (us) | p99 (us) | errors | peak RSS (kB, max) |"
echo "|---|---|---:|---:|---:|---:|---:|"
awk '{
    key = $1 " " $2; n[key]++; rps[key] += $3; p50[key] += $4; p99[key] += $5; err[key] += $6
    if ($7 > rss[key]) rss[key] = $7
    if (!(key in seen)) { seen[key] = 1; order[++count] = key }
} END {
    for (i = 1; i <= count; i++) {
        k = order[i]; split(k, part, " ")
        printf "| %s | %s | %.0f | %.0f | %.0f | %d | %d |\n", part[1], part[2], rps[k] / n[k], p50[k] / n[k], p99[k] / n[k], err[k], rss[k]
    }
}' "$results"

# Ratios of the first server to each other one, per scenario.
first=${servers%% *}
echo
# Besides the ratio of the means, each round's own ratio (the two servers ran
# minutes apart at most) and their median, which one disturbed round cannot move.
echo "| ratio | scenario | requests/s | p99 | peak RSS | requests/s, median of the rounds' ratios | rounds ahead |"
echo "|---|---|---:|---:|---:|---:|---:|"
for other in ${servers#"$first"}; do
    for scenario in $scenarios; do
        awk -v a="$first" -v b="$other" -v s="$scenario" '
            $2 == s && $1 == a { ra += $3; pa += $5; na++; if ($7 > ma) ma = $7; by_round_a[$8] = $3 }
            $2 == s && $1 == b { rb += $3; pb += $5; nb++; if ($7 > mb) mb = $7; by_round_b[$8] = $3 }
            END {
                n = 0; ahead = 0
                for (r in by_round_a) if (r in by_round_b) {
                    x = by_round_a[r] / by_round_b[r]; if (x > 1) ahead++
                    # insertion sort: awk has no portable sort
                    for (i = n; i > 0 && ratios[i] > x; i--) ratios[i + 1] = ratios[i]
                    ratios[i + 1] = x; n++
                }
                median = n % 2 ? ratios[(n + 1) / 2] : (ratios[n / 2] + ratios[n / 2 + 1]) / 2
                printf "| %s / %s | %s | %.3fx | %.3fx | %.3fx | %.3fx | %d of %d |\n", a, b, s,
                    (ra / na) / (rb / nb), (pa / na) / (pb / nb), ma / mb, median, ahead, n
            }
        ' "$results"
    done
done
rm -f "$results"
echo
echo "($(($(date +%s) - started_at)) s; $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo))"
