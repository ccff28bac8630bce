//! Command-line flags (clap derive), turned into a [`Config`] of meaningful values.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::RuleErrors;
use crate::input::{FileId, Input};
use crate::report::{Format, Only, Sort};
use crate::rules::RuleSet;

/// Tag job ads by the role they really describe: acquisition, service, improvement,
/// cross-functional CX, or other.
#[derive(Debug, Parser)]
#[command(
    name = "cxtag",
    version,
    about,
    long_about = None,
    after_help = EXIT_CODES,
    // Not `args_conflicts_with_subcommands`: it took global flags before a command
    // (`cxtag --no-config rules list`) for paths. main checks the other flags instead.
    subcommand_precedence_over_arg = true
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

    /// Say on standard error which settings file is used (or why one is ignored) and the
    /// values taken from it.
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// Ad files or folders of ads; `-` or nothing reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format [default: table].
    #[arg(short, long, value_enum)]
    pub format: Option<Format>,

    /// List every rule that fired, with its weight, hits and first line:col.
    #[arg(short, long)]
    pub explain: bool,

    /// The ad's job title, when its text lacks one or opens with something else (a company
    /// name): used and shown as the title instead of a line found near the top. It becomes
    /// the text's first line (line numbers count it). One file or standard input only;
    /// JSON Lines carry their own titles (--title-field).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// Print only the summary: counts per tag, title checks, claimed role against tag,
    /// mandate and breadth of cx ads, other by reason (CSV/TSV: `section,key,value,share`).
    #[arg(long)]
    pub summary_only: bool,

    /// Table: one line per ad (the default for folders, JSON Lines and several files).
    #[arg(long, conflicts_with_all = ["explain", "no_compact"])]
    pub compact: bool,

    /// Table: the full block for every ad, even in a batch.
    #[arg(long)]
    pub no_compact: bool,

    /// Order of ads in the table and the HTML report: `mismatch` puts title mismatches
    /// first (the HTML report's default), `confidence` the least sure first, `input` keeps
    /// the input order (the table's default).
    #[arg(long, value_enum, value_name = "ORDER")]
    pub sort: Option<Sort>,

    /// Keep only these ads, dropping the others from every format and the summary:
    /// `mismatch` (title mismatches), `mixed` (mixed titles) or a tag (`cx`, `other`...).
    #[arg(long, value_name = "WHICH", value_parser = Only::parse)]
    pub only: Option<Only>,

    /// HTML report: how many ads are shown in full, in `--sort` order (the table lists
    /// up to 1,000).
    #[arg(long, value_name = "N", default_value_t = crate::report::DETAILED_ADS)]
    pub detail: usize,

    /// Table width in columns (default: the terminal's, or 120 when not a terminal).
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Colour the tags in tables: `auto` colours on a terminal unless NO_COLOR is set
    /// [default: auto].
    #[arg(long, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// CSV/TSV: write cells as they are. By default a cell that starts with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it
    /// as text instead of running it as a formula.
    #[arg(long)]
    pub raw_csv: bool,
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
    /// How inputs are read: one ad per file, or one ad per JSON line [default: text].
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,

    /// JSON Lines: the field holding each ad's id [default: id].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// JSON Lines: the field holding each ad's text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,

    /// JSON Lines: a field holding each ad's title, used and shown as its title as --title
    /// is for one file (no line of the text is taken for it).
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,

    /// Largest ad accepted, in bytes (a job ad is a few kilobytes; at most 1 GiB)
    /// [default: 16777216].
    #[arg(long, value_name = "BYTES",
          value_parser = clap::value_parser!(u64).range(1..=MAX_SIZE_LIMIT))]
    pub max_size: Option<u64>,

    /// Follow links found in folders, as long as they stay inside the folder walked (a
    /// link leading out is refused and counts as a failed input). Links named on the
    /// command line are always read.
    #[arg(short = 'L', long)]
    pub follow: bool,

    /// No warnings or progress on standard error (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads (default: one per core; at most four per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,
}

/// The largest `--max-size`: the memory one ad may take is a few times this.
pub const MAX_SIZE_LIMIT: u64 = 1 << 30;

/// `--max-size` when neither the command line nor a settings file gives it.
pub const DEFAULT_MAX_SIZE: u64 = 16 << 20;

impl InputArgs {
    /// How inputs are read, given or the default.
    pub fn input_format(&self) -> InputFormat {
        self.input_format.unwrap_or(InputFormat::Text)
    }
}

