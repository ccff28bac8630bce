//! Settings files: a team pins its rules and defaults in `cxtag.toml`.
//!
//! The file used is the first of: `--config FILE`; the nearest `cxtag.toml` in the
//! current folder or a parent; the user's config folder's `cxtag/config.toml` (for example
//! `~/.config/cxtag/config.toml`). `--no-config` ignores them all. Only one file is read.
//! A flag given on the command line always wins over the file; rule paths in the file
//! are relative to the file's folder, and `--rules` on the command line replaces them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::ArgMatches;
use clap::parser::ValueSource;
use serde::Deserialize;

use crate::cli::{Cli, ColorChoice, Command, InputArgs, InputFormat, RuleArgs, RulesCommand};
use crate::report::Format;

/// The settings a file may hold; every one is optional.
#[derive(Debug, Default, Deserialize)]
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

/// The settings file to use, if any.
pub fn find(cli: &Cli) -> Option<PathBuf> {
    if cli.no_config {
        return None;
    }
    if let Some(p) = &cli.config {
        return Some(p.clone());
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .map(|d| d.join("cxtag.toml"))
        .find(|p| p.is_file())
        .or_else(|| {
            dirs::config_dir()
                .map(|d| d.join("cxtag").join("config.toml"))
                .filter(|p| p.is_file())
        })
}

/// Reads a settings file; errors name the file and the line:col of the problem.
pub fn read(path: &Path) -> Result<Settings> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read the settings file", path.display()))?;
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
pub fn apply(cli: &mut Cli, matches: &ArgMatches) -> Result<Option<PathBuf>> {
    let Some(path) = find(cli) else {
        return Ok(None);
    };
    if !path.is_file() {
        bail!("{}: no such settings file", path.display());
    }
    let s = read(&path)?;
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
    }
    if !from_command_line(m, "no_default_rules")
        && let Some(b) = s.no_default_rules
    {
        rules.no_default_rules = b;
    }
}
