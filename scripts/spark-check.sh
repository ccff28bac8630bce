#!/usr/bin/env bash
# Runs the README's Spark recipes, as written, on a local Spark (local[2]) over a corpus
# of a few thousand synthetic ads with bad lines among them, and checks the pipeline
# contract: as many records out as lines in, every id once, the same tags as a plain
# `cxtag --input-format jsonl` run, and the bad lines as error records with their ids.
#
#   scripts/spark-check.sh [N_ADS]      (default 3000)
#
# Installs what it needs: a Java runtime from Debian when `java` is missing (as root, or
# through sudo), and pyspark, pandas and pyarrow from PyPI in a virtual environment under
# target/spark-venv. `.ci/run` runs it when CXTAG_SPARK=1.
set -euo pipefail
cd "$(dirname "$0")/.."
n_ads=${1:-3000}
started=$SECONDS
work=target/spark-check
venv=target/spark-venv

if ! command -v java >/dev/null; then
    echo "spark-check: installing a Java runtime from Debian" >&2
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq && $sudo apt-get install -y -qq default-jre-headless >/dev/null
fi
# PySpark 4 warns that it does not yet fully support pandas 3.
if ! "$venv/bin/python" -c 'import pyspark, pyarrow, pandas; assert pandas.__version__ < "3"' 2>/dev/null; then
    echo "spark-check: installing pyspark into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "pyspark>=4.0,<5" "pandas>=2.2,<3" pyarrow
fi
echo "spark-check: $(java -version 2>&1 | head -1); pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"

cargo build --release --quiet
export CXTAG=$PWD/target/release/cxtag
mkdir -p "$work"
ads=$work/ads.jsonl
"$venv/bin/python" scripts/pipeline_check.py corpus examples "$ads" "$n_ads"
echo "spark-check: $(wc -l < "$ads") lines in $ads"

# The reference: the same file through cxtag alone, with the flags the recipe uses.
"$CXTAG" --no-config --input-format jsonl --format jsonl --keep-going --quiet "$ads" \
    > "$work/plain.jsonl" 2> "$work/plain.stderr"
"$venv/bin/python" scripts/pipeline_check.py compare "$ads" "$work/plain.jsonl" "$work/plain.jsonl" "plain run"

# The recipes are read from README.md, so what is checked is what users copy.
# Spark starts the pipe with an empty environment: the recipe must work without PATH.
# Spark's log and cxtag's messages about the bad lines go to a file, shown on failure.
if ! env -u CXTAG_SPARK PYSPARK_PYTHON="$venv/bin/python" CXTAG="$CXTAG" \
    "$venv/bin/python" scripts/pipeline_check.py spark README.md "$ads" "$work/plain.jsonl" \
    2> "$work/spark.stderr"; then
    grep -v -E '^(WARNING|Using Spark|Setting default log level|To adjust logging|[0-9/: ]+ WARN )' \
        "$work/spark.stderr" >&2
    echo "spark-check: failed (Spark's log: $work/spark.stderr)" >&2
    exit 1
fi
echo "spark-check: passed in $((SECONDS - started)) s (Spark's log: $work/spark.stderr)"
