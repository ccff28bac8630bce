//! Rules: what cxtag counts as evidence for each role, loaded from TOML.
//!
//! This module owns the rule model ([`Rule`], [`RuleSet`]; [`Role`] comes from
//! [`crate::role`]) and loading it from the embedded defaults and users' files. It does not search text (see `matcher`) or
//! weigh evidence (see `classify`).

mod embedded;
mod schema;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};

use crate::document::LayoutWords;
use crate::error::{Diagnostic, RuleErrors, Severity};
use crate::reporting::ReportingLevels;
pub use crate::role::{PerRole, Role};
use crate::title::{TitleModel, Titles};
pub use embedded::DEFAULT_RULES;
pub use validate::check;

/// The six disciplines of customer-experience work: a generalist CX role covers most of
/// them, a specialist one goes deep in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Discipline {
    /// CX strategy and vision.
    Strategy,
    /// Customer understanding: research, insight, voice of the customer.
    Understanding,
    /// Experience and journey design.
    Design,
    /// Measurement: NPS, CSAT, effort, CX metrics.
    Measurement,
    /// Governance: operating model, ownership, prioritising CX work.
    Governance,
    /// Culture: a customer-centred organisation, training, engagement.
    Culture,
}

impl Discipline {
    /// Every discipline, in reporting order.
    pub const ALL: [Discipline; 6] = [
        Discipline::Strategy,
        Discipline::Understanding,
        Discipline::Design,
        Discipline::Measurement,
        Discipline::Governance,
        Discipline::Culture,
    ];

    /// The label used in rule files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Discipline::Strategy => "strategy",
            Discipline::Understanding => "understanding",
            Discipline::Design => "design",
            Discipline::Measurement => "measurement",
            Discipline::Governance => "governance",
            Discipline::Culture => "culture",
        }
    }

    /// Parses a label.
    pub fn parse(s: &str) -> Option<Discipline> {
        Discipline::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl fmt::Display for Discipline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule's hits count for: evidence of a role, or one of the signals that describe
/// a CX role (its mandate, its breadth) and add nothing to any role's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Counts {
    /// Evidence for this role.
    Role(Role),
    /// Authority and accountability of the role (a negative weight counts against it).
    Mandate,
    /// Coverage of one CX discipline.
    Breadth(Discipline),
}

impl Counts {
    /// The role it is evidence for; `None` for a signal.
    pub fn role(self) -> Option<Role> {
        match self {
            Counts::Role(role) => Some(role),
            Counts::Mandate | Counts::Breadth(_) => None,
        }
    }

    /// Whether it is a signal (mandate or breadth), not evidence for a role.
    pub fn is_signal(self) -> bool {
        self.role().is_none()
    }
}

impl fmt::Display for Counts {
    /// A role's name, `mandate`, or `breadth: <discipline>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Counts::Role(role) => role.fmt(f),
            Counts::Mandate => f.write_str("mandate"),
            Counts::Breadth(d) => write!(f, "breadth: {d}"),
        }
    }
}

impl Serialize for Counts {
    /// As it displays.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Where in an ad a rule may fire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Title and body.
    Any,
    /// Only the title line.
    Title,
    /// Only below the title.
    Body,
}

/// One literal a rule looks for, in canonical form (see [`crate::text::normalize_pattern`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    /// Lower-case, normalised text without the stem marker.
    pub text: String,
    /// `true` when written with a trailing `*`: any word ending may follow.
    pub stem: bool,
}

/// A compiled rule, ready for the matcher.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id (shared with the evidence of every ad it fires in).
    pub id: std::sync::Arc<str>,
    /// What its hits count for: a role, or a signal (which adds nothing to role scores).
    pub counts: Counts,
    /// How much one hit counts.
    pub weight: f64,
    /// What it finds, in a few plain words, for people: the rule's `label`, or words made
    /// from its id when it has none ([`label_from_id`]).
    pub label: String,
    /// Why this is evidence, for explanations (shared like the id).
    pub why: Option<std::sync::Arc<str>>,
    /// Keywords and phrases.
    pub literals: Vec<Literal>,
    /// The keywords and phrases as the author wrote them.
    pub patterns: Vec<String>,
    /// A regular expression, case-insensitive.
    pub regex: Option<regex::Regex>,
    /// Phrases that cancel a nearby hit.
    pub exceptions: Vec<Literal>,
    /// For a regex: literals one of which must occur for the regex to run.
    pub requires: Vec<Literal>,
    /// Where it may fire.
    pub scope: Scope,
    /// Counts only when its role has enough evidence from other rules.
    pub support: bool,
    /// A title rule whose claim gives the title's prior (`prior = false` turns it off).
    pub prior: bool,
    /// Texts that must fire it.
    pub examples: Vec<String>,
    /// Texts that must not fire it.
    pub counterexamples: Vec<String>,
    /// The file it came from.
    pub origin: String,
}

