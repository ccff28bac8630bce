#!/usr/bin/env bash
# Whole-process benchmark of cxtag against ripgrep on a corpus of real ads.
#
#   scripts/bench.sh [--quick] [ADS.jsonl]      (default: ../shared/corpus/ads.jsonl)
#
# 1. Explodes the JSON Lines corpus into one .txt file per ad in a temporary folder and,
#    unless --quick, builds a large corpus of the same ads repeated to BIG_MB megabytes
#    (default 500), as files and as one JSON Lines file.
# 2. Exports every keyword and phrase of the default rules to patterns.txt
#    (`cxtag rules list --format patterns`).
# 3. Times with hyperfine, in the same run:
#      cxtag FOLDER --format jsonl > /dev/null   vs  rg -c -i -w -F -f patterns.txt FOLDER
#      cxtag --input-format jsonl --format jsonl ADS.jsonl  vs  rg ... ADS.jsonl
#    and each against `rg --count-matches` with the same flags: `rg -c` counts matching
#    lines and so stops at a line's first hit (a JSON line is a whole ad), while cxtag and
#    `rg --count-matches` find every hit.
# 4. Prints cxtag / ripgrep per pair, cxtag's MB/s and both tools' peak RSS (GNU time).
# 5. Times one thread end to end against `wc -w` (LC_ALL=C.UTF-8) on the JSON Lines corpus:
#      cxtag -j 1 --input-format jsonl --format jsonl ADS.jsonl > /dev/null  vs  wc -w ADS.jsonl
#    in RUNS alternating pairs (at least 5), and prints both medians and their ratio.
#
# ripgrep, hyperfine and GNU time come from Debian; they are installed when missing (as
# root, or through sudo).
set -euo pipefail

cd "$(dirname "$0")/.."
quick=false
if [[ ${1:-} == --quick ]]; then quick=true; shift; fi
corpus=${1:-../shared/corpus/ads.jsonl}
big_mb=${BIG_MB:-500}
runs=${RUNS:-5}

if [[ ! -f $corpus ]]; then
    echo "bench: no corpus at $corpus (it lives outside the repo); pass a JSON Lines file of ads with id and text fields" >&2
    exit 0
fi

need=()
command -v rg >/dev/null || need+=(ripgrep)
command -v hyperfine >/dev/null || need+=(hyperfine)
[[ -x /usr/bin/time ]] || need+=(time)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
    echo "bench: installing ${need[*]} from Debian" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet
