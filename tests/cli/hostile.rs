//! Hostile input and shared machines (issue 18): each test runs the binary on what an
//! attacker or a careless user would hand it, checks the result, and bounds the run's
//! memory (RLIMIT_AS) and processor time (RLIMIT_CPU) so that a regression fails instead
//! of eating the machine. The bounds are generous for a debug build on two busy cores.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{Cxtag, Run, TempDir, root, temp_file};

/// Address space a run may use: a debug build classifying a few ads needs well under
/// this; an unbounded reader on an endless stream passes it within a second or two.
const MEMORY: u64 = 1 << 30;
/// Processor seconds a run may use.
const CPU: u64 = 60;

fn bounded() -> Cxtag {
    Cxtag::new().limits(MEMORY, CPU)
}

/// A process writing `line` forever, for an endless standard input.
struct Endless(Child);

impl Endless {
    fn new(line: &str) -> Endless {
        Endless(
            Command::new("yes")
                .arg(line)
                .stdout(Stdio::piped())
                .spawn()
                .expect("yes runs"),
        )
    }
    fn stdout(&mut self) -> Stdio {
        Stdio::from(self.0.stdout.take().expect("a pipe"))
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn no_panic(r: &Run) {
    assert!(!r.stderr().contains("panicked"), "{}", r.stderr());
}

const SERVICE_AD: &str = "examples/service--head-of-cx-care-team-and-complaints.txt";

// 1. Every reader other than the JSON Lines ad reader is bounded while it reads.

#[test]
fn an_endless_label_file_is_refused_within_its_limit() {
    let mut yes = Endless::new("examples/x.txt,cx");
    let r = bounded()
        .args(["eval", "--labels", "/dev/stdin", SERVICE_AD])
        .stdin_from(yes.stdout())
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("/dev/stdin: cannot read labels: larger than the 67108864-byte limit"),
        "{}",
        r.stderr()
    );
}

#[test]
fn dev_zero_as_labels_rules_or_settings_is_refused_at_once() {
    for args in [
        &["eval", "--labels", "/dev/zero", SERVICE_AD][..],
        &["--rules", "/dev/zero", SERVICE_AD],
        &["rules", "check", "/dev/urandom"],
        &["--config", "/dev/zero", SERVICE_AD],
    ] {
        let r = bounded().args(args).run();
        assert_eq!(r.code(), 1, "{args:?}: {}", r.stderr());
        assert!(
            r.stderr().contains("binary file"),
            "{args:?}: {}",
            r.stderr()
        );
        assert!(r.1 < Duration::from_secs(20), "{args:?} took {:?}", r.1);
        no_panic(&r);
    }
}

#[test]
fn endless_rules_and_settings_are_refused_within_their_limits() {
    for (args, limit) in [
        (&["--rules", "/dev/stdin", SERVICE_AD][..], "16777216"),
        (&["rules", "check", "/dev/stdin"], "16777216"),
        (&["--config", "/dev/stdin", SERVICE_AD], "1048576"),
    ] {
        let mut yes = Endless::new("keywords = [\"a\"]");
        let r = bounded().args(args).stdin_from(yes.stdout()).run();
        assert_eq!(r.code(), 1, "{args:?}: {}", r.stderr());
        assert!(
            r.stderr()
                .contains(&format!("larger than the {limit}-byte limit")),
            "{args:?}: {}",
            r.stderr()
        );
    }
}

#[test]
fn an_endless_standard_input_or_device_as_an_ad_is_cut_at_max_size() {
    let mut yes = Endless::new("Head of CX");
    let r = bounded().arg("-").stdin_from(yes.stdout()).run();
    assert_eq!(r.code(), 2, "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("-: 16777217 bytes is more than the 16777216-byte limit"),
        "{}",
        r.stderr()
    );
    let r = bounded().args(["--max-size", "1000", "/dev/zero"]).run();
    assert_eq!(r.code(), 2, "{}", r.stderr());
    assert!(
        r.stderr().contains("/dev/zero: 1001 bytes"),
        "{}",
        r.stderr()
    );
}

// 2. Links in folders are not followed out of them.

/// A folder of one ad and links to a secret outside it: to the file, to its folder and
/// to the root of the file system.
fn folder_with_links_out(dir: &TempDir) -> (std::path::PathBuf, &'static str) {
    let secret = "root:x:0:0:hunter2 customer service complaints contact centre";
    let outside = dir.0.join("outside");
    fs::create_dir_all(&outside).unwrap();
    temp_file(&outside, "passwd", secret.as_bytes());
    let ads = dir.0.join("ads");
    fs::create_dir_all(&ads).unwrap();
    fs::copy(root().join(SERVICE_AD), ads.join("ad.txt")).unwrap();
    symlink(outside.join("passwd"), ads.join("passwd")).unwrap();
    symlink(&outside, ads.join("secrets")).unwrap();
    symlink("/", ads.join("everything")).unwrap();
    (ads, "hunter2")
}

#[test]
fn links_out_of_a_folder_are_never_read_in_any_format() {
    let dir = TempDir::new("links-out");
    let (ads, secret) = folder_with_links_out(&dir);
    for format in ["table", "jsonl", "json", "csv", "tsv", "html"] {
        for follow in [false, true] {
            let mut c = bounded().args(["--format", format]).arg(&ads);
            if follow {
                c = c.arg("--follow");
            }
            let r = c.run();
            let all = format!("{}{}", r.stdout(), r.stderr());
            assert!(!all.contains(secret), "{format} follow={follow}: {all}");
            assert!(r.stdout().contains("ad.txt"), "{format}: {}", r.stdout());
            assert!(r.1 < Duration::from_secs(30), "{format} took {:?}", r.1);
            if follow {
                // Refused, named, and counted as a failed input.
                assert_eq!(r.code(), 2, "{}", r.stderr());
                for link in ["everything", "passwd", "secrets"] {
                    let named = format!("{}: a link that leads outside", ads.join(link).display());
                    assert_eq!(r.stderr().matches(&named).count(), 1, "{}", r.stderr());
                }
            } else {
                // Skipped without a word, as ripgrep and fd do.
                assert_eq!(r.code(), 0, "{}", r.stderr());
                assert_eq!(r.stderr(), "");
            }
        }
    }
}

#[test]
fn with_follow_links_inside_the_folder_are_read() {
    let dir = TempDir::new("links-in");
    let ads = dir.0.join("ads");
    fs::create_dir_all(ads.join("real")).unwrap();
    fs::copy(root().join(SERVICE_AD), ads.join("real/ad.txt")).unwrap();
    symlink("real", ads.join("alias")).unwrap();
    let r = bounded()
        .args(["--format", "jsonl", "--follow"])
        .arg(&ads)
        .run();
    let sources: Vec<String> = r.jsonl().iter().map(|v| v["source"].to_string()).collect();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].ends_with("alias/ad.txt\""), "{sources:?}");
    // Without --follow only the real file is read.
    let r = bounded().args(["--format", "jsonl"]).arg(&ads).run();
    assert_eq!(r.jsonl().len(), 1);
}