/// The label of a rule that has none: its id's name without the role, in words
/// (`service.contact-centre` reads "contact centre").
pub fn label_from_id(id: &str) -> String {
    let name = id.split_once('.').map_or(id, |(_, name)| name);
    name.replace(['-', '_', '.'], " ")
}

impl Rule {
    /// `keywords`, `phrases`, `regex` or a mix, for listings.
    pub fn kind(&self) -> &'static str {
        let words = self.literals.iter().any(|l| !l.text.contains(' '));
        let phrases = self.literals.iter().any(|l| l.text.contains(' '));
        match (words, phrases, self.regex.is_some()) {
            (true, false, false) => "keywords",
            (false, true, false) => "phrases",
            (false, false, true) => "regex",
            _ => "mixed",
        }
    }
}

/// A rule's place in [`RuleSet::rules`]: how hits, evidence and `rules fit` name a rule
/// without looking its id up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RuleId(pub usize);

/// A validated set of rules.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// The enabled rules, in load order.
    pub rules: Vec<Rule>,
    /// How each role is named in an honest title.
    pub titles: PerRole<Option<Titles>>,
    /// What kind of job a title's head noun names (`[[head]]` tables).
    pub title_model: TitleModel,
    /// Which titles sit at which level of a reporting line (`[reporting]`).
    pub reporting: ReportingLevels,
    /// The words an ad's layout is read by: headings, boilerplate lines, title labels
    /// (`rules/layout.toml`).
    pub layout: LayoutWords,
    /// Short hash of what the rules say (ids, roles, weights, patterns, the title model,
    /// the layout vocabulary and the policy), not of comments or formatting: two results
    /// with the same fingerprint came from the same rules.
    pub fingerprint: String,
}

/// The largest rule file read: the default rules are some 100 KB in all.
pub const RULE_FILE_LIMIT: u64 = 16 << 20;

/// The text of one rule file and the name to report it by.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// A path, or `<embedded>/name.toml`.
    pub origin: String,
    /// The TOML text.
    pub text: String,
}

impl RuleSource {
    /// The default rules compiled into the binary.
    pub fn defaults() -> Vec<RuleSource> {
        DEFAULT_RULES
            .iter()
            .map(|(name, text)| RuleSource {
                origin: format!("<embedded>/{name}"),
                text: (*text).to_string(),
            })
            .collect()
    }

    /// Reads a rule file, or every `*.toml` file of a folder in name order.
    pub fn read(path: &Path) -> Result<Vec<RuleSource>, Diagnostic> {
        let origin = path.display().to_string();
        let fail = |msg: String| Diagnostic::at(Severity::Error, &origin, "", None, msg);
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| fail(format!("cannot read rules folder: {e}")))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(fail("no *.toml rule files in this folder".into()));
            }
            let mut out = Vec::new();
            for file in files {
                out.extend(RuleSource::read(&file)?);
            }
            return Ok(out);
        }
        let bytes = crate::input::read_capped(path, RULE_FILE_LIMIT)
            .map_err(|e| fail(format!("cannot read rule file: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            fail(format!(
                "rule file is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(vec![RuleSource { origin, text }])
    }
}

impl std::ops::Index<RuleId> for [Rule] {
    type Output = Rule;

    fn index(&self, id: RuleId) -> &Rule {
        &self[id.0]
    }
}

impl std::ops::Index<RuleId> for Vec<Rule> {
    type Output = Rule;

    fn index(&self, id: RuleId) -> &Rule {
        &self[id.0]
    }
}

impl RuleSet {
    /// Loads and validates `sources` in order; overrides apply to rules loaded before or
    /// after them. Fails with every error found, not just the first.
    pub fn load(sources: &[RuleSource]) -> Result<(RuleSet, Vec<Diagnostic>), RuleErrors> {
        let (set, diags) = check(sources);
        match set {
            Some(set) if !diags.iter().any(Diagnostic::is_error) => Ok((set, diags)),
            _ => Err(RuleErrors(diags)),
        }
    }

    /// Loads rule files and folders of `*.toml` files, after the embedded defaults when
    /// `with_defaults` is true. Fails with every problem found; warnings are dropped
    /// (`cxtag rules check` shows them).
    pub fn from_files(paths: &[PathBuf], with_defaults: bool) -> Result<RuleSet, RuleErrors> {
        let mut sources = if with_defaults {
            RuleSource::defaults()
        } else {
            Vec::new()
        };
        let mut problems = Vec::new();
        for path in paths {
            match RuleSource::read(path) {
                Ok(s) => sources.extend(s),
                Err(d) => problems.push(d),
            }
        }
        if !problems.is_empty() {
            return Err(RuleErrors(problems));
        }
        RuleSet::load(&sources).map(|(set, _warnings)| set)
    }

    /// The embedded default rules. They are tested to load cleanly.
    pub fn defaults() -> Result<RuleSet, RuleErrors> {
        RuleSet::load(&RuleSource::defaults()).map(|(set, _)| set)
    }
}
