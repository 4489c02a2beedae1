#!/usr/bin/env bash
# Soak test of the daemon under load while articles change. Not part of CI.
#
#   benches/soak.sh
#
# The daemon serves a copy of the generated 1,000-article site. For DURATION
# seconds (default 60), at once:
#   - wrk with 256 connections requests the `all` feed's three formats,
#     plain, gzip and conditional (soak/wrk.lua checks every response: 200 or
#     304, complete bodies, one ETag per body);
#   - soak/edit.py rewrites an article every 20 ms;
#   - soak/check.py verifies that each body's ETag is the xxh3 of its bytes
#     and that each body parses as a complete document;
#   - the daemon's resident memory is sampled every second.
# It passes when no response is wrong, wrk saw no socket error, and the
# resident memory at the end is within 10% of its value after 10 seconds.
#
# Environment: DURATION, CONNECTIONS (default 256), SKIP_CARGO=1 to reuse
# target/release.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-256}
CACHE=$ROOT/target/bench-corpus
WORK=$ROOT/target/bench-soak
PORT=18090

# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
need_debian wrk curl
python3 -c 'import xxhash' 2>/dev/null || pip install -q xxhash >&2

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    cargo build --release
fi
BIN=$ROOT/target/release/syndicated

rm -rf "$WORK"
mkdir -p "$WORK"
cp -r "$(corpus 1000)" "$WORK/site"
"$BIN" --config "$WORK/site/syndicated.toml" --log-level warn serve \
    --listen "127.0.0.1:$PORT" 2>"$WORK/daemon.log" &
DAEMON=$!
trap 'kill $DAEMON 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$DAEMON/status"; }
: >"$WORK/rss"
(
    for _ in $(seq "$DURATION"); do
        sleep 1
        rss_kib >>"$WORK/rss"
    done
) &
SAMPLER=$!

python3 benches/soak/edit.py "$WORK/site/content" "$DURATION" >"$WORK/edit.out" &
EDITOR=$!
python3 benches/soak/check.py "$PORT" "$DURATION" >"$WORK/check.out" 2>"$WORK/check.err" &
CHECKER=$!
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s benches/soak/wrk.lua \
    "http://127.0.0.1:$PORT/" >"$WORK/wrk.out"
checker_rc=0
wait "$EDITOR"
wait "$CHECKER" || checker_rc=$?
wait "$SAMPLER"

health=$(curl -s "http://127.0.0.1:$PORT/healthz")
kill -TERM "$DAEMON"
daemon_rc=0
wait "$DAEMON" || daemon_rc=$?
trap - EXIT

cat "$WORK/wrk.out"
cat "$WORK/edit.out" "$WORK/check.out"
head -5 "$WORK/check.err"
at10=$(sed -n 10p "$WORK/rss")
end=$(tail -n1 "$WORK/rss")
peak=$(sort -n "$WORK/rss" | tail -n1)
awk -v a="$at10" -v b="$end" -v p="$peak" 'BEGIN {
    printf "resident memory: %.1f MiB after 10 s, %.1f MiB at the end (%+.1f%%), peak %.1f MiB\n",
        a / 1024, b / 1024, (b - a) * 100 / a, p / 1024 }'
echo "daemon: exit code $daemon_rc; healthz at the end: $(tr -d '\n ' <<<"$health")"
grep -i -m5 'error\|panic' "$WORK/daemon.log" || true

failed=0
line=$(grep '^checked:' "$WORK/wrk.out")
for key in other_status incomplete etag_mismatch socket_errors; do
    value=$(sed -E "s/.*$key=([0-9]+).*/\1/" <<<"$line")
    ((value == 0)) || { say "FAIL: $key=$value"; failed=1; }
done
((checker_rc == 0)) || { say "FAIL: the checker found wrong responses"; failed=1; }
((daemon_rc == 0)) || { say "FAIL: the daemon exited with $daemon_rc"; failed=1; }
awk -v a="$at10" -v b="$end" 'BEGIN { exit !(b <= a * 1.10) }' \
    || { say "FAIL: resident memory grew more than 10%"; failed=1; }
((failed == 0)) && echo "soak: PASS" || { echo "soak: FAIL"; exit 1; }
