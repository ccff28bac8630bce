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
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;

use crate::cli::{
    Cli, ColorChoice, Command, InputArgs, InputFormat, MAX_SIZE_LIMIT, RuleArgs, RulesCommand,
};
use crate::report::Format;
use crate::terminal::{Newlines, for_terminal};

/// The settings a file may hold; every one is optional.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
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

fn from_command_line(m: &ArgMatches, id: &str) -> bool {
    m.try_get_raw(id).is_ok_and(|v| v.is_some())
        && m.value_source(id) == Some(ValueSource::CommandLine)
}

/// Fills every setting the command line left at its default from the settings file.
/// Warnings about settings files passed over, and with `--verbose` the file used and its
/// values, go to `err`.
pub fn apply(cli: &mut Cli, matches: &ArgMatches, err: &mut dyn Write) -> Result<Option<PathBuf>> {
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
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let m = matches;
    match &mut cli.command {
        None => {
            if !from_command_line(m, "format")
                && let Some(f) = s.format
            {
                cli.format = f;
            }
            if !from_command_line(m, "color")
                && let Some(c) = s.color
            {
                cli.color = c;
            }
            if !from_command_line(m, "width") && s.width.is_some() {
                cli.width = s.width;
            }
            if !from_command_line(m, "explain")
                && let Some(e) = s.explain
            {
                cli.explain = e;
            }
            apply_input(&mut cli.input, m, &s);
            apply_rules(&mut cli.rules, m, &s, &base);
        }
        Some(Command::Eval(args)) => {
            let m = m.subcommand_matches("eval").unwrap_or(m);
            apply_input(&mut args.input, m, &s);
            apply_rules(&mut args.rules, m, &s, &base);
        }
        Some(Command::Rules { command }) => {
            let m = m.subcommand_matches("rules").unwrap_or(m);
            match command {
                RulesCommand::Stats { input, rules, .. } => {
                    let m = m.subcommand_matches("stats").unwrap_or(m);
                    apply_input(input, m, &s);
                    apply_rules(rules, m, &s, &base);
                }
                RulesCommand::Fit(args) => {
                    let m = m.subcommand_matches("fit").unwrap_or(m);
                    apply_input(&mut args.input, m, &s);
                    apply_rules(&mut args.rules, m, &s, &base);
                }
                RulesCommand::List { rules, .. } => {
                    apply_rules(rules, m.subcommand_matches("list").unwrap_or(m), &s, &base)
                }
                RulesCommand::Test { rules } => {
                    apply_rules(rules, m.subcommand_matches("test").unwrap_or(m), &s, &base)
                }
                // `rules check` checks the files it is given.
                RulesCommand::Check { .. } => {}
            }
        }
        Some(Command::Completions { .. } | Command::Man) => {}
    }
    Ok(Some(path))
}

fn apply_input(input: &mut InputArgs, m: &ArgMatches, s: &Settings) {
    if !from_command_line(m, "input_format")
        && let Some(f) = s.input_format
    {
        input.input_format = f;
    }
    if !from_command_line(m, "id_field")
        && let Some(f) = &s.id_field
    {
        input.id_field = f.clone();
    }
    if !from_command_line(m, "text_field")
        && let Some(f) = &s.text_field
    {
        input.text_field = f.clone();
    }
    if !from_command_line(m, "title_field") && s.title_field.is_some() {
        input.title_field = s.title_field.clone();
    }
    if !from_command_line(m, "max_size")
        && let Some(n) = s.max_size
    {
        input.max_size = n;
    }
    if !from_command_line(m, "threads") && s.threads.is_some() {
        input.threads = s.threads;
    }
}

fn apply_rules(rules: &mut RuleArgs, m: &ArgMatches, s: &Settings, base: &Path) {
    if !from_command_line(m, "rules")
        && let Some(paths) = &s.rules
    {
        rules.rules = paths.iter().map(|p| base.join(p)).collect();
        rules.from_settings = true;
    }
    if !from_command_line(m, "no_default_rules")
        && let Some(b) = s.no_default_rules
    {
        rules.no_default_rules = b;
    }
}
