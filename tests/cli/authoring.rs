//! The rule author's tools: `rules check|list|test|stats` and `eval`.

use super::{Cxtag, TempDir, root, temp_file};

/// The examples, labelled by the tag their file name promises.
pub(super) fn example_labels(dir: &TempDir) -> std::path::PathBuf {
    let mut csv = String::from("id,label\n");
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    for name in names {
        let label = name.split("--").next().unwrap();
        // Ids are paths relative to the label file.
        csv.push_str(&format!(
            "{},{label}\n",
            root().join("examples").join(&name).display()
        ));
    }
    temp_file(&dir.0, "labels.csv", csv.as_bytes())
}

#[test]
fn rules_check_reports_every_problem_of_a_broken_folder_with_locations() {
    let r = Cxtag::new()
        .args([
            "rules",
            "check",
            "--no-default-rules",
            "tests/data/rules-broken",
        ])
        .run();
    assert_eq!(r.code(), 1);
    let err = r.stderr();
    for expected in [
        "a-syntax.toml:4:10: error: extra `=`",
        "b-semantics.toml:12:17: error: rule `cx.two`: bad regex",
        "b-semantics.toml:15:6: error: duplicate rule id `cx.two`",
        "b-semantics.toml:21:10: error: rule `cx.three`: weight must be",
        "b-semantics.toml:7:13: warning: rule `cx.one`: keyword \"team\" is so common",
        "b-semantics.toml:4:6: warning: rule `cx.one` has no `label`: tables call it \"one\"",
        "c-unknown-field.toml:8:1: error: unknown field `colour`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert!(
        r.stdout().contains("5 error(s), 4 warning(s)"),
        "{}",
        r.stdout()
    );
}

#[test]
fn rules_check_passes_the_defaults() {
    let r = Cxtag::new().args(["rules", "check"]).run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(r.stdout().contains("0 error(s), 0 warning(s)"));
}

#[test]
fn rules_list_filters_by_role_and_prints_json_and_patterns() {
    let out = Cxtag::new()
        .args(["rules", "list", "--role", "service", "--format", "json"])
        .run()
        .ok();
    let rules: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(rules.len() >= 5);
    assert!(
        rules
            .iter()
            .all(|r| r["role"] == "service" && r["signal"].is_null())
    );
    assert!(
        rules
            .iter()
            .any(|r| r["id"] == "service.title" && r["scope"] == "title")
    );

    let breadth = Cxtag::new()
        .args(["rules", "list", "--role", "breadth", "--format", "json"])
        .run()
        .ok();
    let breadth: Vec<serde_json::Value> = serde_json::from_str(&breadth).unwrap();
    assert_eq!(breadth.len(), 6, "one breadth rule per discipline");

    let patterns = Cxtag::new()
        .args(["rules", "list", "--format", "patterns"])
        .run()
        .ok();
    let lines: Vec<&str> = patterns.lines().collect();
    assert!(lines.contains(&"contact centre") && lines.contains(&"voice of the customer"));
    let unique: std::collections::HashSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "each pattern once");

    let table = Cxtag::new().args(["rules", "list"]).run().ok();
    assert!(table.contains("service.complaints") && table.contains("rule(s)"));
}

#[test]
fn rules_list_says_what_signal_rules_count_for() {
    // They were listed as `cx` rules, the role they describe, with the signal beside.
    let json = |role: &str| {
        let out = Cxtag::new()
            .args(["rules", "list", "--role", role, "--format", "json"])
            .run()
            .ok();
        serde_json::from_str::<Vec<serde_json::Value>>(&out).unwrap()
    };
    let mandate = json("mandate");
    assert!(!mandate.is_empty());
    assert!(
        mandate
            .iter()
            .all(|r| r["role"] == "mandate" && r["signal"] == "mandate"),
        "{mandate:?}"
    );
    for r in json("breadth") {
        let discipline = r["signal"]["breadth"].as_str().unwrap();
        assert_eq!(r["role"], format!("breadth: {discipline}"), "{r}");
    }
    for spelled in ["breadth: design", "breadth:design"] {
        let design = json(spelled);
        assert_eq!(design.len(), 1, "{spelled}");
        assert_eq!(design[0]["id"], "breadth.design");
    }
    assert!(json("cx").iter().all(|r| r["role"] == "cx"));

    let table = Cxtag::new()
        .args(["rules", "list", "--role", "breadth"])
        .run()
        .ok();
    assert!(table.contains("breadth: design"), "{table}");
}

#[test]
fn rules_test_runs_the_default_examples_and_catches_a_failing_one() {
    let r = Cxtag::new().args(["rules", "test"]).run();
    assert_eq!(r.code(), 0, "{}", r.stdout());
    assert!(r.stdout().contains(": 0 failed"), "{}", r.stdout());

    let dir = TempDir::new("rules-test");
    let file = temp_file(
        &dir.0,
        "bad-example.toml",
        b"role = \"cx\"\n[[rule]]\nid = \"cx.mine\"\nweight = 1\nphrases = [\"journey map\"]\nexamples = [\"We draw journey maps\"]\ncounterexamples = [\"A journey map of the site\"]\n",
    );
    let r = Cxtag::new()
        .args(["rules", "test", "--no-default-rules", "--rules"])
        .arg(&file)
        .run();
    assert_eq!(r.code(), 1);
    let out = r.stdout();
    assert!(
        out.contains("rule `cx.mine`: example \"We draw journey maps\" does not fire it"),
        "{out}"
    );
    assert!(
        out.contains("counterexample \"A journey map of the site\" fires it"),
        "{out}"
    );
}