#[test]
fn a_link_named_on_the_command_line_is_read() {
    let dir = TempDir::new("link-arg");
    let link = dir.0.join("ad.txt");
    symlink(root().join(SERVICE_AD), &link).unwrap();
    let r = bounded().args(["--format", "jsonl"]).arg(&link).run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert_eq!(r.jsonl()[0]["tag"], "service");
}

// 3. Deeply nested HTML converts in time linear in its size.

fn nested_divs(dir: &Path, n: usize) -> std::path::PathBuf {
    let mut html = String::from("<!DOCTYPE html><html><body>");
    html.push_str(&"<div>".repeat(n));
    html.push_str("Head of Customer Service\nWe run the contact centre and handle complaints.");
    html.push_str(&"</div>".repeat(n));
    html.push_str("</body></html>");
    temp_file(dir, &format!("nested-{n}.html"), html.as_bytes())
}

#[test]
fn deeply_nested_html_converts_in_linear_time() {
    let dir = TempDir::new("nested-html");
    let mut times = Vec::new();
    for n in [100_000, 200_000] {
        let path = nested_divs(&dir.0, n);
        let r = bounded().args(["--format", "jsonl"]).arg(&path).run();
        assert_eq!(r.code(), 0, "{}", r.stderr());
        // The text inside the nesting is kept.
        assert_eq!(r.jsonl()[0]["tag"], "service", "{}", r.stdout());
        times.push(r.1);
    }
    // Before the fix these took 23 s and 218 s in a release build; a debug build now
    // takes about a second. Twice the input may take about twice the time, not four
    // times (slack for a busy machine).
    assert!(times[1] < Duration::from_secs(30), "{times:?}");
    assert!(
        times[1].as_secs_f64() < 3.0 * times[0].as_secs_f64() + 1.0,
        "{times:?}"
    );
}

