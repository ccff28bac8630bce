//! Output people can read and use: plain-English labels, lines that fit the width, the
//! summary in every format, one vocabulary across formats, sorting and filtering, and the
//! hint on an interactive standard input.

use super::{Cxtag, TempDir, temp_file};

const CARE: &str = "examples/service--head-of-cx-care-team-and-complaints.txt";
const WEAK: &str = "examples/cx--head-of-cx-weak-mandate.txt";

/// Display width of a line in terminal columns (box drawing is one column a character).
fn columns(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn every_line_of_table_output_fits_the_width() {
    let runs: [&[&str]; 6] = [
        &[CARE],
        &["--explain", CARE],
        &["examples/"],
        &["--explain", "examples/"],
        &["--no-compact", "--sort", "mismatch", "examples/"],
        &["--summary-only", "examples/"],
    ];
    for width in ["80", "60"] {
        for args in runs {
            let out = Cxtag::new()
                .args(["--color", "never", "--width", width])
                .args(args)
                .run()
                .ok();
            let limit: usize = width.parse().unwrap();
            for line in out.lines() {
                assert!(
                    columns(line) <= limit,
                    "{args:?} at --width {width}: {} columns:\n{line}",
                    columns(line)
                );
            }
            assert!(out.lines().count() > 3, "{args:?}: {out}");
        }
    }
}

#[test]
fn a_width_under_20_columns_is_refused() {
    let r = Cxtag::new().args(["--width", "0", CARE]).run();
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains("--width"), "{}", r.stderr());
}

#[test]
fn the_table_speaks_in_labels_and_explain_keeps_the_ids_with_why() {
    let table = Cxtag::new()
        .args(["--color", "never", "--width", "100", CARE])
        .run()
        .ok();
    assert!(!table.contains("service.complaints"), "{table}");
    assert!(
        table.contains("the title claims cx, but the ad describes service, mostly"),
        "{table}"
    );
    let explain = Cxtag::new()
        .args(["--color", "never", "--width", "100", "--explain", WEAK])
        .run()
        .ok();
    assert!(explain.contains("cx.journeys (cx): weight"), "{explain}");
    assert!(
        explain.contains("why: Maps and improves end-to-end customer journeys"),
        "{explain}"
    );
}

#[test]
fn a_rule_label_names_what_was_found_and_a_zero_hit_says_why() {
    let dir = TempDir::new("labels");
    let rules = temp_file(
        &dir.0,
        "mine.toml",
        br#"role = "service"

[[rule]]
id = "service.call-centre"
label = "call centre work"
weight = 4
why = "Runs a call centre"
phrases = ["call centre"]

[[rule]]
id = "service.people-wide"
weight = 2
support = true
why = "Broad people words"
phrases = ["our people"]
"#,
    );
    let ad = temp_file(
        &dir.0,
        "ad.txt",
        b"Head of Service\nYou will run the call centre and the call centre rota.\n",
    );
    let out = Cxtag::new()
        .args(["--no-default-rules", "--color", "never", "--width", "100"])
        .arg("--rules")
        .arg(&rules)
        .arg(&ad)
        .run()
        .ok();
    assert!(out.contains("call centre work x2"), "{out}");
    let thin = temp_file(&dir.0, "thin.txt", b"Officer\nWe value our people.\n");
    let explain = Cxtag::new()
        .args(["--no-default-rules", "--explain", "--width", "100"])
        .arg("--rules")
        .arg(&rules)
        .arg(&thin)
        .run()
        .ok();
    assert!(
        explain.contains("counted 0: a supporting rule counts only beside service's own evidence"),
        "{explain}"
    );
}

#[test]
fn rules_check_warns_about_a_rule_without_a_label_but_not_the_defaults() {
    let dir = TempDir::new("no-label");
    let rules = temp_file(
        &dir.0,
        "mine.toml",
        b"role = \"cx\"\n[[rule]]\nid = \"cx.journey-maps\"\nweight = 1\nkeywords = [\"journey\"]\n",
    );
    let r = Cxtag::new().args(["rules", "check"]).arg(&rules).run();
    assert_eq!(r.code(), 0);
    let said = r.stdout() + &r.stderr();
    assert!(
        said.contains("mine.toml:3:6: warning: rule `cx.journey-maps` has no `label`: tables call it \"journey maps\""),
        "{said}"
    );
    assert!(said.contains("1 warning(s)"), "only that one: {said}");
}

