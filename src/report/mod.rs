//! Writing verdicts: one [`Report`] per output format, all behind one trait.
//!
//! Reports write to any `io::Write` (tests pass a `Vec<u8>`); they never decide exit
//! codes, but they count what they saw ([`Summary`]) so the summary can say how many ads
//! failed. The words every format shares live here: reason codes, title outcomes, rule
//! labels, and the schema version of machine output.

mod html;
mod machine;
mod summary;
mod table;

use std::collections::HashMap;
use std::io::{self, Write};

use comfy_table::Color;
use serde::Serialize;

use crate::classify::{Advice, Evidence, Mandate, POLICY, Reason, TitleOutcome, Verdict};
use crate::error::InputError;
use crate::input::Ad;
use crate::reporting::ReportingLine;
use crate::rules::{Counts, Discipline, PerRole, Role, RuleSet};
use crate::title::Head;

pub use html::{DETAILED_ADS, Html};
pub use machine::{Csv, Json, JsonLines};
pub use summary::Summary;
pub use table::Table;

/// The version of the machine formats' fields (`schema` in every record). It changes
/// when a field is renamed, removed or changes meaning; new fields do not change it.
pub const SCHEMA: u32 = 2;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize, Serialize)]
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

/// The order of ads in the table and the HTML report (machine formats keep input order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Sort {
    /// Title mismatches first, then mixed titles, then the rest; input order within each.
    Mismatch,
    /// The least confident first.
    Confidence,
    /// As read.
    #[default]
    Input,
}

impl Sort {
    /// A key that orders ads (smallest first) after `index`, their place in the input.
    fn key(self, index: usize, v: &Verdict) -> (u8, u64, usize) {
        match self {
            Sort::Input => (0, 0, index),
            Sort::Mismatch => {
                let rank = match title_outcome(v) {
                    Some("mismatch") => 0,
                    Some("mixed") => 1,
                    _ => 2,
                };
                (rank, 0, index)
            }
            // Confidence is in [0, 1]: its bits order like the number.
            Sort::Confidence => (0, v.confidence.max(0.0).to_bits(), index),
        }
    }
}

/// How the reports for people show a role: its short column heading and its colours.
/// Every report reads them from [`RoleStyle::of`], so each is written once.
#[derive(Debug)]
pub struct RoleStyle {
    /// The role's column heading where every role needs a column (`acq`, `serv`).
    pub short: &'static str,
    /// Its colour in a terminal table. Roles are told apart by their names first; the
    /// colours (distinct for common colour blindness) only help.
    pub color: Color,
    /// The SGR code of the same colour, for text written outside a table.
    pub sgr: &'static str,
    /// The HTML class of its chips and marks (coloured by the report's style sheet).
    pub html_class: &'static str,
    /// Its bar's colour in the HTML chart.
    pub chart_colour: &'static str,
    /// Its bar's dash pattern, so that the bars are told apart without colour too.
    pub chart_dashes: &'static str,
}

/// The style of each role.
static ROLE_STYLES: PerRole<RoleStyle> = PerRole::new([
    RoleStyle {
        short: "acq",
        color: Color::Magenta,
        sgr: "35",
        html_class: "r-acquisition",
        chart_colour: "#E69F00",
        chart_dashes: "",
    },
    RoleStyle {
        short: "serv",
        color: Color::Blue,
        sgr: "34",
        html_class: "r-service",
        chart_colour: "#56B4E9",
        chart_dashes: "6 3",
    },
    RoleStyle {
        short: "impr",
        color: Color::DarkYellow,
        sgr: "33",
        html_class: "r-improvement",
        chart_colour: "#009E73",
        chart_dashes: "2 2",
    },
    RoleStyle {
        short: "cx",
        color: Color::Cyan,
        sgr: "36",
        html_class: "r-cx",
        chart_colour: "#CC79A7",
        chart_dashes: "10 2 2 2",
    },
    RoleStyle {
        short: "other",
        color: Color::Grey,
        sgr: "90",
        html_class: "r-other",
        chart_colour: "#999999",
        chart_dashes: "",
    },
]);

impl RoleStyle {
    /// How reports show `role`.
    pub fn of(role: Role) -> &'static RoleStyle {
        &ROLE_STYLES[role]
    }
}

/// Which ads are written (`--only`): the others are dropped from every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    /// Ads whose title claims a role the ad does not describe.
    Mismatch,
    /// Ads whose title claims the ad's role and another.
    Mixed,
    /// Ads with this tag.
    Tag(Role),
}

