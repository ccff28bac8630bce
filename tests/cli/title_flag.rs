//! `--title TEXT`: the title of one ad given on the command line, used instead of a line
//! found near the top, for a file or standard input; refused, with a usage error, wherever
//! it could name more than one ad. A JSON Lines title field (`--title-field`) is each
//! record's title in the same way.

use super::{Cxtag, TempDir, temp_file};

/// An ad whose first line is its company's name and which names no job near the top.
const UNTITLED: &str = "tests/data/untitled/company-name-first-line.txt";

fn untitled_text() -> String {
    std::fs::read_to_string(super::root().join(UNTITLED)).unwrap()
}

/// The one JSON Lines record of a run that must succeed.
fn record(run: Cxtag) -> serde_json::Value {
    let run = run.args(["--format", "jsonl"]).run();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let mut records = run.jsonl();
    assert_eq!(records.len(), 1, "{records:?}");
    records.remove(0)
}

/// The record of the untitled ad classified with `--title title`.
fn record_titled(title: &str) -> serde_json::Value {
    record(Cxtag::new().args(["--title", title]).arg(UNTITLED))
}

/// Asserts that a run was refused as bad usage, naming `--title` and `problem`, before
/// classifying anything.
fn assert_refused(run: Cxtag, problem: &str) {
    let r = run.run();
    let err = r.stderr();
    assert_eq!(r.code(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("cxtag: --title "), "{err}");
    assert!(err.contains(problem), "wanted {problem:?} in {err}");
    assert_eq!(r.stdout(), "", "nothing is classified");
}

#[test]
fn without_title_the_company_name_is_the_title_with_a_note() {
    let r = record(Cxtag::new().arg(UNTITLED));
    assert_eq!(r["title"], "Fernhollow Garden Supplies");
    assert_eq!(r["claimed"], serde_json::Value::Null);
    let note = r["title_note"].as_str().unwrap();
    assert_eq!(
        note,
        "no job title recognised; first line used: \"Fernhollow Garden Supplies\""
    );
    let table = Cxtag::new()
        .args(["--color", "never", "--width", "100", UNTITLED])
        .run()
        .ok();
    assert!(
        table.contains("note: no job title recognised; first line used"),
        "{table}"
    );
}

#[test]
fn title_flag_names_the_title_of_a_file() {
    let r = record_titled("Customer Service Advisor");
    assert_eq!(r["title"], "Customer Service Advisor");
    assert_eq!(r["source"], UNTITLED);
    assert_eq!(r["tag"], "service");
    assert_eq!(r["claimed"], "service");
    assert_eq!(r["claims"], serde_json::json!(["service"]));
    assert_eq!(r["title_check"], "consistent");
    assert_eq!(r["head"]["kind"], "front-line");
    assert_eq!(r["title_note"], serde_json::Value::Null);

    let table = Cxtag::new()
        .args(["--color", "never", "--width", "100"])
        .args(["--title", "Customer Service Advisor", UNTITLED])
        .run()
        .ok();
    assert!(table.contains("│ Customer Service Advisor "), "{table}");
    assert!(!table.contains("Fernhollow Garden Supplies "), "{table}");
    assert!(!table.contains("no job title recognised"), "{table}");
    assert!(
        table.contains("title consistent: the ad is service, as the title claims"),
        "{table}"
    );
}

#[test]
fn a_cx_title_given_is_checked_against_the_ad() {
    let r = record_titled("Head of Customer Experience");
    assert_eq!(r["title"], "Head of Customer Experience");
    assert_eq!(r["claimed"], "cx");
    assert_eq!(r["tag"], "service");
    assert_eq!(r["title_check"], "mismatch");
    assert_eq!(r["suggested_title"], "Head of Customer Service");
    assert_eq!(r["advice"]["honest_title"], "Head of Customer Service");
    assert_eq!(r["title_note"], serde_json::Value::Null);
}

#[test]
fn title_flag_works_with_standard_input_piped_or_named() {
    let from_file = record_titled("Customer Service Advisor");
    for named in [false, true] {
        let mut run = Cxtag::new()
            .args(["--title", "Customer Service Advisor"])
            .stdin(untitled_text());
        if named {
            run = run.arg("-");
        }
        let r = record(run);
        assert_eq!(r["source"], "-", "named: {named}");
        for field in [
            "title",
            "tag",
            "confidence",
            "claims",
            "title_check",
            "title_note",
        ] {
            assert_eq!(r[field], from_file[field], "{field}, named: {named}");
        }
    }
}

#[test]
fn title_flag_wins_over_a_labelled_title_line() {
    let ad = "Careers at Brightside\n\nJob title: Head of Customer Experience\n\n\
              You will answer customer calls and emails, resolve complaints and meet our \
              service levels in the contact centre.\n";
    let found = record(Cxtag::new().stdin(ad));
    assert_eq!(found["title"], "Head of Customer Experience");
    assert_eq!(found["claimed"], "cx");
    let given = record(
        Cxtag::new()
            .args(["--title", "Customer Service Advisor"])
            .stdin(ad),
    );
    assert_eq!(given["title"], "Customer Service Advisor");
    // The labelled line is ordinary text now: its words claim nothing.
    assert_eq!(given["claims"], serde_json::json!(["service"]));
    assert_eq!(given["title_note"], serde_json::Value::Null);
}

#[test]
fn a_given_title_with_no_job_noun_is_still_the_title_and_gets_no_note() {
    // Without --title, a first line naming no job is looked past, or noted.
    let r = record(Cxtag::new().args(["--title", "Weekend Cover", UNTITLED]));
    assert_eq!(r["title"], "Weekend Cover");
    assert_eq!(r["head"], serde_json::Value::Null);
    assert_eq!(r["title_note"], serde_json::Value::Null);
}

#[test]
fn a_title_that_already_opens_the_ad_is_not_added_twice() {
    let path = "examples/service--head-of-customer-service-honest-title.txt";
    let first = first_line(path);
    let plain = record(Cxtag::new().arg("--explain").arg(path));
    let given = record(
        Cxtag::new()
            .args(["--explain", "--title", &first])
            .arg(path),
    );
    assert_eq!(plain, given);
}

/// The first non-empty line of a file, trimmed.
fn first_line(path: &str) -> String {
    std::fs::read_to_string(super::root().join(path))
        .unwrap()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap()
        .to_string()
}

#[test]
fn a_title_added_above_the_ad_counts_as_its_first_line() {
    // Documented: the title becomes line 1, so the ad's own lines count from 2.
    let line_of = |r: &serde_json::Value, rule: &str| {
        r["fired"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} did not fire"))["line"]
            .as_u64()
            .unwrap()
    };
    let plain = record(Cxtag::new().arg("--explain").arg(UNTITLED));
    let given = record(
        Cxtag::new()
            .args(["--explain", "--title", "Customer Service Advisor"])
            .arg(UNTITLED),
    );
    let rule = "service.complaints";
    assert_eq!(line_of(&given, rule), line_of(&plain, rule) + 1);
    assert_eq!(line_of(&given, "service.title"), 1);
}

#[test]
fn title_flag_with_two_inputs_is_refused() {
    let two = [UNTITLED, "examples/cx--head-of-cx-weak-mandate.txt"];
    assert_refused(
        Cxtag::new()
            .args(["--title", "Customer Service Advisor"])
            .args(two),
        "2 inputs were given",
    );
    assert_refused(
        Cxtag::new()
            .args(["--title", "Customer Service Advisor", "-", UNTITLED])
            .stdin(untitled_text()),
        "2 inputs were given",
    );
}

#[test]
fn title_flag_with_a_folder_is_refused() {
    assert_refused(
        Cxtag::new().args(["--title", "Customer Service Advisor", "examples"]),
        "examples is a folder",
    );
}

#[test]
fn title_flag_with_json_lines_is_refused_even_from_settings() {
    let line = r#"{"id": "1", "text": "Customer Service Advisor\nAnswer calls."}"#;
    assert_refused(
        Cxtag::new()
            .args(["--title", "Head of CX", "--input-format", "jsonl"])
            .stdin(line),
        "JSON Lines input holds an ad per line",
    );
    let dir = TempDir::new("title-jsonl-settings");
    let settings = temp_file(&dir.0, "cxtag.toml", b"input_format = \"jsonl\"\n");
    assert_refused(
        Cxtag::new()
            .arg("--config")
            .arg(&settings)
            .args(["--title", "Head of CX"])
            .stdin(line),
        "(see --title-field)",
    );
}

#[test]
fn an_empty_or_multi_line_title_is_refused() {
    for empty in ["", "   ", " \t "] {
        assert_refused(
            Cxtag::new().args(["--title", empty, UNTITLED]),
            "--title is empty",
        );
    }
    assert_refused(
        Cxtag::new().args(["--title", "Customer Service\nAdvisor", UNTITLED]),
        "holds a line break",
    );
}

#[test]
fn a_title_cannot_be_set_in_a_settings_file() {
    let dir = TempDir::new("title-settings");
    let settings = temp_file(&dir.0, "cxtag.toml", b"title = \"Head of CX\"\n");
    let r = Cxtag::new()
        .arg("--config")
        .arg(&settings)
        .arg(UNTITLED)
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr().contains("unknown field `title`"),
        "{}",
        r.stderr()
    );
    // The same file found by the search is refused the same way.
    let r = Cxtag::new()
        .current_dir(&dir.0)
        .stdin(untitled_text())
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr().contains("unknown field `title`"),
        "{}",
        r.stderr()
    );
}

