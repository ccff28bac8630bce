"""The pipeline contract of `cxtag --input-format jsonl`, checked the way a job sees it.

Used by scripts/spark-check.sh and scripts/hadoop-streaming-check.sh:

    pipeline_check.py corpus EXAMPLES_DIR OUT.jsonl N     a corpus of N ads plus bad lines,
                                                          and OUT.expected.json beside it
    pipeline_check.py compare ADS.jsonl PLAIN.jsonl RESULTS.jsonl WHAT
                                                          checks results against the input
                                                          and a plain run
    pipeline_check.py spark README.md ADS.jsonl PLAIN.jsonl
                                                          runs the README's Spark recipes
                                                          (needs pyspark) and checks them

The invariants: as many records out as lines in; every id once; the same tags as a plain
run; the bad lines as error records, with their ids when they have one. Standard library
only, except `spark`.
"""

import collections
import json
import os
import random
import re
import sys
from pathlib import Path

# Ids that are the same number for a float: through f64 both would print as 1.2345678901234568e+22.
BIG_IDS = ["12345678901234567890123", "12345678901234567890124"]


def make_corpus(examples_dir, out, n):
    """Writes n synthetic ads made from the examples' paragraphs, with bad lines among
    them, and the expected record of each line to OUT.expected.json."""
    rng = random.Random(17)
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(examples_dir).glob("*.txt"))]
    paragraphs = [[q for q in t.split("\n\n") if q.strip()] for t in texts]
    lines, expected = [], []
    for i in range(n):
        base = paragraphs[i % len(paragraphs)]
        # The title paragraph stays first; the rest is shuffled and sometimes thinned, so
        # the ads differ and their tags spread.
        body = base[1:]
        rng.shuffle(body)
        if len(body) > 3 and rng.random() < 0.3:
            body = body[: len(body) - 1]
        text = "\n\n".join([base[0]] + body)
        if i % 3 == 0:
            ad_id = str(10**20 + i)  # a number larger than any 64-bit integer
            lines.append('{"id": %s, "text": %s}' % (ad_id, json.dumps(text)))
        else:
            ad_id = "ad-%05d" % i
            lines.append(json.dumps({"id": ad_id, "title": "x", "text": text}))
        expected.append({"type": "ad", "id": ad_id})
    bad = [
        ('{"id": "bad-json", "text": "Head of Customer Experience', {"type": "error", "id": "bad-json", "why": "invalid JSON"}),
        ("", {"type": "error", "id": None, "why": "blank line"}),
        ('{"id": "no-text", "title": "Head of CX"}', {"type": "error", "id": "no-text", "why": "no `text` field"}),
        ('{"id": "empty-text", "text": "  "}', {"type": "error", "id": "empty-text", "why": "empty text"}),
        ("not json at all", {"type": "error", "id": None, "why": "invalid JSON"}),
    ]
    bad += [
        ('{"id": %s, "text": %s}' % (big, json.dumps(texts[0])), {"type": "ad", "id": big})
        for big in BIG_IDS
    ]
    # Spread the bad lines over the file, so each lands in some split or partition.
    for k, (line, exp) in enumerate(bad):
        at = (k + 1) * len(lines) // (len(bad) + 1)
        lines.insert(at, line)
        expected.insert(at, exp)
    Path(out).write_text("".join(l + "\n" for l in lines), encoding="utf-8")
    Path(out + ".expected.json").write_text(json.dumps(expected), encoding="utf-8")


def read_records(path_or_lines):
    lines = path_or_lines
    if isinstance(path_or_lines, (str, Path)):
        lines = Path(path_or_lines).read_text(encoding="utf-8").splitlines()
    return [json.loads(l) for l in lines]


def record_id(r):
    """The id a record carries (None when an error line's id could not be read)."""
    return r.get("id")