#[test]
fn html_with_very_many_elements_converts_in_bounded_memory() {
    // 400,000 sibling elements (4.8 MB): html2text takes some 2 KB per element, so this
    // took about 1 GB before elements past 50,000 were dropped.
    let dir = TempDir::new("dense-html");
    let mut html = String::from("<!DOCTYPE html><html><body><h1>Head of Customer Service</h1>");
    html.push_str("<p>We run the contact centre and handle complaints.</p>");
    html.push_str(&"<div>x</div>".repeat(400_000));
    let path = temp_file(&dir.0, "dense.html", html.as_bytes());
    let r = Cxtag::new()
        .limits(512 << 20, CPU)
        .args(["--format", "jsonl"])
        .arg(&path)
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert_eq!(r.jsonl()[0]["tag"], "service", "{}", r.stdout());
    assert!(r.1 < Duration::from_secs(30), "took {:?}", r.1);
}

// 4. CSV and TSV cells that a spreadsheet would run are neutralised.

#[test]
fn csv_and_tsv_cells_that_start_like_formulas_are_neutralised() {
    let ids = [
        "=HYPERLINK(\"http://evil.example\",\"open\")",
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ];
    let lines: String = ids
        .iter()
        .map(|id| {
            let record = serde_json::json!({
                "id": id,
                "text": format!("{id}\nWe run the contact centre and handle complaints."),
            });
            format!("{record}\n")
        })
        .collect();
    for (format, delimiter) in [("csv", b','), ("tsv", b'\t')] {
        for raw in [false, true] {
            let mut c = bounded().args(["--input-format", "jsonl", "--format", format]);
            if raw {
                c = c.arg("--raw-csv");
            }
            let r = c.stdin(lines.clone()).run();
            assert_eq!(r.code(), 0, "{}", r.stderr());
            assert!(r.1 < Duration::from_secs(30));
            let mut reader = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .from_reader(r.0.stdout.as_slice());
            let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), ids.len());
            for (row, id) in rows.iter().zip(ids) {
                let (source, title) = (&row[0], &row[1]);
                if raw {
                    assert_eq!(source, id);
                } else if id.starts_with(['\t', '\r']) {
                    // The control character is shown as an escape: the cell starts
                    // with a backslash, which no spreadsheet runs.
                    let shown = id.replace('\t', "\\t").replace('\r', "\\r");
                    assert_eq!(source, shown, "{format}");
                } else {
                    assert_eq!(source, format!("'{id}"), "{format}");
                    assert!(title.starts_with('\''), "{format}: {title:?}");
                }
            }
        }
    }
}

// 5. Control characters never reach the terminal.

