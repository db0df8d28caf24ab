#!/usr/bin/env bash
# The long fuzz run: libFuzzer drives Fuzz/FuzzTargets — the client's readers
# of store answers and the CLI's output encoders, each input checked against
# a property (exact amounts, sane paging, no secret in an error, a marker only
# at the start, a journal read as written, no control character on a
# terminal, JSON and CSV that read back) — and prints the figures that
# RELIABILITY.md records, with the command that made them.
#
#   bash scripts/fuzz.sh [RUNS] [SECONDS] [each]   # default 1000000 runs, 3600 s
#
# One run over every target (the first byte of an input picks one), or with
# `each` one run per target of RUNS inputs, each at most SECONDS. The run
# works on a copy of Fuzz/corpus: the committed corpus never grows. Inputs
# that break a property (crash-*) or take over 5 s (timeout-*) are kept in
# .build-fuzz/artifacts/TIME/TARGET/; replay one with `swift run folio-fuzz FILE`
# (the plain build replays files; add a fixed one to Fuzz/corpus).
# `swift test --filter FuzzPropertyTests` runs the corpus and 20,000 inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-1000000} seconds=${2:-3600} mode=${3:-all}
targets=(invoicePage invoiceLookup adminInvoice order createAnswer emailAnswer refusal money
         operationReference journal visibleText jsonText csv)

# The flags, and why each is needed with this toolchain (Swift 6.3, Linux):
# - -sanitize=fuzzer: coverage instrumentation of every Swift module, and
#   libFuzzer linked in (from /opt/swift/usr/lib/clang/*/lib/linux).
# - -DFUZZING: folio-fuzz then defines folio_fuzz_main, which hands the command
#   line to LLVMFuzzerRunDriver; without it, it is a corpus replayer.
# - -parse-as-library: the fuzz build's file has no @main and must not be
#   read as top-level code.
# - lld: SwiftPM links an executable with `--defsym main=folio_fuzz_main`,
#   while -sanitize=fuzzer links libFuzzer whole, its own `main` included;
#   gold fails on the two (with an internal error while reporting them),
#   lld lets the --defsym win.
# A separate scratch folder (.build-fuzz): the flags apply to every module.
flags=(-Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library
       -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! swift build -c release --scratch-path .build-fuzz --product folio-fuzz "${flags[@]}" >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    exit 1
fi
fuzz=.build-fuzz/release/folio-fuzz
artifacts=.build-fuzz/artifacts/$(date -u +%Y%m%dT%H%M%S)

# SWIFT_BACKTRACE=enable=no: after a trap the runtime's backtracer can take
# 10 s or hang here, which libFuzzer would report as a timeout.
run() {   # run NAME [TARGET INDEX]
    local name=$1 target=${2:-} index=${3:-} corpus="$work/$1" log="$work/$1.log"
    mkdir -p "$corpus" "$artifacts/$name"
    for file in Fuzz/corpus/*; do
        local first
        first=$(od -An -tu1 -N1 "$file" | tr -d ' ')
        if [[ -z $target ]] || (( first % ${#targets[@]} == index )); then cp "$file" "$corpus/"; fi
    done
    local started=$SECONDS status=0
    env ${target:+FOLIO_FUZZ_TARGET=$target} SWIFT_BACKTRACE=enable=no "$fuzz" -runs="$runs" -max_total_time="$seconds" \
        -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/$name/" "$corpus" \
        >"$log" 2>&1 || status=$?
    local done execs cov ft crashes hangs
    done=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done")
    crashes=$(find "$artifacts/$name" -name 'crash-*' | wc -l)
    hangs=$(find "$artifacts/$name" \( -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
    printf '| %s | %s | %s s | %s | %s | %s | %s | %s |\n' "$name" "${execs:-?}" $((SECONDS - started)) \
        "${cov:-?}" "${ft:-?}" "$(ls "$corpus" | wc -l)" "$crashes" "$hangs"
    if (( status != 0 )); then
        echo "  libFuzzer stopped with status $status:"
        grep -E 'fuzz property broken|ERROR: libFuzzer|Fatal error|Test unit written|FOLIO_FUZZ_TARGET' "$log" \
            | head -5 | sed 's/^/    /' || true
    fi
}

echo "bash scripts/fuzz.sh $runs $seconds $mode  — $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo '| target | inputs | time | coverage (edges) | features | corpus at the end | crashes | hangs |'
echo '| --- | --- | --- | --- | --- | --- | --- | --- |'
if [[ $mode == each ]]; then
    for i in "${!targets[@]}"; do run "${targets[$i]}" "${targets[$i]}" "$i"; done
else
    run all
fi
