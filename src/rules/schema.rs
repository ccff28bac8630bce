//! The TOML form of a rule file, exactly as users write it (see `rules/README.md`).
//!
//! These types only describe the file: every field keeps its span so that later checks
//! can point at `file:line:col`. Turning them into a usable [`super::RuleSet`] is the job
//! of `validate`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// One `rules/*.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The role every `[[rule]]` of this file gives evidence for.
    pub role: Option<Spanned<String>>,
    /// Instead of a role: the signal the file's rules detect (`mandate` or `breadth`).
    pub signal: Option<Spanned<String>>,
    /// How an honest title names the role (role files only).
    pub titles: Option<Spanned<TitlesSpec>>,
    /// Signals for the role.
    #[serde(default)]
    pub rule: Vec<Spanned<RuleSpec>>,
    /// Changes to rules defined elsewhere (usually the embedded defaults).
    #[serde(default, rename = "override")]
    pub overrides: Vec<Spanned<OverrideSpec>>,
    /// The title model: head nouns and the kind of job each names (`rules/title.toml`).
    #[serde(default)]
    pub head: Vec<Spanned<HeadSpec>>,
    /// Who a role reports to, by level (`rules/title.toml`).
    pub reporting: Option<Spanned<ReportingSpec>>,
    /// Section headings and the section each opens (`rules/layout.toml`).
    #[serde(default)]
    pub heading: Vec<Spanned<HeadingSpec>>,
    /// Lines that are boilerplate wherever they stand (`rules/layout.toml`).
    pub boilerplate: Option<Spanned<BoilerplateSpec>>,
    /// The labels of a title line (`rules/layout.toml`).
    pub title_line: Option<Spanned<TitleLineSpec>>,
    /// The qualifiers of a title's level (`rules/layout.toml`).
    pub seniority: Option<Spanned<SenioritySpec>>,
    /// Common words of the language the rules read (`rules/layout.toml`).
    pub language: Option<Spanned<LanguageSpec>>,
    /// Lines before any heading that describe the company (`rules/layout.toml`).
    pub company_lines: Option<Spanned<CompanyLinesSpec>>,
    /// Words that negate the words after them (`rules/layout.toml`).
    pub negation: Option<Spanned<NegationSpec>>,
}

/// The `[negation]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NegationSpec {
    /// Words that negate what follows them in the same sentence ("not", "never"); `n't`
    /// stands for a contraction ("don't", "won't").
    pub words: Vec<Spanned<String>>,
    /// Words that, right after a negation, undo it ("not only", "not required").
    pub not_before: Vec<Spanned<String>>,
    /// Words that carry a negation on through a list ("or", "nor").
    #[serde(default)]
    pub carry: Vec<Spanned<String>>,
    /// How many words after a negation it reaches.
    pub window: Spanned<i64>,
}

/// The `[company_lines]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyLinesSpec {
    /// Phrases that make a line standing before any heading a company blurb when they
    /// stand in its first sentence ("is a leading", "we are a").
    pub phrases: Vec<Spanned<String>>,
}

/// The `[language]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageSpec {
    /// Common English words, one word each: an ad where they are rare is not English.
    pub english: Vec<Spanned<String>>,
}

/// A `[[heading]]` table: phrases that make a short line a heading, and the section it
/// opens.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingSpec {
    /// `duties`, `requirements`, `company`, `benefits`, `boilerplate` or `body`.
    pub section: Spanned<String>,
    /// Phrases that start a heading or one of its words ("responsibilit", "about ").
    pub phrases: Vec<Spanned<String>>,
}

/// The `[boilerplate]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoilerplateSpec {
    /// Phrases that make the line holding them boilerplate, wherever it stands.
    pub lines: Vec<Spanned<String>>,
}

/// The `[title_line]` table: each list, when given, replaces an earlier file's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleLineSpec {
    /// Labels that introduce the title on a line of its own ("job title"), no colon.
    pub labels: Option<Vec<Spanned<String>>>,
    /// Labels of a contact-person block, whose "Job title:" is the contact's.
    pub contact_labels: Option<Vec<Spanned<String>>>,
}

/// The `[seniority]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenioritySpec {
    /// Words that qualify a level and are kept in a suggested title ("senior").
    pub modifiers: Vec<Spanned<String>>,
}

