//! Command-line flags (clap derive), turned into a [`Config`] of meaningful values.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::input::Input;
use crate::report::Format;

/// Tag job ads by the role they really describe: acquisition, service, improvement,
/// cross-functional CX, or other.
#[derive(Debug, Parser)]
#[command(
    name = "cxtag",
    version,
    about,
    long_about = None,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A command other than classifying ads.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Settings file (default: the nearest cxtag.toml from the current folder up, else
    /// the user's config folder's cxtag/config.toml).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// Ignore settings files.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,

    /// Ad files or folders of ads; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// List every rule that fired, with its weight, hits and first line:col.
    #[arg(short, long)]
    pub explain: bool,

    /// Print only the summary of tags (table format).
    #[arg(long)]
    pub summary_only: bool,

    /// Table width in columns (default: the terminal's, or 120 when not a terminal).
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,

    /// Colour the tags in tables: `auto` colours on a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Exit 0 when some ads could not be read: they are still reported, in the output
    /// (as error records) and on standard error. For pipelines (Spark, Hadoop Streaming),
    /// which fail a task on a non-zero exit; bad usage, bad rules, a bad settings file
    /// and a failed write still exit non-zero.
    #[arg(long)]
    pub keep_going: bool,

    /// Write each result as soon as its ad is classified, reading input line by line
    /// (for a live stream; slower on a batch). Matters for jsonl, csv and tsv output.
    #[arg(long)]
    pub line_buffered: bool,

    /// How ads are read.

    #[command(flatten)]
    pub input: InputArgs,

    /// Which rules are used.

    #[command(flatten)]
    pub rules: RuleArgs,
}

/// How ads are read (shared by classifying, `eval` and `rules stats`).
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
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

    /// No warnings or progress on standard error (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Which rules are used (shared by every command).
#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Extra rule file or folder of *.toml files (repeatable); added to the defaults.
    #[arg(short, long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,

    /// Use only the --rules files, not the embedded defaults.
    #[arg(long)]
    pub no_default_rules: bool,
}

/// Commands besides classifying.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check, list, test and measure rules.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Score cxtag against labelled ads: accuracy, F1, confusion, calibration, errors.
    Eval(EvalArgs),
    /// Print a shell completion script: `cxtag completions bash > ~/.local/share/bash-completion/completions/cxtag`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `cxtag man > cxtag.1 && man ./cxtag.1`.
    Man,
}

/// `cxtag rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Report every problem in rule files (the defaults, plus PATHs); exit 1 on errors.
    Check {
        /// Rule files or folders to check with the defaults.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Check only the PATHs, not the embedded defaults.
        #[arg(long)]
        no_default_rules: bool,
    },
    /// List every rule: role, id, weight, kind, scope and patterns.
    List {
        /// Only the rules of this role (or signal: mandate, breadth).
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
        /// Output format; `patterns` prints every keyword and phrase, one per line.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Which rules are used.
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the `examples` and `counterexamples` of every rule; exit 1 if any fails.
    Test {
        /// Which rules are used.
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Per rule over a corpus: coverage, conflict with other roles, and precision
    /// against labels.
    Stats {
        /// Ad files, folders or JSON Lines files.
        #[arg(value_name = "INPUT")]
        paths: Vec<PathBuf>,
        /// `id,label` file; adds each rule's precision for its role.
        #[arg(long, value_name = "CSV")]
        labels: Option<PathBuf>,
        /// Output format.
        #[arg(short, long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// How ads are read.
        #[command(flatten)]
        input: InputArgs,
        /// Which rules are used.
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// `cxtag eval ...`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Ad files, folders or JSON Lines files.
    #[arg(value_name = "INPUT")]
    pub paths: Vec<PathBuf>,
    /// `id,label` file: ids are JSONL ids, or file paths relative to the label file.
    #[arg(long, value_name = "CSV", required_unless_present = "compare_rules")]
    pub labels: Option<PathBuf>,
    /// Also classify with these rules (file or folder, instead of the defaults) and show
    /// the ads whose tag changes.
    #[arg(long, value_name = "PATH")]
    pub compare_rules: Option<PathBuf>,
    /// How many misclassified (or changed) ads to list in tables.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub show: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Table width in columns.
    #[arg(long, value_name = "COLUMNS")]
    pub width: Option<u16>,
    /// How ads are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Which rules are used.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR environment variable is set.
    Auto,
    /// Always (even when piped, and despite NO_COLOR).
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given where stdout goes and the NO_COLOR variable.
    pub fn resolve(self, stdout_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
}

/// Output of `rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Table,
    /// A JSON array of rules.
    Json,
    /// Every keyword and phrase, one per line (for `grep -F -f` / `rg -F -f`).
    Patterns,
}

/// Output of `eval` and `rules stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Tables.
    Table,
    /// One JSON object.
    Json,
}

const EXIT_CODES: &str = "Examples:
  cxtag ad.txt                                  one ad, as a table
  cat ad.txt | cxtag --explain                  standard input, with every rule that fired
  cxtag ads/ --format jsonl > tags.jsonl        a folder, one JSON object per ad
  cxtag --input-format jsonl --format csv ads.jsonl
  cxtag eval --labels labels.csv ads/           score against labelled ads
  cxtag rules check my-rules/                   check rule files

Exit codes: 0 every ad classified (or, with --keep-going, every input reported); \
1 bad usage, bad rules or bad settings (nothing classified); \
2 some input could not be read or parsed (the others were still classified).";

/// How inputs are split into ads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
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
    /// Colour the table.
    pub color: bool,
    /// Failed ads do not change the exit code.
    pub keep_going: bool,
    /// Read one line and write one result at a time, flushing each.
    pub line_buffered: bool,
}

/// The table width: the terminal's, or 120 when stdout is not a terminal.
pub fn table_width(given: Option<u16>) -> u16 {
    given.unwrap_or_else(|| {
        if std::io::stdout().is_terminal() {
            comfy_table::Table::new().width().unwrap_or(120)
        } else {
            120
        }
    })
}

impl Config {
    /// A configuration for reading `paths` with `input` and `rules`, as a table.
    pub fn new(paths: Vec<PathBuf>, input: InputArgs, rules: RuleArgs) -> Config {
        let inputs = if paths.is_empty() {
            vec![Input::Stdin]
        } else {
            paths
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
        Config {
            inputs,
            default_rules: !rules.no_default_rules,
            rule_paths: rules.rules,
            format: Format::Table,
            explain: false,
            input_format: input.input_format,
            id_field: input.id_field,
            text_field: input.text_field,
            title_field: input.title_field,
            max_size: input.max_size,
            summary_only: false,
            progress: !input.quiet && std::io::stderr().is_terminal(),
            quiet: input.quiet,
            threads: input.threads.unwrap_or(0),
            width: 120,
            color: false,
            keep_going: false,
            line_buffered: false,
        }
    }
}

impl Cli {
    /// Turns the classifying flags into a [`Config`].
    pub fn into_config(self) -> Config {
        Config {
            format: self.format,
            explain: self.explain,
            summary_only: self.summary_only,
            keep_going: self.keep_going,
            line_buffered: self.line_buffered,
            width: table_width(self.width),
            color: self.color.resolve(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
            ..Config::new(self.paths, self.input, self.rules)
        }
    }
}