#[test]
fn control_characters_never_reach_the_terminal() {
    let title = "Head of CX \u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    let record = serde_json::json!({
        "id": "ad-\u{1b}[31m",
        "text": format!("{title}\nWe run the contact centre and handle \u{1b}[5m complaints\u{7f}."),
    });
    let r = bounded()
        .args([
            "--input-format",
            "jsonl",
            "--explain",
            "--color",
            "never",
            "--width",
            "400",
        ])
        .stdin(format!("{record}\n"))
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let out = r.stdout();
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{7f}'] {
        assert!(!out.contains(c), "{c:?} in {out}");
    }
    assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{out}");
    assert!(out.contains("complaints\\u{7f}"), "{out}");
    // CSV and TSV, read on a terminal as often as in a spreadsheet, escape them too.
    for format in ["csv", "tsv"] {
        let r = bounded()
            .args(["--input-format", "jsonl", "--format", format])
            .stdin(format!("{record}\n"))
            .run();
        assert_eq!(r.code(), 0, "{}", r.stderr());
        let out = r.stdout();
        for c in ['\u{1b}', '\u{7}', '\u{9b}'] {
            assert!(!out.contains(c), "{format}: {c:?} in {out}");
        }
        assert!(out.contains("\\u{1b}]0;pwned\\u{7}"), "{format}: {out}");
    }
    // A file name on standard error.
    let dir = TempDir::new("escape-name");
    let path = temp_file(&dir.0, "x\u{1b}]0;pwned\u{7}.txt", b"  \n");
    let r = bounded().arg(&path).run();
    assert_eq!(r.code(), 2);
    let err = r.stderr();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        err.contains("x\\u{1b}]0;pwned\\u{7}.txt: empty input"),
        "{err}"
    );
}

#[test]
fn rejected_flag_values_are_shown_escaped_not_obeyed() {
    let cases: [(&[&str], &str); 5] = [
        (&["--format", "\u{1b}[31mred", "x.txt"], "'\\u{1b}[31mred'"),
        (
            &["--format", "a\u{7}b\rc\u{202e}d", "x.txt"],
            "'a\\u{7}b\\rc\\u{202e}d'",
        ),
        (
            &["--only", "\u{1b}]0;pwned\u{7}", "x.txt"],
            "'\\u{1b}]0;pwned\\u{7}'",
        ),
        (&["--\u{1b}[2Jx", "x.txt"], "'--\\u{1b}[2Jx'"),
        (&["rules", "list", "--format", "\u{9b}31m"], "'\\u{9b}31m'"),
    ];
    for (args, shown) in cases {
        // As on a terminal: clap colours its messages when told to.
        for force in ["0", "1"] {
            let r = bounded().env("CLICOLOR_FORCE", force).args(args).run();
            assert_eq!(r.code(), 1, "{args:?}");
            assert_eq!(r.stdout(), "", "{args:?}");
            let err = r.stderr();
            assert!(
                !err.chars()
                    .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
                "{args:?}, CLICOLOR_FORCE={force}: {err:?}"
            );
            assert!(err.starts_with("error: "), "{err}");
            assert!(err.contains(shown), "{args:?}: wanted {shown} in {err}");
        }
    }
}

// 6. Settings files from others are ignored; those obeyed cannot run away.

/// A folder holding an ad and a `cxtag.toml` that would turn its JSON output on and its
/// verdict to `cx` at full confidence.
fn planted_settings(dir: &TempDir) -> std::path::PathBuf {
    fs::copy(root().join(SERVICE_AD), dir.0.join("ad.txt")).unwrap();
    temp_file(
        &dir.0,
        "evil.toml",
        br#"role = "cx"
[[rule]]
id = "cx.planted"
weight = 100
keywords = ["complaint*"]
"#,
    );
    temp_file(
        &dir.0,
        "cxtag.toml",
        b"format = \"jsonl\"\nrules = [\"evil.toml\"]\n",
    )
}