#[test]
fn control_characters_in_a_given_title_are_shown_not_obeyed() {
    let title = "Head of \u{1b}]0;pwned\u{7}Service \u{1b}[2J\u{202e}Advisor";
    let table = Cxtag::new()
        .args([
            "--color", "never", "--width", "120", "--title", title, UNTITLED,
        ])
        .run()
        .ok();
    assert!(
        !table.contains('\u{1b}') && !table.contains('\u{7}'),
        "{table:?}"
    );
    assert!(!table.contains('\u{202e}'), "{table:?}");
    assert!(
        table.contains("Head of \\u{1b}]0;pwned\\u{7}Service"),
        "{table}"
    );
    let compact = Cxtag::new()
        .args(["--color", "never", "--compact", "--title", title, UNTITLED])
        .run()
        .ok();
    assert!(!compact.contains('\u{1b}'), "{compact:?}");
    // JSON keeps the text as it is, escaped as JSON.
    let r = record(Cxtag::new().args(["--title", title, UNTITLED]));
    assert_eq!(r["title"], title);
}

#[test]
fn a_given_title_that_looks_like_a_formula_is_neutralised_in_csv() {
    let title = "=HYPERLINK(\"http://example.com\",\"Advisor\")";
    let out = Cxtag::new()
        .args(["--format", "csv", "--title", title, UNTITLED])
        .run()
        .ok();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let at = headers.iter().position(|h| h == "title").unwrap();
    assert_eq!(&row[at], format!("'{title}"));
    let raw = Cxtag::new()
        .args(["--format", "csv", "--raw-csv", "--title", title, UNTITLED])
        .run()
        .ok();
    assert!(raw.contains(",\"=HYPERLINK("), "{raw}");
}

