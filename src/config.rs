//! Settings files: a team pins its rules and defaults in `cxtag.toml`.
//!
//! The file used is the first of: `--config FILE`; the nearest `cxtag.toml` in the
//! current folder or a parent; the user's config folder's `cxtag/config.toml` (for example
//! `~/.config/cxtag/config.toml`). `--no-config` ignores them all. Only one file is read.
//! A flag given on the command line always wins over the file; rule paths in the file
//! are relative to the file's folder, and `--rules` on the command line replaces them.
//!
//! A settings file changes verdicts, so a file found by the search is obeyed only when it
//! is the user's own: owned by them (or root) and writable by nobody else, the way git
//! ignores repository settings owned by someone else. Anyone can write a `cxtag.toml`
//! into a shared folder such as `/tmp`. A file named with `--config` is the user's choice
//! and is read as it is.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use crate::cli::{
    Cli, ColorChoice, Command, InputArgs, InputFormat, MAX_SIZE_LIMIT, RuleArgs, RulesCommand,
};
use crate::report::Format;
use crate::terminal::{Newlines, for_terminal};

/// The settings a file may hold; every one is optional.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Rule files or folders, relative to the settings file.
    pub rules: Option<Vec<PathBuf>>,
    /// Use only `rules`, not the embedded defaults.
    pub no_default_rules: Option<bool>,
    /// Output format.
    pub format: Option<Format>,
    /// Colour.
    pub color: Option<ColorChoice>,
    /// Table width.
    pub width: Option<u16>,
    /// List every fired rule.
    pub explain: Option<bool>,
    /// Input format.
    pub input_format: Option<InputFormat>,
    /// JSON Lines id field.
    pub id_field: Option<String>,
    /// JSON Lines text field.
    pub text_field: Option<String>,
    /// JSON Lines title field.
    pub title_field: Option<String>,
    /// Largest ad in bytes.
    pub max_size: Option<u64>,
    /// Worker threads.
    pub threads: Option<usize>,
}

/// The largest settings file read (a real one is a few hundred bytes).
pub const SETTINGS_LIMIT: u64 = 1 << 20;

/// The settings file to use, if any. Files found by the search that are not the user's
/// own are passed over, each with a warning in `ignored`.
pub fn find(cli: &Cli, ignored: &mut Vec<String>) -> Option<PathBuf> {
    if cli.no_config {
        return None;
    }
    if let Some(p) = &cli.config {
        return Some(p.clone());
    }
    let cwd = std::env::current_dir().ok()?;
    let user = dirs::config_dir().map(|d| d.join("cxtag").join("config.toml"));
    cwd.ancestors()
        .map(|d| d.join("cxtag.toml"))
        .chain(user)
        .filter(|p| p.is_file())
        .find(|p| match untrusted(p) {
            None => true,
            Some(why) => {
                ignored.push(format!(
                    "{}: warning: settings file ignored: {why}",
                    p.display()
                ));
                false
            }
        })
}