#[test]
fn an_empty_label_is_an_error_with_its_place() {
    let dir = TempDir::new("empty-label");
    let rules = temp_file(
        &dir.0,
        "bad.toml",
        b"role = \"cx\"\n[[rule]]\nid = \"cx.x\"\nlabel = \" \"\nweight = 1\nkeywords = [\"journey\"]\n",
    );
    let r = Cxtag::new().args(["rules", "check"]).arg(&rules).run();
    assert_eq!(r.code(), 1);
    let said = r.stdout() + &r.stderr();
    assert!(
        said.contains("bad.toml:4:9: error: rule `cx.x`: `label` is empty"),
        "{said}"
    );
}

#[test]
fn batches_get_one_line_per_ad_and_single_ads_the_full_block() {
    let batch = Cxtag::new()
        .args(["--color", "never", "--width", "100", "examples/"])
        .run()
        .ok();
    let first = batch.lines().next().unwrap();
    assert!(first.starts_with("tag "), "a header line: {batch}");
    let rows = batch
        .lines()
        .take_while(|l| !l.is_empty())
        .skip(1)
        .collect::<Vec<_>>();
    assert_eq!(rows.len(), 12, "{batch}");
    assert!(
        rows[0].starts_with("acquisition 0.93 mismatch    Head of"),
        "{batch}"
    );
    let full = Cxtag::new()
        .args(["--color", "never", "--no-compact", "examples/"])
        .run()
        .ok();
    assert_eq!(full.matches("CX breadth:").count(), 12);
    let compact = Cxtag::new()
        .args(["--color", "never", "--compact", CARE])
        .run()
        .ok();
    assert_eq!(compact.lines().count(), 2, "{compact}");
    let row = compact.lines().nth(1).unwrap();
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[0], "service", "{compact}");
    assert!(cols[1].parse::<f64>().is_ok(), "a confidence: {compact}");
    assert_eq!(&cols[2..5], ["mismatch", "Head", "of"], "{compact}");
}

