//! Weighs the hits of an ad into a verdict: the role, a confidence, the runner-up, and
//! the evidence behind them.
//!
//! Every number that shapes a verdict lives in [`Policy`] (and is documented in the
//! README), so tuning happens in one place. This module decides; it does not search text
//! (`matcher`) or print (`report`).

use serde::Serialize;

use crate::document::{Layout, Section};
use crate::error::RuleErrors;
use crate::error::floor_char_boundary;
use crate::matcher::{Matcher, Scratch};
use crate::reporting::{ReportLevel, ReportingLine};
use crate::rules::{Counts, Discipline, PerRole, Role, RuleId, RuleSet, Scope};
use crate::title::{Head, HeadKind, Level, seniority};

/// The thresholds and factors of scoring.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Factor for a hit of a title rule (`scope = "title"`) in the title line.
    pub title: f64,
    /// Factor for a hit of any other rule in the title line. The title rules already weigh
    /// what the title claims; counting the same words again at the title's factor through
    /// the body rules would let a title outvote the duties it is tested against.
    pub title_body: f64,
    /// Factor for a hit under a duties heading ("Responsibilities", "The role").
    pub duties: f64,
    /// Factor for a hit under a requirements heading ("About you").
    pub requirements: f64,
    /// Factor for a hit under no recognised heading.
    pub body: f64,
    /// Factor for a hit in a company blurb ("About us").
    pub company: f64,
    /// Factor for a hit in the benefits.
    pub benefits: f64,
    /// Factor for a hit in equal-opportunity, how-to-apply and similar boilerplate.
    pub boilerplate: f64,
    /// The k-th hit of one rule (best first, from 0) counts `1 / (1 + repeat_decay * k)`.
    pub repeat_decay: f64,
    /// Below this score the top role is too thin to name: the tag is `other`.
    pub min_score: f64,
    /// When the runner-up scores at least this share of the top role, the ad is `other`
    /// (mixed), unless the top score is at least `mixed_override` times `min_score`.
    pub mixed_ratio: f64,
    /// See `mixed_ratio`.
    pub mixed_override: f64,
    /// Score at which evidence strength reaches 63% in the confidence formula
    /// `share * (1 - exp(-score / confidence_scale))`.
    pub confidence_scale: f64,
    /// Words (and marks) around a hit within which a rule's exception phrase cancels it.
    pub exception_window: usize,
    /// A title that claims another role than the tag contradicts the body: its evidence
    /// counts this many extra times in the confidence's share (not in the tag).
    pub title_conflict: f64,
    /// Mandate score (each mandate rule counted once, times its section's signal factor)
    /// from which the mandate is `strong`.
    pub mandate_strong: f64,
    /// Mandate score from which the mandate is `partial`; below it, `none`.
    pub mandate_partial: f64,
    /// Score of a discipline's breadth rules from which the ad covers that discipline.
    pub breadth_min: f64,
    /// A supporting rule (`support = true`) counts for its role only when the role's other
    /// rules score at least this much outside the title (the title's claim does not
    /// unlock them).
    pub support_min: f64,
    /// The raw confidence of a named tag is raised to this power, so that on labelled
    /// ads a confidence of 0.8 means right about 80% of the time (`cxtag eval` shows the
    /// calibration).
    pub calibration_power: f64,
    /// The title's prior: the role the title claims keeps the tag unless another role's
    /// score is more than this many times the claim's (a near tie goes to the claim).
    /// Not for a claim made by a front-line or other-job head noun.
    pub claim_prior: f64,
    /// Title check: when the ad is tagged another role than the claim, the claim scoring at
    /// least this share of the tag's score in the body (without the title's own words) makes
    /// the title `mixed`, not `mismatch`.
    pub mixed_band: f64,
    /// Title check: when the claim is the tag, a runner-up scoring at least this share
    /// of it makes the title `mixed` (the ad is split between two roles).
    pub split_band: f64,
    /// Title check: a `mismatch` also needs at least this confidence in the tag; below
    /// it the title is `mixed`.
    pub mismatch_confidence: f64,
    /// Title check: the confidence a `mismatch` needs when the body has no evidence at
    /// all for the title's claim (a short "Customer Experience Expert" ad that is all
    /// live chat): the contrast is clear even when the ad is short.
    pub mismatch_confidence_bare: f64,
    /// Language: an ad of at least `english_min_words` words of which under this share
    /// are common English words (`[language]` in rules/layout.toml), both in its first
    /// `english_sample_words` words and in the whole ad, is not English: it is tagged
    /// `other`.
    pub english_min_share: f64,
    /// Language: fewer words than this are too few to tell the language by.
    pub english_min_words: usize,
    /// Language: how many words from the start of an ad are counted.
    pub english_sample_words: usize,
    /// Title check: a cx-claiming leader title over an ad with a mandate is `mixed`, not
    /// `mismatch`, while the cx evidence of its own body (the cx rules' hits outside the
    /// title, not the points the mandate adds to cx) is at least this share of the tag's.
    pub leader_band: f64,
    /// A head noun that names a job outside the four roles ("Engineer", "Product
    /// Manager") adds this much `other` evidence...
    pub head_other: f64,
    /// ...and a role must then score this many times `other` to win: an engineer's ad is
    /// `other` unless its duties clearly say otherwise.
    pub head_other_margin: f64,
    /// When the title claims cx or the ad has cx evidence of its own, each point of
    /// mandate (authority and scope) adds this much cx evidence: a CX director who
    /// writes "customer service" is still a CX director.
    pub mandate_cx: f64,
    /// Mandate points of a reporting line, by where its target sits: the top of the
    /// organisation or the CX executive, another executive, one function's head, a
    /// manager (negative: the role sits under one function).
    pub reports_to_top: f64,
    /// See `reports_to_top`.
    pub reports_to_executive: f64,
    /// See `reports_to_top`.
    pub reports_to_function: f64,
    /// See `reports_to_top`.
    pub reports_to_manager: f64,
    /// An honest title takes its area from one rule (`[titles] by_rule`: a complaints
    /// officer) when that rule holds at least this share of the tag's score.
    pub main_rule_share: f64,
}

/// The policy cxtag ships with.
pub const POLICY: Policy = Policy {
    title: 2.0,
    title_body: 1.0,
    duties: 1.0,
    requirements: 0.6,
    body: 0.8,
    company: 0.25,
    benefits: 0.1,
    boilerplate: 0.05,
    repeat_decay: 1.0,
    min_score: 3.0,
    mixed_ratio: 0.9,
    mixed_override: 4.0,
    confidence_scale: 6.0,
    exception_window: 10,
    title_conflict: 2.0,
    mandate_strong: 4.5,
    mandate_partial: 1.5,
    breadth_min: 1.0,
    calibration_power: 0.5,
    support_min: 3.0,
    claim_prior: 1.2,
    mixed_band: 0.5,
    split_band: 0.9,
    mismatch_confidence: 0.45,
    mismatch_confidence_bare: 0.5,
    english_min_share: 0.06,
    english_min_words: 40,
    english_sample_words: 400,
    leader_band: 0.25,
    head_other: 8.0,
    head_other_margin: 2.0,
    mandate_cx: 1.0,
    reports_to_top: 2.5,
    reports_to_executive: 1.0,
    reports_to_function: -1.5,
    reports_to_manager: -2.0,
    main_rule_share: 0.5,
};

