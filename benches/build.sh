#!/usr/bin/env bash
# Benchmark: syndicated against Hugo, both building the feed of the newest 50
# of N generated articles (benches/corpus.py), each run a fresh process.
#
#   benches/build.sh [SIZES...]        default: 10000 100000
#
# Environment:
#   SYNDICATED_BIN  the binary to time (default target/release/syndicated)
#   SKIP_CARGO=1    do not run `cargo build --release` first
#   HUGO            the hugo to time (default: hugo from PATH; Debian's is installed if missing)
#   RUNS            timed runs per tool and size (default 5 up to 20,000 articles, else 3)
#
# Corpora are generated once into target/bench-corpus/N and reused while
# benches/corpus.py is unchanged. Wall time is taken around each run with
# bash's EPOCHREALTIME (millisecond resolution), peak RSS from
# `/usr/bin/time -f '%e %M'`; the table shows medians. Output goes to
# target/bench-out and is deleted before every run. Both tools use every core.
#
# What each tool does: syndicated writes all.rss, all.atom and all.json (full
# text); Hugo writes index.xml only (summary + full text, see corpus.py), so
# the comparison errs in Hugo's favour.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
if (($# == 0)); then set -- 10000 100000; fi
for n in "$@"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "build.sh: not a number of articles: $n" >&2; exit 2; }
done

BIN=${SYNDICATED_BIN:-$ROOT/target/release/syndicated}
HUGO=${HUGO:-hugo}
CACHE=$ROOT/target/bench-corpus
OUT=$ROOT/target/bench-out
LOG=$OUT/log
LIMIT=50

# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"

# --- tools ------------------------------------------------------------------
need_debian "$HUGO:hugo" /usr/bin/time:time

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    say "cargo build --release"
    cargo build --release
fi
[[ -x $BIN ]] || { say "build.sh: no binary at $BIN (set SYNDICATED_BIN)"; exit 1; }

say "syndicated: $BIN"
say "hugo: $("$HUGO" version)"

mkdir -p "$CACHE" "$OUT"
: >"$LOG"

# --- helpers ----------------------------------------------------------------
# timed NAME DEST CMD...: run CMD once, append "seconds peak_kb" to DEST.
timed() {
    local name=$1 dest=$2 t0 t1 tf rc=0
    shift 2
    tf=$OUT/time.txt
    t0=$(now)
    /usr/bin/time -o "$tf" -f '%e %M' "$@" >>"$LOG" 2>&1 || rc=$?
    t1=$(now)
    if ((rc != 0)); then
        say "build.sh: $name failed (exit $rc); last lines of $LOG:"
        tail -n 20 "$LOG" >&2
        exit 1
    fi
    # the last line: /usr/bin/time puts "Command exited..." lines above it
    read -r _ kb < <(tail -n 1 "$tf")
    awk -v a="$t0" -v b="$t1" -v kb="$kb" 'BEGIN { printf "%.3f %d\n", b - a, kb }' >>"$dest"
}

run_ours() {
    rm -rf "$OUT/ours"
    timed syndicated "$1" "$BIN" --config "$dir/syndicated.toml" build --out "$OUT/ours"
}

run_hugo() {
    rm -rf "$OUT/hugo"
    # no --quiet: on 0.111 it hides warnings too; the summary goes to $LOG
    timed hugo "$1" "$HUGO" -s "$dir/hugo" -d "$OUT/hugo"
}

items() { grep -o '<item>' "$1" | wc -l; }
links() { grep -o '<link>https://bench.example/[0-9][^<]*</link>' "$1" || true; }

# --- runs -------------------------------------------------------------------
rows=()
problems=()
for n in "$@"; do
    dir=$(corpus "$n")
    runs=${RUNS:-$((n <= 20000 ? 5 : 3))}

    say "size $n: warming the page cache"
    find "$dir/content" -type f -print0 | xargs -0 cat >/dev/null
    run_ours "$OUT/warm.txt"   # untimed warm-up of each tool
    run_hugo "$OUT/warm.txt"

    : >"$OUT/ours.txt"
    : >"$OUT/hugo.txt"
    for ((i = 1; i <= runs; i++)); do
        run_ours "$OUT/ours.txt"
        run_hugo "$OUT/hugo.txt"
        say "size $n run $i/$runs: syndicated $(tail -n 1 "$OUT/ours.txt")  hugo $(tail -n 1 "$OUT/hugo.txt")  (s KB)"
    done

    ours_s=$(column_median "$OUT/ours.txt" 1)
    ours_kb=$(column_median "$OUT/ours.txt" 2)
    hugo_s=$(column_median "$OUT/hugo.txt" 1)
    hugo_kb=$(column_median "$OUT/hugo.txt" 2)

    # Sanity: both feeds hold the newest $LIMIT items, in the same order.
    oi=$(items "$OUT/ours/all.rss")
    hi=$(items "$OUT/hugo/index.xml")
    same=yes
    if ! diff -q <(links "$OUT/ours/all.rss") <(links "$OUT/hugo/index.xml") >/dev/null; then same=no; fi
    if ((oi != LIMIT || hi != LIMIT)) || [[ $same != yes ]]; then
        problems+=("size $n: items syndicated $oi, hugo $hi (want $LIMIT); same links in order: $same")
    fi
    say "size $n: items syndicated $oi, hugo $hi; same links in order: $same"

    rows+=("$(awk -v n="$n" -v r="$runs" -v os="$ours_s" -v ok="$ours_kb" -v hs="$hugo_s" -v hk="$hugo_kb" 'BEGIN {
        printf "%9d %5d %10.3f %10.1f %10.3f %10.1f %8.1fx %8.1fx", n, r, os, ok / 1024, hs, hk / 1024, hs / os, hk / ok }')")
done

# Hugo's warnings or errors in any run
if grep -qE '^(WARN|ERROR)' "$LOG"; then
    problems+=("hugo printed warnings/errors (see $LOG):")
    while IFS= read -r line; do problems+=("  $line"); done < <(grep -E '^(WARN|ERROR)' "$LOG" | sed -E 's/^(WARN|ERROR) [0-9/]+ [0-9:]+ /\1 /' | sort | uniq -c | head -n 5)
fi

echo
printf '%9s %5s %10s %10s %10s %10s %9s %9s\n' articles runs "ours s" "ours MiB" "hugo s" "hugo MiB" "time" "memory"
printf '%9s %5s %10s %10s %10s %10s %9s %9s\n' "" "" "(median)" "(peak)" "(median)" "(peak)" "hugo/ours" "hugo/ours"
for row in "${rows[@]}"; do printf '%s\n' "$row"; done
if ((${#problems[@]})); then
    echo
    printf '%s\n' "${problems[@]}"
    exit 1
fi
