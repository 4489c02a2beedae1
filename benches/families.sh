#!/usr/bin/env bash
# Benchmark of a feed family at scale: N generated articles (default 100000;
# benches/corpus.py, tags Zipf-distributed over 3,000 distinct ones, 1-5 per
# article), served with and without feeds/tags.toml (each = "tags", a feed
# per tag, limit 50). Not part of CI.
#
#   benches/families.sh [N]
#
# For each site, RUNS fresh `serve` processes (default 3) measure start-up
# (launch until the first publication is served: the daemon listens after
# it), the time until every document is served compressed too (/healthz
# says `"compressing": 0`), and peak resident memory (VmHWM then); the
# table shows medians. Then `cargo bench --bench latency` makes 100 edits of one article
# tagged `bench` (dated after every other article, so it leads its feeds)
# and polls /all.rss, and on the family site /tags/bench.rss too: an edit
# that touches one tag. The corpora live on the same disk as target/, read
# once before timing so they are in the page cache (these machines page
# out a cold cache; a cold disk would measure the disk).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-100000}
RUNS=${RUNS:-3}
CACHE=$ROOT/target/bench-corpus
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
need_debian curl

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    cargo build --release
fi
BIN=$ROOT/target/release/syndicated
plain=$(corpus "$N")
family=$(corpus "$N" --tag-family)

# start-up SITE: prints "SECONDS SETTLED KIB" for one fresh serve process.
startup() {
    local site=$1 log pid t0 t1 t2 hwm address
    log=$(mktemp)
    t0=$EPOCHREALTIME
    (cd "$site" && exec "$BIN" --config syndicated.toml --log-level info serve --listen 127.0.0.1:0) 2>"$log" &
    pid=$!
    until grep -q "listening on" "$log"; do
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.01
    done
    t1=$EPOCHREALTIME
    address=$(sed -n 's/.*listening on http:\/\/\([^/]*\)\/.*/\1/p' "$log" | head -1)
    until curl -s "http://$address/healthz" | grep -q '"compressing": 0'; do
        sleep 0.05
    done
    t2=$EPOCHREALTIME
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -f "$log"
    awk -v a="$t0" -v b="$t1" -v c="$t2" -v m="$hwm" 'BEGIN { printf "%.2f %.2f %d\n", b - a, c - a, m }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

rows=()
for site in "$plain" "$family"; do
    # Warm the page cache: every file read once.
    find "$site/content" -type f -exec cat {} + >/dev/null
    secs=()
    settled=()
    mems=()
    for _ in $(seq "$RUNS"); do
        read -r s c m < <(startup "$site")
        secs+=("$s")
        settled+=("$c")
        mems+=("$m")
    done
    feeds=$(ls "$site/feeds" | tr '\n' ' ')
    s=$(printf '%s\n' "${secs[@]}" | median)
    c=$(printf '%s\n' "${settled[@]}" | median)
    m=$(printf '%s\n' "${mems[@]}" | median)
    rows+=("$(printf '%-24s %8s s serving, %8s s compressed, %8d MiB' "$feeds" "$s" "$c" $((m / 1024)))")
done

lat_all=$(cargo bench --bench latency -- "$plain" 100 /all.rss 2>/dev/null | grep edit-to-served)
lat_fam_all=$(cargo bench --bench latency -- "$family" 100 /all.rss 2>/dev/null | grep edit-to-served)
lat_fam_tag=$(cargo bench --bench latency -- "$family" 100 /tags/bench.rss 2>/dev/null | grep edit-to-served)

echo
echo "$N articles, serve start-up to first publication served, to every document compressed, and peak RSS then (median of $RUNS):"
printf '  %s\n' "${rows[@]}"
echo
echo "edit-to-served, one article tagged bench, 100 edits:"
echo "  without the family, /all.rss:     $lat_all"
echo "  with the family, /all.rss:        $lat_fam_all"
echo "  with the family, /tags/bench.rss: $lat_fam_tag"
