#!/usr/bin/env bash
# Folio's CLI against curl (+ jq), side by side in one run, as whole processes.
#
#   bash Benchmarks/cli-vs-curl.sh            # ≈100k invoices, 15 runs each
#   RUNS=5 ORDERS=20000 bash Benchmarks/cli-vs-curl.sh
#
# Needs curl, jq and GNU time (Debian: curl jq time). Seeds its database once
# (in $DB) and reuses it. Prints medians in milliseconds and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in curl jq /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install -y curl jq time)" >&2; exit 1; }
done
RUNS=${RUNS:-15}
ORDERS=${ORDERS:-110000}
DB=${DB:-/tmp/folio-cli-bench-$ORDERS.sqlite}

# Built as it would ship: the Swift runtime linked in, which halves start-up.
swift build -c release --product folio --static-swift-stdlib --scratch-path .build-static >/dev/null
BIN=$PWD/.build-static/release/folio
LOG=$(mktemp)
"$BIN" serve --port 0 --db "$DB" --seed "$ORDERS" --token bench >"$LOG" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 3000); do grep -q listening "$LOG" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$LOG")
[ -n "$URL" ] || { echo "the server did not start" >&2; exit 1; }
export FOLIO_BASE_URL=$URL FOLIO_TOKEN=bench XDG_CONFIG_HOME=/nonexistent
AUTH="Authorization: Bearer bench"
TOTAL=$(curl -s -H "$AUTH" "$URL/api2/invoice?limit=1&include_pagination=1" | jq .total)

# run_ms CMD: one run's wall time in ms.
run_ms() {
    local start end
    start=$(date +%s%N)
    bash -c "$1" >/dev/null
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# peak_kb CMD: the command's maximum resident set size in KiB.
peak_kb() { /usr/bin/time -f %M bash -c "$1 >/dev/null" 2>&1 >/dev/null | tail -1; }

export_curl='page=1; while :; do
    body=$(curl -s -H "'"$AUTH"'" "'"$URL"'/api2/invoice?limit=200&page=$page&include_pagination=1")
    echo "$body" | jq -c ".invoices[]"
    [ "$(echo "$body" | jq .has_next)" = true ] || break; page=$((page+1)); done'

echo "server: $URL, $TOTAL invoices; $RUNS runs each, medians"
echo
echo "| task | folio | curl + jq | ratio (curl/folio) |"
echo "|---|---:|---:|---:|"
# row LABEL A B: runs A and B alternately $RUNS times each (so that a noisy
# moment hits both), prints their medians and the ratio.
row() {
    local a=() b=()
    for _ in $(seq 1 "$RUNS"); do a+=("$(run_ms "$2")"); b+=("$(run_ms "$3")"); done
    local ma mb
    ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
    echo "| $1 | ${ma} ms | ${mb} ms | $(awk "BEGIN {printf \"%.2f\", $mb / ($ma > 0 ? $ma : 1)}")× |"
}
row "show invoice 456 as JSON (by id)" "$BIN invoices show --id 456 --json" \
    "curl -s -H '$AUTH' $URL/api/admin/invoices/456 | jq ."
row "show invoice 100000045 as JSON (by number: lookup + detail)" "$BIN invoices show 100000045 --json" \
    "id=\$(curl -s -H '$AUTH' '$URL/api2/invoice?increment_id=100000045' | jq .invoice.entity_id); curl -s -H '$AUTH' $URL/api/admin/invoices/\$id | jq ."
RUNS=$(( RUNS < 3 ? RUNS : 3 ))
row "export all $TOTAL invoices as JSON lines" "$BIN invoices export --format jsonl" "$export_curl"
echo
echo "peak memory, export: folio $(peak_kb "$BIN invoices export --format jsonl") KiB"
echo "peak memory, export of open invoices only: folio $(peak_kb "$BIN invoices export --format jsonl --state open") KiB"