/// More worker threads than this many per core only add switching (`-j 1000` took 50
/// times longer than `-j 2`), so `-j` is capped there.
pub const THREADS_PER_CORE: usize = 4;

impl InputArgs {
    /// Caps the worker threads at [`THREADS_PER_CORE`] per core; the warning to print
    /// when it did.
    pub fn cap_threads(&mut self) -> Option<String> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let cap = THREADS_PER_CORE * cores;
        let asked = self.threads?;
        (asked > cap).then(|| {
            self.threads = Some(cap);
            format!(
                "{asked} worker threads is more than {THREADS_PER_CORE} per core ({cores} cores); \
                 using {cap}"
            )
        })
    }
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

    /// The rule paths come from a settings file, not from the command line: their
    /// errors do not quote the files' lines (see [`RuleArgs::shown`]).
    #[arg(skip)]
    pub from_settings: bool,
}

impl RuleArgs {
    /// The errors of these rules as they may be shown. A settings file can point at any
    /// file (`rules = ["/etc/passwd"]`); quoting its offending line would print a line
    /// of a file the user never named, so errors of rules reached that way keep their
    /// `file:line:col` and message and drop the quoted line.
    pub fn shown(&self, errors: RuleErrors) -> RuleErrors {
        if self.from_settings {
            errors.without_source_lines()
        } else {
            errors
        }
    }

    /// Loads these rules.
    pub fn load(&self) -> Result<RuleSet, RuleErrors> {
        RuleSet::from_files(&self.rules, !self.no_default_rules).map_err(|e| self.shown(e))
    }
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
    /// Fit the role rules' weights to labelled ads and write them as [[override]] tables
    /// to review, with k-fold cross-validated macro-F1 before and after.
    #[command(after_help = "Example:
  cxtag rules fit --input-format jsonl --labels dev_labels.csv ads.jsonl --out fitted.toml

Without --out, the overrides go to standard output and the report to standard error.")]
    Fit(FitArgs),
}

/// `cxtag rules fit ...`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// Ad files, folders or JSON Lines files.
    #[arg(value_name = "INPUT")]
    pub paths: Vec<PathBuf>,
    /// `id,label` file: ids are JSONL ids, or file paths relative to the label file.
    #[arg(long, value_name = "CSV")]
    pub labels: PathBuf,
    /// Folds of the cross-validation (stratified by label, assigned by a hash of the id).
    #[arg(long, default_value_t = 5, value_name = "K",
          value_parser = clap::value_parser!(u32).range(2..=50))]
    pub folds: u32,
    /// Write the proposed overrides to this file (default: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Macro-F1 a weight must buy per squared relative move from its current value
    /// (higher keeps weights closer to the rules as written).
    #[arg(long, default_value_t = crate::commands::fit::SEARCH.penalty, value_name = "X")]
    pub penalty: f64,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
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
  cxtag --title \"Customer Service Advisor\" ad.txt   the title, when the ad's text lacks it
  cxtag ads/ --format jsonl > tags.jsonl        a folder, one JSON object per ad
  cxtag --input-format jsonl --format csv ads.jsonl
  cxtag eval --labels labels.csv ads/           score against labelled ads
  cxtag rules check my-rules/                   check rule files
  cxtag rules fit --labels labels.csv ads/ --out fitted.toml   propose weights

Exit codes: 0 every ad classified (or, with --keep-going, every input reported); \
1 bad usage, settings or rules (nothing classified); \
2 some input could not be read or parsed (the others were still classified); \
3 the output could not be written.";

/// How inputs are split into ads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize, serde::Serialize)]
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
    /// Output format.
    pub format: Format,
    /// Show every fired rule.
    pub explain: bool,
    /// The ad's job title, given on the command line (`--title`) for the one ad read.
    pub title: Option<String>,
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
    /// Follow links inside walked folders.
    pub follow: bool,
    /// The file standard output writes to, skipped by folder walks.
    pub output_file: Option<FileId>,
    /// Which rules: user files and folders in order, the defaults or not, and whether
    /// the paths came from a settings file.
    pub rules: RuleArgs,
    /// CSV/TSV cells are written as they are.
    pub raw_csv: bool,
    /// Table width.
    pub width: u16,
    /// Colour the table.
    pub color: bool,
    /// One line per ad in tables.
    pub compact: bool,
    /// Order of ads in the table and the HTML report.
    pub sort: Sort,
    /// Keep only these ads.
    pub only: Option<Only>,
    /// Ads shown in full in the HTML report.
    pub detail: usize,
    /// Standard input is a terminal (someone may be about to type or paste an ad).
    pub stdin_is_terminal: bool,
    /// Failed ads do not change the exit code.
    pub keep_going: bool,
    /// Read one line and write one result at a time, flushing each.
    pub line_buffered: bool,
}

