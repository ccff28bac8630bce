#!/usr/bin/env bash
# Whole-process benchmark of cxtag on a corpus of real ads.
#
#   scripts/bench.sh [ADS.jsonl]     (default: ../shared/corpus/ads.jsonl)
#
# Explodes the JSON Lines corpus into one .txt file per ad in a temporary folder, then
# times, best of RUNS (default 5) after a warm-up run:
#   folder mode:  cxtag FOLDER --format jsonl > /dev/null
#   JSONL mode:   cxtag --input-format jsonl --format jsonl ADS.jsonl > /dev/null
# and prints wall time, ads/s, MB/s of ad text and peak resident memory (GNU time).
set -euo pipefail

cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/ads.jsonl}
runs=${RUNS:-5}
if [[ ! -f $corpus ]]; then
    echo "bench: no corpus at $corpus (it lives outside the repo); pass a JSON Lines file of ads with id and text fields" >&2
    exit 0
fi
for tool in python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (Debian: apt-get install python3 time)" >&2; exit 1; }
done

cargo build --release --quiet
cxtag=$PWD/target/release/cxtag
work=$(mktemp -d "${TMPDIR:-/tmp}/cxtag-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# One file per ad; prints the number of ads and the bytes of ad text.
read -r ads bytes < <(python3 - "$corpus" "$work/ads" <<'PY'
import json, os, re, sys
src, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
n = size = 0
with open(src, encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        ad = json.loads(line)
        name = re.sub(r"[^A-Za-z0-9._-]", "_", str(ad["id"]))
        data = ad["text"].encode("utf-8")
        with open(os.path.join(out, name + ".txt"), "wb") as g:
            g.write(data)
        n += 1
        size += len(data)
print(n, size)
PY
)
mb=$(python3 -c "print(f'{$bytes / 1e6:.1f}')")
echo "corpus: $corpus: $ads ads, $mb MB of ad text, $(nproc) cores"

# Best wall time and the largest peak RSS over $runs runs, after one warm-up.
measure() {
    local label=$1; shift
    "$@" > /dev/null 2>&1 || true
    local best="" peak=0
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || {
            code=$?
            [[ $code -eq 2 ]] || { echo "bench: $label failed ($code):" >&2; cat "$work/stderr" >&2; exit 1; }
        }
        read -r wall rss < "$work/time"
        if [[ -z $best ]] || python3 -c "import sys; sys.exit(not $wall < $best)"; then best=$wall; fi
        (( rss > peak )) && peak=$rss
    done
    python3 - "$label" "$best" "$peak" "$ads" "$bytes" <<'PY'
import sys
label, wall, rss, ads, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
wall = max(wall, 0.01)
print(f"{label:<12} {wall:6.2f} s  {ads / wall:9,.0f} ads/s  {size / 1e6 / wall:7.1f} MB/s  peak RSS {rss / 1024:6.1f} MB")
PY
}

measure "folder" "$cxtag" "$work/ads" --format jsonl
measure "jsonl" "$cxtag" --input-format jsonl --format jsonl "$corpus"
