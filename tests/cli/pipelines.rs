//! cxtag as a JSON Lines filter in a pipeline (Spark's `RDD.pipe`, Hadoop Streaming): one
//! record per input line with ids kept as written, exit codes a job can rely on, results
//! that arrive while standard input is still open, inputs decoded as files are, and
//! memory bounded whatever a line holds.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{Cxtag, TempDir, root, temp_file};

/// The flags the README's recipes use.
const PIPE: [&str; 10] = [
    "--no-config",
    "--input-format",
    "jsonl",
    "--format",
    "jsonl",
    "--keep-going",
    "--quiet",
    "-j",
    "1",
    "-",
];

fn ad_text() -> String {
    std::fs::read_to_string(root().join("examples/service--head-of-cx-scaling-support.txt"))
        .unwrap()
}

fn ad_line(id: serde_json::Value) -> String {
    serde_json::json!({"id": id, "text": ad_text()}).to_string()
}

#[test]
fn every_input_line_gives_one_record_in_order_with_its_id_input_and_line() {
    let lines = [
        ad_line("a1".into()),
        r#"{"id": "a2", "text": "Head of CX"#.to_string(), // cut short
        String::new(),
        r#"{"id": "a4"}"#.to_string(),
        "   ".to_string(),
        r#"{"id": 5, "text": 12}"#.to_string(),
        "[1, 2]".to_string(),
        ad_line(6.into()),
    ];
    let dir = TempDir::new("one-per-line");
    let path = temp_file(&dir.0, "ads.jsonl", lines.join("\n").as_bytes());
    let r = Cxtag::new()
        .args(["--input-format", "jsonl", "--format", "jsonl"])
        .arg(&path)
        .run();
    assert_eq!(r.code(), 2, "{}", r.stderr());
    let records = r.jsonl();
    assert_eq!(records.len(), lines.len(), "{}", r.stdout());
    let input = path.display().to_string();
    let want = [
        ("ad", "a1", None),
        ("error", "a2", Some((Some("a2"), 2, "invalid JSON"))),
        ("error", "", Some((None, 3, "blank line"))),
        ("error", "a4", Some((Some("a4"), 4, "no `text` field"))),
        ("error", "", Some((None, 5, "blank line"))),
        ("error", "5", Some((Some("5"), 6, "`text` is not a string"))),
        ("error", "", Some((None, 7, "invalid JSON"))),
        ("ad", "6", None),
    ];
    for (rec, (kind, id, error)) in records.iter().zip(want) {
        assert_eq!(rec["type"], kind, "{rec}");
        match error {
            None => {
                assert_eq!(rec["id"], id, "{rec}");
                assert_eq!(
                    rec["source"],
                    format!("{input}:{}", rec_line(&records, rec)),
                    "{rec}"
                );
            }
            Some((id, line, reason)) => {
                assert_eq!(rec["id"].as_str(), id, "{rec}");
                assert_eq!(rec["input"], input.as_str(), "{rec}");
                assert_eq!(rec["line"], line, "{rec}");
                // Joinable on `id`, like the ads; `source` says where the line is.
                assert_eq!(rec["source"], format!("{input}:{line}"), "{rec}");
                let message = rec["error"].as_str().unwrap();
                assert!(message.starts_with(&format!("{input}:{line}: ")), "{rec}");
                assert!(message.contains(reason), "{rec}");
            }
        }
    }
    // Standard error names the same file and line.
    assert!(
        r.stderr()
            .contains(&format!("cxtag: {input}:4: id a4: no `text` field")),
        "{}",
        r.stderr()
    );
}

