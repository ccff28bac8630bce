//! Command-line flags (clap derive), turned into a [`Config`] of meaningful values.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use crate::input::Input;
use crate::report::Format;

/// Tag job ads by the role they really describe: acquisition, service, improvement,
/// cross-functional CX, or other.
#[derive(Debug, Parser)]
#[command(name = "cxtag", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// Ad files or folders of ads; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// List every rule that fired, with its weight, hits and first line:col.
    #[arg(short, long)]
    pub explain: bool,

    /// Extra rule file or folder of *.toml files (repeatable); added to the defaults.
    #[arg(short, long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,

    /// Use only the --rules files, not the embedded defaults.
    #[arg(long)]
    pub no_default_rules: bool,

    /// How inputs are read: one ad per file, or one ad per JSON line.
    #[arg(long, value_enum, default_value_t = InputFormat::Text)]
    pub input_format: InputFormat,

    /// JSON Lines: the field holding each ad's id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    pub id_field: String,

    /// JSON Lines: the field holding each ad's text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_field: String,

    /// JSON Lines: a field holding each ad's title (used when the text does not start
    /// with it).
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,

    /// Largest ad accepted, in bytes (a job ad is a few kilobytes).
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES")]
    pub max_size: u64,

    /// Print only the summary of tags (table format).
    #[arg(long)]
    pub summary_only: bool,

    /// No warnings or progress on standard error (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Table width in columns (default: the terminal's, or 120 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,
}

const EXIT_CODES: &str = "Exit codes: 0 every ad classified; 1 bad usage or bad rules (nothing classified); \
2 some input could not be read or parsed (the others were still classified).";

/// How inputs are split into ads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each file (or standard input) is one ad; folders are walked.
    Text,
    /// Each line is a JSON object holding one ad.
    Jsonl,
}

/// Everything a run needs, decided.
#[derive(Debug, Clone)]
pub struct Config {
    /// What to read, in order.
    pub inputs: Vec<Input>,
    /// Load the embedded default rules first.
    pub default_rules: bool,
    /// User rule files and folders, in order.
    pub rule_paths: Vec<PathBuf>,
    /// Output format.
    pub format: Format,
    /// Show every fired rule.
    pub explain: bool,
    /// How inputs are split into ads.
    pub input_format: InputFormat,
    /// JSONL id field.
    pub id_field: String,
    /// JSONL text field.
    pub text_field: String,
    /// JSONL title field, if any.
    pub title_field: Option<String>,
    /// Largest ad in bytes.
    pub max_size: u64,
    /// Only the summary.
    pub summary_only: bool,
    /// Suppress warnings and progress.
    pub quiet: bool,
    /// Draw a progress bar on standard error (a terminal, and not --quiet).
    pub progress: bool,
    /// Worker threads; 0 lets the pool decide.
    pub threads: usize,
    /// Table width.
    pub width: u16,
}

impl Cli {
    /// Turns flags into a [`Config`].
    pub fn into_config(self) -> Config {
        let inputs = if self.paths.is_empty() {
            vec![Input::Stdin]
        } else {
            self.paths
                .into_iter()
                .map(|p| {
                    if p.as_os_str() == "-" {
                        Input::Stdin
                    } else {
                        Input::Path(p)
                    }
                })
                .collect()
        };
        let width = self.width.unwrap_or_else(|| {
            if std::io::stdout().is_terminal() {
                comfy_table::Table::new().width().unwrap_or(120)
            } else {
                120
            }
        });
        Config {
            inputs,
            default_rules: !self.no_default_rules,
            rule_paths: self.rules,
            format: self.format,
            explain: self.explain,
            input_format: self.input_format,
            id_field: self.id_field,
            text_field: self.text_field,
            title_field: self.title_field,
            max_size: self.max_size,
            summary_only: self.summary_only,
            progress: !self.quiet && std::io::stderr().is_terminal(),
            quiet: self.quiet,
            threads: self.threads.unwrap_or(0),
            width,
        }
    }
}
