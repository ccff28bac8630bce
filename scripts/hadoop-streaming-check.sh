#!/usr/bin/env bash
# Checks the Hadoop Streaming contract of the README's mapper without Hadoop (which no
# registry this project reaches provides): the corpus is split at line boundaries into
# parts, as input splits are; each part is fed to the mapper line on standard input, in a
# task folder holding the binary as `-files` ships it, with an empty environment; a
# non-zero exit fails the task (stream.non.zero.exit.is.failure); each output line is
# split at the first tab into key and value, and written back as TextOutputFormat does.
# Then the same invariants as scripts/spark-check.sh: as many records as lines, every id
# once, the tags of a plain run, the bad lines as error records with their ids.
#
#   scripts/hadoop-streaming-check.sh [N_ADS] [PARTS]     (defaults 3000 and 7)
#
# Uses the debug build, or the binary named by CXTAG. Needs only python3 and coreutils.
set -euo pipefail
cd "$(dirname "$0")/.."
n_ads=${1:-3000}
parts=${2:-7}
work=target/hadoop-streaming-check
rm -rf "$work"
mkdir -p "$work/input" "$work/output" "$work/task"

if [[ -n ${CXTAG:-} ]]; then
    cxtag=$(realpath "$CXTAG")
else
    cargo build --quiet
    cxtag=$PWD/target/debug/cxtag
fi
ads=$work/ads.jsonl
python3 scripts/pipeline_check.py corpus examples "$ads" "$n_ads"
split -n "l/$parts" -d "$ads" "$work/input/part-"
"$cxtag" --no-config --input-format jsonl --format jsonl --keep-going --quiet "$ads" \
    > "$work/plain.jsonl" 2> "$work/plain.stderr"

# The mapper, as the README's command gives it to -mapper.
mapper=$(sed -n 's/^ *-mapper "\(.*\)" *\\\{0,1\}$/\1/p' README.md)
[[ -n $mapper ]] || { echo "hadoop-streaming-check: no -mapper line in README.md" >&2; exit 1; }
echo "hadoop-streaming-check: mapper: $mapper"
cp "$cxtag" "$work/task/cxtag"

for part in "$work"/input/part-*; do
    name=$(basename "$part")
    # shellcheck disable=SC2086 # the mapper line is split into words as Hadoop splits it
    # Standard error goes to the task's log, as Hadoop keeps it.
    if ! (cd "$work/task" && env -i $mapper) < "$part" > "$work/output/$name.mapper" \
        2> "$work/output/$name.stderr"; then
        echo "hadoop-streaming-check: the mapper failed on $name: the task would fail" >&2
        exit 1
    fi
    # Streaming takes what comes before the first tab as the key, the rest as the value
    # (empty when there is no tab); TextOutputFormat writes key, tab, value.
    python3 -c '
import sys
for line in sys.stdin.read().splitlines():
    key, _, value = line.partition("\t")
    sys.stdout.write(key + "\t" + value + "\n")
' < "$work/output/$name.mapper" > "$work/output/$name"
done
# A reader of the job output cuts each line at its first tab: the key is the record.
cat "$work"/output/part-?? | cut -f1 > "$work/results.jsonl"
python3 scripts/pipeline_check.py compare "$ads" "$work/plain.jsonl" "$work/results.jsonl" \
    "hadoop streaming ($parts splits)"

# A fatal error (a mistyped flag) must fail the task, not give an empty success.
if (cd "$work/task" && env -i ./cxtag --input-fromat jsonl) < /dev/null > /dev/null 2>&1; then
    echo "hadoop-streaming-check: a mistyped flag exited 0" >&2
    exit 1
fi
echo "hadoop-streaming-check: passed"
