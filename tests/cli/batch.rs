//! Folders, JSON Lines input, failures in a batch, and closed pipes.

use std::io::Read;
use std::process::{Command, Stdio};

use super::{Cxtag, TempDir, root, temp_file};

#[test]
fn a_folder_is_walked_in_path_order_skipping_hidden_files() {
    let r = Cxtag::new().args(["--format", "jsonl", "examples"]).run();
    let records = r.jsonl();
    let sources: Vec<&str> = records
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted);
    assert!(sources.len() >= 10);
    assert!(sources.iter().all(|s| s.starts_with("examples/")));
    // No progress bar or other chatter when standard error is not a terminal.
    assert_eq!(r.stderr(), "");
}

#[test]
fn one_bad_file_in_a_folder_is_reported_and_the_rest_classified() {
    let dir = TempDir::new("batch");
    let good =
        std::fs::read(root().join("examples/cx--head-of-cx-journeys-and-insight.txt")).unwrap();
    temp_file(&dir.0, "a-good.txt", &good);
    temp_file(&dir.0, "b-binary.txt", &[0, 159, 146, 150, 0, 0, 1, 2]);
    temp_file(&dir.0, ".hidden.txt", b"never read");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.0.join("gone.txt"), dir.0.join("c-broken-link.txt")).unwrap();
    temp_file(&dir.0, "d-good.txt", &good);
    // Links are only followed with --follow; without it the broken link is skipped.
    let r = Cxtag::new()
        .args(["--format", "jsonl", "--follow"])
        .arg(&dir.0)
        .run();
    assert_eq!(r.code(), 2, "{}", r.stderr());
    let records = r.jsonl();
    let ads: Vec<_> = records.iter().filter(|r| r["type"] == "ad").collect();
    let errors: Vec<_> = records.iter().filter(|r| r["type"] == "error").collect();
    assert_eq!(ads.len(), 2, "{records:?}");
    assert!(ads.iter().all(|a| a["tag"] == "cx"));
    let err = r.stderr();
    assert!(err.contains("b-binary.txt: binary file"), "{err}");
    #[cfg(unix)]
    assert!(err.contains("c-broken-link.txt"), "{err}");
    assert_eq!(errors.len(), if cfg!(unix) { 2 } else { 1 });
    assert!(!err.contains("hidden"), "{err}");
}

