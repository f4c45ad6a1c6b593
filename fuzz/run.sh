#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) and prints the executions
# each reached. Not part of CI (.ci/run); run it by hand: bash fuzz/run.sh
#
#   FUZZ_SECONDS=720          time cap per target
#   FUZZ_RUNS=10000000        also stop a target after this many executions
#   FUZZ_TARGETS="a b"        only these targets (default: all of `cargo fuzz list`:
#                             token_decode, rule_parse, path_match,
#                             payload_differential, cookies_and_query)
#
# Each target reads fuzz/corpus/<target>/ (libFuzzer's findings, not committed)
# and the committed seeds in fuzz/seeds/<target>/ when there are some.
#
# cargo-fuzz needs a nightly compiler's -Z flags (sanitizers). This machine has one
# stable toolchain and cannot download another, so when rustc is not a nightly the
# script sets RUSTC_BOOTSTRAP=1, which lets the stable compiler accept those flags.
# On a machine with a nightly toolchain, it is used as is.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${FUZZ_SECONDS:-60}"
runs="${FUZZ_RUNS:--1}"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
if ! rustc --version | grep -q nightly; then
    export RUSTC_BOOTSTRAP=1
fi

mkdir -p logs
cargo fuzz build -O
for target in ${FUZZ_TARGETS:-$(cargo fuzz list)}; do
    echo "== $target ($seconds s, runs $runs)"
    mkdir -p "corpus/$target"
    corpora=("corpus/$target")
    if [ -d "seeds/$target" ]; then corpora+=("seeds/$target"); fi
    if cargo fuzz run -O "$target" "${corpora[@]}" -- -max_total_time="$seconds" -runs="$runs" \
        -jobs=1 -workers=1 -rss_limit_mb=2048 >"logs/$target.log" 2>&1; then
        grep -E "^Done [0-9]+ runs" "logs/$target.log" || tail -n 3 "logs/$target.log"
    else
        echo "CRASH in $target: see fuzz/logs/$target.log and fuzz/artifacts/$target/"
        tail -n 30 "logs/$target.log"
        exit 1
    fi
done
