//! Fitting in: settings files and their precedence, colour, completions and the man page.

use super::{Cxtag, TempDir, root, temp_file};

const AD: &str = "examples/cx--head-of-cx-weak-mandate.txt";

fn ad() -> std::path::PathBuf {
    root().join(AD)
}

#[test]
fn a_settings_file_in_a_parent_folder_sets_defaults_and_flags_win() {
    let dir = TempDir::new("config");
    let sub = dir.0.join("team").join("ads");
    std::fs::create_dir_all(&sub).unwrap();
    // The team's settings: JSON Lines output and an extra rule file beside the settings.
    temp_file(
        &dir.0.join("team"),
        "extra.toml",
        b"role = \"cx\"\n[[rule]]\nid = \"cx.team-word\"\nweight = 1\nphrases = [\"harbour\"]\n",
    );
    temp_file(
        &dir.0.join("team"),
        "cxtag.toml",
        b"format = \"jsonl\"\nrules = [\"extra.toml\"]\n",
    );
    let r = Cxtag::new().current_dir(&sub).arg(ad()).run();
    let rec = &r.jsonl()[0];
    assert_eq!(rec["tag"], "cx");
    let rules: Vec<String> = Cxtag::new()
        .current_dir(&sub)
        .args(["--explain"])
        .arg(ad())
        .run()
        .jsonl()[0]["fired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rules.iter().any(|r| r == "cx.team-word"),
        "the file's rules are loaded: {rules:?}"
    );

    // An explicit flag wins over the file.
    let csv = Cxtag::new()
        .current_dir(&sub)
        .args(["--format", "csv"])
        .arg(ad())
        .run()
        .ok();
    assert!(csv.starts_with("id,source,title,tag"), "{csv}");
    // --no-config ignores it.
    let table = Cxtag::new()
        .current_dir(&sub)
        .arg("--no-config")
        .arg(ad())
        .run()
        .ok();
    assert!(table.contains("┌"), "{table}");
}

#[test]
fn config_flag_and_user_config_folder_are_used_in_that_order() {
    let dir = TempDir::new("config-order");
    let home = dir.0.join("xdg");
    std::fs::create_dir_all(home.join("cxtag")).unwrap();
    temp_file(&home.join("cxtag"), "config.toml", b"format = \"csv\"\n");
    let explicit = temp_file(&dir.0, "mine.toml", b"format = \"jsonl\"\n");
    let elsewhere = dir.0.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let user = Cxtag::new()
        .current_dir(&elsewhere)
        .env("XDG_CONFIG_HOME", &home)
        .arg(ad())
        .run()
        .ok();
    assert!(user.starts_with("id,source,"), "user config folder: {user}");
    let flag = Cxtag::new()
        .current_dir(&elsewhere)
        .env("XDG_CONFIG_HOME", &home)
        .arg("--config")
        .arg(&explicit)
        .arg(ad())
        .run();
    assert!(flag.ok().starts_with("{\"type\":\"ad\""), "--config wins");
}

#[test]
fn a_bad_settings_file_is_a_clear_error() {
    let dir = TempDir::new("config-bad");
    let bad = temp_file(
        &dir.0,
        "bad.toml",
        b"format = \"jsonl\"\ncolour = \"always\"\n",
    );
    let r = Cxtag::new().arg("--config").arg(&bad).arg(ad()).run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr().contains("bad.toml:2:1: unknown field `colour`"),
        "{}",
        r.stderr()
    );
    let r = Cxtag::new()
        .args(["--config", "no/such/file.toml", AD])
        .run();
    assert_eq!(r.code(), 1);
    assert!(
        r.stderr()
            .contains("no/such/file.toml: no such settings file"),
        "{}",
        r.stderr()
    );
}

#[test]
fn colour_follows_the_flag_no_color_and_the_terminal() {
    let esc = |s: &str| s.contains('\u{1b}');
    // Not a terminal: no colour by default.
    assert!(!esc(&Cxtag::new().arg(AD).run().ok()));
    assert!(esc(&Cxtag::new()
        .args(["--color", "always", AD])
        .run()
        .ok()));
    assert!(!esc(&Cxtag::new()
        .args(["--color", "never", AD])
        .run()
        .ok()));
    // NO_COLOR turns `auto` off, but an explicit `always` still colours.
    assert!(!esc(&Cxtag::new().env("NO_COLOR", "1").arg(AD).run().ok()));
    assert!(esc(&Cxtag::new()
        .env("NO_COLOR", "1")
        .args(["--color", "always", AD])
        .run()
        .ok()));
    // Machine formats are never coloured.
    assert!(!esc(&Cxtag::new()
        .args(["--color", "always", "--format", "jsonl", AD])
        .run()
        .ok()));
}

#[test]
fn completions_and_man_page_are_generated_from_the_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Cxtag::new().args(["completions", shell]).run().ok();
        for flag in ["format", "rules", "explain", "input-format"] {
            let spelled = if shell == "fish" {
                format!("-l {flag}")
            } else {
                format!("--{flag}")
            };
            assert!(out.contains(&spelled), "{shell} completion lacks {spelled}");
        }
    }
    let man = Cxtag::new().arg("man").run().ok();
    assert!(
        man.contains(".TH cxtag 1"),
        "{}",
        &man[..200.min(man.len())]
    );
    for flag in [
        "\\-\\-format",
        "\\-\\-rules",
        "\\-\\-explain",
        "\\-\\-color",
    ] {
        assert!(man.contains(flag), "man page lacks {flag}");
    }
}