#[test]
fn jsonl_input_uses_id_and_text_fields_and_reports_bad_lines() {
    let dir = TempDir::new("jsonl");
    let good = std::fs::read_to_string(
        root().join("examples/improvement--continuous-improvement-manager.txt"),
    )
    .unwrap();
    let lines = [
        serde_json::json!({"ref": "ad-1", "body": good}).to_string(),
        "{not json".to_string(),
        serde_json::json!({"ref": "ad-3"}).to_string(),
        String::new(),
        serde_json::json!({"ref": 4, "body": good}).to_string(),
    ];
    let p = temp_file(&dir.0, "ads.jsonl", lines.join("\n").as_bytes());
    let r = Cxtag::new()
        .args([
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
            "--id-field",
            "ref",
            "--text-field",
            "body",
        ])
        .arg(&p)
        .run();
    assert_eq!(r.code(), 2);
    let rec = r.jsonl();
    // One record per line: the blank line too (tests/cli/pipelines.rs has the contract).
    assert_eq!(rec.len(), 5);
    assert_eq!(
        (rec[0]["id"].as_str(), rec[0]["tag"].as_str()),
        (Some("ad-1"), Some("improvement"))
    );
    let source = rec[0]["source"].as_str().unwrap();
    assert!(source.ends_with(".jsonl:1"), "the record's place: {source}");
    assert!(
        rec[1]["error"]
            .as_str()
            .unwrap()
            .contains(":2: invalid JSON"),
        "{}",
        rec[1]
    );
    assert!(
        rec[2]["error"]
            .as_str()
            .unwrap()
            .contains(":3: id ad-3: no `body` field"),
        "{}",
        rec[2]
    );
    assert!(
        rec[3]["error"].as_str().unwrap().contains(":4: blank line"),
        "{}",
        rec[3]
    );
    assert_eq!(rec[4]["id"], "4", "a numeric id is kept as written");
    assert!(rec[4]["source"].as_str().unwrap().ends_with(".jsonl:5"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // The whole examples folder, many times over, into a reader that takes one line.
    let dir = TempDir::new("pipe");
    let ad =
        std::fs::read(root().join("examples/cx--head-of-cx-journeys-and-insight.txt")).unwrap();
    for i in 0..600 {
        temp_file(&dir.0, &format!("ad{i:04}.txt"), &ad);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtag"))
        .args(["--format", "jsonl"])
        .arg(&dir.0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = Cxtag::new()
        .args(["--format", "jsonl", "-j", "1", "examples"])
        .run()
        .ok();
    let two = Cxtag::new()
        .args(["--format", "jsonl", "-j", "2", "examples"])
        .run()
        .ok();
    assert_eq!(one, two);
    assert!(one.lines().count() >= 10);
}

#[test]
fn html_ads_are_read_as_text_without_markup_or_scripts() {
    let r = Cxtag::new()
        .args([
            "--format",
            "json",
            "--explain",
            "tests/data/service-ad.html",
        ])
        .run();
    let out = r.ok();
    let records: serde_json::Value = serde_json::from_str(&out).unwrap();
    let ad = &records[0];
    assert_eq!(ad["title"], "Head of Customer Experience");
    assert_eq!(ad["tag"], "service");
    // The script's marketing words are not text of the ad.
    assert!(ad["scores"]["acquisition"].as_f64().unwrap() == 0.0, "{ad}");
    let snippets: Vec<&str> = ad["fired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["snippet"].as_str().unwrap())
        .collect();
    assert!(
        snippets
            .iter()
            .all(|s| !s.contains('<') && !s.contains("&amp;")),
        "{snippets:?}"
    );
}

#[test]
fn html_on_standard_input_is_recognised_by_its_doctype() {
    let html = std::fs::read(root().join("tests/data/service-ad.html")).unwrap();
    let r = Cxtag::new().args(["--format", "jsonl"]).stdin(html).run();
    let records = r.jsonl();
    assert_eq!(records[0]["title"], "Head of Customer Experience");
    assert_eq!(records[0]["tag"], "service");
}

/// What one generated input file holds.
#[derive(Debug, Clone)]
enum Kind {
    Ad(usize),
    Empty,
    Binary,
}

fn kind() -> impl proptest::strategy::Strategy<Value = Kind> {
    use proptest::prelude::*;
    prop_oneof![
        6 => (0usize..12).prop_map(Kind::Ad),
        1 => Just(Kind::Empty),
        1 => Just(Kind::Binary),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(6))]

    /// Every input is in the output exactly once, as an ad or an error, in input order,
    /// whatever the thread count; folders and JSON Lines alike.
    #[test]
    fn every_ad_is_reported_exactly_once(kinds in proptest::collection::vec(kind(), 1..400), threads in 1usize..9) {
        let examples: Vec<String> = {
            let mut p: Vec<_> = std::fs::read_dir(root().join("examples")).unwrap()
                .map(|e| e.unwrap().path()).collect();
            p.sort();
            p.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
        };
        let dir = TempDir::new(&format!("once-{threads}-{}", kinds.len()));
        let mut jsonl = String::new();
        for (i, k) in kinds.iter().enumerate() {
            let bytes: Vec<u8> = match k {
                Kind::Ad(n) => examples[n % examples.len()].clone().into_bytes(),
                Kind::Empty => b"  \n".to_vec(),
                Kind::Binary => vec![0, 1, 2, 0, 3],
            };
            temp_file(&dir.0, &format!("{i:04}.txt"), &bytes);
            match k {
                Kind::Ad(n) => jsonl.push_str(&serde_json::json!({"id": format!("{i:04}"), "text": examples[n % examples.len()]}).to_string()),
                Kind::Empty => jsonl.push_str(&serde_json::json!({"id": format!("{i:04}"), "text": " "}).to_string()),
                Kind::Binary => jsonl.push_str("{broken json"),
            }
            jsonl.push('\n');
        }
        let jsonl_path = dir.0.join("ads.jsonl.input");
        std::fs::write(&jsonl_path, jsonl).unwrap();
        let folder = Cxtag::new()
            .args(["--format", "jsonl", "-j", &threads.to_string()])
            .arg(&dir.0)
            .run();
        let lines = Cxtag::new()
            .args(["--format", "jsonl", "--input-format", "jsonl", "-j", &threads.to_string()])
            .arg(&jsonl_path)
            .run();
        for (run, what) in [(folder, "folder"), (lines, "jsonl")] {
            let records = run.jsonl();
            proptest::prop_assert_eq!(records.len(), kinds.len(), "{}", what);
            let failed = kinds.iter().filter(|k| !matches!(k, Kind::Ad(_))).count();
            let errors = records.iter().filter(|r| r["type"] == "error").count();
            proptest::prop_assert_eq!(errors, failed, "{}", what);
            proptest::prop_assert_eq!(run.code(), if failed > 0 { 2 } else { 0 });
            let ads: Vec<&serde_json::Value> = records.iter().filter(|r| r["type"] == "ad").collect();
            let sources: Vec<&str> = ads.iter().map(|r| r["id"].as_str().unwrap()).collect();
            let mut sorted = sources.clone();
            sorted.sort();
            sorted.dedup();
            proptest::prop_assert_eq!(sorted.len(), sources.len(), "no ad twice ({})", what);
            proptest::prop_assert!(sources.windows(2).all(|w| w[0] < w[1]), "input order ({})", what);
        }
    }
}

#[test]
fn a_folder_without_ads_is_reported() {
    let dir = TempDir::new("no-ads");
    temp_file(&dir.0, "notes.pdf", b"%PDF-1.4");
    temp_file(&dir.0, ".hidden.txt", b"Head of CX");
    let good = root().join("examples/cx--head-of-cx-weak-mandate.txt");
    let r = Cxtag::new()
        .args(["--format", "jsonl"])
        .arg(&dir.0)
        .arg(&good)
        .run();
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("no ads in this folder"),
        "{}",
        r.stderr()
    );
    let records = r.jsonl();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["type"], "error");
    assert_eq!(records[1]["tag"], "cx");
}
