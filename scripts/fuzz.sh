#!/usr/bin/env bash
# Builds the libFuzzer harnesses of Fuzz/ (with AddressSanitizer and LeakSanitizer) into .build-fuzz and runs each
# on a copy of its seed corpus. Exits non-zero if any harness crashes, leaks, hangs, runs out of memory or fails a
# property; the input that did it is saved in Fuzz/findings/<harness>/. See Fuzz/README.md.
#
#   scripts/fuzz.sh [seconds-per-harness] [harness…]     30 s each by default; every harness by default
#   scripts/fuzz.sh --runs N [harness…]                   N executions each instead of a time
# Options:
#   --debug           build without optimization (-c debug; about 3-4 times slower: the default is -c release,
#                     which keeps every precondition, bounds and overflow check; Sources/ has no assert())
#   --no-build        use the harnesses already built in .build-fuzz
#   --grow-corpus     merge the inputs that found new coverage back into Fuzz/corpus/<harness> (off by default)
#   --ledger          a long run that adds up: every harness at low priority (nice 19), the corpus grown, and a row
#                     per harness appended to Fuzz/ledger.tsv, whose totals Fuzz/README.md shows (scripts/fuzz-ledger.py);
#                     e.g. scripts/fuzz.sh --ledger 3600 FuzzTranscript
#   --work-dir DIR    where the corpus copies and logs go (default: a new folder under ${TMPDIR:-/tmp})
# Anything after `--` is passed to every harness (libFuzzer options, e.g. -- -max_len=4096 -jobs=2).
set -euo pipefail
cd "$(dirname "$0")/.."

all=(FuzzSummaFile FuzzThresholdFile FuzzCSV FuzzRecordsFile FuzzFrames FuzzCoordinator FuzzParty FuzzTranscript FuzzProvenance FuzzJoin FuzzKeyGeneration)
seconds=30
runs=""
build=1
configuration=release
grow=0
ledger=0
work=""
harnesses=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --debug) configuration=debug; shift ;;
        --no-build) build=0; shift ;;
        --grow-corpus) grow=1; shift ;;
        --ledger) ledger=1; grow=1; shift ;;
        --work-dir) work="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        [0-9]*) seconds="$1"; shift ;;
        Fuzz*) harnesses+=("$1"); shift ;;
        *) echo "fuzz.sh: unknown argument $1 (harnesses: ${all[*]})" >&2; exit 2 ;;
    esac
done
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")
for harness in "${harnesses[@]}"; do
    [ -d "Fuzz/$harness" ] || { echo "fuzz.sh: no harness $harness (harnesses: ${all[*]})" >&2; exit 2; }
done

export SUMMA_FUZZ=1
scratch=.build-fuzz
flags=(-c "$configuration" --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address)
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/summa-fuzz.XXXXXX")
mkdir -p "$work"
if [ "$build" = 1 ]; then
    started=$(date +%s)
    for harness in "${harnesses[@]}"; do
        echo "building $harness" >&2
        if ! swift build "${flags[@]}" --product "$harness" > "$work/build-$harness.log" 2>&1; then
            grep -v "Cannot export local symbol" "$work/build-$harness.log" | tail -30 >&2
            echo "fuzz.sh: the build of $harness failed (log: $work/build-$harness.log)" >&2
            exit 2
        fi
    done
    echo "built in $(($(date +%s) - started)) s" >&2
fi
bin=$(swift build "${flags[@]}" --show-bin-path)

