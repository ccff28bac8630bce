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
use crate::matcher::{Matcher, Scratch, Volume};
use crate::rules::{Discipline, Role, RuleSet, Scope, Signal};

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
    /// Bytes around a hit within which a rule's exception phrase cancels it.
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
    /// rules score at least this much.
    pub support_min: f64,
    /// The raw confidence of a named tag is raised to this power, so that on labelled
    /// ads a confidence of 0.8 means right about 80% of the time (`cxtag eval` shows the
    /// calibration).
    pub calibration_power: f64,
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
    exception_window: 60,
    title_conflict: 2.0,
    mandate_strong: 4.0,
    mandate_partial: 1.5,
    breadth_min: 1.0,
    calibration_power: 0.5,
    support_min: 3.0,
};

impl Policy {
    fn section_factor(&self, s: Section) -> f64 {
        match s {
            Section::Title => self.title,
            Section::Duties => self.duties,
            Section::Requirements => self.requirements,
            Section::Body => self.body,
            Section::Company => self.company,
            Section::Benefits => self.benefits,
            Section::Boilerplate => self.boilerplate,
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

    /// How much a signal (mandate, breadth) found in `s` says about the job itself: the
    /// duties do, what is asked of the candidate less, the employer's blurb not at all.
    fn signal_factor(&self, s: Section) -> f64 {
        match s {
            Section::Title | Section::Duties | Section::Body => 1.0,
            Section::Requirements => 0.5,
            Section::Company | Section::Benefits | Section::Boilerplate => 0.0,
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
    /// A title that says what the ad means, at the original's seniority, when the
    /// rules name the real role (`[titles]`).
    pub suggested_title: Option<String>,
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
}

impl Reason {
    /// Human wording, for tables.
    pub fn describe(self) -> &'static str {
        match self {
            Reason::NoEvidence => "no evidence",
            Reason::TooThin => "too thin",
            Reason::Mixed => "mixed",
            Reason::OtherJob => "another kind of job",
        }
    }
}

/// One rule that fired, with what it contributed.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The rule's id.
    pub rule: String,
    /// The role it speaks for.
    pub role: Role,
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
    pub why: Option<String>,
    /// For signal rules, what they detect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<Signal>,
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
    /// Score per role, in [`Role::ALL`] order.
    pub scores: [f64; 5],
    /// Every rule that fired, strongest first.
    pub evidence: Vec<Evidence>,
    /// The role the title claims most strongly (from title-scoped rules), if any.
    pub claimed: Option<Role>,
    /// Every role the title claims, strongest first.
    pub claims: Vec<Role>,
    /// Set when the title claims a role the ad does not describe.
    pub mismatch: Option<Mismatch>,
    /// The role's mandate.
    pub mandate: Mandate,
    /// The mandate score behind `mandate`.
    pub mandate_score: f64,
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
    /// Index of the rule in [`Classifier::rules`].
    pub rule: usize,
    /// Start byte offset in the ad's text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
}

/// The role scores of one ad.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tally {
    /// Score per role, in [`Role::ALL`] order.
    pub scores: [f64; 5],
    /// The part of `scores` from title-scoped rules: what the title claims.
    pub title_scores: [f64; 5],
    /// Per role: its non-supporting rules reach `support_min`, so its supporting rules count.
    pub supported: [bool; 5],
}

impl Tally {
    /// Whether `rule`'s score counts toward its role.
    fn counts(&self, rule: &crate::rules::Rule) -> bool {
        !rule.support || self.supported[rule.role.index()]
    }
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

    /// Compiles `rules` with the shipped [`POLICY`], for batches of ads.
    pub fn new(rules: RuleSet) -> Classifier {
        Classifier::for_volume(rules, Volume::Many)
    }

