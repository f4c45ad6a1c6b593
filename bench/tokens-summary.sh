#!/usr/bin/env bash
# Prints the token benches' results as Markdown tables: ns/op (criterion's median and
# mean estimates, and the fastest of its samples) and the ratios phial/floor and
# phial/jsonwebtoken, computed from the medians and from the fastest samples of the
# last run. On a shared VM the fastest sample is the least disturbed one: a
# neighbour can only make a sample slower, never faster.
#
#   cargo bench -p phial-jwt --bench tokens && bench/tokens-summary.sh
#
# Reads target/criterion/{encode,decode}/*/new/{estimates,sample}.json; needs jq (installed
# with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${CRITERION_DIR:-target/criterion}

if ! command -v jq >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq jq >/dev/null
    else
        echo "jq is needed (apt-get install jq)" >&2
        exit 1
    fi
fi

benches="encode/phial encode/jsonwebtoken decode/phial_manager decode/phial_raw decode/floor_total
    decode/floor_hmac decode/floor_base64url decode/floor_claims_json decode/jsonwebtoken"
for bench in $benches; do
    for file in estimates sample; do
        [ -f "$dir/$bench/new/$file.json" ] || {
            echo "missing $dir/$bench/new/$file.json: run cargo bench -p phial-jwt --bench tokens" >&2
            exit 1
        }
    done
done

# median / mean of one bench, in ns (criterion stores ns).
estimate() {
    jq -r ".$2.point_estimate" "$dir/$1/new/estimates.json"
}
median() { estimate "$1" median; }
# The fastest sample of one bench, in ns per iteration.
fastest() {
    jq -r '[.iters, .times] | transpose | map(.[1] / .[0]) | min' "$dir/$1/new/sample.json"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
ns() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }

echo "| bench | median ns/op | mean ns/op | fastest sample ns/op |"
echo "|---|---:|---:|---:|"
for bench in $benches; do
    echo "| \`$bench\` | $(ns "$(median "$bench")") | $(ns "$(estimate "$bench" mean)") | $(ns "$(fastest "$bench")") |"
done

manager=$(median decode/phial_manager)
parts=$(awk -v a="$(median decode/floor_hmac)" -v b="$(median decode/floor_base64url)" \
    -v c="$(median decode/floor_claims_json)" 'BEGIN { print a + b + c }')
fast_parts=$(awk -v a="$(fastest decode/floor_hmac)" -v b="$(fastest decode/floor_base64url)" \
    -v c="$(fastest decode/floor_claims_json)" 'BEGIN { print a + b + c }')
both() { echo "$(ratio "$(median "$1")" "$(median "$2")") | $(ratio "$(fastest "$1")" "$(fastest "$2")")"; }
echo
echo "| ratio | medians | fastest samples | target |"
echo "|---|---:|---:|---|"
echo "| decode \`phial_manager\` / \`floor_total\` | $(both decode/phial_manager decode/floor_total) | <= 1.5x |"
echo "| decode \`phial_raw\` / \`floor_total\` | $(both decode/phial_raw decode/floor_total) | (context) |"
echo "| decode \`phial_manager\` / sum of the floor's parts | $(ratio "$manager" "$parts") | $(ratio "$(fastest decode/phial_manager)" "$fast_parts") | (context) |"
echo "| decode \`phial_manager\` / \`jsonwebtoken\` | $(both decode/phial_manager decode/jsonwebtoken) | < 1.0x |"
echo "| decode \`phial_raw\` / \`jsonwebtoken\` | $(both decode/phial_raw decode/jsonwebtoken) | (context) |"
echo "| encode \`phial\` / \`jsonwebtoken\` | $(both encode/phial encode/jsonwebtoken) | (context) |"