# Swift's own crash backtracer would get in the way of the sanitizers' reports.
export SWIFT_BACKTRACE=enable=no
# Swift seeds Hasher at random per process, so Dictionary and Set probe sequences and iteration orders, and with them
# libFuzzer's coverage features, changed from run to run: the same corpus replayed twice gave ft 15118 and 15113
# (FuzzCoordinator), and a long run kept "finding" features that were only another seed. Fixed seeding makes
# coverage a function of the input, which the merge and the ledger's quiet stretch rely on.
export SWIFT_DETERMINISTIC_HASHING=1
# detect_leaks=1: LeakSanitizer checks after every input that allocated more than it freed, and at exit.
# malloc_context_size=10: ASan records the 10 innermost frames of every allocation and free (30 by default) for its
# reports. Unwinding and storing those stacks was a fifth to a quarter of the session harnesses' time, as Swift
# allocates a lot; it finds the same bugs, and a finding replayed without this option shows the whole stacks
# (see Fuzz/README.md). Your own ASAN_OPTIONS come last and win.
export ASAN_OPTIONS="detect_leaks=1:malloc_context_size=10:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:${LSAN_OPTIONS:-}"

if [ -n "$runs" ]; then limit=(-runs="$runs"); else limit=(-max_total_time="$seconds"); fi
printf '%-18s %12s %8s  %s\n' harness executions exec/s result
failures=0
for harness in "${harnesses[@]}"; do
    corpus="$work/corpus/$harness"
    log="$work/$harness.log"
    findings="Fuzz/findings/$harness"
    rm -rf "$corpus"
    mkdir -p "$corpus" "$findings"
    cp Fuzz/corpus/"$harness"/* "$corpus"/
    case "$harness" in
        FuzzSummaFile|FuzzThresholdFile|FuzzRecordsFile) dict=(-dict=Fuzz/dict/files.dict) ;;
        FuzzCSV) dict=() ;;
        *) dict=(-dict=Fuzz/dict/session.dict) ;;
    esac
    status=0
    nice=()
    [ "$ledger" = 1 ] && nice=(nice -n 19)
    "${nice[@]}" "$bin/$harness" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="$findings/" "${extra[@]}" "$corpus" > "$log" 2>&1 || status=$?
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [ "$status" = 0 ]; then result=ok
    elif grep -q "FUZZ HARNESS SETUP FAILED" "$log"; then result="harness setup failed"
    elif grep -q "FUZZ PROPERTY FAILED" "$log"; then result="property failed"
    elif grep -q "ERROR: libFuzzer: timeout" "$log"; then result=timeout
    elif grep -q "ERROR: libFuzzer: out-of-memory\|ERROR: libFuzzer: malloc(" "$log"; then result="out of memory"
    elif grep -q "LeakSanitizer: detected memory leaks" "$log"; then result=leak
    elif grep -q "ERROR: libFuzzer: deadly signal\|ERROR: AddressSanitizer" "$log"; then result=crash
    else result="failed (exit $status)"
    fi
    artifact=$(sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    printf '%-18s %12s %8s  %s%s\n' "$harness" "${executions:--}" "${speed:--}" "$result" "${artifact:+ ($artifact)}"
    if [ "$status" != 0 ]; then
        failures=$((failures + 1))
        {
            grep -m1 "Fatal error\|FUZZ PROPERTY FAILED\|FUZZ HARNESS SETUP FAILED" "$log" || true
            grep -m1 "ERROR: \(libFuzzer\|AddressSanitizer\|LeakSanitizer\)" "$log" || true
            grep -m3 "^ *#[0-9]* .* /.*/\(Sources\|Fuzz\)/" "$log" | sed 's/^ *#[0-9]* 0x[0-9a-f]* in [^ ]* //' || true
        } | sed 's/^/    /' | cut -c1-300
        echo "    log: $log"
    fi
    if [ "$grow" = 1 ] && [ "$status" = 0 ]; then
        "${nice[@]}" "$bin/$harness" -merge=1 Fuzz/corpus/"$harness" "$corpus" > "$work/$harness.merge.log" 2>&1
    fi
    if [ "$ledger" = 1 ] && [ "$status" = 0 ]; then python3 scripts/fuzz-ledger.py record "$harness" "$log"; fi
    rmdir "$findings" 2>/dev/null || true
done
rmdir Fuzz/findings 2>/dev/null || true
[ "$ledger" = 1 ] && python3 scripts/fuzz-ledger.py render
echo "logs and corpus copies: $work"
[ "$failures" = 0 ]