#[test]
fn rules_stats_reports_coverage_conflict_and_precision() {
    let dir = TempDir::new("stats");
    let labels = example_labels(&dir);
    let out = Cxtag::new()
        .args(["rules", "stats", "--format", "json", "--labels"])
        .arg(&labels)
        .arg("examples")
        .run()
        .ok();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    let complaints = row("service.complaints");
    assert!(complaints["ads"].as_u64().unwrap() >= 3, "{complaints}");
    let coverage = complaints["coverage"].as_f64().unwrap();
    assert!(coverage > 0.0 && coverage < 1.0);
    assert!(
        complaints["precision"].as_f64().unwrap() > 0.5,
        "{complaints}"
    );
    assert!(
        row("cx.title")["conflict"].as_f64().unwrap() > 0.0,
        "disguised CX titles lose"
    );
    assert!(
        row("mandate.budget")["precision"].is_null(),
        "signals have no role precision"
    );
}

#[test]
fn eval_scores_labelled_files_and_lists_errors() {
    let dir = TempDir::new("eval");
    let labels = example_labels(&dir);
    let out = Cxtag::new()
        .args(["eval", "--format", "json", "--labels"])
        .arg(&labels)
        .arg("examples")
        .run()
        .ok();
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["metrics"]["accuracy"], 1.0, "{r}");
    assert_eq!(r["metrics"]["macro_f1"], 1.0);
    assert_eq!(r["errors"].as_array().unwrap().len(), 0);
    let n = r["metrics"]["n"].as_u64().unwrap();
    let banded: u64 = r["metrics"]["calibration"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(banded, n, "every ad is in one confidence band");

    // One wrong label: one error, listed with its evidence, and a lower score.
    let text = std::fs::read_to_string(&labels).unwrap();
    let wrong = text.replacen(",improvement\n", ",acquisition\n", 1);
    let wrong_labels = temp_file(&dir.0, "wrong.csv", wrong.as_bytes());
    let table = Cxtag::new()
        .args(["eval", "--labels"])
        .arg(&wrong_labels)
        .arg("examples")
        .run()
        .ok();
    assert!(table.contains("misclassified: 1"), "{table}");
    assert!(table.contains("Continuous Improvement Manager"), "{table}");
    assert!(table.contains("calibration"), "{table}");
}

#[test]
fn eval_reads_jsonl_ids_and_refuses_unknown_labels_and_missing_ids() {
    let dir = TempDir::new("eval-jsonl");
    let ad =
        std::fs::read_to_string(root().join("examples/cx--head-of-cx-weak-mandate.txt")).unwrap();
    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a1", "text": ad}),
        serde_json::json!({"id": "a2", "text": "Staff Nurse\nWard rounds and patient care on a busy surgical ward."})
    );
    let ads = temp_file(&dir.0, "ads.jsonl", jsonl.as_bytes());
    let labels = temp_file(&dir.0, "labels.csv", b"id,label\na1,cx\na2,other\n");
    let out = Cxtag::new()
        .args([
            "eval",
            "--input-format",
            "jsonl",
            "--format",
            "json",
            "--labels",
        ])
        .arg(&labels)
        .arg(&ads)
        .run()
        .ok();
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["metrics"]["n"], 2);
    assert_eq!(r["metrics"]["accuracy"], 1.0, "{r}");

    let bad = temp_file(&dir.0, "bad.csv", b"id,label\na1,cx\na2,nursing\n");
    let r = Cxtag::new()
        .args(["eval", "--input-format", "jsonl", "--labels"])
        .arg(&bad)
        .arg(&ads)
        .run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("bad.csv:3: unknown label \"nursing\""),
        "{}",
        r.stderr()
    );

    let missing = temp_file(&dir.0, "missing.csv", b"id,label\na1,cx\nzz9,other\n");
    let r = Cxtag::new()
        .args(["eval", "--input-format", "jsonl", "--labels"])
        .arg(&missing)
        .arg(&ads)
        .run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("1 labelled id(s) have no ad") && r.stderr().contains("zz9"),
        "{}",
        r.stderr()
    );
}

#[test]
fn eval_compare_rules_shows_the_ads_that_change_tag() {
    let dir = TempDir::new("compare");
    let old = dir.0.join("old");
    std::fs::create_dir(&old).unwrap();
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&p, old.join(p.file_name().unwrap())).unwrap();
        }
    }
    // The old rules knew nothing of complaints or contact centres.
    temp_file(
        &old,
        "zz-old.toml",
        b"[[override]]\nid = \"service.complaints\"\nenabled = false\n[[override]]\nid = \"service.contact-centre\"\nenabled = false\n",
    );
    let labels = example_labels(&dir);
    let out = Cxtag::new()
        .args(["eval", "--format", "json", "--compare-rules"])
        .arg(&old)
        .arg("--labels")
        .arg(&labels)
        .arg("examples")
        .run()
        .ok();
    let r: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &r["compare"];
    assert_ne!(c["rules"], r["rules"], "two fingerprints");
    let changed = c["changed"].as_array().unwrap();
    assert!(!changed.is_empty(), "{r}");
    assert!(
        changed
            .iter()
            .all(|ch| ch["new"] == "service" && ch["old"] != "service"),
        "{changed:?}"
    );
    assert!(
        c["metrics"]["macro_f1"].as_f64().unwrap() < r["metrics"]["macro_f1"].as_f64().unwrap()
    );

    // Without labels, the changes on an unlabelled corpus still show.
    let table = Cxtag::new()
        .args(["eval", "--compare-rules"])
        .arg(&old)
        .arg("examples")
        .run()
        .ok();
    assert!(table.contains("ads change tag"), "{table}");
}