impl Only {
    /// Parses `mismatch`, `mixed` or a tag.
    pub fn parse(s: &str) -> Result<Only, String> {
        match s {
            "mismatch" => Ok(Only::Mismatch),
            "mixed" => Ok(Only::Mixed),
            _ => Role::parse(s).map(Only::Tag).ok_or_else(|| {
                format!(
                    "expected mismatch, mixed or a tag ({}), not {s:?}",
                    Role::ALL.map(Role::as_str).join(", ")
                )
            }),
        }
    }

    /// Whether the ad with verdict `v` is kept.
    pub fn keeps(self, v: &Verdict) -> bool {
        match self {
            Only::Mismatch => title_outcome(v) == Some("mismatch"),
            Only::Mixed => title_outcome(v) == Some("mixed"),
            Only::Tag(role) => v.tag == role,
        }
    }
}

/// What the title check found: `mismatch` (the title claims a role the ad does not
/// describe), `mixed` (it claims the ad's role and another), `consistent`, or `None`
/// when the title claims nothing. Every count and filter of title outcomes goes through
/// here.
pub fn title_outcome(v: &Verdict) -> Option<&'static str> {
    v.title_check.as_ref().map(|c| c.outcome.as_str())
}

/// The title outcomes, in reporting order.
pub const TITLE_OUTCOMES: [&str; 3] = ["mismatch", "mixed", "consistent"];

/// The code of a reason for `other`, the same in every format.
pub fn reason_code(r: Reason) -> &'static str {
    match r {
        Reason::NoEvidence => "no_evidence",
        Reason::TooThin => "too_thin",
        Reason::Mixed => "mixed",
        Reason::OtherJob => "other_job",
        Reason::NotEnglish => "not_english",
    }
}

/// Every reason for `other`, in reporting order.
pub const REASONS: [Reason; 5] = [
    Reason::NoEvidence,
    Reason::TooThin,
    Reason::Mixed,
    Reason::OtherJob,
    Reason::NotEnglish,
];

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
    /// Print only the summary.
    pub summary_only: bool,
    /// Colour tags by role (table format).
    pub color: bool,
    /// CSV/TSV: write cells as they are, formula starts included (`--raw-csv`).
    pub raw_csv: bool,
    /// One line per ad in tables.
    pub compact: bool,
    /// The order of ads in the table and the HTML report.
    pub sort: Sort,
    /// How many ads the HTML report shows in full.
    pub detail: usize,
}

/// Something that prints verdicts in one format.
pub trait Report {
    /// Writes one classified ad (offsets in the verdict refer to `ad.text`).
    fn ad(&mut self, out: &mut dyn Write, ad: &Ad, verdict: &Verdict) -> io::Result<()>;
    /// Records an ad that could not be read (the error itself goes to stderr).
    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()>;
    /// Writes whatever comes after the last ad.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// Builds the report for `format`; `rules` are those the verdicts come from.
pub fn for_format(format: Format, options: ReportOptions, rules: &RuleSet) -> Box<dyn Report> {
    let glossary = Glossary::new(rules);
    if options.summary_only && format != Format::Table && format != Format::Html {
        return Box::new(machine::SummaryOnly::new(options, format));
    }
    match format {
        Format::Table => Box::new(Table::new(options, glossary)),
        Format::Jsonl => Box::new(JsonLines::new(options)),
        Format::Json => Box::new(Json::new(options)),
        Format::Csv => Box::new(Csv::new(options, b',')),
        Format::Tsv => Box::new(Csv::new(options, b'\t')),
        Format::Html => Box::new(Html::new(options, rules, glossary)),
    }
}

/// What people are told about each rule: its label and why it counts.
#[derive(Debug, Default)]
pub struct Glossary {
    by_id: HashMap<String, Note>,
}

#[derive(Debug)]
struct Note {
    label: String,
    why: Option<String>,
    support: bool,
}

impl Glossary {
    /// The notes of every rule of `rules`.
    pub fn new(rules: &RuleSet) -> Glossary {
        let by_id = rules
            .rules
            .iter()
            .map(|r| {
                let note = Note {
                    label: r.label.clone(),
                    why: r.why.as_deref().map(str::to_string),
                    support: r.support,
                };
                (r.id.to_string(), note)
            })
            .collect();
        Glossary { by_id }
    }

