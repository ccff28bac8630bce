//! Whole outputs, checked against files in `tests/golden/`: every change of wording or
//! of a verdict on the examples shows in review as a diff of those files.
//!
//! After an intended change, regenerate them and read the diff before committing:
//!
//! ```sh
//! CXTAG_BLESS=1 cargo test --test cli golden
//! git diff tests/golden/
//! ```

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Cxtag, root};

/// One golden case: a file name under `tests/golden/` and the arguments that produce it.
struct Case {
    file: String,
    args: Vec<String>,
}

fn case(file: impl Into<String>, args: &[&str]) -> Case {
    Case {
        file: file.into(),
        args: args.iter().map(|a| a.to_string()).collect(),
    }
}

/// Every ad in `examples/` in each per-ad format, then the whole folder as a batch in
/// every format.
fn cases() -> Vec<Case> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    let mut cases = Vec::new();
    for name in &names {
        let path = format!("examples/{name}");
        let stem = name.trim_end_matches(".txt");
        // Fixed width and no colour: the output must not depend on the terminal.
        let table = ["--color", "never", "--width", "100"];
        cases.push(case(
            format!("{stem}.table"),
            &[&table[..], &[&path]].concat(),
        ));
        cases.push(case(
            format!("{stem}.explain"),
            &[&table[..], &["--explain", &path]].concat(),
        ));
        cases.push(case(format!("{stem}.jsonl"), &["--format", "jsonl", &path]));
    }
    let batch = ["--color", "never", "--width", "100", "examples/"];
    cases.push(case("batch.table", &batch));
    cases.push(case(
        "batch.summary",
        &[&["--summary-only"], &batch[..]].concat(),
    ));
    for format in ["json", "csv", "tsv", "html"] {
        cases.push(case(
            format!("batch.{format}"),
            &["--format", format, "examples/"],
        ));
    }
    for format in ["json", "csv"] {
        cases.push(case(
            format!("batch.summary.{format}"),
            &["--summary-only", "--format", format, "examples/"],
        ));
    }
    cases
}

fn golden_dir() -> PathBuf {
    root().join("tests/golden")
}

/// The first lines where `want` and `got` differ, numbered, for the failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let at = (0..w.len().max(g.len()))
        .find(|&i| w.get(i) != g.get(i))
        .unwrap_or(0);
    let show = |lines: &[&str]| {
        lines
            .iter()
            .enumerate()
            .skip(at)
            .take(6)
            .map(|(i, l)| format!("  {:>4} | {l}\n", i + 1))
            .collect::<String>()
    };
    format!(
        "first difference at line {}\nexpected:\n{}got:\n{}",
        at + 1,
        show(&w),
        show(&g)
    )
}

#[test]
fn outputs_match_the_golden_files() {
    let bless = std::env::var_os("CXTAG_BLESS").is_some();
    let dir = golden_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    let mut expected_files = BTreeSet::new();
    for c in cases() {
        let run = Cxtag::new().args(&c.args).run();
        // Exit code and standard error are part of the contract too.
        let got = format!(
            "$ cxtag {}\n# exit {}\n# stderr:\n{}# stdout:\n{}",
            c.args.join(" "),
            run.code(),
            run.stderr(),
            run.stdout()
        );
        let path = dir.join(&c.file);
        expected_files.insert(c.file.clone());
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: output changed; {}",
                c.file,
                first_difference(&want, &got)
            )),
            Err(_) => failures.push(format!("{}: no golden file", c.file)),
        }
    }
    // A golden file that no case writes is stale: an example was renamed or removed.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !expected_files.contains(&name) {
            if bless {
                std::fs::remove_file(dir.join(&name)).unwrap();
            } else {
                failures.push(format!("{name}: golden file with no case"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden output(s) differ; if the change is intended, run\n  \
         CXTAG_BLESS=1 cargo test --test cli golden\nand review `git diff tests/golden/`.\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn a_changed_output_is_reported_with_its_line() {
    let msg = first_difference("a\nb\nc\n", "a\nB\nc\n");
    assert!(msg.starts_with("first difference at line 2"), "{msg}");
    assert!(msg.contains("|  b") || msg.contains("| b"), "{msg}");
    assert!(msg.contains("| B"), "{msg}");
}