#[test]
fn a_settings_file_others_may_write_is_ignored_with_a_warning() {
    let dir = TempDir::new("settings-writable");
    let settings = planted_settings(&dir);
    // Obeyed when it is the user's own...
    fs::set_permissions(&settings, fs::Permissions::from_mode(0o644)).unwrap();
    let r = bounded().current_dir(&dir.0).arg("ad.txt").run();
    assert_eq!(r.jsonl()[0]["tag"], "cx", "{}", r.stderr());
    // ...ignored when anyone may write to it.
    fs::set_permissions(&settings, fs::Permissions::from_mode(0o666)).unwrap();
    let r = bounded().current_dir(&dir.0).arg("ad.txt").run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(
        r.stdout().contains("│ ad.txt"),
        "still a table: {}",
        r.stdout()
    );
    assert!(r.stdout().contains("┆ service"), "{}", r.stdout());
    assert!(
        r.stderr().contains(
            "cxtag.toml: warning: settings file ignored: anyone may write to it (mode 666)"
        ),
        "{}",
        r.stderr()
    );
}

#[test]
fn a_settings_file_owned_by_another_user_is_ignored() {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        // Only root can give a file away; the mode check above runs for everyone.
        return;
    }
    let dir = TempDir::new("settings-owner");
    let settings = planted_settings(&dir);
    std::os::unix::fs::chown(&settings, Some(65534), Some(65534)).unwrap();
    let r = bounded().current_dir(&dir.0).arg("ad.txt").run();
    assert!(r.stdout().contains("┆ service"), "{}", r.stdout());
    assert!(
        r.stderr()
            .contains("settings file ignored: it belongs to user 65534"),
        "{}",
        r.stderr()
    );
    // --verbose says which settings are in use (none).
    let r = bounded()
        .current_dir(&dir.0)
        .args(["--verbose", "ad.txt"])
        .run();
    assert!(
        r.stderr().contains("cxtag: settings: none used"),
        "{}",
        r.stderr()
    );
}

#[test]
fn verbose_names_the_settings_file_and_its_values() {
    let dir = TempDir::new("settings-verbose");
    temp_file(&dir.0, "cxtag.toml", b"format = \"jsonl\"\nthreads = 1\n");
    fs::copy(root().join(SERVICE_AD), dir.0.join("ad.txt")).unwrap();
    let r = bounded().current_dir(&dir.0).args(["-v", "ad.txt"]).run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let err = r.stderr();
    assert!(err.contains("cxtag: settings: "), "{err}");
    assert!(
        err.contains(
            "cxtag.toml (flags given on the command line win): {\"format\":\"jsonl\",\"threads\":1}"
        ),
        "{err}"
    );
}

#[test]
fn threads_in_a_settings_file_are_capped() {
    let dir = TempDir::new("settings-threads");
    temp_file(&dir.0, "cxtag.toml", b"threads = 100000\n");
    let r = bounded()
        .current_dir(&dir.0)
        .arg(root().join("examples"))
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("warning: 100000 worker threads is more than 4 per core"),
        "{}",
        r.stderr()
    );
    assert!(r.1 < Duration::from_secs(30), "took {:?}", r.1);
}

#[test]
fn rules_named_by_a_settings_file_are_not_quoted_in_errors() {
    let dir = TempDir::new("settings-quote");
    let secret = temp_file(&dir.0, "secret.txt", b"password: hunter2\n");
    temp_file(
        &dir.0,
        "cxtag.toml",
        format!("rules = [{:?}]\n", secret.display().to_string()).as_bytes(),
    );
    let r = bounded()
        .current_dir(&dir.0)
        .arg(root().join(SERVICE_AD))
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    let err = r.stderr();
    assert!(!err.contains("hunter2"), "{err}");
    assert!(
        err.contains("secret.txt:1:") && err.contains(": error: "),
        "{err}"
    );
    // The user's own rule file on the command line is quoted, as a compiler would.
    let r = bounded()
        .args(["--no-config", "--rules"])
        .arg(&secret)
        .arg(root().join(SERVICE_AD))
        .run();
    assert!(
        r.stderr().contains("1 | password: hunter2"),
        "{}",
        r.stderr()
    );
}