cxtag=$PWD/target/release/cxtag
work=$(mktemp -d "${TMPDIR:-/tmp}/cxtag-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$cxtag" rules list --format patterns > "$work/patterns.txt"
echo "patterns: $(wc -l < "$work/patterns.txt") keywords and phrases of the default rules"

# Explode the corpus (and, unless --quick, repeat it to $big_mb MB as files and JSONL).
python3 - "$corpus" "$work" "$($quick && echo 0 || echo "$big_mb")" <<'PY'
import json, os, re, sys
src, work, big_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
ads = []
with open(src, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            ad = json.loads(line)
            ads.append((re.sub(r"[^A-Za-z0-9._-]", "_", str(ad["id"])), ad["text"]))
def write_files(folder, copies):
    os.makedirs(folder)
    size = 0
    for c in range(copies):
        sub = os.path.join(folder, f"{c:03d}")
        os.makedirs(sub)
        for name, text in ads:
            data = text.encode("utf-8")
            with open(os.path.join(sub, name + ".txt"), "wb") as g:
                g.write(data)
            size += len(data)
    return size
size = write_files(os.path.join(work, "ads"), 1)
with open(os.path.join(work, "ads.size"), "w") as g:
    g.write(f"{len(ads)} {size}\n")
if big_mb:
    copies = max(1, -(-big_mb * 1_000_000 // size))
    big = write_files(os.path.join(work, "big"), copies)
    with open(os.path.join(work, "big.jsonl"), "w", encoding="utf-8") as g:
        for c in range(copies):
            for name, text in ads:
                g.write(json.dumps({"id": f"{c:03d}-{name}", "text": text}) + "\n")
    with open(os.path.join(work, "big.size"), "w") as g:
        g.write(f"{len(ads) * copies} {big}\n")
PY

# Peak RSS in MB of one run.
rss() { /usr/bin/time -f "%M" -o "$work/rss" "$@" > /dev/null 2>&1 || true; echo $(( $(cat "$work/rss") / 1024 )); }

# hyperfine's mean wall time in seconds of the command named $1 in $2.
mean() { python3 -c "import json,sys; r=[x for x in json.load(open(sys.argv[1]))['results'] if x['command']==sys.argv[2]][0]; print(r['mean'])" "$2" "$1"; }

compare() {
    local label=$1 size_file=$2; shift 2
    local cx_cmd=$1 rg_cmd=$2 rg_all_cmd=$3
    read -r ads bytes < "$size_file"
    hyperfine --style none --warmup 1 --runs "$runs" -N -i --export-json "$work/h.json" \
        -n cxtag "$cx_cmd" -n ripgrep "$rg_cmd" -n ripgrep-all "$rg_all_cmd" > /dev/null
    local cx rg rg_all
    cx=$(mean cxtag "$work/h.json")
    rg=$(mean ripgrep "$work/h.json")
    rg_all=$(mean ripgrep-all "$work/h.json")
    local cx_rss rg_rss
    # shellcheck disable=SC2086
    cx_rss=$(rss $cx_cmd)
    # shellcheck disable=SC2086
    rg_rss=$(rss $rg_cmd)
    python3 - "$label" "$ads" "$bytes" "$cx" "$rg" "$rg_all" "$cx_rss" "$rg_rss" <<'PY'
import sys
label, ads, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cx, rg, rg_all = map(float, sys.argv[4:7])
cx_rss, rg_rss = sys.argv[7], sys.argv[8]
print(f"| {label} | {ads:,} | {size/1e6:,.0f} | {cx:.2f} | {rg:.2f} | {cx/rg:.2f} | {rg_all:.2f} | {cx/rg_all:.2f} | {size/1e6/cx:,.0f} | {cx_rss} | {rg_rss} |")
PY
}

echo
echo "$(nproc) cores; mean of $runs runs after a warm-up (hyperfine); peak RSS from GNU time"
echo
echo "| corpus | ads | MB | cxtag s | rg -c s | cxtag / rg -c | rg --count-matches s | cxtag / rg --count-matches | cxtag MB/s | cxtag RSS MB | rg RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
pat=$work/patterns.txt
compare "files" "$work/ads.size" "$cxtag $work/ads --format jsonl" "rg -c -i -w -F -f $pat $work/ads" \
    "rg --count-matches -i -w -F -f $pat $work/ads"
compare "jsonl" "$work/ads.size" "$cxtag --input-format jsonl --format jsonl $corpus" "rg -c -i -w -F -f $pat $corpus" \
    "rg --count-matches -i -w -F -f $pat $corpus"
if ! $quick; then
    compare "files x${big_mb}MB" "$work/big.size" "$cxtag $work/big --format jsonl" "rg -c -i -w -F -f $pat $work/big" \
        "rg --count-matches -i -w -F -f $pat $work/big"
    compare "jsonl x${big_mb}MB" "$work/big.size" "$cxtag --input-format jsonl --format jsonl $work/big.jsonl" "rg -c -i -w -F -f $pat $work/big.jsonl" \
        "rg --count-matches -i -w -F -f $pat $work/big.jsonl"
fi

# One thread against `wc -w`, alternating so that both see the same machine.
echo
python3 - "$cxtag" "$corpus" "$((runs < 5 ? 5 : runs))" <<'PY'
import os, statistics, subprocess, sys, time
cxtag, corpus, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = dict(os.environ, LC_ALL="C.UTF-8")
commands = {
    "cxtag -j 1": [cxtag, "-j", "1", "--input-format", "jsonl", "--format", "jsonl", corpus],
    "wc -w": ["wc", "-w", corpus],
}
times = {name: [] for name in commands}
for _ in range(runs):
    for name, cmd in commands.items():
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)
        times[name].append(time.perf_counter() - start)
cx, wc = (statistics.median(times[n]) for n in commands)
size = os.path.getsize(corpus) / 1e6
print(f"one thread, {runs} alternating runs, medians: cxtag -j 1 {cx:.2f} s ({size / cx:,.0f} MB/s), "
      f"wc -w {wc:.2f} s ({size / wc:,.0f} MB/s); cxtag / wc -w = {cx / wc:.2f}")
PY
