#!/usr/bin/env bash
# Benchmark of the daemon: edit-to-served latency, and requests per second
# against nginx serving the same bytes as static files. Not part of CI.
#
#   benches/serve.sh
#
# 1. Latency: `cargo bench --bench latency` on generated sites of 1,000,
#    100,000 and 1,000,000 articles (benches/corpus.py): 100 edits each, p50
#    and p99, and the medians of where the time goes (see benches/latency.rs).
# 2. Throughput: the daemon serves the 1,000-article site (its `all` feed
#    holds 50 items) and mirrors it into a folder with --out; nginx serves
#    that folder (gzip_static for the .gz siblings) on another port. wrk
#    measures /all.rss plain, gzip, and conditional (304, each server's own
#    ETag) against both, alternating, in one run.
#
# Environment: DURATION (seconds per wrk run, default 10), CONNECTIONS
# (the connection counts to sweep, default "64 256"), LATENCY_SIZES (default
# "1000 100000 1000000"), SKIP_CARGO=1 to reuse target/release,
# SKIP_LATENCY=1 to measure throughput only.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64 256}
CACHE=$ROOT/target/bench-corpus
WORK=$ROOT/target/bench-serve
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"

need_debian wrk nginx curl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    cargo build --release
fi
BIN=$ROOT/target/release/syndicated

# --- 1. latency ---------------------------------------------------------------
latency=()
read -r -a sizes <<<"${LATENCY_SIZES:-1000 100000 1000000}"
[[ ${SKIP_LATENCY:-0} == 1 ]] && sizes=()
for n in "${sizes[@]}"; do
    dir=$(corpus "$n")
    out=$(cargo bench --bench latency -- "$dir" 100 2>/dev/null)
    latency+=("$(printf '%7d articles: %s' "$n" "$(grep 'edit-to-served' <<<"$out")")")
    latency+=("$(printf '%7s           %s' "" "$(grep 'medians over' <<<"$out" | sed 's/^ *//')")")
done

# --- 2. throughput ------------------------------------------------------------
rm -rf "$WORK"
mkdir -p "$WORK/mirror" "$WORK/nginx"
dir=$(corpus 1000)
"$BIN" --config "$dir/syndicated.toml" --log-level warn serve --listen 127.0.0.1:18080 --out "$WORK/mirror" &
DAEMON=$!
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types { application/rss+xml rss; application/atom+xml atom; application/feed+json json; }
    charset utf-8;
    charset_types application/rss+xml application/atom+xml application/feed+json;
    gzip_static on;
    gzip_vary on;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx;
    fastcgi_temp_path $WORK/nginx; uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
    server {
        listen 127.0.0.1:18081;
        root $WORK/mirror;
    }
}
CONF
cleanup() {
    kill "$DAEMON" 2>/dev/null || true
    [[ -f $WORK/nginx/nginx.pid ]] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
    [[ -f $WORK/mirror/all.rss.gz ]] && curl -sf -o /dev/null http://127.0.0.1:18080/healthz && break
    sleep 0.1
done
"$NGINX" -c "$WORK/nginx/nginx.conf"
sleep 0.5

ours_url=http://127.0.0.1:18080/all.rss
nginx_url=http://127.0.0.1:18081/all.rss
cmp -s <(curl -s $ours_url) <(curl -s $nginx_url) || { say "the two servers do not serve the same bytes"; exit 1; }
etag() { curl -sI "$1" | tr -d '\r' | awk 'tolower($1) == "etag:" { print $2 }'; }
ours_etag=$(etag $ours_url)
nginx_etag=$(etag $nginx_url)
[[ $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $nginx_etag" $nginx_url) == 304 ]] || { say "nginx does not answer 304"; exit 1; }

rps() { # CONNECTIONS URL HEADER...: requests per second from one wrk run
    local connections=$1 url=$2; shift 2
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    wrk -t2 -c"$connections" -d"${DURATION}s" "${args[@]}" "$url" | awk '/^Requests\/sec/ { print $2 }'
}

rows=()
for c in $CONNECTIONS; do
    for kind in plain gzip 304; do
        case $kind in
            plain) o=(); n=() ;;
            gzip) o=("Accept-Encoding: gzip"); n=("Accept-Encoding: gzip") ;;
            304) o=("If-None-Match: $ours_etag"); n=("If-None-Match: $nginx_etag") ;;
        esac
        ours=$(rps "$c" $ours_url "${o[@]}")
        theirs=$(rps "$c" $nginx_url "${n[@]}")
        rows+=("$(awk -v c="$c" -v k="$kind" -v a="$ours" -v b="$theirs" 'BEGIN { printf "%5d %-6s %12.0f %12.0f %8.2fx", c, k, a, b, a / b }')")
    done
done

echo
echo "edit-to-served (100 edits, cargo bench --bench latency):"
printf '  %s\n' "${latency[@]}"
echo
echo "requests/s for /all.rss (50 items), wrk -t2 -d${DURATION}s, by connections:"
printf '%5s %-6s %12s %12s %9s\n' conns "" syndicated nginx ratio
printf '%s\n' "${rows[@]}"
