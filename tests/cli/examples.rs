//! Every file in `examples/` is tagged as its name says (`<tag>--<what>.txt`).

use super::{Cxtag, root};

fn examples() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .map(|n| {
            let tag = n.split("--").next().unwrap().to_string();
            (format!("examples/{n}"), tag)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_example_is_tagged_as_its_name_says() {
    let examples = examples();
    assert!(examples.len() >= 10, "expected at least ten examples");
    for (path, expected) in &examples {
        let records = Cxtag::new().args(["--format", "jsonl", path]).run().jsonl();
        assert_eq!(records.len(), 1);
        assert_eq!(
            records[0]["tag"],
            expected.as_str(),
            "{path}: {}",
            records[0]
        );
        assert_eq!(records[0]["source"], path.as_str());
    }
}

#[test]
fn a_title_that_contradicts_the_duties_lowers_confidence() {
    let disguised = examples()
        .into_iter()
        .filter(|(p, tag)| tag == "service" && p.contains("head-of-cx"))
        .collect::<Vec<_>>();
    assert_eq!(disguised.len(), 5, "five CX-titled service examples");
    let confidence = |text: String| {
        let r = Cxtag::new()
            .args(["--format", "jsonl"])
            .stdin(text)
            .run()
            .jsonl();
        assert_eq!(r[0]["tag"], "service", "{}", r[0]);
        r[0]["confidence"].as_f64().unwrap()
    };
    for (path, _) in disguised {
        let text = std::fs::read_to_string(root().join(&path)).unwrap();
        let (title, body) = text.split_once('\n').unwrap();
        assert!(title.contains("Customer Experience"), "{path}: {title}");
        let honest = format!("Head of Customer Service\n{body}");
        let (claimed, said) = (confidence(text.clone()), confidence(honest));
        assert!(
            claimed < said,
            "{path}: {claimed} with the CX title, {said} without"
        );
    }
}

#[test]
fn the_readme_command_prints_a_table() {
    let out = Cxtag::new()
        .arg("examples/service--head-of-cx-care-team-and-complaints.txt")
        .run()
        .ok();
    assert!(out.contains("Head of Customer Experience"), "{out}");
    assert!(out.contains("service"), "{out}");
    assert!(out.contains("conf"), "{out}");
}

#[test]
fn the_readme_shows_what_its_commands_print() {
    // The first command's output, at the 100 columns the README shows, word for word; and
    // the first lines of a batch of the examples.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let one = Cxtag::new()
        .args(["--color", "never", "--width", "100"])
        .arg("examples/service--head-of-cx-care-team-and-complaints.txt")
        .run()
        .ok();
    assert!(
        readme.contains(one.trim_end()),
        "README's sample of the first command is not what it prints:\n{one}"
    );
    let batch = Cxtag::new()
        .args(["--color", "never", "--width", "120", "examples/"])
        .run()
        .ok();
    for line in batch.lines().take(3) {
        assert!(
            readme.contains(line.trim_end()),
            "README's batch sample lacks {line:?}"
        );
    }
}

#[test]
fn the_readme_json_sample_is_what_cxtag_prints() {
    // The sample is shortened: its lists are the first entries of the real ones, and every
    // other field is the real one.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find("### Machine-readable output").unwrap()..];
    let start = section.find("```json\n").unwrap() + "```json\n".len();
    let end = start + section[start..].find("\n```").unwrap();
    let shown: serde_json::Value = serde_json::from_str(&section[start..end]).unwrap();
    let path = shown["source"].as_str().unwrap();
    let out = Cxtag::new().args(["--format", "jsonl", path]).run().ok();
    let real: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    fn part_of(shown: &serde_json::Value, real: &serde_json::Value, at: &str) {
        match (shown, real) {
            (serde_json::Value::Array(s), serde_json::Value::Array(r)) => {
                assert!(s.len() <= r.len(), "{at}: more entries than cxtag prints");
                for (i, (s, r)) in s.iter().zip(r).enumerate() {
                    part_of(s, r, &format!("{at}[{i}]"));
                }
            }
            (serde_json::Value::Object(s), serde_json::Value::Object(r)) => {
                assert_eq!(
                    s.keys().collect::<Vec<_>>(),
                    r.keys().collect::<Vec<_>>(),
                    "{at}: the fields"
                );
                for (k, v) in s {
                    part_of(v, &r[k], &format!("{at}.{k}"));
                }
            }
            _ => assert_eq!(
                shown, real,
                "README's JSON sample at {at}: paste what `cxtag --format jsonl` prints"
            ),
        }
    }
    part_of(&shown, &real, "ad");
}

#[test]
fn stdin_is_read_when_no_path_or_dash_is_given() {
    let ad = std::fs::read(root().join("examples/acquisition--head-of-cx-digital-campaigns.txt"))
        .unwrap();
    for args in [vec!["--format", "jsonl"], vec!["--format", "jsonl", "-"]] {
        let r = Cxtag::new().args(&args).stdin(ad.clone()).run().jsonl();
        assert_eq!(r[0]["source"], "-");
        assert_eq!(r[0]["tag"], "acquisition");
    }
}

#[test]
fn explain_lists_every_fired_rule_with_line_and_column() {
    let out = Cxtag::new()
        .args([
            "--explain",
            "--width",
            "200",
            "examples/improvement--continuous-improvement-manager.txt",
        ])
        .run()
        .ok();
    assert!(out.contains("improvement.methods"), "{out}");
    assert!(out.contains("improvement.title"), "{out}");
    // the title rule fires on line 1, column 1
    assert!(out.contains("1:1"), "{out}");
    let r = Cxtag::new()
        .args([
            "--explain",
            "--format",
            "jsonl",
            "examples/improvement--continuous-improvement-manager.txt",
        ])
        .run()
        .jsonl();
    let fired = r[0]["fired"].as_array().unwrap();
    assert!(fired.len() > 3);
    let title = fired
        .iter()
        .find(|f| f["rule"] == "improvement.title")
        .unwrap();
    assert_eq!(
        (title["line"].as_u64(), title["col"].as_u64()),
        (Some(1), Some(1))
    );
}