    /// The rule's label: a few plain words saying what was found.
    pub fn label(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .map_or_else(|| crate::rules::label_from_id(id), |n| n.label.clone())
    }

    /// Why the rule is evidence, when it says.
    pub fn why(&self, id: &str) -> Option<&str> {
        self.by_id.get(id).and_then(|n| n.why.as_deref())
    }

    /// The title mismatch in words: what the title claims, what the ad describes, and the
    /// strongest evidence for it by its label (machine formats keep `mismatch_reason`,
    /// which names the rule id).
    pub fn mismatch(&self, v: &Verdict) -> Option<String> {
        let m = v.mismatch.as_ref()?;
        let strongest = v
            .evidence
            .iter()
            .find(|e| e.counts == Counts::Role(v.tag))
            .map(|e| {
                let matched: String = e.matched.chars().take(40).collect();
                format!(
                    ", mostly {} x{} (\"{matched}\")",
                    self.label(&e.rule),
                    e.count
                )
            })
            .unwrap_or_default();
        let described = match v.tag {
            Role::Other => "another kind of job".to_string(),
            tag => tag.to_string(),
        };
        Some(format!(
            "the title claims {}, but the ad describes {described}{strongest}",
            m.claimed
        ))
    }

    /// Why a rule that fired added nothing, when it did not.
    pub fn counted_zero(&self, e: &Evidence) -> Option<String> {
        if e.score != 0.0 {
            return None;
        }
        let support = self.by_id.get(&*e.rule).is_some_and(|n| n.support);
        let blurb = |signal: &str| {
            format!(
                "counted 0: found only in the company blurb, benefits or boilerplate, \
                 which say nothing of this job's {signal}"
            )
        };
        Some(match e.counts {
            Counts::Role(role) if support => format!(
                "counted 0: a supporting rule counts only beside {role}'s own evidence \
                 in the body (at least {}; the title's claim does not count), and there was \
                 less",
                POLICY.support_min
            ),
            Counts::Role(_) => "counted 0".to_string(),
            Counts::Mandate => blurb("mandate"),
            Counts::Breadth(_) => blurb("breadth"),
        })
    }
}

/// The title check and the title note, in the words every report for people uses (the
/// lines under the table's block, the HTML report's ad sections). The text is as written;
/// each report escapes it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleWords {
    /// "note: no job title recognised; first line used: ...", when no line near the top
    /// reads as a job title.
    pub note: Option<String>,
    /// The outcome and why ("title mixed: the ad is split between..."); `None` when the
    /// title claims nothing.
    pub check: Option<(TitleOutcome, String)>,
    /// On a mismatch of a two-role title: "drop "..." from the title".
    pub drop: Option<String>,
    /// On a mismatch: "a title that says what it means: "..."", when there is one.
    pub suggested: Option<String>,
}

impl TitleWords {
    /// The words for `v`'s title; `glossary` names the strongest evidence of a mismatch.
    pub fn of(v: &Verdict, glossary: &Glossary) -> TitleWords {
        let check = match (&v.mismatch, &v.title_check) {
            (Some(m), _) => {
                // A two-role title's reason says which part to drop; the glossary's one
                // names a single claim.
                let said = match &m.drop {
                    Some(_) => m.reason.clone(),
                    None => glossary.mismatch(v).unwrap_or_else(|| m.reason.clone()),
                };
                Some((TitleOutcome::Mismatch, format!("title mismatch: {said}")))
            }
            (None, Some(c)) => Some((
                c.outcome,
                format!("title {}: {}", c.outcome.as_str(), c.reason),
            )),
            (None, None) => None,
        };
        let mismatch = v.mismatch.as_ref();
        TitleWords {
            note: v.title_note.as_ref().map(|n| format!("note: {n}")),
            check,
            drop: mismatch
                .and_then(|m| m.drop.as_ref())
                .map(|d| format!("drop \"{d}\" from the title")),
            suggested: mismatch
                .and_then(|m| m.suggested_title.as_ref())
                .map(|t| format!("a title that says what it means: \"{t}\"")),
        }
    }
}

/// The advice for a title that claims cx, in the words every report for people uses (the
/// table under an ad, the HTML report): a heading, then what the ad lacks. The text is
/// as written; each report escapes it its own way. What each missing discipline means is
/// in the machine formats (`advice.missing_disciplines`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviceWords {
    /// "to make this the CX role the title claims, add:", or the honest title first.
    pub head: String,
    /// "mandate: ..." with the missing mandate signals, when some are missing.
    pub mandate: Option<String>,
    /// "CX disciplines: ..." with the missing disciplines, when some are missing.
    pub disciplines: Option<String>,
}