#[test]
fn help_documents_the_title_flag() {
    let help = Cxtag::new().arg("--help").run().ok();
    assert!(help.contains("--title <TEXT>"), "{help}");
    assert!(
        help.contains("cxtag --title \"Customer Service Advisor\" ad.txt"),
        "{help}"
    );
}

#[test]
fn the_readme_example_of_title_gives_what_it_shows() {
    let readme = std::fs::read_to_string(super::root().join("README.md")).unwrap();
    let shown = [
        (
            format!("$ cxtag --format jsonl {UNTITLED} | jq"),
            Vec::new(),
            r#"["Fernhollow Garden Supplies",null,"no job title recognised; first line used: \"Fernhollow Garden Supplies\""]"#,
        ),
        (
            format!("$ cxtag --format jsonl --title \"Customer Service Advisor\" {UNTITLED} | jq"),
            vec!["--title", "Customer Service Advisor"],
            r#"["Customer Service Advisor","service",null]"#,
        ),
    ];
    for (command, args, output) in shown {
        assert!(readme.contains(&command), "README lacks {command}");
        assert!(readme.contains(output), "README lacks {output}");
        // What `jq -c '[.title, .claimed, .title_note]'` prints.
        let r = record(Cxtag::new().args(args).arg(UNTITLED));
        let got = serde_json::json!([r["title"], r["claimed"], r["title_note"]]).to_string();
        assert_eq!(got, output);
    }
}