/// A `[[head]]` table: head nouns of titles and the kind of job they name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadSpec {
    /// `leader`, `specialist`, `front-line` or `other`.
    pub kind: Spanned<String>,
    /// Why a noun of this kind says what it says, for explanations.
    pub why: Option<String>,
    /// The nouns, one or more words each.
    pub words: Vec<Spanned<String>>,
    /// When given, the nouns count only in a title that also holds one of these words
    /// anywhere ("engineer" with "pre-sales").
    #[serde(default)]
    pub when: Vec<Spanned<String>>,
}

/// The `[reporting]` table: the words that place a reporting line's target at a level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingSpec {
    /// The customer experience function's own executive.
    #[serde(default)]
    pub cx_executive: Vec<Spanned<String>>,
    /// The top of the organisation.
    #[serde(default)]
    pub top: Vec<Spanned<String>>,
    /// Any other executive.
    #[serde(default)]
    pub executive: Vec<Spanned<String>>,
    /// The head of one function.
    #[serde(default)]
    pub function: Vec<Spanned<String>>,
    /// A manager.
    #[serde(default)]
    pub manager: Vec<Spanned<String>>,
}

/// A `[[rule]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique id, conventionally `role.short-name`.
    pub id: Spanned<String>,
    /// How much one hit counts, before section and repetition factors.
    pub weight: Spanned<f64>,
    /// A few plain words naming what was found ("contact centre work"), shown instead of
    /// the id in tables.
    pub label: Option<Spanned<String>>,
    /// One line saying why this is evidence, shown by `--explain`.
    pub why: Option<String>,
    /// Single words; a trailing `*` matches any ending (`complain*`).
    #[serde(default)]
    pub keywords: Vec<Spanned<String>>,
    /// Several words; spaces also match hyphens and line breaks. Matched like keywords:
    /// the two lists only help people read the file.
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    /// A regular expression for what words cannot say (case-insensitive).
    pub regex: Option<Spanned<String>>,
    /// Words one of which must occur in the ad before the regex runs (a cheap prefilter,
    /// found in the same pass over the ad's words as all keywords).
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    /// Phrases that cancel a hit of this rule when they occur near it.
    #[serde(default)]
    pub exceptions: Vec<Spanned<String>>,
    /// A supporting rule counts only when its role has enough evidence from other rules.
    #[serde(default)]
    pub support: bool,
    /// A title rule's claim gives the title's prior (a near tie goes to it) unless this is
    /// `false`: a job name that may be either of two roles ("Account Manager").
    pub prior: Option<Spanned<bool>>,
    /// Where the rule may fire: `any` (default), `title` or `body`.
    pub scope: Option<Spanned<String>>,
    /// Breadth files: the CX discipline the rule is evidence of.
    pub discipline: Option<Spanned<String>>,
    /// Short texts that must fire this rule (`cxtag rules test`).
    #[serde(default)]
    pub examples: Vec<Spanned<String>>,
    /// Short texts that must not fire this rule.
    #[serde(default)]
    pub counterexamples: Vec<Spanned<String>>,
}

/// An `[[override]]` table: re-weight or disable a rule by id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    /// The id of an existing rule.
    pub id: Spanned<String>,
    /// A new weight.
    pub weight: Option<Spanned<f64>>,
    /// `false` switches the rule off.
    pub enabled: Option<bool>,
}

/// A `[titles]` table: the names cxtag suggests for a role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitlesSpec {
    /// The role's name in a title: "Customer Service" makes "Head of Customer Service".
    pub area: Spanned<String>,
    /// Whole titles for some seniority levels, replacing the generated ones
    /// (`chief = "Chief Marketing Officer"`).
    #[serde(default)]
    pub forms: BTreeMap<String, Spanned<String>>,
    /// A word of the original title that changes the area
    /// (`patient = "Patient Services"`).
    #[serde(default)]
    pub by_word: BTreeMap<String, Spanned<String>>,
    /// A rule of the role that, when it holds most of the ad's evidence for the role,
    /// names the area instead (`"service.complaints" = "Complaints"`).
    #[serde(default)]
    pub by_rule: BTreeMap<String, Spanned<String>>,
}
