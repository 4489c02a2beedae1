#!/usr/bin/env bash
# Benchmark: how the first publication grows with the site, for `build` and
# for `serve`, each run a fresh process, at 10,000, 100,000 and 1,000,000
# generated articles (benches/corpus.py).
#
#   benches/scale.sh [SIZES...]        default: 10000 100000 1000000
#
# Environment:
#   RUNS        timed runs per command and size (default 3)
#   TMPFS       where the corpora are copied to be read from memory (default
#               /dev/shm/syndicated-bench; must be a tmpfs: these machines
#               page out cold cache, and a cold disk measures the disk)
#   SKIP_CARGO=1  reuse target/release
#   POLL=1      serve with --poll: the poller's first look (its table of
#               every file) is taken before the watch's rescan, so it is in
#               the peak reported
#
# For each size it reports the medians of:
#   build s, build MiB   `syndicated build`: wall time, peak resident memory
#   serve s              `syndicated serve`: from the process starting to the
#                        first publication answered over HTTP (/all.rss)
#   watch s              to when it watches the files (the watch starts after
#                        the first publication, with a rescan: its log line)
#   serve MiB            its peak resident memory by then (VmHWM), and
#   B/article            that peak divided by the number of articles;
#   rss MiB              its resident memory 10 s later (VmRSS), and
#   poll %               the poll thread's share of one core over those 10 s
#                        (with POLL=1).
# Wall time is bash's EPOCHREALTIME; build's peak from `/usr/bin/time -f %M`.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/target/bench-corpus
TMPFS=${TMPFS:-/dev/shm/syndicated-bench}
RUNS=${RUNS:-3}
OUT=$ROOT/target/bench-out
PORT=18090
if (($# == 0)); then set -- 10000 100000 1000000; fi
for n in "$@"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "scale.sh: not a number of articles: $n" >&2; exit 2; }
done

# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
need_debian /usr/bin/time:time curl

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    cargo build --release
fi
BIN=$ROOT/target/release/syndicated
[[ $(stat -f -c %T "$(dirname "$TMPFS")") == tmpfs ]] || { say "scale.sh: $(dirname "$TMPFS") is not a tmpfs (set TMPFS)"; exit 1; }
mkdir -p "$TMPFS" "$OUT"

# in_memory N: the corpus of N articles, copied to the tmpfs (again only
# when the generated corpus changed); prints its path.
in_memory() {
    local n=$1 from to
    from=$(corpus "$n")
    to=$TMPFS/$n
    if ! cmp -s "$from/.stamp" "$to/.stamp" 2>/dev/null; then
        say "corpus $n: copying into $to"
        rm -rf "$to"
        cp -a "$from" "$to.tmp"
        mv "$to.tmp" "$to"
    fi
    printf '%s\n' "$to"
}

# build_once DIR: "seconds peak_kb" of one `build`.
build_once() {
    local dir=$1 t0 t1 kb
    rm -rf "$OUT/scale"
    t0=$(now)
    /usr/bin/time -o "$OUT/time.txt" -f '%M' "$BIN" --config "$dir/syndicated.toml" --log-level warn build --out "$OUT/scale" >/dev/null
    t1=$(now)
    kb=$(tail -n 1 "$OUT/time.txt")
    awk -v a="$t0" -v b="$t1" -v kb="$kb" 'BEGIN { printf "%.3f %d\n", b - a, kb }'
}

# serve_once DIR: "seconds peak_kb watching_seconds rss_kb poll_percent" of
# one `serve`: until /all.rss is answered; its peak once it watches the
# files, and when; then what `settled` says.
serve_once() {
    local dir=$1 t0 t1 t2 pid kb steady log=$OUT/serve.log
    t0=$(now)
    local poll=()
    if [[ ${POLL:-0} == 1 ]]; then poll=(--poll); fi
    (cd "$dir" && exec "$BIN" --config syndicated.toml --log-level info serve --listen "127.0.0.1:$PORT" "${poll[@]}" >"$log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/all.rss"; do
        kill -0 "$pid" 2>/dev/null || { say "scale.sh: serve exited; see $log"; exit 1; }
        sleep 0.01
    done
    t1=$(now)
    until grep -q "rescanned everything" "$log"; do sleep 0.01; done
    t2=$(now)
    kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
    steady=$(settled "$pid")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    awk -v a="$t0" -v b="$t1" -v c="$t2" -v kb="$kb" -v s="$steady" 'BEGIN { printf "%.3f %d %.3f %s\n", b - a, kb, c - a, s }'
}

# settled PID: "rss_kb poll_percent" 10 s on: the resident memory then, and
# the poll thread's CPU time over the 10 s as a share of one core (0
# without polling).
settled() {
    local pid=$1 task before=0 after=0
    task=$(grep -l '^poll$' /proc/"$pid"/task/*/comm 2>/dev/null | head -n 1 || true)
    ticks() { if [[ -n $task ]]; then awk '{ print $14 + $15 }' "${task%/comm}/stat"; else echo 0; fi; }
    before=$(ticks)
    sleep 10
    after=$(ticks)
    awk -v a="$before" -v b="$after" -v hz="$(getconf CLK_TCK)" -v kb="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")" \
        'BEGIN { printf "%d %.1f\n", kb, (b - a) / hz / 10 * 100 }'
}

rows=()
for n in "$@"; do
    dir=$(in_memory "$n")
    : >"$OUT/build.txt"
    : >"$OUT/serve.txt"
    for ((i = 1; i <= RUNS; i++)); do
        build_once "$dir" >>"$OUT/build.txt"
        serve_once "$dir" >>"$OUT/serve.txt"
        say "size $n run $i/$RUNS: build $(tail -n 1 "$OUT/build.txt")  serve $(tail -n 1 "$OUT/serve.txt")  (s KB)"
    done
    bs=$(column_median "$OUT/build.txt" 1)
    bk=$(column_median "$OUT/build.txt" 2)
    ss=$(column_median "$OUT/serve.txt" 1)
    sk=$(column_median "$OUT/serve.txt" 2)
    sw=$(column_median "$OUT/serve.txt" 3)
    rk=$(column_median "$OUT/serve.txt" 4)
    pp=$(column_median "$OUT/serve.txt" 5)
    rows+=("$(awk -v n="$n" -v r="$RUNS" -v bs="$bs" -v bk="$bk" -v ss="$ss" -v sw="$sw" -v sk="$sk" -v rk="$rk" -v pp="$pp" 'BEGIN {
        printf "%9d %5d %9.2f %9.0f %9.2f %9.2f %9.0f %10.0f %9.0f %7.1f", n, r, bs, bk / 1024, ss, sw, sk / 1024, sk * 1024 / n, rk / 1024, pp }')")
done

echo
echo "first publication, corpus on $TMPFS (tmpfs), medians:"
printf '%9s %5s %9s %9s %9s %9s %9s %10s %9s %7s\n' articles runs "build s" "build MiB" "serve s" "watch s" "serve MiB" "B/article" "rss MiB" "poll %"
printf '%s\n' "${rows[@]}"
