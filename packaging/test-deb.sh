#!/usr/bin/env bash
# The Debian package as an operator meets it, on this machine (as root):
# built, checked by lintian (no error, no warning), installed with dpkg -i,
# its files and modes checked, an article written by an editor in the
# group syndicated-editors and read by the service's user, its units
# verified by systemd-analyze, its mirror written as the service's user
# and read as another (a web server's), then removed and purged, leaving
# nothing behind. `.ci/run` runs it.
#
#   sudo bash packaging/test-deb.sh [PACKAGE.deb]
#
# Give it a package built as yourself (bash packaging/build-deb.sh), so
# that root builds nothing in target/. It refuses to run where syndicated
# is installed other than by an earlier run of this test (which leaves a
# marker until it has purged), unless CI=true: purging would take that
# site's configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "test-deb: $*" >&2; exit 1; }
say() { echo "test-deb: $*" >&2; }

marker=/var/lib/syndicated-test-deb.marker
if dpkg -s syndicated >/dev/null 2>&1; then
    [[ -e $marker || ${CI:-} == true ]] ||
        fail "syndicated is installed on this machine; this test would purge it (set CI=true on a machine where that is wanted)"
    dpkg -P syndicated >/dev/null
fi

deb=${1:-}
if [[ -z $deb ]]; then
    deb=$(bash packaging/build-deb.sh | tail -1)
fi
[[ -f $deb ]] || fail "no package at $deb"

say "lintian"
lintian_out=$(lintian "$deb" 2>&1 || true)
printf '%s\n' "$lintian_out" | sed 's/^/  /' >&2
if printf '%s\n' "$lintian_out" | grep -q '^[EW]:'; then
    fail "lintian reports errors or warnings"
fi

say "dpkg -i"
touch "$marker"
dpkg -i "$deb" >/dev/null

# mode owner group path
expect() {
    local mode=$1 owner=$2 path=$3 got
    [[ -e $path ]] || fail "$path is missing"
    got=$(stat -c '%a %U:%G' "$path")
    [[ $got == "$mode $owner" ]] || fail "$path is $got, not $mode $owner"
}
expect 755 root:root /usr/bin/syndicated
expect 644 root:root /lib/systemd/system/syndicated.service
expect 644 root:root /lib/systemd/system/syndicated.socket
expect 644 root:root /etc/syndicated/syndicated.toml
expect 644 root:root /usr/share/man/man1/syndicated.1.gz
expect 644 root:root /usr/share/bash-completion/completions/syndicated
expect 644 root:root /usr/share/zsh/vendor-completions/_syndicated
expect 644 root:root /usr/share/fish/vendor_completions.d/syndicated.fish
expect 644 root:root /usr/share/doc/syndicated/README.md
expect 644 root:root /usr/share/doc/syndicated/docs/src/service.md
expect 644 root:root /usr/share/doc/syndicated/examples/nginx-mirror.conf
getent passwd syndicated >/dev/null || fail "no user syndicated"
getent group syndicated-editors >/dev/null || fail "no group syndicated-editors"
# The editors' folders: theirs to write (setgid, so what one editor
# writes is the group's), the service's to read.
expect 2775 root:syndicated-editors /var/lib/syndicated/content
expect 2775 root:syndicated-editors /var/lib/syndicated/feeds
expect 664 root:syndicated-editors /var/lib/syndicated/feeds/all.toml
grep -qx /etc/syndicated/syndicated.toml /var/lib/dpkg/info/syndicated.conffiles ||
    fail "the config is not a conffile"
zcat /usr/share/man/man1/syndicated.1.gz | grep -q '^\.TH syndicated 1' || fail "no manual page"
# The installed README's links to the book's chapters lead to files.
for chapter in $(grep -o '](docs/src/[^)#]*' /usr/share/doc/syndicated/README.md | cut -c3-); do
    [[ -f /usr/share/doc/syndicated/$chapter ]] || fail "the installed README links $chapter, which is not installed"
done
grep -qx 'Documentation=man:syndicated(1) file:/usr/share/doc/syndicated/README.md file:/usr/share/doc/syndicated/docs/src/service.md' \
    /lib/systemd/system/syndicated.service || fail "the unit's Documentation= is not the manual and the README"

say "systemd-analyze verify"
verify=$(systemd-analyze verify /lib/systemd/system/syndicated.service /lib/systemd/system/syndicated.socket 2>&1 || true)
if [[ -n $verify ]]; then
    printf '%s\n' "$verify" >&2
    fail "systemd-analyze verify reports problems"
fi
grep -q '^Wants=syndicated.socket' /lib/systemd/system/syndicated.service &&
    fail "the service pulls in the socket unit; it must be the operator's choice"

say "the installed binary checks the installed config"
/usr/bin/syndicated --config /etc/syndicated/syndicated.toml check >/dev/null

say "an editor (nobody, in syndicated-editors) writes an article; the service reads it"
editors=$(getent group syndicated-editors | cut -d: -f3)
article=/var/lib/syndicated/content/from-an-editor.md
setpriv --reuid nobody --regid nogroup --groups "$editors" \
    sh -c "umask 002 && printf -- '---\ntitle: From an editor\ndate: 2024-06-01\n---\nText.\n' > $article"
expect 664 nobody:syndicated-editors "$article"
setpriv --reuid syndicated --regid syndicated --clear-groups \
    /usr/bin/syndicated --config /etc/syndicated/syndicated.toml check >/dev/null ||
    fail "the service's user cannot read what an editor wrote"
rm -f "$article"

say "the mirror, written as syndicated with the unit's umask, read as nobody"
mirror=$(mktemp -d /var/lib/syndicated-mirror-test.XXXXXX)
chown syndicated:syndicated "$mirror"
chmod 0755 "$mirror"
umask_line=$(grep '^UMask=' /lib/systemd/system/syndicated.service | cut -d= -f2)
setpriv --reuid syndicated --regid syndicated --clear-groups \
    sh -c "umask $umask_line && /usr/bin/syndicated --config /etc/syndicated/syndicated.toml build --out $mirror" >/dev/null
expect 644 syndicated:syndicated "$mirror/all.rss"
setpriv --reuid nobody --regid nogroup --clear-groups cat "$mirror/all.rss" >/dev/null ||
    fail "another user cannot read the mirror"
rm -rf "$mirror"

say "dpkg -r: the program goes, the configuration stays"
dpkg -r syndicated >/dev/null
[[ ! -e /usr/bin/syndicated ]] || fail "the binary is still there after remove"
[[ -e /etc/syndicated/syndicated.toml ]] || fail "remove took the configuration"

say "dpkg -P: nothing is left"
dpkg -P syndicated >/dev/null
for path in /etc/syndicated /var/lib/syndicated /var/lib/syndicated-state \
    /var/lib/syndicated-mirror /lib/systemd/system/syndicated.service \
    /usr/share/doc/syndicated /usr/share/syndicated; do
    [[ ! -e $path ]] || fail "$path is left after purge"
done
dpkg -s syndicated >/dev/null 2>&1 && fail "dpkg still knows the package"
rm -f "$marker"
say "ok"
