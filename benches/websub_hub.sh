#!/usr/bin/env bash
# Edit to subscriber through a real WebSub hub (flask-websub on celery and
# redis): runs the end-to-end test (tests/integration/websub_hub.rs), built
# in release, RUNS times (default 5), and prints each run's time from the
# save to the notification reaching the subscriber, then their median.
# Needs what ./test installs (./test --setup does only that). Not part of CI.
#
#   RUNS=5 benches/websub_hub.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
RUNS=${RUNS:-5}

./test --setup
cargo test --release --test integration --no-run >&2
figures=$(mktemp)
trap 'rm -f "$figures"' EXIT
for run in $(seq "$RUNS"); do
    cargo test --release --test integration -q -- --include-ignored --exact \
        websub_hub::a_subscriber_of_a_real_hub_receives_an_edit --nocapture 2>&1 |
        sed -n 's/^edit to subscriber through the hub: \([0-9.]*\) ms$/\1/p' | tee -a "$figures" |
        sed "s/^/run $run: /; s/$/ ms/"
done
[[ $(wc -l <"$figures") -eq $RUNS ]] || { say "a run reported no figure"; exit 1; }
echo "median of $RUNS: $(median <"$figures") ms"
