#!/usr/bin/env bash
# The long chaos run: thousands of creates through the fault proxy (the core
# client with six clerks, and the CLI), a second clerk on the same orders, every
# outcome judged against the store's own tables. Prints the tables that
# RELIABILITY.md records, with the command that made them.
#
#   bash scripts/chaos.sh [CORE_CREATES] [CLI_CREATES]     # default 3000 and 400
#
# `swift test` runs the same tests short (320 and 48).
set -euo pipefail
cd "$(dirname "$0")/.."

core=${1:-3000} cli=${2:-400}
report=$(mktemp)
trap 'rm -f "$report"' EXIT
swift build --build-tests >/dev/null
started=$(date +%s)
FOLIO_CHAOS_CREATES=$core FOLIO_CHAOS_CLI_CREATES=$cli FOLIO_CHAOS_REPORT=$report \
    swift test --skip-build --filter 'ChaosTests' 2>&1 | grep -E '✔|✘|passed|failed' | grep -v 'started' || true
echo
echo "bash scripts/chaos.sh $core $cli  — $(date -u +%Y-%m-%d), $(nproc) cores, $(( $(date +%s) - started )) s"
cat "$report"