#[test]
fn line_numbers_count_from_the_start_of_each_input_across_chunks() {
    // 600 lines is more than two chunks of 256; a bad line near the end of each input.
    let mut stdin = String::new();
    for i in 1..=600 {
        if i == 590 {
            stdin.push_str("{oops\n");
        } else {
            stdin.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"Head of Customer Service\"}}\n"
            ));
        }
    }
    let dir = TempDir::new("line-numbers");
    let second = temp_file(
        &dir.0,
        "b.jsonl",
        b"{\"id\": \"b1\", \"text\": \"x\"}\n{oops\n",
    );
    let r = Cxtag::new()
        .args([
            "--input-format",
            "jsonl",
            "--format",
            "jsonl",
            "--keep-going",
            "-",
        ])
        .arg(&second)
        .stdin(stdin)
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let records = r.jsonl();
    assert_eq!(records.len(), 602);
    let errors: Vec<(String, i64)> = records
        .iter()
        .filter(|r| r["type"] == "error")
        .map(|r| {
            (
                r["input"].as_str().unwrap().to_string(),
                r["line"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [("-".to_string(), 590), (second.display().to_string(), 2)]
    );
}

#[test]
fn keep_going_reports_failed_lines_in_band_and_exits_0() {
    let stdin = format!("{}\n{{bad\n\n", ad_line("x".into()));
    let plain = Cxtag::new()
        .args(["--input-format", "jsonl", "--format", "jsonl"])
        .stdin(stdin.clone())
        .run();
    assert_eq!(plain.code(), 2);
    let r = Cxtag::new().args(PIPE).stdin(stdin).run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert_eq!(r.stdout(), plain.stdout());
    let kinds: Vec<_> = r.jsonl().iter().map(|r| r["type"].clone()).collect();
    assert_eq!(kinds, ["ad", "error", "error"]);
    // --quiet keeps warnings off standard error, never the errors.
    assert!(r.stderr().contains("-:2: invalid JSON"), "{}", r.stderr());
}

#[test]
fn keep_going_still_fails_before_any_output_on_bad_usage_rules_or_settings() {
    let dir = TempDir::new("keep-going-fatal");
    let bad_settings = temp_file(&dir.0, "cxtag.toml", b"colour = \"always\"\n");
    let stdin = format!("{}\n", ad_line("x".into()));
    let cases: [Vec<String>; 3] = [
        vec!["--input-fromat".into(), "jsonl".into()],
        vec!["--rules".into(), "tests/data/bad-regex.toml".into()],
        vec!["--config".into(), bad_settings.display().to_string()],
    ];
    for case in cases {
        let mut args: Vec<String> = case.clone();
        args.extend(
            [
                "--keep-going",
                "--input-format",
                "jsonl",
                "--format",
                "jsonl",
            ]
            .map(String::from),
        );
        let r = Cxtag::new().args(&args).stdin(stdin.clone()).run();
        assert_ne!(r.code(), 0, "{case:?}: {}", r.stderr());
        assert_eq!(r.stdout(), "", "{case:?}");
        assert!(!r.stderr().is_empty(), "{case:?}");
    }
}

#[test]
fn keep_going_does_not_hide_a_failed_write() {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    let stdin = format!("{}\n", ad_line("x".into())).repeat(50);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtag"))
        .args(PIPE)
        .stdin(Stdio::piped())
        .stdout(file)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cannot write output"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn keep_going_a_pipe_closed_by_its_reader_is_a_quiet_success() {
    let stdin = format!("{}\n", ad_line("x".into())).repeat(2000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtag"))
        .args(PIPE)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn line_buffered_answers_each_line_while_standard_input_is_open() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtag"))
        .args(PIPE)
        .arg("--line-buffered")
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || {
        loop {
            let mut line = String::new();
            match stdout.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let sent = [
        ad_line("live-1".into()),
        "{broken".to_string(),
        ad_line(3.into()),
    ];
    for (i, line) in sent.iter().enumerate() {
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        // Generous for a debug build on busy cores; without --line-buffered this waits
        // for 256 lines or the end of input, which never comes here.
        let record = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("no record for line {} while stdin is open", i + 1));
        let record: serde_json::Value = serde_json::from_str(&record).unwrap();
        let want = [Some("live-1"), None, Some("3")][i];
        assert_eq!(record["id"].as_str(), want, "{record}");
        assert_eq!(record["source"], format!("-:{}", i + 1), "{record}");
    }
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn ids_are_kept_exactly_as_written() {
    let ids = [
        "12345678901234567890123",
        "12345678901234567890124",
        "-0.10",
        "1e400",
        "\"12345678901234567890123\"",
        "\"007\"",
    ];
    let stdin: String = ids
        .iter()
        .map(|id| format!("{{\"id\": {id}, \"text\": \"Head of Customer Service\"}}\n"))
        .collect();
    let r = Cxtag::new()
        .args(["--input-format", "jsonl", "--format", "jsonl"])
        .stdin(stdin)
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let sources: Vec<String> = r
        .jsonl()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        sources,
        [
            "12345678901234567890123",
            "12345678901234567890124",
            "-0.10",
            "1e400",
            "12345678901234567890123",
            "007"
        ]
    );
    // The same ids in CSV.
    let csv = Cxtag::new()
        .args(["--input-format", "jsonl", "--format", "csv"])
        .stdin(format!(
            "{{\"id\": 98765432109876543210, \"text\": \"{}\"}}\n",
            "Head of CX"
        ))
        .run()
        .ok();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("98765432109876543210,"),
        "{csv}"
    );
}

#[test]
fn jsonl_inputs_are_decoded_like_files() {
    let lines = format!("{}\n{}\n", ad_line("é-1".into()), ad_line("é-2".into()));
    let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
    utf8_bom.extend(lines.as_bytes());
    let mut utf16le = vec![0xFF, 0xFE];
    utf16le.extend(lines.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend(lines.encode_utf16().flat_map(u16::to_be_bytes));
    for (what, bytes, warning) in [
        ("utf-8 with a byte-order mark", utf8_bom, None),
        ("utf-16le", utf16le, Some("-:1: warning: read as UTF-16LE")),
        ("utf-16be", utf16be, Some("-:1: warning: read as UTF-16BE")),
    ] {
        let r = Cxtag::new()
            .args(["--input-format", "jsonl", "--format", "jsonl"])
            .stdin(bytes)
            .run();
        assert_eq!(r.code(), 0, "{what}: {}", r.stderr());
        let sources: Vec<_> = r.jsonl().iter().map(|r| r["id"].clone()).collect();
        assert_eq!(sources, ["é-1", "é-2"], "{what}");
        match warning {
            Some(w) => assert!(r.stderr().contains(w), "{what}: {}", r.stderr()),
            None => assert_eq!(r.stderr(), "", "{what}"),
        }
    }
    // Latin-1: every line read, one warning naming the first such line.
    let mut latin1 = format!("{}\n", ad_line("ok".into())).into_bytes();
    latin1.extend(b"{\"id\": \"caf\xe9\", \"text\": \"Head of Customer Service\"}\n");
    latin1.extend(b"{\"id\": \"na\xefve\", \"text\": \"Head of Customer Service\"}\n");
    let r = Cxtag::new()
        .args(["--input-format", "jsonl", "--format", "jsonl"])
        .stdin(latin1)
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let sources: Vec<_> = r.jsonl().iter().map(|r| r["id"].clone()).collect();
    assert_eq!(sources, ["ok", "café", "naïve"]);
    let err = r.stderr();
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(
        err.contains("cxtag: -:2: warning: not valid UTF-8; read as Windows-1252"),
        "{err}"
    );
}

/// Runs cxtag with its address space limited to `bytes` (the `prlimit` of util-linux).
fn limited(bytes: u64) -> Command {
    let mut cmd = Command::new("prlimit");
    cmd.arg(format!("--as={bytes}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_cxtag"))
        .current_dir(root())
        .env(
            "XDG_CONFIG_HOME",
            root().join("tests/data/no-such-config-home"),
        )
        .env("HOME", root().join("tests/data/no-such-home"));
    cmd
}

/// Enough for a debug build's code, threads and one ad of 1 MiB; far less than a
/// whole line of the sizes below.
const ADDRESS_SPACE: u64 = 512 << 20;

#[test]
fn dev_zero_as_jsonl_ends_with_a_clear_error_in_bounded_memory() {
    let start = Instant::now();
    let out = limited(ADDRESS_SPACE)
        .args([
            "--no-config",
            "--input-format",
            "jsonl",
            "--format",
            "jsonl",
            "/dev/zero",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cxtag: /dev/zero:1: binary data (it holds NUL bytes), not JSON Lines"),
        "{err}"
    );
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["source"], "/dev/zero:1");
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn rule_and_label_files_from_endless_devices_end_with_a_clear_error_in_bounded_memory() {
    let ad = "examples/cx--head-of-cx-weak-mandate.txt";
    let cases = [
        (
            vec!["--rules", "/dev/zero", ad],
            "/dev/zero: error: cannot read rule file: ",
        ),
        (
            vec!["rules", "check", "/dev/urandom"],
            "/dev/urandom: error: cannot read rule file: ",
        ),
        (
            vec!["eval", "--labels", "/dev/zero", ad],
            "/dev/zero: cannot read labels: ",
        ),
    ];
    for (args, want) in cases {
        let start = Instant::now();
        let out = limited(ADDRESS_SPACE)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        // `rules check` reports on standard output, the others on standard error.
        let said = String::from_utf8_lossy(&out.stderr) + String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(said.contains(want), "{args:?}: {said}");
        assert!(start.elapsed() < Duration::from_secs(60), "{args:?}");
    }
}

#[test]
fn an_endless_line_is_skipped_in_bounded_memory_and_reading_goes_on() {
    // A line four times the address space allowed, then a good line: the long line is
    // reported with its id and line number, the next one classified.
    let mut child = limited(ADDRESS_SPACE)
        .args(PIPE)
        .args(["--max-size", "1048576"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        stdin.write_all(b"{\"id\": \"huge\", \"text\": \"")?;
        let block = vec![b'x'; 1 << 20];
        for _ in 0..((4 * ADDRESS_SPACE) >> 20) {
            stdin.write_all(&block)?;
        }
        stdin.write_all(b"\"}\n")?;
        stdin.write_all(format!("{}\n", ad_line("after".into())).as_bytes())
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().expect("cxtag read all its input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2, "{err}");
    assert_eq!(records[0]["type"], "error");
    assert_eq!(records[0]["id"], "huge");
    assert_eq!(records[0]["line"], 1);
    assert!(
        records[0]["error"]
            .as_str()
            .unwrap()
            .contains("more than the 1048576-byte limit"),
        "{}",
        records[0]
    );
    assert_eq!(records[1]["id"], "after");
    assert_eq!(records[1]["type"], "ad");
}

#[test]
fn the_readme_recipes_run_cxtag_with_the_flags_tested_here() {
    // scripts/spark-check.sh and scripts/hadoop-streaming-check.sh run the README's
    // recipes themselves; this keeps their command line the one these tests exercise.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let flags = PIPE[..PIPE.len() - 1].join(" ");
    let rdd = readme
        .lines()
        .find(|l| l.starts_with("COMMAND = "))
        .expect("the Spark recipe's COMMAND");
    assert!(rdd.ends_with(&format!("{{CXTAG}} {flags}\"")), "{rdd}");
    let mapper = readme
        .lines()
        .find(|l| l.trim_start().starts_with("-mapper "))
        .expect("the Hadoop Streaming -mapper line");
    assert!(
        mapper.trim_end().ends_with(&format!("./cxtag {flags}\"")),
        "{mapper}"
    );
    for marker in [
        "<!-- spark-rdd -->",
        "<!-- /spark-rdd -->",
        "<!-- spark-connect -->",
    ] {
        assert!(
            readme.contains(marker),
            "{marker}: scripts/pipeline_check.py reads it"
        );
    }
}

/// The 1-based line of `rec` among `records` (one record per input line).
fn rec_line(records: &[serde_json::Value], rec: &serde_json::Value) -> usize {
    records.iter().position(|r| std::ptr::eq(r, rec)).unwrap() + 1
}