// 7. Numeric flags are range-checked.

#[test]
fn a_max_size_out_of_range_is_a_usage_error() {
    for size in ["18446744073709551615", "0", "1073741825"] {
        let r = bounded().args(["--max-size", size, SERVICE_AD]).run();
        assert_eq!(r.code(), 1, "{size}: {}", r.stderr());
        assert!(r.stderr().contains("--max-size"), "{}", r.stderr());
        no_panic(&r);
    }
    let dir = TempDir::new("settings-max-size");
    let settings = temp_file(&dir.0, "s.toml", b"max_size = 9223372036854775807\n");
    let r = bounded()
        .arg("--config")
        .arg(&settings)
        .arg(SERVICE_AD)
        .run();
    assert_eq!(r.code(), 1, "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("max_size = 9223372036854775807 is not in 1..=1073741824"),
        "{}",
        r.stderr()
    );
    // The largest allowed size still reads ads.
    let r = bounded()
        .args(["--max-size", "1073741824", SERVICE_AD])
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
}

// 8. `-j` is capped at four threads per core.

#[test]
fn too_many_threads_are_capped_with_a_warning() {
    let r = bounded()
        .args(["-j", "20000", "--format", "jsonl", "examples"])
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    assert!(
        r.stderr()
            .contains("warning: 20000 worker threads is more than 4 per core"),
        "{}",
        r.stderr()
    );
    assert!(r.jsonl().len() > 5);
    assert!(r.1 < Duration::from_secs(30), "took {:?}", r.1);
}

// 9. A failing path in a folder walk is named, once.

#[test]
fn walk_errors_name_the_failing_path_once() {
    let dir = TempDir::new("walk-errors");
    let ads = dir.0.join("ads");
    fs::create_dir_all(ads.join("sub")).unwrap();
    fs::copy(root().join(SERVICE_AD), ads.join("ad.txt")).unwrap();
    symlink(dir.0.join("missing"), ads.join("broken")).unwrap();
    symlink("..", ads.join("sub/loop")).unwrap();
    let r = bounded()
        .args(["--follow", "--format", "jsonl"])
        .arg(&ads)
        .run();
    assert_eq!(r.code(), 2, "{}", r.stderr());
    let err = r.stderr();
    let broken = ads.join("broken").display().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert_eq!(
        lines[0],
        format!("cxtag: {broken}: No such file or directory (os error 2)")
    );
    assert!(
        lines[1].starts_with(&format!(
            "cxtag: {}: a link back to",
            ads.join("sub/loop").display()
        )),
        "{err}"
    );
    let errors: Vec<String> = r
        .jsonl()
        .iter()
        .filter(|v| v["type"] == "error")
        .map(|v| v["source"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(errors, [broken, ads.join("sub/loop").display().to_string()]);
}

// 10. The output file is not classified when it lies in a walked folder.

#[test]
fn the_output_file_inside_a_walked_folder_is_skipped() {
    let dir = TempDir::new("output-file");
    let ads = dir.0.join("ads");
    fs::create_dir_all(&ads).unwrap();
    fs::copy(root().join(SERVICE_AD), ads.join("ad.txt")).unwrap();
    let report = ads.join("report.txt");
    let file = fs::File::create(&report).unwrap();
    let r = bounded()
        .args(["--format", "jsonl"])
        .arg(&ads)
        .stdout_to(file)
        .run();
    assert_eq!(r.code(), 0, "{}", r.stderr());
    let written = fs::read_to_string(&report).unwrap();
    let sources: Vec<String> = written
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["source"].to_string())
        .collect();
    assert_eq!(sources.len(), 1, "{written}");
    assert!(sources[0].ends_with("ad.txt\""), "{sources:?}");
}

// 11. Global flags may come before a command.

#[test]
fn global_flags_may_come_before_a_command() {
    let r = bounded()
        .args(["--no-config", "rules", "list", "--role", "cx"])
        .run();
    assert!(r.ok().contains("cx.voice-of-customer"));
    let r = bounded()
        .args([
            "--verbose",
            "--no-config",
            "eval",
            "--labels",
            "tests/data/none.csv",
        ])
        .arg(SERVICE_AD)
        .run();
    assert!(
        r.stderr().contains("settings: none used (--no-config)"),
        "{}",
        r.stderr()
    );
    assert!(r.stderr().contains("tests/data/none.csv"), "{}", r.stderr());
    // Flags of the classifying command are refused there rather than silently dropped.
    let r = bounded().args(["--format", "json", "rules", "list"]).run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr()
            .contains("--format cannot come before the `rules` command"),
        "{}",
        r.stderr()
    );
}

