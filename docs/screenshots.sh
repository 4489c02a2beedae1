#!/usr/bin/env bash
# Screenshots of the pages people see, from the sample site: the subscribe
# page (/), a feed opened in a browser (/all.rss, which a browser gets as
# the feed's page), a podcast's (/podcast.rss, with the podcast apps'
# links) and the page of an address that is no feed (/feed, a 404), at
# desktop and phone widths, light and dark, in headless Chromium and
# Firefox ESR (Debian's chromium, firefox-esr, and fonts-noto-cjk for the
# Chinese glyphs). Writes docs/screenshots/BROWSER-PAGE-WIDTH[-dark].png;
# not part of CI.
#
#   bash docs/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/target/bench-corpus
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
need_debian chromium firefox-esr curl
# The Chinese glyphs (a font, not a command).
if ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-noto-cjk >&2
fi

cargo build --release >&2
bin=$ROOT/target/release/syndicated
out=$ROOT/docs/screenshots
mkdir -p "$out"
work=$(mktemp -d)
pid=
cleanup() {
    if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

cp -r syndicated.toml content feeds "$work/"
log=$work/serve.log
(cd "$work" && exec "$bin" --log-format human serve --listen 127.0.0.1:0) 2>"$log" &
pid=$!
until grep -q "listening on" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
done
address=$(sed -n 's/.*listening on http:\/\/\([^/]*\)\/.*/\1/p' "$log" | head -1)
until curl -s "http://$address/healthz" | grep -q '"compressing": 0'; do sleep 0.05; done

chromium_shot() { # URL FILE WIDTH HEIGHT [EXTRA...]
    local url=$1 file=$2 width=$3 height=$4
    shift 4
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$work/chromium" \
        --window-size="$width,$height" "$@" --screenshot="$file" "$url" >/dev/null 2>&1
}

firefox_shot() { # URL FILE WIDTH HEIGHT [dark]
    local url=$1 file=$2 width=$3 height=$4 profile=$work/firefox-${5:-light}
    if [[ ! -d $profile ]]; then
        mkdir -p "$profile"
        # A reader whose system prefers dark pages.
        if [[ ${5:-} == dark ]]; then
            echo 'user_pref("ui.systemUsesDarkTheme", 1);' >"$profile/user.js"
        fi
    fi
    firefox-esr --headless --no-remote --profile "$profile" \
        --window-size "$width,$height" --screenshot "$file" "$url" >/dev/null 2>&1
}

rm -f "$out"/*.png
for page in index:/ feed:/all.rss podcast:/podcast.rss missing:/feed; do
    IFS=: read -r name path <<<"$page"
    url=http://$address$path
    for size in desktop:1280:1100 phone:390:844; do
        IFS=: read -r width_name width height <<<"$size"
        shot=$name-$width_name
        chromium_shot "$url" "$out/chromium-$shot.png" "$width" "$height"
        chromium_shot "$url" "$out/chromium-$shot-dark.png" "$width" "$height" \
            --blink-settings=preferredColorScheme=0
        firefox_shot "$url" "$out/firefox-$shot.png" "$width" "$height"
        firefox_shot "$url" "$out/firefox-$shot-dark.png" "$width" "$height" dark
    done
done
ls -1 "$out" >&2