impl Policy {
    /// Mandate points of a reporting line to someone at `level`.
    fn reports_to(&self, level: ReportLevel) -> f64 {
        match level {
            ReportLevel::CxExecutive | ReportLevel::Top => self.reports_to_top,
            ReportLevel::Executive => self.reports_to_executive,
            ReportLevel::Function => self.reports_to_function,
            ReportLevel::Manager => self.reports_to_manager,
        }
    }

    /// What the hits of one rule add per unit of its weight: their section factors, the
    /// k-th best counting `1 / (1 + repeat_decay * k)`. Sorts `factors`, best first.
    fn repeated(&self, factors: &mut [f64]) -> f64 {
        factors.sort_unstable_by(|a, b| b.total_cmp(a));
        factors
            .iter()
            .enumerate()
            .map(|(k, f)| f / (1.0 + self.repeat_decay * k as f64))
            .sum()
    }

    fn section_factor(&self, s: Section) -> f64 {
        match s {
            Section::Title => self.title,
            Section::Duties => self.duties,
            Section::Requirements => self.requirements,
            Section::Body => self.body,
            Section::Company => self.company,
            Section::Benefits => self.benefits,
            Section::Boilerplate => self.boilerplate,
            Section::Repeated => 0.0,
        }
    }

    /// How much a signal (mandate, breadth) found in `s` says about the job itself: the
    /// duties do, what is asked of the candidate less, the employer's blurb not at all.
    fn signal_factor(&self, s: Section) -> f64 {
        match s {
            Section::Title | Section::Duties | Section::Body => 1.0,
            Section::Requirements => 0.5,
            Section::Company | Section::Benefits | Section::Boilerplate | Section::Repeated => 0.0,
        }
    }
}

/// How much authority and accountability the ad gives the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mandate {
    /// Several of: reporting to the CEO or board, an executive seat, owned KPIs, a
    /// budget, remit over several departments, authority to change things.
    Strong,
    /// Some of them.
    Partial,
    /// None of them, or only counter-evidence (reporting to a function head).
    None,
}

impl Mandate {
    /// The label used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Mandate::Strong => "strong",
            Mandate::Partial => "partial",
            Mandate::None => "none",
        }
    }
}

/// A title that claims one role over an ad that describes another.
#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    /// What the title claims.
    pub claimed: Role,
    /// One line naming the strongest evidence for the real role.
    pub reason: String,
    /// A title that says what the ad means, at the original's seniority and with its head
    /// noun, when the rules name the real role (`[titles]`) and the title has a head noun.
    pub suggested_title: Option<String>,
    /// For a title that claims two roles: the words of the claim the ad does not bear
    /// out ("Customer Experience" in "Customer Experience Improvement Lead").
    pub drop: Option<String>,
}

/// Whether the ad bears out what its title claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TitleOutcome {
    /// The ad is the role the title claims.
    Consistent,
    /// A close call: the ad is split between the claim and another role, or the claim is
    /// a close runner-up. No honest title is suggested.
    Mixed,
    /// Another role beats the claim by a clear margin, with high confidence.
    Mismatch,
}

impl TitleOutcome {
    /// The label used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            TitleOutcome::Consistent => "consistent",
            TitleOutcome::Mixed => "mixed",
            TitleOutcome::Mismatch => "mismatch",
        }
    }
}

/// The title check of an ad whose title claims one of the four roles.
#[derive(Debug, Clone, Serialize)]
pub struct TitleCheck {
    /// The outcome.
    pub outcome: TitleOutcome,
    /// The role the title claims (the strongest claim).
    pub claimed: Role,
    /// For a title that claims two roles: the claim the ad does not bear out.
    pub not_borne_out: Option<Role>,
    /// One plain sentence saying why.
    pub reason: String,
}

/// What a title that claims customer experience needs to be the role it claims.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Advice {
    /// The honest title, when the ad is clearly another role.
    pub honest_title: Option<String>,
    /// The CX disciplines the ad does not cover, with what covering each means.
    pub missing_disciplines: Vec<(Discipline, String)>,
    /// The mandate signals the ad lacks, in plain words.
    pub missing_mandate: Vec<String>,
}

/// Why an ad was tagged `other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No rule fired.
    NoEvidence,
    /// Some rules fired, but the best role scored under the threshold.
    TooThin,
    /// Two roles scored too close to call.
    Mixed,
    /// The evidence points to a job outside the four roles (clinical, engineering...).
    OtherJob,
    /// The ad is not in English, the language the rules read.
    NotEnglish,
}

impl Reason {
    /// Human wording, for tables.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoEvidence => "no evidence",
            Reason::TooThin => "too thin",
            Reason::Mixed => "mixed",
            Reason::OtherJob => "another kind of job",
            Reason::NotEnglish => "not in English",
        }
    }
}

/// One rule that fired, with what it contributed.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The rule's id.
    pub rule: std::sync::Arc<str>,
    /// The rule's place in the rule set.
    #[serde(skip)]
    pub id: RuleId,
    /// What it counts for: a role, or a signal (serialised as `role`, by name).
    #[serde(rename = "role")]
    pub counts: Counts,
    /// The rule's weight.
    pub weight: f64,
    /// How many times it fired.
    pub count: usize,
    /// What it added to its role's score.
    pub score: f64,
    /// The text of its first hit, as written in the ad.
    pub matched: String,
    /// 1-based line of the first hit.
    pub line: usize,
    /// 1-based column (in characters) of the first hit.
    pub col: usize,
    /// A few words around the first hit.
    pub snippet: String,
    /// The rule's reason, if it gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<std::sync::Arc<str>>,
    /// A supporting rule (`support = true`): it counts only beside its role's own
    /// evidence or the title's claim.
    #[serde(skip)]
    pub support: bool,
    /// A title-scoped rule: its hit is the title's claim.
    #[serde(skip)]
    pub title_rule: bool,
}