impl AdviceWords {
    /// The words for `advice`; `None` when the ad lacks nothing a CX role needs (an honest
    /// title alone is said with the title mismatch).
    pub fn of(advice: &Advice) -> Option<AdviceWords> {
        if advice.missing_mandate.is_empty() && advice.missing_disciplines.is_empty() {
            return None;
        }
        let head = match &advice.honest_title {
            Some(t) => {
                format!("to mean what it says: call it \"{t}\", or add what a CX role needs:")
            }
            None => "to make this the CX role the title claims, add:".to_string(),
        };
        let mandate = (!advice.missing_mandate.is_empty()).then(|| {
            let items: Vec<String> = advice
                .missing_mandate
                .iter()
                .map(|m| lower_first(m))
                .collect();
            format!("mandate: {}", items.join("; "))
        });
        let disciplines = (!advice.missing_disciplines.is_empty()).then(|| {
            let names: Vec<&str> = advice
                .missing_disciplines
                .iter()
                .map(|(d, _)| d.as_str())
                .collect();
            format!("CX disciplines: {}", names.join(", "))
        });
        Some(AdviceWords {
            head,
            mandate,
            disciplines,
        })
    }
}

/// "Holds a budget" -> "holds a budget", to run reasons into one line.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A short piece of evidence for machine formats.
#[derive(Debug, Serialize)]
pub struct TopEvidence<'a> {
    rule: &'a str,
    role: Counts,
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
    schema: u32,
    id: &'a str,
    source: &'a str,
    title: &'a str,
    tag: Role,
    confidence: f64,
    runner_up: Option<Role>,
    reason: Option<Reason>,
    scores: PerRole<f64>,
    evidence: Vec<TopEvidence<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fired: Option<&'a [Evidence]>,
    claimed: Option<Role>,
    claims: &'a [Role],
    title_check: Option<TitleOutcome>,
    title_check_reason: Option<&'a str>,
    title_mismatch: bool,
    mismatch_reason: Option<&'a str>,
    suggested_title: Option<&'a str>,
    drop_from_title: Option<&'a str>,
    head: Option<&'a Head>,
    title_note: Option<&'a str>,
    reports_to: Option<&'a ReportingLine>,
    advice: Option<&'a Advice>,
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
        .filter(|e| (e.counts == Counts::Mandate) == mandate)
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
    pub fn new(ad: &'a Ad, v: &'a Verdict, options: &'a ReportOptions) -> Record<'a> {
        Record {
            kind: "ad",
            schema: SCHEMA,
            id: &ad.id,
            source: &ad.source,
            title: &v.title,
            tag: v.tag,
            confidence: round(v.confidence),
            runner_up: v.runner_up,
            reason: v.reason,
            scores: v.scores.map(round),
            evidence: v
                .evidence
                .iter()
                .take(TOP_EVIDENCE)
                .map(|e| TopEvidence {
                    rule: &e.rule,
                    role: e.counts,
                    matched: &e.matched,
                    count: e.count,
                    score: round(e.score),
                })
                .collect(),
            fired: options.explain.then_some(v.evidence.as_slice()),
            claimed: v.claimed,
            claims: &v.claims,
            title_check: v.title_check.as_ref().map(|c| c.outcome),
            title_check_reason: v.title_check.as_ref().map(|c| c.reason.as_str()),
            title_mismatch: v.mismatch.is_some(),
            mismatch_reason: v.mismatch.as_ref().map(|m| m.reason.as_str()),
            suggested_title: v
                .mismatch
                .as_ref()
                .and_then(|m| m.suggested_title.as_deref()),
            drop_from_title: v.mismatch.as_ref().and_then(|m| m.drop.as_deref()),
            head: v.head.as_ref(),
            title_note: v.title_note.as_deref(),
            reports_to: v.reports_to.as_ref(),
            advice: v.advice.as_ref(),
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
        InputError::Io { path, .. }
        | InputError::IsDirectory(path)
        | InputError::NoAds(path)
        | InputError::LinkOutside { link: path, .. } => path.display().to_string(),
        InputError::Binary(s) | InputError::Empty(s) => s.clone(),
        InputError::Record { name, line, .. } => format!("{name}:{line}"),
        InputError::TooLarge { name, .. } | InputError::Html { name, .. } => name.clone(),
    }
}
