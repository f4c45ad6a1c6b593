#!/usr/bin/env bash
# Prints the token benches' results as Markdown tables: ns/op (criterion's median and
# mean estimates) and the ratios phial/floor and phial/jsonwebtoken, computed from the
# medians of the last run.
#
#   cargo bench -p phial-jwt --bench tokens && bench/tokens-summary.sh
#
# Reads target/criterion/{encode,decode}/*/new/estimates.json; needs jq (installed
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

# median / mean of one bench, in ns (criterion stores ns).
estimate() {
    local file="$dir/$1/new/estimates.json"
    [ -f "$file" ] || { echo "missing $file: run cargo bench -p phial-jwt --bench tokens" >&2; exit 1; }
    jq -r ".$2.point_estimate" "$file"
}
median() { estimate "$1" median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
ns() { awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }

echo "| bench | median ns/op | mean ns/op |"
echo "|---|---:|---:|"
for bench in encode/phial encode/jsonwebtoken decode/phial_manager decode/phial_raw decode/floor_total \
    decode/floor_hmac decode/floor_base64url decode/floor_claims_json decode/jsonwebtoken; do
    echo "| \`$bench\` | $(ns "$(median "$bench")") | $(ns "$(estimate "$bench" mean)") |"
done

manager=$(median decode/phial_manager)
raw=$(median decode/phial_raw)
floor=$(median decode/floor_total)
parts=$(awk -v a="$(median decode/floor_hmac)" -v b="$(median decode/floor_base64url)" \
    -v c="$(median decode/floor_claims_json)" 'BEGIN { print a + b + c }')
jwt_decode=$(median decode/jsonwebtoken)
echo
echo "| ratio (medians) | value | target |"
echo "|---|---:|---|"
echo "| decode \`phial_manager\` / \`floor_total\` | $(ratio "$manager" "$floor") | <= 1.5x |"
echo "| decode \`phial_raw\` / \`floor_total\` | $(ratio "$raw" "$floor") | <= 1.5x |"
echo "| decode \`phial_manager\` / sum of the floor's parts | $(ratio "$manager" "$parts") | (context) |"
echo "| decode \`phial_manager\` / \`jsonwebtoken\` | $(ratio "$manager" "$jwt_decode") | < 1.0x |"
echo "| decode \`phial_raw\` / \`jsonwebtoken\` | $(ratio "$raw" "$jwt_decode") | < 1.0x |"
echo "| encode \`phial\` / \`jsonwebtoken\` | $(ratio "$(median encode/phial)" "$(median encode/jsonwebtoken)") | (context) |"