#[test]
fn summary_only_prints_one_json_object() {
    let out = Cxtag::new()
        .args(["--summary-only", "--format", "json", "examples/"])
        .run()
        .ok();
    assert_eq!(out.lines().count(), 1, "{out}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["type"], "summary");
    assert_eq!(s["schema"], 2);
    assert_eq!(s["ads"], 12);
    assert_eq!(s["tags"]["service"]["ads"], 6);
    assert_eq!(s["tags"]["service"]["share"], 0.5);
    assert_eq!(s["title_checks"]["mismatch"], 6);
    assert_eq!(s["title_checks"]["mixed"], 0);
    // The examples' "8 Head of CX ads: 1 acquisition, 4 service, 3 cx" view.
    let cx = &s["claimed_vs_tag"]["cx"];
    assert_eq!(
        (&cx["ads"], &cx["acquisition"], &cx["service"], &cx["cx"]),
        (&8.into(), &1.into(), &4.into(), &3.into())
    );
    assert_eq!(s["cx"]["ads"], 3);
    assert_eq!(s["cx"]["mandate"]["strong"], 1);
    assert_eq!(s["other"]["other_job"], 1);
    let jsonl = Cxtag::new()
        .args(["--summary-only", "--format", "jsonl", "examples/"])
        .run()
        .ok();
    assert_eq!(jsonl, out, "jsonl prints the same single object");
}

#[test]
fn summary_only_in_csv_and_tsv_is_a_long_table() {
    for (format, delim) in [("csv", b','), ("tsv", b'\t')] {
        let out = Cxtag::new()
            .args(["--summary-only", "--format", format, "examples/"])
            .run()
            .ok();
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(out.as_bytes());
        assert_eq!(
            rd.headers().unwrap().iter().collect::<Vec<_>>(),
            ["section", "key", "value", "share"]
        );
        let rows: Vec<Vec<String>> = rd
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        let find = |section: &str, key: &str| {
            rows.iter()
                .find(|r| r[0] == section && r[1] == key)
                .unwrap_or_else(|| panic!("no {section},{key} in {out}"))
                .clone()
        };
        assert_eq!(find("tag", "service")[2..], ["6", "0.5"]);
        assert_eq!(find("title_check", "mismatch")[2], "6");
        assert_eq!(find("claimed_cx", "service")[2..], ["4", "0.5"]);
        assert_eq!(find("other_reason", "other_job")[2], "1");
    }
}

#[test]
fn machine_formats_print_no_summary_without_summary_only() {
    let out = Cxtag::new()
        .args(["--format", "jsonl", "examples/"])
        .run()
        .ok();
    assert_eq!(out.lines().count(), 12);
    assert!(!out.contains("\"summary\""));
}

#[test]
fn the_html_report_opens_with_the_summary_tables() {
    let out = Cxtag::new()
        .args(["--format", "html", "examples/"])
        .run()
        .ok();
    let summary = &out[out.find("<section class=\"summary\"").unwrap()..];
    let first_ad = summary.find("<section class=\"ad\"").unwrap();
    let summary = &summary[..first_ad];
    for want in [
        "Title checks",
        "What titles claim (rows) against what the ads are (columns)",
        "The 3 cx ads",
        "The 1 other ads, by reason",
        "other_job",
    ] {
        assert!(summary.contains(want), "{want}: {summary}");
    }
}

#[test]
fn reason_codes_and_fields_are_the_same_in_every_format() {
    let dir = TempDir::new("vocabulary");
    let thin = temp_file(
        &dir.0,
        "thin.txt",
        b"Position\nYou may handle a complaint now and then.\n",
    );
    let json = Cxtag::new().args(["--format", "jsonl"]).arg(&thin).run();
    let rec = &json.jsonl()[0];
    assert_eq!(rec["reason"], "too_thin");
    assert_eq!(rec["schema"], 2);
    assert_eq!(rec["id"], rec["source"]);
    let csv = Cxtag::new().args(["--format", "csv"]).arg(&thin).run().ok();
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let headers = rd.headers().unwrap().clone();
    let row = rd.records().next().unwrap().unwrap();
    let field = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
    assert_eq!(field("reason"), "too_thin");
    assert_eq!(field("schema"), "2");
    assert_eq!(field("id"), thin.display().to_string());
    let html = Cxtag::new()
        .args(["--format", "html"])
        .arg(&thin)
        .run()
        .ok();
    assert!(html.contains("<code>too_thin</code>"), "{html}");
}

#[test]
fn a_json_lines_record_has_its_id_and_its_place() {
    let dir = TempDir::new("id-and-source");
    let ad = std::fs::read_to_string(super::root().join(CARE)).unwrap();
    let line = serde_json::json!({"id": "job-7", "text": ad}).to_string();
    let path = temp_file(&dir.0, "ads.jsonl", format!("\n{line}\n").as_bytes());
    let rec = Cxtag::new()
        .args(["--format", "jsonl", "--input-format", "jsonl"])
        .arg(&path)
        .run()
        .jsonl();
    // One record per line: the blank first line is an error record at its place.
    assert_eq!(rec[0]["type"], "error");
    assert_eq!(rec[0]["source"], format!("{}:1", path.display()));
    assert_eq!(rec[1]["id"], "job-7");
    assert_eq!(rec[1]["source"], format!("{}:2", path.display()));
}

#[test]
fn sort_mismatch_puts_title_mismatches_first_in_the_table() {
    let out = Cxtag::new()
        .args(["--color", "never", "--sort", "mismatch", "examples/"])
        .run()
        .ok();
    let checks: Vec<&str> = out
        .lines()
        .skip(1)
        .take(12)
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(checks[..6], ["mismatch"; 6], "{out}");
    assert!(checks[6..].iter().all(|&c| c != "mismatch"), "{out}");
    let by_confidence = Cxtag::new()
        .args(["--color", "never", "--sort", "confidence", "examples/"])
        .run()
        .ok();
    let confidences: Vec<f64> = by_confidence
        .lines()
        .skip(1)
        .take(12)
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(
        confidences.windows(2).all(|w| w[0] <= w[1]),
        "{by_confidence}"
    );
}

#[test]
fn sort_is_refused_by_machine_formats() {
    let r = Cxtag::new()
        .args(["--format", "jsonl", "--sort", "mismatch", "examples/"])
        .run();
    assert_eq!(r.code(), 1);
    assert!(r.stderr().contains("--sort works with"), "{}", r.stderr());
}

#[test]
fn only_drops_the_other_records_in_every_format() {
    let mismatches = Cxtag::new()
        .args(["--format", "jsonl", "--only", "mismatch", "examples/"])
        .run()
        .jsonl();
    assert_eq!(mismatches.len(), 6);
    assert!(mismatches.iter().all(|r| r["title_mismatch"] == true));
    let cx = Cxtag::new()
        .args(["--format", "csv", "--only", "cx", "examples/"])
        .run()
        .ok();
    assert_eq!(cx.lines().count(), 1 + 3, "{cx}");
    let summary = Cxtag::new()
        .args([
            "--summary-only",
            "--format",
            "json",
            "--only",
            "service",
            "examples/",
        ])
        .run()
        .ok();
    let s: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(
        (&s["ads"], &s["tags"]["service"]["ads"]),
        (&6.into(), &6.into())
    );
    let mixed = Cxtag::new()
        .args(["--format", "jsonl", "--only", "mixed", "examples/"])
        .run()
        .ok();
    assert_eq!(mixed, "", "no example has a mixed title");
    let bad = Cxtag::new().args(["--only", "marketing", CARE]).run();
    assert_eq!(bad.code(), 1);
    assert!(
        bad.stderr().contains("expected mismatch, mixed or a tag"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn the_html_report_shows_mismatches_first_and_detail_ads_in_full() {
    let out = Cxtag::new()
        .args(["--format", "html", "--detail", "3", "examples/"])
        .run()
        .ok();
    let sections: Vec<&str> = out.split("<section class=\"ad\"").skip(1).collect();
    assert_eq!(sections.len(), 3);
    assert!(
        sections.iter().all(|s| s.contains("Title mismatch:")),
        "the first ads in full are mismatches"
    );
    let table = &out[out.find("<table class=\"ads\"").unwrap()..];
    let first_row = &table[table.find("<tbody>").unwrap()..];
    let first_row = &first_row[..first_row.find("</tr>").unwrap()];
    assert!(first_row.contains("mismatch: say"), "{first_row}");
    let input_order = Cxtag::new()
        .args([
            "--format",
            "html",
            "--sort",
            "input",
            "--detail",
            "1",
            "examples/",
        ])
        .run()
        .ok();
    assert!(input_order.contains("id=\"ad-0\""));
    assert_eq!(input_order.matches("<section class=\"ad\"").count(), 1);
}

#[test]
fn piped_standard_input_gets_no_hint() {
    let ad = std::fs::read_to_string(super::root().join(CARE)).unwrap();
    let r = Cxtag::new().stdin(ad).run();
    r.ok();
    assert!(!r.stderr().contains("Ctrl-D"), "{}", r.stderr());
}

/// `script` (util-linux) runs cxtag with a terminal as its standard input, as a person at
/// a shell would; the test is skipped where it is missing.
#[test]
fn a_terminal_on_standard_input_gets_a_hint() {
    let script = std::process::Command::new("script")
        .arg("--version")
        .output();
    if !script.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: no `script` command");
        return;
    }
    let dir = TempDir::new("tty-hint");
    let log = dir.0.join("typescript");
    // The pseudo-terminal's end of file (Ctrl-D) comes from `script`'s own input.
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!(
            "{} --color never --width 80",
            env!("CARGO_BIN_EXE_cxtag")
        ))
        .arg(&log)
        .stdin(std::process::Stdio::null())
        .current_dir(super::root())
        .output()
        .unwrap();
    let shown =
        std::fs::read_to_string(&log).unwrap_or_default() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("paste it, then press Enter and Ctrl-D"),
        "{shown}"
    );
}