/// The table width: the terminal's, or 120 when stdout is not a terminal. A terminal
/// that reports a width of 0 (some consoles and CI runners do) counts as none.
pub fn table_width(given: Option<u16>) -> u16 {
    let terminal = || {
        if std::io::stdout().is_terminal() {
            comfy_table::Table::new().width()
        } else {
            None
        }
    };
    given
        .filter(|&w| w > 0)
        .unwrap_or_else(|| width_of_terminal(terminal()))
}

/// The width to use for a terminal of `reported` columns (`None`: no terminal).
fn width_of_terminal(reported: Option<u16>) -> u16 {
    reported.filter(|&w| w > 0).unwrap_or(120)
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
            rules,
            follow: input.follow,
            output_file: crate::input::stdout_file(),
            raw_csv: false,
            format: Format::Table,
            explain: false,
            title: None,
            input_format: input.input_format(),
            id_field: input.id_field.unwrap_or_else(|| "id".into()),
            text_field: input.text_field.unwrap_or_else(|| "text".into()),
            title_field: input.title_field,
            max_size: input.max_size.unwrap_or(DEFAULT_MAX_SIZE),
            summary_only: false,
            progress: !input.quiet && std::io::stderr().is_terminal(),
            quiet: input.quiet,
            threads: input.threads.unwrap_or(0),
            width: 120,
            color: false,
            compact: false,
            sort: Sort::Input,
            only: None,
            detail: crate::report::DETAILED_ADS,
            stdin_is_terminal: std::io::stdin().is_terminal(),
            keep_going: false,
            line_buffered: false,
        }
    }
}

impl Cli {
    /// Turns the classifying flags into a [`Config`].
    pub fn into_config(self) -> Config {
        // A batch is whatever may hold more than one ad: it gets one line per ad.
        let batch = self.input.input_format() == InputFormat::Jsonl
            || self.paths.len() > 1
            || self.paths.iter().any(|p| p.is_dir());
        let compact = self.compact || (batch && !self.explain && !self.no_compact);
        let format = self.format.unwrap_or(Format::Table);
        let sort = self.sort.unwrap_or(if format == Format::Html {
            Sort::Mismatch
        } else {
            Sort::Input
        });
        Config {
            format,
            explain: self.explain,
            title: self.title.map(|t| t.trim().to_string()),
            summary_only: self.summary_only,
            raw_csv: self.raw_csv,
            compact,
            sort,
            only: self.only,
            detail: self.detail,
            keep_going: self.keep_going,
            line_buffered: self.line_buffered,
            width: table_width(self.width),
            color: self.color.unwrap_or(ColorChoice::Auto).resolve(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
            ..Config::new(self.paths, self.input, self.rules)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults the help names in its text (the flags are `Option`s, so clap does not
    /// show them itself) are the ones applied when no flag is given.
    #[test]
    fn the_help_names_the_defaults_that_apply() {
        use clap::CommandFactory;
        let help = Cli::command().render_long_help().to_string();
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        let config = Cli::try_parse_from(["cxtag"])
            .expect("no flags parse")
            .into_config();
        let name = |v: Option<clap::builder::PossibleValue>| {
            v.expect("a value of the enum").get_name().to_string()
        };
        for default in [
            name(config.format.to_possible_value()),
            name(config.input_format.to_possible_value()),
            config.id_field,
            config.text_field,
            config.max_size.to_string(),
        ] {
            let shown = format!("[default: {default}]");
            assert!(help.contains(&shown), "the help lacks {shown}");
        }
    }

    #[test]
    fn a_terminal_of_width_0_counts_as_no_terminal() {
        assert_eq!(width_of_terminal(Some(0)), 120);
        assert_eq!(width_of_terminal(None), 120);
        assert_eq!(width_of_terminal(Some(80)), 80);
        assert_eq!(table_width(Some(60)), 60);
    }
}