    /// Compiles `rules` for `volume` ads: [`Volume::Few`] starts faster (one ad on the
    /// command line), [`Volume::Many`] scans faster. Verdicts are the same.
    pub fn for_volume(rules: RuleSet, volume: Volume) -> Classifier {
        let matcher = Matcher::new(&rules, POLICY.exception_window, volume);
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
        scratch.normalized.fill(text);
        self.matcher.find(scratch);
        let layout = Layout::read_with_boilerplate(text, &scratch.normalized, &scratch.boilerplate);
        let p = &self.policy;
        let rules = &self.rules.rules;

        // Per fired rule: section factors of its hits, and its first hit.
        let mut fired: Vec<(usize, Vec<f64>, usize, usize)> = Vec::new();
        let mut highlights = Vec::new();
        // Per fired signal rule: the best signal factor of its hits, and its first hit.
        let mut signal_fired: Vec<(usize, f64, usize, usize, usize)> = Vec::new();
        for hit in &scratch.hits {
            let start = scratch.normalized.original_offset(hit.start);
            let end = scratch.normalized.original_offset(hit.end);
            let section = layout.section_at(start);
            let in_title = section == Section::Title;
            match rules[hit.rule].scope {
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
            if rules[hit.rule].signal.is_some() {
                let factor = p.signal_factor(section);
                match signal_fired.iter_mut().find(|f| f.0 == hit.rule) {
                    Some(f) => {
                        f.1 = f.1.max(factor);
                        f.4 += 1;
                    }
                    None => signal_fired.push((hit.rule, factor, start, end, 1)),
                }
                continue;
            }
            let factor = if in_title && rules[hit.rule].scope != Scope::Title {
                p.title_body
            } else {
                p.section_factor(section)
            };
            match fired.iter_mut().find(|f| f.0 == hit.rule) {
                Some(f) => f.1.push(factor),
                None => fired.push((hit.rule, vec![factor], start, end)),
            }
        }

        // The tally sums in rule order, whatever the order of the hits, so that `rules fit`
        // re-scoring an ad from its unit scores gets the very same sums.
        fired.sort_unstable_by_key(|f| f.0);
        let units: Vec<f64> = fired
            .iter_mut()
            .map(|(_, factors, ..)| p.repeated(factors))
            .collect();
        let tally = self.tally(
            fired
                .iter()
                .zip(&units)
                .map(|(f, u)| (f.0, rules[f.0].weight * u)),
        );
        let mut evidence: Vec<Evidence> = fired
            .into_iter()
            .zip(units)
            .map(|((i, factors, start, end), unit)| {
                let rule = &rules[i];
                // A supporting rule without its role's own evidence is listed, worth nothing.
                let score = if tally.counts(rule) {
                    rule.weight * unit
                } else {
                    0.0
                };
                evidence_of(text, rule, factors.len(), score, start, end)
            })
            .collect();
        let Tally {
            scores,
            title_scores,
            ..
        } = tally;
        locate(text, &mut evidence);
        by_score(&mut evidence);

        let mut signals: Vec<Evidence> = signal_fired
            .into_iter()
            .map(|(i, factor, start, end, count)| {
                let rule = &rules[i];
                evidence_of(text, rule, count, rule.weight * factor, start, end)
            })
            .collect();
        locate(text, &mut signals);
        by_score(&mut signals);
        let mandate_score: f64 = signals
            .iter()
            .filter(|e| e.signal == Some(Signal::Mandate))
            .map(|e| e.score)
            .sum();
        let mandate = if mandate_score >= p.mandate_strong {
            Mandate::Strong
        } else if mandate_score >= p.mandate_partial {
            Mandate::Partial
        } else {
            Mandate::None
        };
        let breadth = Discipline::ALL
            .into_iter()
            .filter(|&d| {
                signals
                    .iter()
                    .filter(|e| e.signal == Some(Signal::Breadth(d)))
                    .map(|e| e.score)
                    .sum::<f64>()
                    >= p.breadth_min
            })
            .collect();

        let (tag, confidence, runner_up, reason) = self.decide(&scores, &title_scores);
        let title = &text[layout.title.clone()];
        let claims: Vec<Role> = {
            let mut c: Vec<Role> = Role::ALL
                .into_iter()
                .filter(|r| title_scores[r.index()] > 0.0)
                .collect();
            c.sort_by(|a, b| title_scores[b.index()].total_cmp(&title_scores[a.index()]));
            c
        };
        let claimed = claims.first().copied();
        let mismatch = claimed
            .filter(|&c| c != Role::Other && tag != Role::Other && !claims.contains(&tag))
            .map(|claimed| {
                let strongest = evidence
                    .iter()
                    .find(|e| e.role == tag)
                    .map(|e| format!(": {} x{} (\"{}\")", e.rule, e.count, e.matched))
                    .unwrap_or_default();
                Mismatch {
                    claimed,
                    reason: format!(
                        "the title claims {claimed}, but the ad describes {tag}{strongest}"
                    ),
                    suggested_title: self.rules.titles[tag.index()]
                        .as_ref()
                        .map(|t| t.suggest(title)),
                }
            });
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
            mandate,
            mandate_score,
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

    /// The role scores of an ad from the weighted score of each fired role rule (rule index,
    /// weight times its unit score), given in rule order. Supporting rules count only for a
    /// role whose other rules reach `support_min`.
    pub(crate) fn tally(&self, weighted: impl Iterator<Item = (usize, f64)> + Clone) -> Tally {
        let rules = &self.rules.rules;
        let mut scores = [0.0f64; 5];
        let mut title_scores = [0.0f64; 5];
        for (i, score) in weighted.clone() {
            let rule = &rules[i];
            if !rule.support {
                scores[rule.role.index()] += score;
                if rule.scope == Scope::Title {
                    title_scores[rule.role.index()] += score;
                }
            }
        }
        let supported = scores.map(|core| core >= self.policy.support_min);
        for (i, score) in weighted {
            let rule = &rules[i];
            if rule.support && supported[rule.role.index()] {
                scores[rule.role.index()] += score;
            }
        }
        Tally {
            scores,
            title_scores,
            supported,
        }
    }

    /// The tag an ad gets when its fired role rules weigh `weighted` (see
    /// [`Classifier::tally`]): the same decision as [`Classifier::classify`], without
    /// matching the text again. `rules fit` scores candidate weights with it.
    pub(crate) fn tag_for(&self, weighted: impl Iterator<Item = (usize, f64)> + Clone) -> Role {
        let tally = self.tally(weighted);
        self.decide(&tally.scores, &tally.title_scores).0
    }

    /// The tag, its confidence, the runner-up and the reason for `other`.
    fn decide(
        &self,
        scores: &[f64; 5],
        title_scores: &[f64; 5],
    ) -> (Role, f64, Option<Role>, Option<Reason>) {
        let p = &self.policy;
        let mut ranked: Vec<Role> = Role::ALL.to_vec();
        ranked.sort_by(|a, b| scores[b.index()].total_cmp(&scores[a.index()]));
        let (top, second) = (ranked[0], ranked[1]);
        let (s1, s2) = (scores[top.index()], scores[second.index()]);
        let conflict: f64 = Role::ALL
            .iter()
            .filter(|&&r| r != top)
            .map(|r| title_scores[r.index()])
            .sum();
        let total: f64 = scores.iter().sum::<f64>() + p.title_conflict * conflict;
        let runner_up = ranked
            .iter()
            .copied()
            .filter(|&r| r != Role::Other && r != top && scores[r.index()] > 0.0)
            .max_by(|a, b| scores[a.index()].total_cmp(&scores[b.index()]));
        let strength = |s: f64| 1.0 - (-s / p.confidence_scale).exp();
        let confidence = |s: f64| {
            if total > 0.0 {
                (s / total * strength(s)).powf(p.calibration_power)
            } else {
                0.0
            }
        };
        if s1 <= 0.0 {
            return (Role::Other, 0.5, None, Some(Reason::NoEvidence));
        }
        if s1 < p.min_score {
            return (
                Role::Other,
                1.0 - strength(s1),
                Some(top).filter(|&r| r != Role::Other),
                Some(Reason::TooThin),
            );
        }
        if top == Role::Other {
            return (
                Role::Other,
                confidence(s1),
                runner_up,
                Some(Reason::OtherJob),
            );
        }
        if s2 >= p.mixed_ratio * s1 && s1 < p.mixed_override * p.min_score && second != Role::Other
        {
            return (
                Role::Other,
                1.0 - s1 / total,
                Some(top),
                Some(Reason::Mixed),
            );
        }
        (top, confidence(s1), runner_up, None)
    }
}

/// The evidence of one fired rule; `line` holds the first hit's byte offset until
/// [`locate`] replaces it.
fn evidence_of(
    text: &str,
    rule: &crate::rules::Rule,
    count: usize,
    score: f64,
    start: usize,
    end: usize,
) -> Evidence {
    Evidence {
        rule: rule.id.clone(),
        role: rule.role,
        weight: rule.weight,
        count,
        score,
        matched: text[start..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        line: start,
        col: 0,
        snippet: snippet(text, start, end),
        why: rule.why.clone(),
        signal: rule.signal,
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
    let words: Vec<&str> = text[from..to].split_whitespace().collect();
    words.join(" ")
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
"#
            .into(),
        }])
        .unwrap();
        let c = Classifier::new(set);
        let alone =
            c.classify_text("Job\nWe work across the organisation, across the organisation.");
        assert_eq!(alone.scores[Role::Cx.index()], 0.0);
        assert_eq!(alone.tag, Role::Other);
        let broad = alone
            .evidence
            .iter()
            .find(|e| e.rule == "cx.broad")
            .unwrap();
        assert_eq!(broad.score, 0.0, "listed, but worth nothing");
        let with_core =
            c.classify_text("Job\nJourney mapping and journey mapping across the organisation.");
        // Core 4 x 0.8 x (1 + 1/2) = 4.8 reaches support_min, so the supporting rule adds
        // its 3 x 0.8 = 2.4.
        let cx = with_core.scores[Role::Cx.index()];
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
            .find(|e| e.rule == "service.complaints")
            .unwrap();
        assert_eq!((c.count, c.line, c.col), (2, 4, 8));
        assert_eq!(c.matched, "complaints");
    }

    #[test]
    fn title_hits_count_more_and_boilerplate_less() {
        let title = verdict("Customer Support Lead\nx\n");
        let body = verdict("Lead\nCustomer support\n");
        let blurb = verdict("Lead\nAbout us\nCustomer support\n");
        let s = |v: &Verdict| v.scores[Role::Service.index()];
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
        let s = |v: &Verdict| v.scores[Role::Service.index()];
        assert!(s(&thrice) > s(&once) && s(&thrice) < 3.0 * s(&once));
    }
}