/// Why a settings file is not the user's own, if it is not: someone else owns it, or
/// others may write to it.
fn untrusted(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => return Some(format!("cannot check who owns it: {e}")),
        };
        // SAFETY: geteuid and getegid cannot fail and touch no memory.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        let mode = meta.mode() & 0o7777;
        if meta.uid() != uid && meta.uid() != 0 {
            Some(format!(
                "it belongs to user {}, not to you (uid {uid}) or root",
                meta.uid()
            ))
        } else if mode & 0o002 != 0 {
            Some(format!("anyone may write to it (mode {mode:o})"))
        } else if mode & 0o020 != 0 && meta.gid() != gid {
            // A group-writable file of the user's own group is the usual umask 002 on
            // systems that give each user a group of their own.
            Some(format!(
                "group {} may write to it (mode {mode:o})",
                meta.gid()
            ))
        } else {
            None
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Reads a settings file; errors name the file and the line:col of the problem. The
/// offending line is not quoted: `--config` may name any file.
pub fn read(path: &Path) -> Result<Settings> {
    let bytes = crate::input::read_capped(path, SETTINGS_LIMIT)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the settings file: {e}", path.display()))?;
    let text = String::from_utf8(bytes)
        .with_context(|| format!("{}: the settings file is not UTF-8", path.display()))?;
    toml::from_str(&text).map_err(|e| {
        let at = e
            .span()
            .map(|s| {
                let (line, col, _) = crate::error::line_col(&text, s.start);
                format!(":{line}:{col}")
            })
            .unwrap_or_default();
        anyhow::anyhow!(
            "{}{at}: {}",
            path.display(),
            e.message().lines().next().unwrap_or("invalid TOML")
        )
    })
}

impl Settings {
    /// Layers `over` on these settings: every setting `over` gives replaces this one's (as
    /// typos merges its layers of settings). The command line is layered over a file.
    pub fn update(&mut self, over: Settings) {
        // Taken apart field by field, with no `..`: a new setting does not compile until
        // it is listed here, and so merged.
        macro_rules! layer {
            ($($field:ident),*) => {
                let Settings { $($field),* } = over;
                $(if $field.is_some() {
                    self.$field = $field;
                })*
            };
        }
        layer!(
            rules,
            no_default_rules,
            format,
            color,
            width,
            explain,
            input_format,
            id_field,
            text_field,
            title_field,
            max_size,
            threads
        );
    }

    /// The input settings `input` gives (`None` for each flag not given).
    fn of_input(input: &InputArgs) -> Settings {
        Settings {
            input_format: input.input_format,
            id_field: input.id_field.clone(),
            text_field: input.text_field.clone(),
            title_field: input.title_field.clone(),
            max_size: input.max_size,
            threads: input.threads,
            ..Settings::default()
        }
    }

    /// The rule settings `rules` gives; a flag that can only be switched on is given
    /// when it is on.
    fn of_rules(rules: &RuleArgs) -> Settings {
        Settings {
            rules: (!rules.rules.is_empty()).then(|| rules.rules.clone()),
            no_default_rules: rules.no_default_rules.then_some(true),
            ..Settings::default()
        }
    }

    /// The classifying command's own settings that `cli` gives.
    fn of_classify(cli: &Cli) -> Settings {
        Settings {
            format: cli.format,
            color: cli.color,
            width: cli.width,
            explain: cli.explain.then_some(true),
            ..Settings::default()
        }
    }

    /// Writes the input settings into `input`.
    fn set_input(&self, input: &mut InputArgs) {
        input.input_format = self.input_format;
        input.id_field.clone_from(&self.id_field);
        input.text_field.clone_from(&self.text_field);
        input.title_field.clone_from(&self.title_field);
        input.max_size = self.max_size;
        input.threads = self.threads;
    }

    /// Writes the rule settings into `rules`; `from_file` when the paths are the file's.
    fn set_rules(&self, rules: &mut RuleArgs, from_file: bool) {
        rules.rules = self.rules.clone().unwrap_or_default();
        rules.no_default_rules = self.no_default_rules.unwrap_or(false);
        rules.from_settings = from_file;
    }
}

/// Layers the command line over the settings `file`: `own` (the command's own flags),
/// then `input` and `rules`, which are written back. A flag given wins; a flag not given
/// takes the file's value. Returns the merged settings.
fn layer(
    file: &Settings,
    own: Settings,
    input: Option<&mut InputArgs>,
    rules: Option<&mut RuleArgs>,
) -> Settings {
    let mut merged = file.clone();
    merged.update(own);
    if let Some(input) = input {
        merged.update(Settings::of_input(input));
        merged.set_input(input);
    }
    if let Some(rules) = rules {
        let given = Settings::of_rules(rules);
        let from_file = given.rules.is_none() && file.rules.is_some();
        merged.update(given);
        merged.set_rules(rules, from_file);
    }
    merged
}

/// [`layer`] for the classifying command, whose own flags are written back too.
fn layer_classify(cli: &mut Cli, file: &Settings) {
    let own = Settings::of_classify(cli);
    let merged = layer(file, own, Some(&mut cli.input), Some(&mut cli.rules));
    cli.format = merged.format;
    cli.color = merged.color;
    cli.width = merged.width;
    cli.explain = merged.explain.unwrap_or(false);
}

/// Fills every setting the command line left at its default from the settings file.
/// Warnings about settings files passed over, and with `--verbose` the file used and its
/// values, go to `err`.
pub fn apply(cli: &mut Cli, err: &mut dyn Write) -> Result<Option<PathBuf>> {
    let mut ignored = Vec::new();
    let found = find(cli, &mut ignored);
    for warning in &ignored {
        let _ = writeln!(err, "cxtag: {}", for_terminal(warning, Newlines::Escape));
    }
    let Some(path) = found else {
        if cli.verbose {
            let _ = writeln!(
                err,
                "cxtag: settings: none used{}",
                if cli.no_config {
                    " (--no-config)"
                } else {
                    " (no cxtag.toml in this folder or a parent, nor a user config.toml)"
                }
            );
        }
        return Ok(None);
    };
    // A device or a pipe may be named (`--config /dev/stdin`): `read` bounds it.
    if !path.exists() {
        bail!("{}: no such settings file", path.display());
    }
    let s = read(&path)?;
    if let Some(n) = s.max_size
        && !(1..=MAX_SIZE_LIMIT).contains(&n)
    {
        bail!(
            "{}: max_size = {n} is not in 1..={MAX_SIZE_LIMIT}",
            path.display()
        );
    }
    if cli.verbose {
        // Only the settings the file sets.
        let values = match serde_json::to_value(&s) {
            Ok(serde_json::Value::Object(map)) => {
                serde_json::Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
                    .to_string()
            }
            _ => String::new(),
        };
        let line = format!(
            "settings: {} (flags given on the command line win): {values}",
            path.display()
        );
        let _ = writeln!(err, "cxtag: {}", for_terminal(&line, Newlines::Escape));
    }
    // Rule paths in the file are relative to the file's folder.
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut file = s;
    if let Some(paths) = &mut file.rules {
        for p in paths.iter_mut() {
            *p = base.join(&*p);
        }
    }
    let none = Settings::default;
    match &mut cli.command {
        None => layer_classify(cli, &file),
        Some(Command::Eval(args)) => {
            layer(&file, none(), Some(&mut args.input), Some(&mut args.rules));
        }
        Some(Command::Rules { command }) => match command {
            RulesCommand::Stats { input, rules, .. } => {
                layer(&file, none(), Some(input), Some(rules));
            }
            RulesCommand::Fit(args) => {
                layer(&file, none(), Some(&mut args.input), Some(&mut args.rules));
            }
            RulesCommand::List { rules, .. } | RulesCommand::Test { rules } => {
                layer(&file, none(), None, Some(rules));
            }
            // `rules check` checks the files it is given.
            RulesCommand::Check { .. } => {}
        },
        Some(Command::Completions { .. } | Command::Man) => {}
    }
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    /// The settings of `toml`, layered under the command line `args`.
    fn layered(toml: &str, args: &[&str]) -> Cli {
        let mut cli = Cli::try_parse_from(std::iter::once("cxtag").chain(args.iter().copied()))
            .expect("the flags parse");
        let file: Settings = toml::from_str(toml).expect("the settings parse");
        layer_classify(&mut cli, &file);
        cli
    }

    const EVERY: &str = r#"
        rules = ["team.toml"]
        no_default_rules = true
        format = "csv"
        color = "always"
        width = 90
        explain = true
        input_format = "jsonl"
        id_field = "key"
        text_field = "body"
        title_field = "role"
        max_size = 1000
        threads = 3
    "#;

    #[test]
    fn a_setting_the_command_line_leaves_out_comes_from_the_file() {
        let cli = layered(EVERY, &[]);
        assert_eq!(cli.format, Some(Format::Csv));
        assert_eq!(cli.color, Some(ColorChoice::Always));
        assert_eq!(cli.width, Some(90));
        assert!(cli.explain);
        assert_eq!(cli.input.input_format, Some(InputFormat::Jsonl));
        assert_eq!(cli.input.id_field.as_deref(), Some("key"));
        assert_eq!(cli.input.text_field.as_deref(), Some("body"));
        assert_eq!(cli.input.title_field.as_deref(), Some("role"));
        assert_eq!(cli.input.max_size, Some(1000));
        assert_eq!(cli.input.threads, Some(3));
        assert_eq!(cli.rules.rules, vec![PathBuf::from("team.toml")]);
        assert!(cli.rules.no_default_rules && cli.rules.from_settings);
    }

    #[test]
    fn every_flag_given_wins_over_the_file() {
        let cli = layered(
            EVERY,
            &[
                "--format=jsonl",
                "--color=never",
                "--width=70",
                "--input-format=text",
                "--id-field=n",
                "--text-field=t",
                "--title-field=h",
                "--max-size=77",
                "-j1",
                "--rules=mine.toml",
            ],
        );
        assert_eq!(cli.format, Some(Format::Jsonl));
        assert_eq!(cli.color, Some(ColorChoice::Never));
        assert_eq!(cli.width, Some(70));
        assert_eq!(cli.input.input_format, Some(InputFormat::Text));
        assert_eq!(cli.input.id_field.as_deref(), Some("n"));
        assert_eq!(cli.input.text_field.as_deref(), Some("t"));
        assert_eq!(cli.input.title_field.as_deref(), Some("h"));
        assert_eq!(cli.input.max_size, Some(77));
        assert_eq!(cli.input.threads, Some(1));
        // The command line's rules replace the file's, and are no settings file's.
        assert_eq!(cli.rules.rules, vec![PathBuf::from("mine.toml")]);
        assert!(!cli.rules.from_settings);
    }

    #[test]
    fn with_no_file_nothing_is_set_but_the_flags() {
        let cli = layered("", &["--width=50"]);
        assert_eq!(cli.format, None);
        assert_eq!(cli.width, Some(50));
        assert!(!cli.explain && !cli.rules.from_settings && cli.rules.rules.is_empty());
        assert_eq!(cli.input.max_size, None);
    }

    #[test]
    fn update_layers_only_what_is_given() {
        let mut s = Settings {
            format: Some(Format::Csv),
            width: Some(80),
            ..Settings::default()
        };
        s.update(Settings {
            width: Some(100),
            threads: Some(2),
            ..Settings::default()
        });
        assert_eq!(
            s,
            Settings {
                format: Some(Format::Csv),
                width: Some(100),
                threads: Some(2),
                ..Settings::default()
            }
        );
    }
}
