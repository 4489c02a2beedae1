#!/usr/bin/env bash
# What WebSub pings cost an edit: edit-to-served latency (benches/latency.rs,
# 100 edits, /all.rss) on N generated articles (default 1000) served three
# ways in one run: with no hub; with a hub on loopback that answers every
# ping at once (202); and with a hub that accepts every connection and
# never answers (each ping then waits out websub.timeout, 10 s). Pings are
# sent by their own task: the three should not differ. Not part of CI.
#
#   benches/websub.sh [N]
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-1000}
CACHE=$ROOT/target/bench-corpus
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
need_debian python3

if [[ ${SKIP_CARGO:-0} != 1 ]]; then
    cargo build --release
fi
corpus=$(corpus "$N")
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# hub MODE PORTFILE: a hub on a free loopback port that answers 202
# (MODE=answer, counting pings in $work/pings) or never (MODE=silent).
hub() {
    python3 - "$1" "$2" "$work/pings" <<'EOF' &
import socket, sys, threading
mode, portfile, counted = sys.argv[1:]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1024)
open(portfile, "w").write(str(server.getsockname()[1]))
held, count = [], 0
def answer(conn):
    global count
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return
        data += chunk
    count += 1
    open(counted, "w").write(str(count))
    conn.sendall(b"HTTP/1.1 202 Accepted\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    conn.close()
while True:
    conn, _ = server.accept()
    if mode == "silent":
        held.append(conn)
    else:
        threading.Thread(target=answer, args=(conn,), daemon=True).start()
EOF
    pids+=($!)
    until [[ -s $2 ]]; do sleep 0.05; done
}

hub answer "$work/answer.port"
hub silent "$work/silent.port"

# site NAME HUB: a copy of the corpus whose feeds name HUB (none if empty).
site() {
    local d=$work/$1
    mkdir -p "$d"
    cp -r "$corpus/content" "$corpus/feeds" "$d/"
    cp "$corpus/syndicated.toml" "$d/"
    if [[ -n $2 ]]; then
        printf '\n[websub]\nhubs = ["%s"]\n' "$2" >>"$d/syndicated.toml"
    fi
    find "$d/content" -type f -exec cat {} + >/dev/null
    printf '%s\n' "$d"
}

none=$(site none "")
answer=$(site answer "http://127.0.0.1:$(<"$work/answer.port")/hub")
silent=$(site silent "http://127.0.0.1:$(<"$work/silent.port")/hub")

lat() { cargo bench --bench latency -- "$1" 100 /all.rss 2>/dev/null | grep edit-to-served; }
l_none=$(lat "$none")
l_answer=$(lat "$answer")
l_silent=$(lat "$silent")

echo
echo "$N articles, edit-to-served of /all.rss, 100 edits each, one run:"
echo "  no hub:                      $l_none"
echo "  a hub answering 202:         $l_answer ($(cat "$work/pings" 2>/dev/null || echo 0) pings received)"
echo "  a hub that never answers:    $l_silent"
