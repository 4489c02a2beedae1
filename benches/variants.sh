#!/usr/bin/env bash
# Benchmark: what Chinese variants cost a build. The same N generated
# articles (benches/corpus.py, Chinese text) built as one full-text feed of
# every article, without variants and with all three (zh-Hant, zh-TW,
# zh-HK), each run a fresh process, alternating; the difference is the
# conversion of N articles' titles, summaries and HTML three times.
#
#   benches/variants.sh [N]            default: 2000
#
# Environment:
#   SYNDICATED_BIN  the binary to time (default target/release/syndicated)
#   SKIP_CARGO=1    do not run `cargo build --release` first
#   RUNS            timed runs of each (default 5)
#
# Prints the median wall time of each and their difference per article and
# variant. Output goes to target/bench-out/variants, deleted before each run.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-2000}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "variants.sh: not a number of articles: $N" >&2; exit 2; }
BIN=${SYNDICATED_BIN:-$ROOT/target/release/syndicated}
CACHE=$ROOT/target/bench-corpus
OUT=$ROOT/target/bench-out/variants
RUNS=${RUNS:-5}

# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    say "cargo build --release"
    cargo build --release
fi
[[ -x $BIN ]] || { say "variants.sh: no binary at $BIN (set SYNDICATED_BIN)"; exit 1; }

corpus_dir=$(corpus "$N")
rm -rf "$OUT"
mkdir -p "$OUT"

# site NAME VARIANTS: a site of the corpus's articles whose one feed shows
# every article in full, with `variants = VARIANTS`.
site() {
    local d=$OUT/$1
    mkdir -p "$d/feeds"
    cp "$corpus_dir/syndicated.toml" "$d/"
    ln -s "$corpus_dir/content" "$d/content"
    printf 'title = "all"\nlimit = %d\nmax_bytes = 1000000000\ncontent = "full"\nvariants = %s\n' \
        "$N" "$2" >"$d/feeds/all.toml"
}
site plain '[]'
site variants '["zh-Hant", "zh-TW", "zh-HK"]'

# timed NAME: one build of site NAME; appends its wall seconds to NAME.txt.
timed() {
    local t0 t1
    rm -rf "$OUT/$1-out"
    t0=$(now)
    "$BIN" --config "$OUT/$1/syndicated.toml" build --out "$OUT/$1-out" >>"$OUT/log" 2>&1 ||
        { say "variants.sh: the $1 build failed; see $OUT/log"; exit 1; }
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$OUT/$1.txt"
}

say "warming the page cache"
find -L "$OUT/plain/content" -type f -print0 | xargs -0 cat >/dev/null
timed plain && timed variants
: >"$OUT/plain.txt"
: >"$OUT/variants.txt"
for ((i = 1; i <= RUNS; i++)); do
    timed plain
    timed variants
    say "run $i/$RUNS: plain $(tail -n 1 "$OUT/plain.txt") s, variants $(tail -n 1 "$OUT/variants.txt") s"
done
items=$(grep -c '<item>' "$OUT/variants-out/all.zh-TW.rss" || true)
((items == N)) || { say "variants.sh: all.zh-TW.rss has $items items, not $N"; exit 1; }

plain=$(median <"$OUT/plain.txt")
variants=$(median <"$OUT/variants.txt")
awk -v n="$N" -v p="$plain" -v v="$variants" 'BEGIN {
    printf "%d articles, medians: without variants %.3f s, with three %.3f s (%.2fx); conversion %.1f µs per article and variant\n",
        n, p, v, v / p, (v - p) / (3 * n) * 1e6 }'