/// What cxtag says about one ad.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    /// The ad's title line.
    pub title: String,
    /// The role.
    pub tag: Role,
    /// How sure, in [0, 1].
    pub confidence: f64,
    /// The second-best of the four roles, when any evidence was found for it.
    pub runner_up: Option<Role>,
    /// Why the tag is `other`, when it is.
    pub reason: Option<Reason>,
    /// Score per role (serialised as a list in [`Role::ALL`] order).
    #[serde(serialize_with = "crate::role::as_list")]
    pub scores: PerRole<f64>,
    /// Every rule that fired, strongest first.
    pub evidence: Vec<Evidence>,
    /// The role the title claims most strongly (from title-scoped rules), if any.
    pub claimed: Option<Role>,
    /// Every role the title claims, strongest first.
    pub claims: Vec<Role>,
    /// Set when the title claims a role the ad does not describe.
    pub mismatch: Option<Mismatch>,
    /// Whether the ad bears out its title's claim (only when the title claims one of the
    /// four roles and the ad is tagged one of them).
    pub title_check: Option<TitleCheck>,
    /// The title's head noun: what kind of job it names.
    pub head: Option<Head>,
    /// Set when no line near the top reads as a job title: the first line was used.
    pub title_note: Option<String>,
    /// The reporting line, when the ad states one.
    pub reports_to: Option<ReportingLine>,
    /// For a title that claims cx: what would make the ad the role it claims.
    pub advice: Option<Advice>,
    /// The role's mandate.
    pub mandate: Mandate,
    /// The mandate score behind `mandate`.
    pub mandate_score: f64,
    /// For an ad not in English: the share of its words that are common English words.
    #[serde(skip)]
    pub english_share: Option<f64>,
    /// The CX disciplines the ad covers.
    pub breadth: Vec<Discipline>,
    /// Mandate and breadth rules that fired, strongest first.
    pub signals: Vec<Evidence>,
    /// Every hit that counted, in text order, in byte offsets of the ad's text (only with
    /// [`Classifier::keep_highlights`]).
    #[serde(skip)]
    pub highlights: Vec<Highlight>,
    /// Where each section starts (byte offset of the ad's text), in order (only with
    /// [`Classifier::keep_highlights`]).
    #[serde(skip)]
    pub sections: Vec<(usize, Section)>,
}

/// One hit of a rule in an ad, for showing the ad with its evidence marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    /// The rule ([`Classifier::rules`]).
    pub rule: RuleId,
    /// Start byte offset in the ad's text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

/// A rule set compiled for classifying, with its policy.
#[derive(Debug)]
pub struct Classifier {
    /// The rules.
    pub rules: RuleSet,
    matcher: Matcher,
    policy: Policy,
    /// Fill [`Verdict::highlights`] and [`Verdict::sections`].
    highlights: bool,
}

impl Classifier {
    /// A classifier with the rules built into cxtag.
    ///
    /// ```
    /// let classifier = cxtag::Classifier::with_default_rules()?;
    /// let verdict = classifier.classify_text(
    ///     "Head of Customer Experience\n\
    ///      You will run our contact centre: 40 advisors, complaints handling, \
    ///      first contact resolution and call quality.",
    /// );
    /// assert_eq!(verdict.tag, cxtag::Role::Service);
    /// assert!(verdict.mismatch.is_some()); // the title claims CX
    /// # Ok::<(), cxtag::error::RuleErrors>(())
    /// ```
    pub fn with_default_rules() -> Result<Classifier, RuleErrors> {
        RuleSet::defaults().map(Classifier::new)
    }

    /// A classifier with rule files or folders of `*.toml` files, added to the built-in
    /// rules when `with_defaults` is true. Every problem in the files is reported.
    ///
    /// ```
    /// use std::path::PathBuf;
    /// let extra = PathBuf::from("tests/data/only-rule.toml");
    /// let classifier = cxtag::Classifier::from_rule_files(&[extra], true)?;
    /// assert!(classifier.rules.rules.len() > 50);
    /// # Ok::<(), cxtag::error::RuleErrors>(())
    /// ```
    pub fn from_rule_files(
        paths: &[std::path::PathBuf],
        with_defaults: bool,
    ) -> Result<Classifier, RuleErrors> {
        RuleSet::from_files(paths, with_defaults).map(Classifier::new)
    }

    /// Classifies one ad's text. For many ads, [`Classifier::classify`] with one
    /// [`Scratch`] per thread avoids re-allocating buffers.
    ///
    /// The verdict serialises with serde:
    ///
    /// ```
    /// let classifier = cxtag::Classifier::with_default_rules()?;
    /// let v = classifier.classify_text("Continuous Improvement Manager\nLead lean and six sigma projects.");
    /// let json = serde_json::to_value(&v).unwrap();
    /// assert_eq!(json["tag"], "improvement");
    /// # Ok::<(), cxtag::error::RuleErrors>(())
    /// ```
    pub fn classify_text(&self, text: &str) -> Verdict {
        self.classify(text, &mut Scratch::default())
    }

    /// Compiles `rules` with the shipped [`POLICY`].
    pub fn new(rules: RuleSet) -> Classifier {
        let matcher = Matcher::new(&rules, POLICY.exception_window);
        Classifier {
            rules,
            matcher,
            policy: POLICY,
            highlights: false,
        }
    }

    /// Also record where every hit and section is ([`Verdict::highlights`],
    /// [`Verdict::sections`]), to show an ad with its evidence marked. Off by default: most
    /// outputs do not need it.
    pub fn keep_highlights(mut self, keep: bool) -> Classifier {
        self.highlights = keep;
        self
    }

    /// Classifies one ad. `scratch` is reused between calls to avoid allocating.
    pub fn classify(&self, text: &str, scratch: &mut Scratch) -> Verdict {
        self.classify_titled(text, None, scratch)
    }

    /// Classifies one ad whose title is known (`--title`): `title` is where it is in
    /// `text`. No other line is taken for the title, and there is no `title_note`.
    pub fn classify_with_title(
        &self,
        text: &str,
        title: std::ops::Range<usize>,
        scratch: &mut Scratch,
    ) -> Verdict {
        self.classify_titled(text, Some(title), scratch)
    }

