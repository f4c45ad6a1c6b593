#!/usr/bin/env bash
# How long a user waits for `cargo build --release` of an app: phial's quickstart
# (bench/phial-app, a crate of its own depending on phial and phial-jwt) against
# the same app on axum (bench/axum-peer), from a clean target directory and
# after a one-line change to a handler (incremental), ROUNDS times each (default 3),
# medians printed.
#
#   bash bench/compile_times.sh            # ROUNDS=3; about 25 minutes on 2 cores
#   ROUNDS=1 bash bench/compile_times.sh
#
# Clean builds use a fresh CARGO_TARGET_DIR under /tmp (removed afterwards), so
# the crates.io sources must be downloaded already (cargo fetch). The incremental
# change edits the text a handler returns ("Bad username or password") and puts
# it back afterwards. `cargo build --timings` in the same directories shows where
# the time goes.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${ROUNDS:-3}"
work=$(mktemp -d)
restore=()
cleanup() {
    for file in "${restore[@]}"; do [ -f "$file.orig" ] && mv "$file.orig" "$file"; done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# Seconds (one decimal) that the command takes.
timed() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }'
}

median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Flips the handler's message in $1 between two spellings, so each build sees a change.
touch_handler() {
    local file=$1
    [ -f "$file.orig" ] || { cp "$file" "$file.orig"; restore+=("$file"); }
    if grep -q 'Bad username or password' "$file"; then
        sed -i 's/Bad username or password/Bad username or password!/' "$file"
    else
        sed -i 's/Bad username or password!/Bad username or password/' "$file"
    fi
}

echo "| app | clean build (s), median of $rounds | incremental after a handler change (s), median of $rounds |"
echo "|---|---:|---:|"
for app in phial axum; do
    clean=() incremental=()
    for round in $(seq 1 "$rounds"); do
        target="$work/$app-$round"
        case "$app" in
        phial)
            # bench/phial-app: the quickstart (its main.rs links to examples/quickstart.rs)
            # as its own crate, like the peer.
            clean+=("$(timed env CARGO_TARGET_DIR="$target" cargo build --release --manifest-path bench/phial-app/Cargo.toml)")
            touch_handler examples/quickstart.rs
            incremental+=("$(timed env CARGO_TARGET_DIR="$target" cargo build --release --manifest-path bench/phial-app/Cargo.toml)")
            ;;
        axum)
            clean+=("$(timed env CARGO_TARGET_DIR="$target" cargo build --release --manifest-path bench/axum-peer/Cargo.toml)")
            touch_handler bench/axum-peer/src/lib.rs
            incremental+=("$(timed env CARGO_TARGET_DIR="$target" cargo build --release --manifest-path bench/axum-peer/Cargo.toml)")
            ;;
        esac
        rm -rf "$target"
        echo "  round $round: $app clean ${clean[-1]} s, incremental ${incremental[-1]} s" >&2
    done
    echo "| $app | $(echo "${clean[*]}" | median) | $(echo "${incremental[*]}" | median) |"
done