// 12. The HTML report summarises failures past a limit.

#[test]
fn the_html_report_lists_at_most_100_failures() {
    let lines = "not json\n".repeat(5000);
    let r = bounded()
        .args(["--input-format", "jsonl", "--format", "html", "--quiet"])
        .stdin(lines)
        .run();
    assert_eq!(r.code(), 2);
    let page = r.stdout();
    assert!(
        page.contains("5000 inputs failed"),
        "{}",
        &page[..page.len().min(2000)]
    );
    assert_eq!(page.matches("<li><strong>").count(), 100);
    assert!(page.contains("and 4900 more"), "{page}");
    assert!(page.len() < 100_000, "{} bytes", page.len());
}

// 13. A failed write has its own exit code and one message.

#[test]
fn a_closed_stdout_or_a_full_disk_exits_3_with_one_message() {
    let dev_full = || {
        fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut runs = vec![(
        bounded().arg(SERVICE_AD).stdout_closed().run(),
        "standard output is closed",
    )];
    for format in ["table", "jsonl", "json", "csv", "tsv", "html"] {
        let r = bounded()
            .args(["--format", format, "examples"])
            .stdout_to(dev_full())
            .run();
        runs.push((r, "No space left on device"));
    }
    for command in [&["rules", "list"][..], &["man"]] {
        let r = bounded().args(command).stdout_to(dev_full()).run();
        runs.push((r, "No space left on device"));
    }
    for (r, reason) in runs {
        assert_eq!(r.code(), 3, "{}", r.stderr());
        assert_eq!(
            r.stderr(),
            format!(
                "cxtag: cannot write output: {reason}{}\n",
                if reason.starts_with("No") {
                    " (os error 28)"
                } else {
                    ""
                }
            )
        );
    }
}

#[test]
fn a_pipe_closed_by_its_reader_is_a_quiet_success() {
    use std::io::{BufRead, BufReader};
    let record = serde_json::json!({"id": "a", "text": "Head of CX\nWe handle complaints."});
    let input = format!("{record}\n").repeat(20_000);
    let dir = TempDir::new("epipe");
    let path = temp_file(&dir.0, "ads.jsonl", input.as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cxtag"))
        .args([
            "--no-config",
            "--input-format",
            "jsonl",
            "--format",
            "jsonl",
        ])
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, as `head -1` does, and close the pipe.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("{\"type\":\"ad\""), "{first}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

// SECURITY.md: cxtag never executes anything from an ad or a rule.

#[test]
fn nothing_in_cxtag_starts_a_process() {
    // No code path can run a program or open a connection when there is no code that
    // does either; this keeps it so.
    fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    assert!(files.len() > 10, "{files:?}");
    for file in files {
        let code = fs::read_to_string(&file).unwrap();
        for forbidden in [
            "process::Command",
            "Command::new(",
            "std::net",
            "libc::exec",
            "libc::system",
        ] {
            assert!(
                !code.contains(forbidden),
                "{} uses {forbidden}",
                file.display()
            );
        }
    }
}