    fn classify_titled(
        &self,
        text: &str,
        given_title: Option<std::ops::Range<usize>>,
        scratch: &mut Scratch,
    ) -> Verdict {
        self.matcher.find(text, scratch);
        let mut layout = Layout::read_with_phrases(
            text,
            &scratch.boilerplate,
            &scratch.company,
            &self.rules.layout,
        );
        let (title_note, head) = match given_title {
            Some(title) => {
                layout.set_title(text, title.clone());
                (None, self.rules.title_model.head(&text[title]))
            }
            None => self.find_title(text, &mut layout),
        };
        let title = &text[layout.title.clone()];
        let Tally {
            mut evidence,
            weighted,
            mut signals,
            highlights,
        } = self.tally(text, scratch, &layout);
        let reports_to = self
            .rules
            .reporting
            .find(text, &scratch.report)
            .filter(|line| {
                self.policy
                    .signal_factor(layout.section_at(line.span.start))
                    > 0.0
            });
        let (mandate, mandate_score) = self.mandate(&signals, reports_to.as_ref());
        by_score(&mut signals);
        let context = ScoreContext {
            head: head.as_ref().map(|h| h.kind),
            mandate_score,
            not_english: self.not_english(text, scratch),
        };
        let Scores {
            scores,
            title_scores,
            claims,
            prior,
            firm_claims,
            supported,
        } = self.score(weighted.iter().copied(), &context);
        let claimed = claims.first().copied();
        let other_head = context.head == Some(HeadKind::Other);
        // A first line that a title rule recognises is a title, known noun or not.
        let title_note = title_note.filter(|_| title_scores.values().all(|&s| s <= 0.0));
        // A supporting rule without its role's own evidence is listed, worth nothing.
        for e in evidence.iter_mut().filter(|e| e.support) {
            if e.counts.role().is_some_and(|role| !supported[role]) {
                e.score = 0.0;
            }
        }
        by_score(&mut evidence);
        let breadth = self.breadth(&signals);

        let decision = self.decide(&scores, &title_scores, prior, other_head);
        let decision = self.language(decision, context.not_english);
        // A senior CX leader (head, director, VP, chief) with a mandate and real CX
        // evidence of their own is never told outright that the job is another role:
        // authority over the experience is what the service words may be hiding.
        let senior = matches!(
            seniority(title, head.as_ref()).level,
            Level::Head | Level::Director | Level::Vp | Level::Chief
        );
        // Their own: what the cx rules found in the body, not the title's words nor the
        // points the mandate itself adds to cx.
        let own_cx: f64 = evidence
            .iter()
            .filter(|e| e.counts == Counts::Role(Role::Cx) && !e.title_rule)
            .map(|e| e.score)
            .sum();
        let cx_leader = senior
            && mandate != Mandate::None
            && own_cx >= self.policy.leader_band * scores[decision.tag];
        let title_check = self
            .check_title(
                &claims,
                &scores,
                &title_scores,
                &decision,
                &evidence,
                other_head,
            )
            .map(|c| match c.outcome {
                TitleOutcome::Mismatch if c.claimed == Role::Cx && cx_leader => TitleCheck {
                    outcome: TitleOutcome::Mixed,
                    reason: format!(
                        "{}; but the role has a {} mandate, as a CX leader would: read it before renaming it",
                        c.reason,
                        mandate.as_str()
                    ),
                    ..c
                },
                // "Account Manager" sells or serves: a title whose words name other jobs
                // too is no clear disguise.
                TitleOutcome::Mismatch if !firm_claims[c.claimed] => TitleCheck {
                    outcome: TitleOutcome::Mixed,
                    reason: format!(
                        "{}; but the title's words name other jobs too, so that is no clear disguise",
                        c.reason
                    ),
                    ..c
                },
                _ => c,
            });
        let mismatch = title_check
            .as_ref()
            .filter(|c| c.outcome == TitleOutcome::Mismatch)
            .map(|c| {
                let tag = decision.tag;
                let drop = claims.contains(&tag).then(|| {
                    evidence
                        .iter()
                        .find(|e| e.counts.role() == c.not_borne_out && e.title_rule)
                        .map(|e| e.matched.clone())
                });
                let drop = drop.flatten();
                // A CX title is renamed by putting the job's area where "Customer
                // Experience" was; the words of any other claim ("Partner Development",
                // "Web Project") are the job's own specialism, and the tag's area would
                // replace it wholesale with another job: no title is better than that one,
                // unless the title names both roles and one of them can simply go.
                let renamable = c.claimed == Role::Cx || drop.is_some();
                // The kind of work that holds most of the tag's body evidence, if one does,
                // may name the job better than the role's area: a complaints officer, an
                // inbound sales associate (leads and new business together).
                let titles = self.rules.titles[tag].as_ref();
                let main_area = titles.and_then(|t| {
                    t.main_area(
                        evidence
                            .iter()
                            .filter(|e| e.counts == Counts::Role(tag) && !e.title_rule)
                            .map(|e| (&*e.rule, e.score)),
                        self.policy.main_rule_share * scores[tag],
                    )
                });
                Mismatch {
                    claimed: c.claimed,
                    reason: c.reason.clone(),
                    suggested_title: renamable.then_some(titles).flatten().and_then(|t| {
                        t.suggest(title, head.as_ref(), &self.rules.title_model, main_area)
                    }),
                    drop,
                }
            });
        // A CX title over a CX job with a strong mandate and most disciplines needs none.
        let complete = decision.tag == Role::Cx && mandate == Mandate::Strong && breadth.len() >= 4;
        let english = context.not_english.is_none();
        let advice = (claimed == Some(Role::Cx) && !complete && english).then(|| {
            self.advise(
                mismatch.as_ref().and_then(|m| m.suggested_title.clone()),
                &breadth,
                &signals,
                reports_to.as_ref(),
            )
        });
        let Decision {
            tag,
            confidence,
            runner_up,
            reason,
        } = decision;
        Verdict {
            title: title.to_string(),
            tag,
            confidence,
            runner_up,
            reason,
            scores,
            evidence,
            claimed,
            claims,
            mismatch,
            title_check,
            head,
            title_note,
            reports_to,
            advice,
            mandate,
            mandate_score,
            english_share: context.not_english,
            breadth,
            signals,
            highlights,
            sections: if self.highlights {
                layout.sections().to_vec()
            } else {
                Vec::new()
            },
        }
    }

    /// When the first line names no job (a company, a place, "Job description"), takes
    /// the first of the next few short lines that has a head noun as the title. Returns
    /// a note when no line reads as a title, and the title's head noun.
    fn find_title(&self, text: &str, layout: &mut Layout) -> (Option<String>, Option<Head>) {
        let model = &self.rules.title_model;
        let first = &text[layout.title.clone()];
        let head = model.head(first);
        if layout.labelled || head.is_some() {
            return (None, head);
        }
        for (line, title) in layout.title_candidates(text, 4) {
            if let Some(head) = model.head(&text[title.clone()]) {
                layout.retitle(line, title);
                return (None, Some(head));
            }
        }
        let shown: String = first.chars().take(60).collect();
        (
            Some(format!(
                "no job title recognised; first line used: {shown:?}"
            )),
            None,
        )
    }

