//! Bad input and bad rules give one clear line (or a compiler-style block) and a
//! non-zero exit, never a panic.

use super::{Cxtag, TempDir, temp_file};

fn assert_no_panic(stderr: &str) {
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn empty_stdin_is_an_error() {
    let r = Cxtag::new().stdin("\n  \n").run();
    assert_eq!(r.code(), 2);
    assert_eq!(
        r.stderr().trim(),
        "cxtag: -: empty input: no text to classify"
    );
}

#[test]
fn a_missing_file_is_named() {
    let r = Cxtag::new().arg("missing.txt").run();
    assert_eq!(r.code(), 2);
    let err = r.stderr();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("cxtag: missing.txt: "), "{err}");
    assert!(err.contains("No such file"), "{err}");
}

#[test]
fn a_binary_file_is_refused() {
    let dir = TempDir::new("binary");
    let p = temp_file(
        &dir.0,
        "ad.bin",
        &[0x7f, b'E', b'L', b'F', 2, 1, 0, 0, 0, 0, 0x10, 0],
    );
    let r = Cxtag::new().arg(&p).run();
    assert_eq!(r.code(), 2);
    assert!(r.stderr().contains("binary file"), "{}", r.stderr());
}

#[test]
fn invalid_utf8_is_read_as_latin1_with_a_warning() {
    let dir = TempDir::new("latin1");
    let p = temp_file(&dir.0, "ad.txt", b"Responsable du service client\n\nG\xe9rer les r\xe9clamations, customer service team, contact centre, complaints.\n");
    let r = Cxtag::new().args(["--format", "jsonl"]).arg(&p).run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(
        r.stderr().contains("warning: not valid UTF-8"),
        "{}",
        r.stderr()
    );
    assert_eq!(r.jsonl()[0]["tag"], "service");
}

#[test]
fn utf16_files_are_decoded() {
    let dir = TempDir::new("utf16");
    let text = std::fs::read_to_string(
        super::root().join("examples/cx--head-of-cx-journeys-and-insight.txt"),
    )
    .unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let p = temp_file(&dir.0, "ad.txt", &bytes);
    let r = Cxtag::new().args(["--format", "jsonl"]).arg(&p).run();
    assert_eq!(r.jsonl()[0]["tag"], "cx", "{}", r.stderr());
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it() {
    let dir = TempDir::new("big");
    let p = temp_file(&dir.0, "big.txt", &vec![b'a'; 4096]);
    let r = Cxtag::new().args(["--max-size", "1000"]).arg(&p).run();
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr()
            .contains("4096 bytes is more than the 1000-byte limit"),
        "{}",
        r.stderr()
    );
}

/// Runs cxtag with one extra rule file, expects the rules to be refused (exit 1, no
/// panic) and returns what it printed on stderr.
fn rules_error(rules: &str) -> String {
    let r = Cxtag::new()
        .args([
            "--rules",
            rules,
            "examples/other--backend-software-engineer.txt",
        ])
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let err = r.stderr();
    assert_no_panic(&err);
    err
}

#[test]
fn malformed_toml_names_the_file_and_line_and_column() {
    let err = rules_error("tests/data/broken.toml");
    assert!(err.contains("tests/data/broken.toml:6:"), "{err}");
    assert!(err.contains("6 | keywords = [\"helpdesk\""), "{err}");
    assert_no_panic(&err);
}

#[test]
fn a_bad_regex_names_the_rule() {
    let err = rules_error("tests/data/bad-regex.toml");
    assert!(err.contains("tests/data/bad-regex.toml:6:"), "{err}");
    assert!(
        err.contains("rule `cx.bad-regex`: bad regex: unclosed group"),
        "{err}"
    );
}

#[test]
fn a_duplicate_rule_id_names_both_places() {
    let err = rules_error("tests/data/duplicate-id.toml");
    assert!(err.contains("tests/data/duplicate-id.toml:4:"), "{err}");
    assert!(
        err.contains("duplicate rule id `cx.strategy` (first defined at <embedded>/cx.toml:"),
        "{err}"
    );
}

#[test]
fn a_bad_layout_file_names_each_place() {
    let err = rules_error("tests/data/bad-layout.toml");
    assert!(
        err.contains("tests/data/bad-layout.toml:4:11: error: unknown section \"perks\" for a heading (expected one of: duties, requirements, company, benefits, boilerplate, body)"),
        "{err}"
    );
    assert!(err.contains("4 | section = \"perks\""), "{err}");
    assert!(
        err.contains("tests/data/bad-layout.toml:9:34: error: [[heading]] phrases: \"Benefit\" is listed twice (first at tests/data/bad-layout.toml:9:12)"),
        "{err}"
    );
}

#[test]
fn an_unknown_role_is_an_error() {
    let r = Cxtag::new()
        .args(["--rules", "tests/data/unknown-role.toml", "-"])
        .stdin("x")
        .run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("unknown role \"sales\""),
        "{}",
        r.stderr()
    );
}

#[test]
fn an_empty_rule_set_is_an_error() {
    let dir = TempDir::new("empty-rules");
    let p = temp_file(&dir.0, "none.toml", b"# no rules here\n");
    let r = Cxtag::new()
        .arg("--no-default-rules")
        .arg("--rules")
        .arg(&p)
        .arg("examples/other--backend-software-engineer.txt")
        .run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("the rule set is empty"),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_missing_rules_path_is_an_error() {
    let err = rules_error("no/such/rules.toml");
    assert!(
        err.contains("no/such/rules.toml: error: cannot read rule file"),
        "{err}"
    );
}

#[test]
fn a_directory_given_as_jsonl_input_is_an_error() {
    let r = Cxtag::new()
        .args(["--input-format", "jsonl", "examples"])
        .run();
    assert_eq!(r.code(), 2);
    assert!(
        r.stderr().contains("examples: is a directory"),
        "{}",
        r.stderr()
    );
}

#[test]
fn bad_usage_exits_1() {
    let r = Cxtag::new().args(["--format", "yaml"]).run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("invalid value 'yaml'"),
        "{}",
        r.stderr()
    );
}
