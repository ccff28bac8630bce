//! Writing verdicts: one [`Report`] per output format, all behind one trait.
//!
//! Reports write to any `io::Write` (tests pass a `Vec<u8>`); they never decide exit
//! codes, but they count what they saw so the summary can say how many ads failed.

mod html;
mod machine;
mod table;

use std::io::{self, Write};

use serde::Serialize;

use crate::classify::{Evidence, Mandate, Reason, Verdict};
use crate::error::InputError;
use crate::rules::{Discipline, Role, RuleSet, Signal};

pub use html::Html;
pub use machine::{Csv, Json, JsonLines};
pub use table::Table;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A table for people (the default).
    Table,
    /// One JSON object per line.
    Jsonl,
    /// One JSON array holding every ad.
    Json,
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One self-contained HTML page with each ad's evidence marked.
    Html,
}

/// How many pieces of evidence the non-explain outputs show per ad.
pub const TOP_EVIDENCE: usize = 3;

/// Options every report shares.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// List every fired rule, not just the top ones.
    pub explain: bool,
    /// The fingerprint of the rules in use, carried by machine formats.
    pub fingerprint: String,
    /// Table width in columns.
    pub width: u16,
    /// Print only the per-tag summary (table format).
    pub summary_only: bool,
    /// Colour tags by role (table format).
    pub color: bool,
}

/// Something that prints verdicts in one format.
pub trait Report {
    /// Writes one classified ad.
    /// `text` is the ad as classified (offsets in the verdict refer to it).
    fn ad(
        &mut self,
        out: &mut dyn Write,
        source: &str,
        text: &str,
        verdict: &Verdict,
    ) -> io::Result<()>;
    /// Records an ad that could not be read (the error itself goes to stderr).
    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()>;
    /// Writes whatever comes after the last ad.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// Builds the report for `format`; `rules` are those the verdicts come from.
pub fn for_format(format: Format, options: ReportOptions, rules: &RuleSet) -> Box<dyn Report> {
    match format {
        Format::Table => Box::new(Table::new(options)),
        Format::Jsonl => Box::new(JsonLines::new(options)),
        Format::Json => Box::new(Json::new(options)),
        Format::Csv => Box::new(Csv::new(options, b',')),
        Format::Tsv => Box::new(Csv::new(options, b'\t')),
        Format::Html => Box::new(Html::new(options, rules)),
    }
}

/// The per-role scores as a JSON object.
#[derive(Debug, Serialize)]
pub struct Scores {
    acquisition: f64,
    service: f64,
    improvement: f64,
    cx: f64,
    other: f64,
}

impl Scores {
    fn of(v: &Verdict) -> Scores {
        let s = |r: Role| round(v.scores[r.index()]);
        Scores {
            acquisition: s(Role::Acquisition),
            service: s(Role::Service),
            improvement: s(Role::Improvement),
            cx: s(Role::Cx),
            other: s(Role::Other),
        }
    }
}

/// A short piece of evidence for machine formats.
#[derive(Debug, Serialize)]
pub struct TopEvidence<'a> {
    rule: &'a str,
    role: Role,
    matched: &'a str,
    count: usize,
    score: f64,
}

/// What machine formats print for one ad.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// `"ad"`, to tell records from errors in JSON Lines.
    #[serde(rename = "type")]
    kind: &'static str,
    source: &'a str,
    title: &'a str,
    tag: Role,
    confidence: f64,
    runner_up: Option<Role>,
    reason: Option<Reason>,
    scores: Scores,
    evidence: Vec<TopEvidence<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fired: Option<&'a [Evidence]>,
    claimed: Option<Role>,
    claims: &'a [Role],
    title_mismatch: bool,
    mismatch_reason: Option<&'a str>,
    suggested_title: Option<&'a str>,
    mandate: Mandate,
    mandate_evidence: Vec<SignalEvidence<'a>>,
    breadth: &'a [Discipline],
    breadth_evidence: Vec<SignalEvidence<'a>>,
    rules: &'a str,
}

/// A mandate or breadth rule that fired, for machine formats.
#[derive(Debug, Serialize)]
pub struct SignalEvidence<'a> {
    rule: &'a str,
    matched: &'a str,
    score: f64,
    line: usize,
    col: usize,
}

fn signal_evidence(v: &Verdict, mandate: bool) -> Vec<SignalEvidence<'_>> {
    v.signals
        .iter()
        .filter(|e| (e.signal == Some(Signal::Mandate)) == mandate)
        .map(|e| SignalEvidence {
            rule: &e.rule,
            matched: &e.matched,
            score: round(e.score),
            line: e.line,
            col: e.col,
        })
        .collect()
}

impl<'a> Record<'a> {
    /// The record for one verdict.
    pub fn new(source: &'a str, v: &'a Verdict, options: &'a ReportOptions) -> Record<'a> {
        Record {
            kind: "ad",
            source,
            title: &v.title,
            tag: v.tag,
            confidence: round(v.confidence),
            runner_up: v.runner_up,
            reason: v.reason,
            scores: Scores::of(v),
            evidence: v
                .evidence
                .iter()
                .take(TOP_EVIDENCE)
                .map(|e| TopEvidence {
                    rule: &e.rule,
                    role: e.role,
                    matched: &e.matched,
                    count: e.count,
                    score: round(e.score),
                })
                .collect(),
            fired: options.explain.then_some(v.evidence.as_slice()),
            claimed: v.claimed,
            claims: &v.claims,
            title_mismatch: v.mismatch.is_some(),
            mismatch_reason: v.mismatch.as_ref().map(|m| m.reason.as_str()),
            suggested_title: v
                .mismatch
                .as_ref()
                .and_then(|m| m.suggested_title.as_deref()),
            mandate: v.mandate,
            mandate_evidence: signal_evidence(v, true),
            breadth: &v.breadth,
            breadth_evidence: signal_evidence(v, false),
            rules: &options.fingerprint,
        }
    }
}

/// Rounds to three decimals, so outputs stay readable and stable.
pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What an error record is reported under: the ad's source as an ad record would have it
/// (a path, or a JSON Lines id, so failures join back like results), or `input:line` for
/// a JSON line whose id could not be read.
fn error_source(e: &InputError) -> String {
    match e {
        InputError::Io { path, .. } | InputError::IsDirectory(path) | InputError::NoAds(path) => {
            path.display().to_string()
        }
        InputError::Binary(s) | InputError::Empty(s) => s.clone(),
        InputError::Record { id: Some(id), .. } => id.clone(),
        InputError::Record { name, line, .. } => format!("{name}:{line}"),
        InputError::TooLarge { name, .. } | InputError::Html { name, .. } => name.clone(),
    }
}

/// Counts per tag and failures, for the summary.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// Ads per tag, in [`Role::ALL`] order.
    pub per_tag: [usize; 5],
    /// Ads that could not be classified.
    pub failed: usize,
}

impl Tally {
    /// Ads classified.
    pub fn classified(&self) -> usize {
        self.per_tag.iter().sum()
    }
}