    /// Stage 1: every hit weighed by its section, summed per rule and per role.
    fn tally(&self, text: &str, scratch: &Scratch, layout: &Layout) -> Tally {
        let p = &self.policy;
        let rules = &self.rules.rules;
        // Every counted hit, role rules and signal rules apart.
        let mut fired: Vec<Counted> = Vec::new();
        let mut highlights = Vec::new();
        let mut signal_fired: Vec<Counted> = Vec::new();
        // Where each rule's last counted hit ends: patterns of one rule that overlap
        // ("customer journey mapping" holds "customer journey*", "journey mapping" and
        // "journey map*") are one piece of evidence, counted once. Hits come by start,
        // the longest first at each start.
        let mut counted_to = vec![0usize; rules.len()];
        for hit in &scratch.hits {
            let (start, end) = (hit.start, hit.end);
            let covered = &mut counted_to[hit.rule.0];
            if start < *covered {
                continue;
            }
            *covered = end;
            let section = layout.section_at(start);
            if section == Section::Repeated {
                continue; // said before: counted there
            }
            let in_title = section == Section::Title;
            let rule = &rules[hit.rule];
            match rule.scope {
                Scope::Title if !in_title => continue,
                Scope::Body if in_title => continue,
                _ => {}
            }
            if self.highlights {
                highlights.push(Highlight {
                    rule: hit.rule,
                    start,
                    end,
                });
            }
            let (list, factor) = if rule.counts.is_signal() {
                (&mut signal_fired, p.signal_factor(section))
            } else if in_title && rule.scope != Scope::Title {
                (&mut fired, p.title_body)
            } else {
                (&mut fired, p.section_factor(section))
            };
            list.push(Counted {
                rule: hit.rule,
                factor,
                start,
                end,
            });
        }
        // Rule order, whatever the order of the hits: `rules fit` re-scores an ad from
        // these same pairs and must get the very same sums. The sort is stable, so each
        // rule's first hit in the ad comes first: it is the one shown.
        fired.sort_by_key(|c| c.rule);
        signal_fired.sort_by_key(|c| c.rule);
        let mut factors: Vec<f64> = fired.iter().map(|c| c.factor).collect();
        let mut weighted = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        for (range, first) in by_rule(&fired) {
            let rule = &rules[first.rule];
            let score = rule.weight * p.repeated(&mut factors[range.clone()]);
            weighted.push((first.rule, score));
            evidence.push(evidence_of(
                text,
                (first.rule, rule),
                range.len(),
                score,
                first.start,
                first.end,
            ));
        }
        locate(text, &mut evidence);
        // A signal rule counts once, at the best section it fired in.
        let mut signals: Vec<Evidence> = by_rule(&signal_fired)
            .map(|(range, first)| {
                let rule = &rules[first.rule];
                let best = signal_fired[range.clone()]
                    .iter()
                    .map(|c| c.factor)
                    .fold(0.0, f64::max);
                evidence_of(
                    text,
                    (first.rule, rule),
                    range.len(),
                    rule.weight * best,
                    first.start,
                    first.end,
                )
            })
            .collect();
        locate(text, &mut signals);
        Tally {
            evidence,
            weighted,
            signals,
            highlights,
        }
    }