/// JSON Lines records whose `title` field differs from what their text would give: a
/// company name first, a `Job title:` line, a company name given as the title, the title
/// already first, a title over two lines.
const TITLED_RECORDS: &str = "tests/data/jsonl/titled-records.jsonl";

#[test]
fn a_json_lines_title_field_is_the_title_as_title_flag_is_for_a_file() {
    let run = Cxtag::new()
        .args(["--input-format", "jsonl", "--title-field", "title"])
        .args(["--format", "jsonl", "--explain", TITLED_RECORDS])
        .run();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records = run.jsonl();
    let lines = std::fs::read_to_string(super::root().join(TITLED_RECORDS)).unwrap();
    assert_eq!(records.len(), lines.lines().count());
    let dir = TempDir::new("jsonl-title-field");
    for (line, mut got) in lines.lines().zip(records) {
        let input: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = input["id"].as_str().unwrap();
        // A title over several lines is one line, its lines joined by a space.
        let title = input["title"]
            .as_str()
            .unwrap()
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(got["title"].as_str(), Some(title.as_str()), "{id}");
        assert_eq!(got["title_note"], serde_json::Value::Null, "{id}");
        // The same text in a file with --title gives the same record, evidence lines and
        // all, but for where it was read.
        let file = temp_file(&dir.0, id, input["text"].as_str().unwrap().as_bytes());
        let mut want = record(
            Cxtag::new()
                .args(["--explain", "--title", &title])
                .arg(&file),
        );
        for r in [&mut got, &mut want] {
            let r = r.as_object_mut().unwrap();
            r.remove("id");
            r.remove("source");
        }
        assert_eq!(got, want, "{id}");
    }
}

#[test]
fn a_json_lines_title_field_beats_a_job_title_line_and_a_later_line() {
    let run = Cxtag::new()
        .args(["--input-format", "jsonl", "--title-field", "title"])
        .args(["--format", "jsonl", TITLED_RECORDS])
        .run();
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let records = run.jsonl();
    let by_id = |id: &str| records.iter().find(|r| r["id"] == id).unwrap().clone();
    // The text says "Job title: Customer Service Team Leader"; the record's title claims
    // cx, and that is the claim checked.
    let labelled = by_id("labelled-line");
    assert_eq!(labelled["title"], "Head of Customer Experience");
    assert_eq!(labelled["claimed"], "cx");
    assert_eq!(labelled["title_check"], "mismatch");
    // A company name given as the title is kept, as --title keeps it: the job title on
    // the next line is not taken instead, and there is no note.
    let company = by_id("company-as-title");
    assert_eq!(company["title"], "Ostler & Vane Ltd");
    assert_eq!(company["claimed"], serde_json::Value::Null);
    assert_eq!(company["title_note"], serde_json::Value::Null);
}
