# Shared by the benchmark scripts: sourced, not run. Expects ROOT (the
# repository) and CACHE (where generated corpora are kept).

say() { printf '%s\n' "$*" >&2; }

# need_debian COMMAND[:PACKAGE]...: installs from Debian the packages whose
# command is missing (PACKAGE defaults to COMMAND).
need_debian() {
    local need=() spec cmd sudo=()
    for spec in "$@"; do
        cmd=${spec%%:*}
        command -v "$cmd" >/dev/null 2>&1 || [[ -x /usr/sbin/$cmd ]] || need+=("${spec#*:}")
    done
    ((${#need[@]})) || return 0
    if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
    say "installing ${need[*]} from Debian"
    "${sudo[@]}" apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${need[@]}" >&2
}

# corpus N [--tag-family]: makes sure $CACHE/N (or $CACHE/N-tags) holds the
# current generated site of N articles (generated again when
# benches/corpus.py changes), prints its path.
corpus() {
    local n=$1 flag=${2:-} d=$CACHE/$1 stamp
    [[ -n $flag ]] && d=$CACHE/$1-tags
    stamp=$(sha256sum "$ROOT/benches/corpus.py" | cut -d' ' -f1)
    if [[ ! -f $d/.stamp || $(<"$d/.stamp") != "$stamp" ]]; then
        rm -rf "$d" "$d.tmp"
        say "corpus $n: generating into $d"
        python3 "$ROOT/benches/corpus.py" --articles "$n" --out "$d.tmp" --seed 1 $flag >/dev/null
        printf '%s\n' "$stamp" >"$d.tmp/.stamp"
        mv "$d.tmp" "$d"
    fi
    printf '%s\n' "$d"
}

# now: seconds since the epoch, to the microsecond where bash has it.
now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then printf '%s\n' "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi
}

# column_median FILE N: the median of the Nth space-separated column of FILE.
column_median() { cut -d' ' -f"$2" "$1" | median; }

# median of the numbers on stdin (the mean of the middle two for an even count).
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "nan"; exit }
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