    /// Stage 2: the role scores of an ad from the weighted score of each fired role rule
    /// (rule index, weight times its hits' factors), in rule order, and what the title and
    /// the mandate add. `rules fit` calls it (through [`Classifier::tag_for`]) with other
    /// weights, so everything a verdict's scores depend on beyond the rule weights is in
    /// `context`.
    pub(crate) fn score(
        &self,
        weighted: impl Iterator<Item = (RuleId, f64)> + Clone,
        context: &ScoreContext,
    ) -> Scores {
        let p = &self.policy;
        let rules = &self.rules.rules;
        let mut scores = PerRole::<f64>::default();
        let mut title_scores = PerRole::<f64>::default();
        let mut firm_claims = PerRole::<bool>::default();
        // Under an other-job noun the title's role words name the team the job serves,
        // not the job ("Product Manager, Customer Experience"): they stay a claim for the
        // title check but are no evidence of the role.
        let other_head = context.head == Some(HeadKind::Other);
        for (i, score) in weighted.clone() {
            let rule = &rules[i];
            let Counts::Role(role) = rule.counts else {
                continue;
            };
            if !rule.support {
                let title = rule.scope == Scope::Title;
                if title {
                    title_scores[role] += score;
                    firm_claims[role] |= rule.prior && score > 0.0;
                }
                if !(title && other_head && role != Role::Other) {
                    scores[role] += score;
                }
            }
        }
        let mut claims: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|&r| title_scores[r] > 0.0)
            .collect();
        claims.sort_by(|&a, &b| title_scores[b].total_cmp(&title_scores[a]));
        // The claim a near tie goes to: not one made by a front-line or other-job noun
        // ("Customer Experience Agent" is front-line work, whatever the words before it),
        // nor one of a title that claims two roles (the body says which it bears out), nor
        // one made only by rules with `prior = false` ("Account Manager" may sell or serve).
        let prior = claims.first().copied().filter(|&c| {
            c != Role::Other
                && firm_claims[c]
                && claims.iter().filter(|&&r| r != Role::Other).count() == 1
                && !matches!(context.head, Some(HeadKind::FrontLine | HeadKind::Other))
        });
        // Supporting rules count only for a role with enough evidence of its own in the
        // body: a title's claim does not unlock them, or a "CX" title would turn every
        // "cross-functional" and "customer experience" of its body into cx evidence.
        let supported = PerRole::from_fn(|r| scores[r] - title_scores[r] >= p.support_min);
        for (i, score) in weighted {
            let rule = &rules[i];
            if let Counts::Role(role) = rule.counts
                && rule.support
                && supported[role]
            {
                scores[role] += score;
            }
        }
        // Authority and scope are cx evidence for a role that claims or shows cx.
        let cx = Role::Cx;
        if context.mandate_score > 0.0 && !other_head && (prior == Some(Role::Cx) || supported[cx])
        {
            scores[cx] += p.mandate_cx * context.mandate_score;
        }
        if other_head {
            scores[Role::Other] += p.head_other;
        }
        Scores {
            scores,
            title_scores,
            claims,
            prior,
            firm_claims,
            supported,
        }
    }

    /// The tag an ad gets when its fired role rules weigh `weighted` (see
    /// [`Classifier::score`]): the same decision as [`Classifier::classify`], without
    /// matching the text again. `rules fit` scores candidate weights with it.
    pub(crate) fn tag_for(
        &self,
        weighted: impl Iterator<Item = (RuleId, f64)> + Clone,
        context: &ScoreContext,
    ) -> Role {
        let s = self.score(weighted, context);
        let other_head = context.head == Some(HeadKind::Other);
        let decision = self.decide(&s.scores, &s.title_scores, s.prior, other_head);
        self.language(decision, context.not_english).tag
    }

    /// For an ad not in English, the share of its words that are common English words.
    /// The start of the ad is counted first; only when it reads as another language is
    /// the whole ad counted, so that a bilingual ad (Welsh, then English) is English.
    fn not_english(&self, text: &str, scratch: &Scratch) -> Option<f64> {
        let p = &self.policy;
        let layout = &self.rules.layout;
        let tokens = &scratch.tokens;
        let known = |i| self.matcher.is_english(scratch, i);
        // Most ads show enough English words early on to be English whatever follows.
        let enough = (p.english_min_share * p.english_sample_words as f64).ceil() as usize;
        if layout
            .english_words(text, tokens, known, p.english_sample_words, enough)
            .1
            >= enough
        {
            return None;
        }
        let foreign = |(words, share): (usize, f64)| {
            (words >= p.english_min_words && share < p.english_min_share).then_some(share)
        };
        foreign(layout.english_share(text, tokens, known, p.english_sample_words))
            .and_then(|_| foreign(layout.english_share(text, tokens, known, usize::MAX)))
    }

    /// An ad not in English is `other` whatever its scores: the rules read English, and
    /// the few words that match in another language are a guess. The confidence falls
    /// as the share of English words (`not_english`) nears the threshold; the runner-up
    /// is the role the scores pointed to.
    fn language(&self, decision: Decision, not_english: Option<f64>) -> Decision {
        match not_english {
            Some(share) => Decision {
                tag: Role::Other,
                confidence: 1.0 - share / self.policy.english_min_share,
                runner_up: Some(decision.tag).filter(|&r| r != Role::Other),
                reason: Some(Reason::NotEnglish),
            },
            None => decision,
        }
    }

    /// The mandate and its score: the mandate rules, plus the reporting line.
    fn mandate(&self, signals: &[Evidence], reports_to: Option<&ReportingLine>) -> (Mandate, f64) {
        let p = &self.policy;
        let score: f64 = signals
            .iter()
            .filter(|e| e.counts == Counts::Mandate)
            .map(|e| e.score)
            .sum::<f64>()
            + reports_to.map_or(0.0, |r| p.reports_to(r.level));
        let mandate = if score >= p.mandate_strong {
            Mandate::Strong
        } else if score >= p.mandate_partial {
            Mandate::Partial
        } else {
            Mandate::None
        };
        (mandate, score)
    }

    /// The CX disciplines whose breadth rules score enough.
    fn breadth(&self, signals: &[Evidence]) -> Vec<Discipline> {
        Discipline::ALL
            .into_iter()
            .filter(|&d| {
                signals
                    .iter()
                    .filter(|e| e.counts == Counts::Breadth(d))
                    .map(|e| e.score)
                    .sum::<f64>()
                    >= self.policy.breadth_min
            })
            .collect()
    }

    /// What a cx-titled ad lacks to be the role it claims, from the `why` of the breadth
    /// and mandate rules that did not fire.
    fn advise(
        &self,
        honest_title: Option<String>,
        breadth: &[Discipline],
        signals: &[Evidence],
        reports_to: Option<&ReportingLine>,
    ) -> Advice {
        let rules = &self.rules.rules;
        let missing_disciplines = Discipline::ALL
            .into_iter()
            .filter(|d| !breadth.contains(d))
            .filter_map(|d| {
                rules
                    .iter()
                    .find(|r| r.counts == Counts::Breadth(d))
                    .map(|r| {
                        (
                            d,
                            r.why
                                .as_deref()
                                .map_or_else(|| d.to_string(), str::to_string),
                        )
                    })
            })
            .collect();
        let mut missing_mandate = Vec::new();
        match reports_to {
            Some(r) if matches!(r.level, ReportLevel::Top | ReportLevel::CxExecutive) => {}
            Some(r) => missing_mandate.push(format!(
                "a reporting line to the top: it reports to {} ({})",
                r.target,
                r.level.describe()
            )),
            None => missing_mandate
                .push("a reporting line to the top (the chief executive or the board)".into()),
        }
        for r in rules
            .iter()
            .filter(|r| r.counts == Counts::Mandate && r.weight > 0.0)
        {
            if !signals.iter().any(|e| e.rule == r.id) {
                missing_mandate.push(r.why.as_deref().unwrap_or(&r.id).to_string());
            }
        }
        Advice {
            honest_title,
            missing_disciplines,
            missing_mandate,
        }
    }

    /// Stage 3: whether the ad bears out what its title claims.
    fn check_title(
        &self,
        claims: &[Role],
        scores: &PerRole<f64>,
        title_scores: &PerRole<f64>,
        decision: &Decision,
        evidence: &[Evidence],
        other_head: bool,
    ) -> Option<TitleCheck> {
        let p = &self.policy;
        let tag = decision.tag;
        let claimed = *claims.first()?;
        if claimed == Role::Other {
            return None;
        }
        let s = |r: Role| scores[r];
        // What the body says for a claim, without the title's own words ("Customer
        // Experience Expert" over an ad with no cx duties says nothing for cx).
        // Only a cx claim is judged so: the words that claim the other roles ("Sales",
        // "Project") name the job as often as a role, and stay part of its evidence.
        let body = |r: Role| {
            if r == Role::Cx {
                scores[r] - title_scores[r]
            } else {
                scores[r]
            }
        };
        let strongest = |role: Role| {
            evidence
                .iter()
                .find(|e| e.counts == Counts::Role(role) && !e.title_rule && e.score > 0.0)
                .map(|e| format!(" ({} x{}: \"{}\")", e.rule, e.count, e.matched))
                .unwrap_or_default()
        };
        if tag == Role::Other {
            // A CX title over clerical, clinical or engineering duties is a disguised
            // title too, when the duties are clearly of that other job: say so, with no
            // honest title to offer. Not under an other-job noun ("Product Manager,
            // Customer Experience"), where the words name the team, and not for the
            // other roles' words, which name the job as often as a role ("Project").
            let clear = claimed == Role::Cx
                && !other_head
                && decision.reason == Some(Reason::OtherJob)
                && s(Role::Other) >= p.min_score
                && body(Role::Cx) < p.mixed_band * s(Role::Other);
            return clear.then(|| TitleCheck {
                outcome: TitleOutcome::Mismatch,
                claimed,
                not_borne_out: None,
                reason: format!(
                    "the title claims cx, but the ad describes another kind of job{}",
                    strongest(Role::Other)
                ),
            });
        }
        let mut not_borne_out = None;
        let (outcome, reason) = if claims.contains(&tag) {
            // The title claims the tag; a second claim the ad does not bear out is a
            // mismatch of that part of the title.
            // Only the customer-experience part of a title is checked this way: the words
            // that claim the other roles ("Support", "Project") name the job as often as a
            // role, and a wrong "drop it" is worse than none.
            let unsupported = claims
                .iter()
                .copied()
                .filter(|&c| c == Role::Cx && c != tag)
                .find(|&c| s(c) < p.mixed_band * s(tag));
            let runner = decision.runner_up.filter(|r| !claims.contains(r));
            not_borne_out = unsupported;
            match (unsupported, runner) {
                (Some(c), _) if decision.confidence >= p.mismatch_confidence => (
                    TitleOutcome::Mismatch,
                    format!(
                        "the title claims {c} and {tag}; the ad bears out {tag}{}, not {c}",
                        strongest(tag)
                    ),
                ),
                (Some(c), _) => (
                    TitleOutcome::Mixed,
                    format!("the title claims {c} and {tag}; the ad leans to {tag}"),
                ),
                (None, Some(r)) if s(r) >= p.split_band * s(tag) => (
                    TitleOutcome::Mixed,
                    format!("the ad is split between {tag}, as the title claims, and {r}"),
                ),
                (None, _) if tag != claimed || claims.len() > 1 => (
                    TitleOutcome::Consistent,
                    format!("the ad bears out the title's {tag}"),
                ),
                (None, _) => (
                    TitleOutcome::Consistent,
                    format!("the ad is {tag}, as the title claims"),
                ),
            }
        } else if body(claimed) >= p.mixed_band * s(tag)
            || decision.confidence
                < if body(claimed) > 0.0 {
                    p.mismatch_confidence
                } else {
                    p.mismatch_confidence_bare
                }
            // An ad that reads as cx under another role's title is not a disguised CX
            // job; whether it is a CX job at all is for a reader to say.
            || tag == Role::Cx
        {
            (
                TitleOutcome::Mixed,
                format!(
                    "the title claims {claimed}; the ad leans to {tag}{}, with {claimed} close behind",
                    strongest(tag)
                ),
            )
        } else {
            (
                TitleOutcome::Mismatch,
                format!(
                    "the title claims {claimed}, but the ad describes {tag}{}",
                    strongest(tag)
                ),
            )
        };
        Some(TitleCheck {
            outcome,
            claimed,
            not_borne_out,
            reason,
        })
    }

    /// Stage 2: the tag, its confidence, the runner-up and the reason for `other`.
    /// `prior` is the role the title claims, which a near tie goes to; `other_head` is
    /// set when the title's noun names a job outside the four roles.
    fn decide(
        &self,
        scores: &PerRole<f64>,
        title_scores: &PerRole<f64>,
        prior: Option<Role>,
        other_head: bool,
    ) -> Decision {
        let p = &self.policy;
        let mut ranked: Vec<Role> = Role::ALL.to_vec();
        ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        // A near tie goes to the title's claim.
        if let Some(c) = prior
            && ranked[0] != c
            && scores[c] >= p.min_score
            && scores[c] * p.claim_prior >= scores[ranked[0]]
        {
            ranked.retain(|&r| r != c);
            ranked.insert(0, c);
        }
        // An other-job noun: a role must clearly beat the other evidence.
        let other = scores[Role::Other];
        if other_head && ranked[0] != Role::Other && scores[ranked[0]] < p.head_other_margin * other
        {
            ranked.retain(|&r| r != Role::Other);
            ranked.insert(0, Role::Other);
        }
        let (top, second) = (ranked[0], ranked[1]);
        let (s1, s2) = (scores[top], scores[second]);
        let conflict: f64 = Role::ALL
            .iter()
            .filter(|&&r| r != top)
            .map(|&r| title_scores[r])
            .sum();
        let total: f64 = scores.values().sum::<f64>() + p.title_conflict * conflict;
        let runner_up = ranked
            .iter()
            .copied()
            .filter(|&r| r != Role::Other && r != top && scores[r] > 0.0)
            .max_by(|&a, &b| scores[a].total_cmp(&scores[b]));
        let strength = |s: f64| 1.0 - (-s / p.confidence_scale).exp();
        let confidence = |s: f64| {
            if total > 0.0 {
                (s / total * strength(s)).powf(p.calibration_power)
            } else {
                0.0
            }
        };
        let other = |confidence: f64, runner_up: Option<Role>, reason: Reason| Decision {
            tag: Role::Other,
            confidence,
            runner_up,
            reason: Some(reason),
        };
        if s1 <= 0.0 {
            return other(0.5, None, Reason::NoEvidence);
        }
        if s1 < p.min_score {
            return other(
                1.0 - strength(s1),
                Some(top).filter(|&r| r != Role::Other),
                Reason::TooThin,
            );
        }
        if top == Role::Other {
            return other(confidence(s1), runner_up, Reason::OtherJob);
        }
        // Two roles too close to call, unless the title's claim is one of them: then the
        // title decides.
        let claim_decides = prior.is_some_and(|c| c == top || c == second);
        if s2 >= p.mixed_ratio * s1
            && s1 < p.mixed_override * p.min_score
            && second != Role::Other
            && !claim_decides
        {
            return other(1.0 - s1 / total, Some(top), Reason::Mixed);
        }
        Decision {
            tag: top,
            confidence: confidence(s1),
            runner_up,
            reason: None,
        }
    }
}