def check(ads, plain, results, what):
    """Checks `results` (records from a pipeline) against the input and a plain run; raises
    AssertionError naming the first broken invariant."""
    expected = json.loads(Path(str(ads) + ".expected.json").read_text(encoding="utf-8"))
    n_lines = len(Path(ads).read_bytes().split(b"\n")) - 1
    assert len(expected) == n_lines, "corpus and its expectations disagree"
    assert len(results) == n_lines, f"{what}: {len(results)} records for {n_lines} lines"
    ids = [record_id(r) for r in results if record_id(r) is not None]
    dupes = [i for i, c in collections.Counter(ids).items() if c > 1]
    assert not dupes, f"{what}: ids more than once: {dupes[:5]}"
    got = collections.Counter((r["type"], record_id(r)) for r in results)
    want = collections.Counter((e["type"], e["id"]) for e in expected)
    assert got == want, f"{what}: records differ from the input: missing {want - got}, extra {got - want}"
    for e in expected:
        if e["type"] == "error":
            matching = [r for r in results if r["type"] == "error" and r.get("id") == e["id"] and e["why"] in r["error"]]
            assert matching, f"{what}: no error record with id {e['id']} saying {e['why']!r}"
    for big in BIG_IDS:
        assert ("ad", big) in got, f"{what}: the id {big} did not come out as written"
    tags = {r["id"]: (r["tag"], r["confidence"]) for r in results if r["type"] == "ad"}
    plain_tags = {r["id"]: (r["tag"], r["confidence"]) for r in plain if r["type"] == "ad"}
    assert tags == plain_tags, f"{what}: tags differ from a plain run: " + str(
        [(k, tags.get(k), plain_tags.get(k)) for k in set(tags) | set(plain_tags) if tags.get(k) != plain_tags.get(k)][:5]
    )
    errors = sum(1 for r in results if r["type"] == "error")
    print(f"{what}: ok: {len(results)} records for {n_lines} lines, {len(tags)} ads with the tags of a plain run, "
          f"{errors} error records with their ids")


def recipe(readme, name):
    """The ```python block between <!-- NAME --> and <!-- /NAME --> in the README."""
    text = Path(readme).read_text(encoding="utf-8")
    m = re.search(r"<!-- %s -->\s*```python\n(.*?)```\s*<!-- /%s -->" % (name, name), text, re.S)
    assert m, f"no {name} recipe in {readme}"
    return m.group(1)


def spark(readme, ads, plain_path):
    from pyspark.sql import SparkSession

    plain = read_records(plain_path)
    # Two local executor threads, as a small cluster would have several tasks; the
    # recipe's getOrCreate() picks this session up.
    (
        SparkSession.builder.master("local[2]")
        .appName("cxtag spark-check")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
        .sparkContext.setLogLevel("ERROR")
    )
    os.environ["ADS"] = str(Path(ads).resolve())
    scope = {}
    exec(compile(recipe(readme, "spark-rdd"), "README.md (spark-rdd)", "exec"), scope)
    results = read_records(scope["results"].collect())
    partitions = scope["results"].getNumPartitions()
    check(ads, plain, results, f"spark RDD.pipe ({partitions} partitions)")
    tagged, ads_df = scope["tagged"], scope["ads_df"]
    n_ads = sum(1 for r in results if r["type"] == "ad")
    assert tagged.count() == ads_df.count(), "the join lost or added rows"
    joined = tagged.where("tag IS NOT NULL").count()
    assert joined == n_ads, f"{joined} rows joined to a tag, for {n_ads} ads"
    print(f"spark RDD.pipe: ok: {joined} ads joined back on id")
    # More partitions than lines per task would suggest, with the recipe's own command:
    # each partition is a separate cxtag reading its own standard input.
    more = scope["spark"].sparkContext.textFile(os.environ["ADS"], 8).pipe(scope["COMMAND"], checkCode=True)
    check(ads, plain, read_records(more.collect()), f"spark RDD.pipe ({more.getNumPartitions()} partitions)")

    exec(compile(recipe(readme, "spark-connect"), "README.md (spark-connect)", "exec"), scope)
    rows = [r.asDict() for r in scope["tags_df"].collect()]
    got = {r["id"]: r["tag"] for r in rows if r["type"] == "ad"}
    # ads_df holds the lines Spark could read as JSON; each of its ads must get the tag
    # of a plain run.
    want = {r["id"]: r["tag"] for r in plain if r["type"] == "ad"}
    assert len(rows) == ads_df.count(), f"mapInPandas: {len(rows)} records for {ads_df.count()} rows"
    assert got == want, "mapInPandas: tags differ from a plain run"
    joined = scope["tagged"].where("tag IS NOT NULL").count()
    assert joined == len(want), f"mapInPandas: {joined} rows joined, for {len(want)} ads"
    print(f"spark mapInPandas: ok: {len(rows)} records, {len(got)} ads with the tags of a plain run, joined back on id")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "corpus" and len(argv) == 5:
        make_corpus(argv[2], argv[3], int(argv[4]))
    elif cmd == "compare" and len(argv) == 6:
        check(argv[2], read_records(argv[3]), read_records(argv[4]), argv[5])
    elif cmd == "spark" and len(argv) == 5:
        spark(argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