/// One counted hit of a rule: its section factor and where it is.
struct Counted {
    rule: RuleId,
    /// The weight of its section ([`Policy::section_factor`] and the like).
    factor: f64,
    start: usize,
    end: usize,
}

/// The runs of one rule's hits in `counted` (sorted by rule): each run's range and its
/// first hit.
fn by_rule(counted: &[Counted]) -> impl Iterator<Item = (std::ops::Range<usize>, &Counted)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let first = counted.get(at)?;
        let len = counted[at..]
            .iter()
            .take_while(|c| c.rule == first.rule)
            .count();
        let range = at..at + len;
        at += len;
        Some((range, first))
    })
}

/// The output of [`Classifier::tally`]: evidence before any scoring.
struct Tally {
    evidence: Vec<Evidence>,
    /// Per fired role rule, in rule order: its index and its weighted score.
    weighted: Vec<(RuleId, f64)>,
    signals: Vec<Evidence>,
    highlights: Vec<Highlight>,
}

/// What an ad's scores depend on beyond its rules' weights: the title's head noun and the
/// mandate (`rules fit` keeps it per ad).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ScoreContext {
    /// The kind of the title's head noun.
    pub head: Option<HeadKind>,
    /// The mandate score (mandate rules and the reporting line).
    pub mandate_score: f64,
    /// For an ad not in English: the share of its words that are common English words.
    pub not_english: Option<f64>,
}

/// The output of [`Classifier::score`].
pub(crate) struct Scores {
    /// Per role.
    scores: PerRole<f64>,
    /// Per role, the title-scoped rules' share of `scores`: what the title claims.
    title_scores: PerRole<f64>,
    /// Every role the title claims, strongest first.
    claims: Vec<Role>,
    /// The claim a near tie goes to.
    prior: Option<Role>,
    /// Per role: a title rule that gives a prior claims it (not only `prior = false`
    /// rules, whose words name other jobs too).
    firm_claims: PerRole<bool>,
    /// Per role: its own rules reach `support_min`, so its supporting rules count.
    supported: PerRole<bool>,
}

/// The output of [`Classifier::decide`].
struct Decision {
    tag: Role,
    confidence: f64,
    runner_up: Option<Role>,
    reason: Option<Reason>,
}

/// The evidence of one fired rule; `line` holds the first hit's byte offset until
/// [`locate`] replaces it.
fn evidence_of(
    text: &str,
    (id, rule): (RuleId, &crate::rules::Rule),
    count: usize,
    score: f64,
    start: usize,
    end: usize,
) -> Evidence {
    Evidence {
        rule: rule.id.clone(),
        id,
        counts: rule.counts,
        weight: rule.weight,
        count,
        score,
        matched: single_spaced(&text[start..end]),
        line: start,
        col: 0,
        snippet: snippet(text, start, end),
        why: rule.why.clone(),
        support: rule.support,
        title_rule: rule.scope == Scope::Title,
    }
}

/// Strongest first; ties by rule id, so the order never depends on the input order.
fn by_score(evidence: &mut [Evidence]) {
    evidence.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.rule.cmp(&b.rule))
    });
}

/// A short window of text around a hit, on one line.
fn snippet(text: &str, start: usize, end: usize) -> String {
    let from = floor_char_boundary(text, start.saturating_sub(30));
    let to = floor_char_boundary(text, (end + 30).min(text.len()));
    single_spaced(&text[from..to])
}

/// `text`'s words joined by single spaces, built in one string.
fn single_spaced(text: &str) -> String {
    // Evidence is mostly printable ASCII already single-spaced: copied whole.
    let b = text.as_bytes();
    let printable = b.iter().fold(true, |ok, &c| ok & (b' '..0x80).contains(&c));
    if printable
        && !b.starts_with(b" ")
        && !b.ends_with(b" ")
        && memchr::memmem::find(b, b"  ").is_none()
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for word in crate::text::words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Replaces each evidence's byte offset (held in `line`) with its line and column, in one
/// pass over the text.
fn locate(text: &str, evidence: &mut [Evidence]) {
    let mut order: Vec<usize> = (0..evidence.len()).collect();
    order.sort_by_key(|&i| evidence[i].line);
    let (mut line, mut line_start, mut pos) = (1usize, 0usize, 0usize);
    for i in order {
        let target = evidence[i].line;
        let skipped = &text.as_bytes()[pos..target];
        line += memchr::memchr_iter(b'\n', skipped).count();
        if let Some(k) = memchr::memrchr(b'\n', skipped) {
            line_start = pos + k + 1;
        }
        pos = target;
        evidence[i].line = line;
        evidence[i].col = text[line_start..target].chars().count() + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSource;

    #[test]
    fn a_supporting_rule_counts_only_beside_core_evidence() {
        let (set, _) = RuleSet::load(&[RuleSource {
            origin: "cx.toml".into(),
            text: r#"
role = "cx"
[[rule]]
id = "cx.core"
weight = 4
phrases = ["journey mapping"]
[[rule]]
id = "cx.broad"
weight = 3
support = true
phrases = ["across the organisation"]
[[rule]]
id = "cx.claim"
weight = 4
scope = "title"
phrases = ["experience"]
"#
            .into(),
        }])
        .unwrap();
        let c = Classifier::new(set);
        // The title's claim (4 x 2 = 8) is not the body's own evidence: it does not
        // unlock the supporting rule.
        let claimed = c.classify_text("Experience Writer\nWe work across the organisation.");
        assert_eq!(claimed.scores[Role::Cx], 8.0, "{:?}", claimed.evidence);
        let alone =
            c.classify_text("Job\nWe work across the organisation, across the organisation.");
        assert_eq!(alone.scores[Role::Cx], 0.0);
        assert_eq!(alone.tag, Role::Other);
        let broad = alone
            .evidence
            .iter()
            .find(|e| &*e.rule == "cx.broad")
            .unwrap();
        assert_eq!(broad.score, 0.0, "listed, but worth nothing");
        let with_core =
            c.classify_text("Job\nJourney mapping and journey mapping across the organisation.");
        // Core 4 x 0.8 x (1 + 1/2) = 4.8 reaches support_min, so the supporting rule adds
        // its 3 x 0.8 = 2.4.
        let cx = with_core.scores[Role::Cx];
        assert!((cx - 7.2).abs() < 1e-9, "{cx}");
        assert_eq!(with_core.tag, Role::Cx);
    }

    fn classifier() -> Classifier {
        let text = r#"
role = "service"
[[rule]]
id = "service.support"
weight = 2
phrases = ["customer support", "contact centre"]
[[rule]]
id = "service.complaints"
weight = 2
keywords = ["complaint*"]
"#;
        let cx = r#"
role = "cx"
[[rule]]
id = "cx.journey"
weight = 2
phrases = ["journey mapping"]
"#;
        let (set, _) = RuleSet::load(&[
            RuleSource {
                origin: "s.toml".into(),
                text: text.into(),
            },
            RuleSource {
                origin: "c.toml".into(),
                text: cx.into(),
            },
        ])
        .unwrap();
        Classifier::new(set)
    }

    fn verdict(text: &str) -> Verdict {
        classifier().classify(text, &mut Scratch::default())
    }

    #[test]
    fn an_ad_is_not_english_only_when_its_start_and_its_whole_text_say_so() {
        let c = classifier();
        let not_english = |text: &str| {
            let mut s = Scratch::default();
            c.matcher.find(text, &mut s);
            c.not_english(text, &s)
        };
        let dutch = "wij zoeken een collega voor onze klantenservice die graag helpt ".repeat(6);
        let english =
            "you will answer the questions of our customers and help them with the orders "
                .repeat(6);
        assert!(not_english(&dutch).is_some_and(|share| share < 0.06));
        assert_eq!(not_english(&english), None);
        // Bilingual: another language first, then English.
        assert_eq!(
            not_english(&format!("{}\n{}", dutch.repeat(8), english.repeat(10))),
            None
        );
        // Too few words to tell.
        assert_eq!(not_english("wij zoeken een collega"), None);
        let v = verdict(&format!(
            "Klantenservice\n{dutch}\nZendesk tickets live chat customer support"
        ));
        assert_eq!((v.tag, v.reason), (Role::Other, Some(Reason::NotEnglish)));
    }

    #[test]
    fn no_hits_is_other_with_no_evidence() {
        let v = verdict("Staff Nurse\nLook after patients on the ward.");
        assert_eq!((v.tag, v.reason), (Role::Other, Some(Reason::NoEvidence)));
    }

    #[test]
    fn one_stray_keyword_is_too_thin() {
        let v = verdict("Analyst\nYou may see a complaint now and then.");
        assert_eq!((v.tag, v.reason), (Role::Other, Some(Reason::TooThin)));
        assert!(v.confidence < 1.0);
    }

    #[test]
    fn clear_evidence_wins_with_a_runner_up_and_located_evidence() {
        let v = verdict(
            "Head of Support\n\nRun the contact centre.\nHandle complaints and more complaints.\nSome journey mapping.\n",
        );
        assert_eq!(v.tag, Role::Service);
        assert_eq!(v.runner_up, Some(Role::Cx));
        assert!(v.confidence > 0.0 && v.confidence < 1.0);
        let c = v
            .evidence
            .iter()
            .find(|e| &*e.rule == "service.complaints")
            .unwrap();
        assert_eq!((c.count, c.line, c.col), (2, 4, 8));
        assert_eq!(c.matched, "complaints");
    }

    #[test]
    fn title_hits_count_more_and_boilerplate_less() {
        let title = verdict("Customer Support Lead\nx\n");
        let body = verdict("Lead\nCustomer support\n");
        let blurb = verdict("Lead\nAbout us\nCustomer support\n");
        let s = |v: &Verdict| v.scores[Role::Service];
        assert!(
            s(&title) > s(&body) && s(&body) > s(&blurb),
            "{} {} {}",
            s(&title),
            s(&body),
            s(&blurb)
        );
    }

    #[test]
    fn repeated_hits_have_diminishing_weight() {
        let once = verdict("T\ncomplaints\n");
        let thrice = verdict("T\ncomplaints complaints complaints\n");
        let s = |v: &Verdict| v.scores[Role::Service];
        assert!(s(&thrice) > s(&once) && s(&thrice) < 3.0 * s(&once));
    }

    proptest::proptest! {
        #[test]
        fn evidence_is_single_spaced_as_split_whitespace_splits_it(
            text in "[ab \t\n\x0b\u{a0}\u{2003}é~]{0,24}"
        ) {
            let want = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(single_spaced(&text), want);
        }
    }
}
