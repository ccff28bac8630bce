//! Checks rule files and compiles them into a [`RuleSet`], collecting every problem with
//! its `file:line:col` instead of stopping at the first.

use std::collections::HashMap;

use toml::Spanned;

use super::schema::{
    HeadSpec, HeadingSpec, NegationSpec, ReportingSpec, RuleFile, RuleSpec, TitlesSpec,
};
use super::{
    Counts, DEFAULT_RULES, Discipline, Literal, PerRole, Role, Rule, RuleSet, RuleSource, Scope,
    label_from_id,
};
use crate::document::{LayoutWords, Negation, Section};
use crate::error::{Diagnostic, Severity};
use crate::reporting::{ReportLevel, ReportingLevels};
use crate::text::normalize_pattern;
use crate::title::{HeadKind, HeadNouns, Level, TitleModel, Titles, title_words};

/// Words so common in job ads that a keyword made of one fires in nearly every ad. A lint
/// for rule authors (a warning of `rules check`), not vocabulary: it never changes what a
/// rule set finds, so it is not data in `rules/` and not in the fingerprint.
const COMMON_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "is",
    "it",
    "of",
    "on",
    "or",
    "our",
    "the",
    "to",
    "we",
    "with",
    "you",
    "your",
    "will",
    "job",
    "role",
    "team",
    "work",
    "working",
    "skills",
    "experience",
    "company",
    "business",
    "people",
    "opportunity",
    "new",
    "support",
    "service",
    "services",
    "customer",
    "customers",
];

/// Longest label that is not flagged: a label names what was found in a table cell.
const MAX_LABEL_LEN: usize = 40;

/// Shortest stem (characters before `*`) that is not flagged as firing everywhere.
const MIN_STEM_LEN: usize = 4;

/// The file whose layout lists are used for those no loaded file gives.
const DEFAULT_LAYOUT: &str = "layout.toml";

/// The layout vocabulary as loaded so far: a list is `None` until a file gives it, and a
/// later file's list replaces an earlier one's.
#[derive(Debug, Default)]
struct LayoutLists {
    headings: Option<Vec<(Section, Vec<String>)>>,
    boilerplate: Option<Vec<String>>,
    title_labels: Option<Vec<String>>,
    contact_labels: Option<Vec<String>>,
    modifiers: Option<Vec<String>>,
    english: Option<Vec<String>>,
    company_lines: Option<Vec<String>>,
    negation: Option<Negation>,
}

impl LayoutLists {
    fn complete(&self) -> bool {
        self.headings.is_some()
            && self.boilerplate.is_some()
            && self.title_labels.is_some()
            && self.contact_labels.is_some()
            && self.modifiers.is_some()
            && self.english.is_some()
            && self.company_lines.is_some()
            && self.negation.is_some()
    }

    /// Fills the lists no file gave from `defaults`.
    fn or(self, defaults: LayoutLists) -> LayoutLists {
        LayoutLists {
            headings: self.headings.or(defaults.headings),
            boilerplate: self.boilerplate.or(defaults.boilerplate),
            title_labels: self.title_labels.or(defaults.title_labels),
            contact_labels: self.contact_labels.or(defaults.contact_labels),
            modifiers: self.modifiers.or(defaults.modifiers),
            english: self.english.or(defaults.english),
            company_lines: self.company_lines.or(defaults.company_lines),
            negation: self.negation.or(defaults.negation),
        }
    }
}

struct Checker<'a> {
    source: &'a RuleSource,
    diags: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    fn report(&mut self, severity: Severity, offset: Option<usize>, msg: impl Into<String>) {
        self.diags.push(Diagnostic::at(
            severity,
            &self.source.origin,
            &self.source.text,
            offset,
            msg,
        ));
    }
    fn error<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.report(Severity::Error, Some(at.span().start), msg);
    }
    fn warn<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.report(Severity::Warning, Some(at.span().start), msg);
    }

    /// A weight must be a positive, finite number of sensible size; mandate rules may
    /// also be negative (evidence against a mandate).
    fn weight(&mut self, id: &str, w: &Spanned<f64>, negative_ok: bool) -> bool {
        let v = *w.get_ref();
        let ok = v.is_finite() && v.abs() <= 100.0 && (v > 0.0 || (negative_ok && v < 0.0));
        if !ok {
            let range = if negative_ok {
                "between -100 and 100, and not 0"
            } else {
                "above 0 and at most 100"
            };
            self.error(
                w,
                format!("rule `{id}`: weight must be a number {range}, not {v}"),
            );
        }
        ok
    }

    /// Checks a `[titles]` table.
    fn titles(&mut self, spec: &Spanned<TitlesSpec>) -> Option<Titles> {
        let t = spec.get_ref();
        let mut ok = true;
        let area = t.area.get_ref().trim().to_string();
        if area.is_empty() {
            self.error(
                &t.area,
                "[titles] area must name the role, as in \"Customer Service\"",
            );
            ok = false;
        }
        for (key, form) in &t.forms {
            if !Level::KEYS.contains(&key.as_str()) {
                self.error(
                    form,
                    format!(
                        "[titles] forms: unknown level {key:?} (expected one of: {})",
                        Level::KEYS.join(", ")
                    ),
                );
                ok = false;
            } else if form.get_ref().trim().is_empty() {
                self.error(form, format!("[titles] forms: the {key} title is empty"));
                ok = false;
            }
        }
        for (word, value) in &t.by_word {
            if word.is_empty() || word.contains(' ') || word.to_lowercase() != *word {
                self.error(
                    value,
                    format!("[titles] by_word: {word:?} must be one lower-case word"),
                );
                ok = false;
            }
        }
        ok.then(|| Titles {
            area,
            forms: t
                .forms
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().trim().to_string()))
                .collect(),
            by_word: t
                .by_word
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().trim().to_string()))
                .collect(),
            by_rule: t
                .by_rule
                .iter()
                .map(|(k, v)| (k.clone(), v.get_ref().trim().to_string()))
                .collect(),
        })
    }

    /// A `[[head]]` table of the title model.
    fn head(&mut self, spec: &Spanned<HeadSpec>) -> Option<HeadNouns> {
        let h = spec.get_ref();
        let Some(kind) = HeadKind::parse(h.kind.get_ref()) else {
            let names: Vec<_> = HeadKind::ALL.iter().map(|k| k.as_str()).collect();
            self.error(
                &h.kind,
                format!(
                    "unknown head kind {:?} (expected one of: {})",
                    h.kind.get_ref(),
                    names.join(", ")
                ),
            );
            return None;
        };
        let nouns = self.title_phrases(&h.words, "a head noun");
        if h.words.is_empty() {
            self.error(spec, "[[head]] needs `words`");
        }
        Some(HeadNouns {
            kind,
            why: h.why.clone().unwrap_or_default(),
            nouns,
            when: self.title_phrases(&h.when, "a `when` word"),
        })
    }

    /// Phrases of a title as their title words; `what` names one in errors.
    fn title_phrases(&mut self, raws: &[Spanned<String>], what: &str) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for w in raws {
            let words: Vec<String> = title_words(w.get_ref())
                .into_iter()
                .map(|(w, _)| w)
                .collect();
            if words.is_empty() {
                self.error(w, format!("{what} needs at least one letter or digit"));
            } else {
                out.push(words);
            }
        }
        out
    }

    /// The `[reporting]` table.
    fn reporting(&mut self, spec: &ReportingSpec) -> ReportingLevels {
        let lists = [
            (ReportLevel::CxExecutive, &spec.cx_executive),
            (ReportLevel::Top, &spec.top),
            (ReportLevel::Executive, &spec.executive),
            (ReportLevel::Function, &spec.function),
            (ReportLevel::Manager, &spec.manager),
        ];
        let mut levels = Vec::new();
        for (level, names) in lists {
            levels.push((level, self.title_phrases(names, "a title")));
        }
        ReportingLevels { levels }
    }

    /// A layout list of phrases, normalised like rule patterns; `what` names the list in
    /// errors.
    fn phrases(&mut self, what: &str, raws: &[Spanned<String>]) -> Vec<String> {
        let mut seen = HashMap::new();
        let mut phrases = Vec::new();
        for raw in raws {
            let phrase = normalize_pattern(raw.get_ref());
            if self.vocabulary_entry(what, raw, &phrase, &mut seen) {
                phrases.push(phrase);
            }
        }
        phrases
    }

    /// The layout tables of `file` (`rules/layout.toml`): each list they give replaces
    /// the same list in `lists`.
    fn layout(&mut self, file: &RuleFile, lists: &mut LayoutLists) {
        if !file.heading.is_empty() {
            lists.headings = Some(self.headings(&file.heading));
        }
        if let Some(spec) = &file.boilerplate {
            lists.boilerplate = Some(self.phrases("[boilerplate] lines", &spec.get_ref().lines));
        }
        if let Some(spec) = &file.company_lines {
            let phrases = &spec.get_ref().phrases;
            lists.company_lines = Some(self.phrases("[company_lines] phrases", phrases));
        }
        if let Some(spec) = &file.title_line {
            let spec = spec.get_ref();
            if let Some(labels) = &spec.labels {
                lists.title_labels = Some(self.labels("[title_line] labels", labels));
            }
            if let Some(labels) = &spec.contact_labels {
                lists.contact_labels = Some(self.labels("[title_line] contact_labels", labels));
            }
        }
        if let Some(spec) = &file.seniority {
            let mut seen = HashMap::new();
            let mut modifiers = Vec::new();
            for raw in &spec.get_ref().modifiers {
                let words: Vec<String> = title_words(raw.get_ref())
                    .into_iter()
                    .map(|(w, _)| w)
                    .collect();
                if words.len() > 1 {
                    self.error(
                        raw,
                        format!(
                            "[seniority] modifiers: {:?} must be one word (a title is read word by word)",
                            raw.get_ref()
                        ),
                    );
                    continue;
                }
                let word = words.into_iter().next().unwrap_or_default();
                if self.vocabulary_entry("[seniority] modifiers", raw, &word, &mut seen) {
                    modifiers.push(word);
                }
            }
            lists.modifiers = Some(modifiers);
        }
        if let Some(spec) = &file.language {
            let mut seen = HashMap::new();
            let mut english = Vec::new();
            for raw in &spec.get_ref().english {
                let word = raw.get_ref().trim().to_lowercase();
                if word.chars().any(|c| !c.is_alphabetic()) || word.chars().count() == 1 {
                    self.error(
                        raw,
                        format!(
                            "[language] english: {:?} must be one word of two letters or more (an ad is counted word by word)",
                            raw.get_ref()
                        ),
                    );
                    continue;
                }
                if self.vocabulary_entry("[language] english", raw, &word, &mut seen) {
                    english.push(word);
                }
            }
            lists.english = Some(english);
        }
        if let Some(spec) = &file.negation {
            lists.negation = Some(self.negation(spec));
        }
    }

    /// The `[negation]` table: single words (or `n't`), and a window of 1 to 10 words.
    fn negation(&mut self, spec: &Spanned<NegationSpec>) -> Negation {
        let spec = spec.get_ref();
        let mut words_of = |list: &str, raws: &[Spanned<String>], contraction_ok: bool| {
            let mut seen = HashMap::new();
            let mut out = Vec::new();
            for raw in raws {
                let word = raw.get_ref().trim().to_lowercase();
                // Words are looked up by their 16-byte key (`tokens::fold`).
                let ok = (word.chars().all(char::is_alphabetic) && word.len() <= 16)
                    || (contraction_ok && word == "n't");
                if !ok {
                    self.error(
                        raw,
                        format!(
                            "[negation] {list}: {:?} must be one word of letters (16 bytes at most){} (a negation is read word by word)",
                            raw.get_ref(),
                            if contraction_ok { ", or n't" } else { "" }
                        ),
                    );
                    continue;
                }
                if self.vocabulary_entry(&format!("[negation] {list}"), raw, &word, &mut seen) {
                    out.push(word);
                }
            }
            out
        };
        let words = words_of("words", &spec.words, true);
        let not_before = words_of("not_before", &spec.not_before, false);
        let carry = words_of("carry", &spec.carry, false);
        let w = *spec.window.get_ref();
        let window = if (1..=10).contains(&w) {
            w as usize
        } else {
            self.error(
                &spec.window,
                format!("[negation] window = {w} is not in 1..=10 (words after a negation that it reaches)"),
            );
            0
        };
        Negation {
            words,
            not_before,
            carry,
            window,
        }
    }

    /// The `[[heading]]` tables of one file, in order. A phrase is kept as written but
    /// single-spaced, and without leading space (a heading's words are matched at their
    /// start): a trailing space stays, meaning another word must follow.
    fn headings(&mut self, specs: &[Spanned<HeadingSpec>]) -> Vec<(Section, Vec<String>)> {
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        for spec in specs {
            let h = spec.get_ref();
            let section = Section::parse_headed(h.section.get_ref());
            if section.is_none() {
                let names: Vec<_> = Section::HEADED.iter().map(|s| s.as_str()).collect();
                self.error(
                    &h.section,
                    format!(
                        "unknown section {:?} for a heading (expected one of: {})",
                        h.section.get_ref(),
                        names.join(", ")
                    ),
                );
            }
            if h.phrases.is_empty() {
                self.error(&h.section, "[[heading]] needs at least one of `phrases`");
            }
            let mut phrases = Vec::new();
            for raw in &h.phrases {
                let text = raw.get_ref();
                let mut phrase = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.ends_with(char::is_whitespace) && !phrase.is_empty() {
                    phrase.push(' ');
                }
                if self.vocabulary_entry("[[heading]] phrases", raw, &phrase, &mut seen) {
                    phrases.push(phrase);
                }
            }
            if let Some(section) = section {
                out.push((section, phrases));
            }
        }
        out
    }

    /// A list of line labels (`[title_line]`), trimmed.
    fn labels(&mut self, list: &str, raws: &[Spanned<String>]) -> Vec<String> {
        let mut seen = HashMap::new();
        let mut out = Vec::new();
        for raw in raws {
            let label = raw.get_ref().trim().to_string();
            if label.contains(':') {
                self.error(
                    raw,
                    format!(
                        "{list}: write {:?} without its colon (the colon is looked for after it)",
                        raw.get_ref()
                    ),
                );
                continue;
            }
            if self.vocabulary_entry(list, raw, &label, &mut seen) {
                out.push(label);
            }
        }
        out
    }

    /// Checks one entry of a layout list, `canon` being the form it is matched in: it
    /// must hold a letter or digit and not repeat an entry of `seen` (the same list, ASCII
    /// case ignored). True when the entry is kept.
    fn vocabulary_entry(
        &mut self,
        list: &str,
        raw: &Spanned<String>,
        canon: &str,
        seen: &mut HashMap<String, usize>,
    ) -> bool {
        if !canon.chars().any(char::is_alphanumeric) {
            self.error(
                raw,
                format!(
                    "{list}: {:?} has no letter or digit, so it would match nothing",
                    raw.get_ref()
                ),
            );
            return false;
        }
        let key = canon.to_ascii_lowercase();
        if let Some(&first) = seen.get(&key) {
            let first = location_suffix(self.source, first);
            self.error(
                raw,
                format!(
                    "{list}: {:?} is listed twice (first at {}{first})",
                    raw.get_ref(),
                    self.source.origin
                ),
            );
            return false;
        }
        seen.insert(key, raw.span().start);
        true
    }

    /// Parses the TOML of the source, reporting a syntax error or an unknown field.
    fn parse(&mut self) -> Option<RuleFile> {
        match toml::from_str(&self.source.text) {
            Ok(f) => Some(f),
            Err(e) => {
                let msg = e
                    .message()
                    .lines()
                    .next()
                    .unwrap_or("invalid TOML")
                    .trim()
                    .to_string();
                self.report(Severity::Error, e.span().map(|s| s.start), msg);
                None
            }
        }
    }

    /// Parses one keyword or phrase; `title_only` rules may use common words.
    fn literal(&mut self, id: &str, raw: &Spanned<String>, title_only: bool) -> Option<Literal> {
        let text = raw.get_ref();
        let (body, stem) = match text.trim().strip_suffix('*') {
            Some(b) => (b, true),
            None => (text.trim(), false),
        };
        let canon = normalize_pattern(body);
        if canon.is_empty() {
            self.error(raw, format!("rule `{id}`: empty pattern"));
            return None;
        }
        if canon.contains('*') {
            self.error(
                raw,
                format!("rule `{id}`: `*` may only end a pattern, as in \"complain*\": {text:?}"),
            );
            return None;
        }
        if !title_only && !stem && COMMON_WORDS.contains(&canon.as_str()) {
            self.warn(
                raw,
                format!(
                    "rule `{id}`: keyword {text:?} is so common it will fire in nearly every ad"
                ),
            );
        }
        if stem && canon.chars().count() < MIN_STEM_LEN && !canon.contains(' ') {
            self.warn(raw, format!("rule `{id}`: stem {text:?} is shorter than {MIN_STEM_LEN} letters and will fire in many words"));
        }
        Some(Literal { text: canon, stem })
    }

    fn rule(&mut self, kind: FileKind, spec: &Spanned<RuleSpec>) -> Option<Rule> {
        let spec_ref = spec.get_ref();
        let id = spec_ref.id.get_ref().trim().to_string();
        let mut ok = true;
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            self.error(&spec_ref.id, format!("rule id {id:?} must be non-empty and use only letters, digits, '.', '_' and '-'"));
            ok = false;
        }
        ok &= self.weight(&id, &spec_ref.weight, kind == FileKind::Mandate);
        let counts = match (kind, &spec_ref.discipline) {
            (FileKind::Role(role), None) => Some(Counts::Role(role)),
            (FileKind::Mandate, None) => Some(Counts::Mandate),
            (FileKind::Breadth, Some(d)) => match Discipline::parse(d.get_ref()) {
                Some(d) => Some(Counts::Breadth(d)),
                None => {
                    let names: Vec<_> = Discipline::ALL.iter().map(|d| d.as_str()).collect();
                    self.error(
                        d,
                        format!(
                            "rule `{id}`: unknown discipline {:?} (expected one of: {})",
                            d.get_ref(),
                            names.join(", ")
                        ),
                    );
                    ok = false;
                    None
                }
            },
            (FileKind::Breadth, None) => {
                self.error(
                    &spec_ref.id,
                    format!("rule `{id}`: a breadth rule needs `discipline = \"...\"`"),
                );
                ok = false;
                None
            }
            (_, Some(d)) => {
                self.error(
                    d,
                    format!("rule `{id}`: `discipline` belongs in a `signal = \"breadth\"` file"),
                );
                ok = false;
                None
            }
        };
        let mut literals = Vec::new();
        let mut patterns = Vec::new();
        let title_only = spec_ref
            .scope
            .as_ref()
            .is_some_and(|s| s.get_ref() == "title");
        for list in [&spec_ref.keywords, &spec_ref.phrases] {
            for raw in list {
                patterns.push(raw.get_ref().clone());
                match self.literal(&id, raw, title_only) {
                    Some(l) if !literals.contains(&l) => literals.push(l),
                    Some(_) => self.warn(
                        raw,
                        format!("rule `{id}`: pattern {:?} is listed twice", raw.get_ref()),
                    ),
                    None => ok = false,
                }
            }
        }
        let mut exceptions = Vec::new();
        for raw in &spec_ref.exceptions {
            // Exceptions are read like keywords, so a stem ("service design*") is one.
            match self.literal(&id, raw, true) {
                Some(l) => exceptions.push(l),
                None => ok = false,
            }
        }
        let mut requires = Vec::new();
        for raw in &spec_ref.requires {
            if spec_ref.regex.is_none() {
                self.error(
                    raw,
                    format!("rule `{id}`: `requires` only applies to a `regex`"),
                );
                ok = false;
                break;
            }
            match self.literal(&id, raw, true) {
                Some(l) => requires.push(l),
                None => ok = false,
            }
        }
        let regex = match &spec_ref.regex {
            Some(raw) => match regex::RegexBuilder::new(raw.get_ref())
                .case_insensitive(true)
                .size_limit(1 << 22)
                .build()
            {
                Ok(re) => {
                    patterns.push(format!("/{}/", raw.get_ref()));
                    Some(re)
                }
                Err(e) => {
                    self.regex_error(&id, raw, &e);
                    ok = false;
                    None
                }
            },
            None => None,
        };
        if literals.is_empty() && regex.is_none() && ok {
            self.report(
                Severity::Error,
                Some(spec.span().start),
                format!("rule `{id}` has no keywords, phrases or regex: it can never fire"),
            );
            ok = false;
        }
        let scope = match spec_ref.scope.as_ref().map(|s| (s, s.get_ref().as_str())) {
            None | Some((_, "any")) => Scope::Any,
            Some((_, "title")) => Scope::Title,
            Some((_, "body")) => Scope::Body,
            Some((s, other)) => {
                self.error(
                    s,
                    format!(
                        "rule `{id}`: unknown scope {other:?} (use \"any\", \"title\" or \"body\")"
                    ),
                );
                ok = false;
                Scope::Any
            }
        };
        if let Some(p) = &spec_ref.prior
            && scope != Scope::Title
        {
            self.error(
                p,
                format!(
                    "rule `{id}`: `prior` is for title rules (scope = \"title\"): only a title makes a claim"
                ),
            );
            ok = false;
        }
        let label = match &spec_ref.label {
            Some(l) if l.get_ref().trim().is_empty() => {
                self.error(l, format!("rule `{id}`: `label` is empty"));
                ok = false;
                String::new()
            }
            Some(l) => {
                let words = l.get_ref().split_whitespace().collect::<Vec<_>>().join(" ");
                if words.chars().count() > MAX_LABEL_LEN {
                    self.warn(
                        l,
                        format!(
                            "rule `{id}`: label is over {MAX_LABEL_LEN} characters; tables \
                             read best with a few words (put the reason in `why`)"
                        ),
                    );
                }
                words
            }
            None => {
                // Not for the embedded defaults: a warning about them would reach
                // every user checking their own files.
                if !self.source.origin.starts_with("<embedded>/") {
                    self.warn(
                        &spec_ref.id,
                        format!(
                            "rule `{id}` has no `label`: tables call it {:?}",
                            label_from_id(&id)
                        ),
                    );
                }
                label_from_id(&id)
            }
        };
        let counts = counts.filter(|_| ok)?;
        Some(Rule {
            id: id.into(),
            counts,
            weight: *spec_ref.weight.get_ref(),
            label,
            why: spec_ref.why.as_deref().map(Into::into),
            literals,
            patterns,
            regex,
            exceptions,
            requires,
            scope,
            support: spec_ref.support,
            prior: spec_ref.prior.as_ref().is_none_or(|p| *p.get_ref()),
            examples: spec_ref
                .examples
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            counterexamples: spec_ref
                .counterexamples
                .iter()
                .map(|s| s.get_ref().clone())
                .collect(),
            origin: self.source.origin.clone(),
        })
    }

    /// Reports a regex syntax error at the place in the pattern it names, when it can.
    fn regex_error(&mut self, id: &str, raw: &Spanned<String>, err: &regex::Error) {
        let text = err.to_string();
        let reason = text
            .lines()
            .rev()
            .find_map(|l| l.trim().strip_prefix("error: "))
            .unwrap_or(text.lines().last().unwrap_or("invalid"))
            .to_string();
        // regex-syntax draws a caret under the bad spot, two lines after its first line.
        let caret = text
            .lines()
            .nth(2)
            .and_then(|l| l.find('^'))
            .map(|c| c.saturating_sub(4));
        let offset = raw.span().start + 1 + caret.unwrap_or(0);
        self.report(
            Severity::Error,
            Some(offset),
            format!("rule `{id}`: bad regex: {reason}"),
        );
    }
}

/// What a rule file's rules count for, before each breadth rule's discipline is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Role(Role),
    Mandate,
    Breadth,
}

/// Checks `sources` and, when no error was found, returns the rule set they make.
/// Every diagnostic (errors and warnings) is returned either way.
pub fn check(sources: &[RuleSource]) -> (Option<RuleSet>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut rules: Vec<Rule> = Vec::new();
    // Where each id was first defined: (source index, byte offset). Located lazily, since
    // turning an offset into line:col scans the file.
    let mut first_seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut overrides = Vec::new();
    let mut titles: PerRole<Option<Titles>> = PerRole::default();
    let mut title_model = TitleModel::default();
    let mut reporting = ReportingLevels::default();
    let mut layout = LayoutLists::default();
    for (source_index, source) in sources.iter().enumerate() {
        let mut c = Checker {
            source,
            diags: &mut diags,
        };
        let Some(file) = c.parse() else {
            continue;
        };
        let signal = match &file.signal {
            None => None,
            Some(s) => match s.get_ref().as_str() {
                "mandate" => Some(FileKind::Mandate),
                "breadth" => Some(FileKind::Breadth),
                other => {
                    c.error(
                        s,
                        format!("unknown signal {other:?} (expected \"mandate\" or \"breadth\")"),
                    );
                    None
                }
            },
        };
        let kind = match &file.role {
            Some(r) if file.signal.is_some() => {
                c.error(
                    r,
                    "a rule file has either `role` (evidence for a role) or `signal`, not both",
                );
                None
            }
            None if signal.is_some() => signal,
            None if file.signal.is_some() => None,
            Some(r) => match Role::parse(r.get_ref()) {
                Some(role) => Some(FileKind::Role(role)),
                None => {
                    let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
                    c.error(
                        r,
                        format!(
                            "unknown role {:?} (expected one of: {})",
                            r.get_ref(),
                            names.join(", ")
                        ),
                    );
                    None
                }
            },
            None if !file.rule.is_empty() => {
                c.report(
                    Severity::Error,
                    Some(0),
                    "a file with [[rule]] tables needs a top-level `role = \"...\"` (or `signal`)",
                );
                None
            }
            None => None,
        };
        for spec in &file.rule {
            let id = spec.get_ref().id.get_ref().trim().to_string();
            if let Some(&(i, offset)) = first_seen.get(&id) {
                let first = sources[i].origin.clone() + &location_suffix(&sources[i], offset);
                c.error(&spec.get_ref().id, format!("duplicate rule id `{id}` (first defined at {first}); use [[override]] to change an existing rule"));
                continue;
            }
            first_seen.insert(id, (source_index, spec.get_ref().id.span().start));
            if let Some(kind) = kind
                && let Some(rule) = c.rule(kind, spec)
            {
                rules.push(rule);
            }
        }
        if let Some(spec) = &file.titles {
            match kind {
                Some(FileKind::Role(role)) => {
                    for (id, value) in &spec.get_ref().by_rule {
                        let known = rules
                            .iter()
                            .any(|r| *r.id == **id && r.counts == Counts::Role(role));
                        if !known {
                            c.error(
                                value,
                                format!("[titles] by_rule: no {role} rule `{id}` (declare the rule first, in this file or an earlier one)"),
                            );
                        }
                    }
                    if let Some(t) = c.titles(spec) {
                        // A later file's names replace an earlier one's.
                        titles[role] = Some(t);
                    }
                }
                _ => c.error(spec, "[titles] belongs in a role's rule file"),
            }
        }
        c.layout(&file, &mut layout);
        for o in file.overrides {
            overrides.push((source, o));
        }
        for spec in &file.head {
            if let Some(h) = c.head(spec) {
                title_model.heads.push(h);
            }
        }
        if let Some(spec) = &file.reporting {
            // A later file's levels replace an earlier one's, as [titles] do.
            reporting = c.reporting(spec.get_ref());
        }
    }
    if !layout.complete() {
        layout = layout.or(default_layout(&mut diags));
    }
    let mut disabled = vec![false; rules.len()];
    for (source, o) in &overrides {
        let mut c = Checker {
            source,
            diags: &mut diags,
        };
        let spec = o.get_ref();
        let id = spec.id.get_ref();
        let Some(i) = rules.iter().position(|r| *r.id == **id) else {
            if !first_seen.contains_key(id) {
                c.error(&spec.id, format!("override of unknown rule id `{id}`"));
            }
            continue;
        };
        if let Some(w) = &spec.weight
            && c.weight(id, w, rules[i].counts == Counts::Mandate)
        {
            rules[i].weight = *w.get_ref();
        }
        if let Some(enabled) = spec.enabled {
            disabled[i] = !enabled;
        }
        if spec.weight.is_none() && spec.enabled.is_none() {
            c.warn(
                o,
                format!("override of `{id}` changes nothing (set `weight` or `enabled`)"),
            );
        }
    }
    let rules: Vec<Rule> = rules
        .into_iter()
        .zip(disabled)
        .filter_map(|(r, off)| (!off).then_some(r))
        .collect();
    warn_shared_literals(&rules, &mut diags);
    if rules.is_empty() && !diags.iter().any(Diagnostic::is_error) {
        diags.push(Diagnostic::at(
            Severity::Error,
            "rules",
            "",
            None,
            "the rule set is empty: no enabled rules to classify with",
        ));
    }
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    title_model.modifiers = layout.modifiers.unwrap_or_default();
    let layout = LayoutWords::new(
        layout.headings.unwrap_or_default(),
        layout.boilerplate.unwrap_or_default(),
        layout.title_labels.unwrap_or_default(),
        layout.contact_labels.unwrap_or_default(),
        layout.english.unwrap_or_default(),
        layout.company_lines.unwrap_or_default(),
        layout.negation.unwrap_or_default(),
    );
    let fingerprint = fingerprint(&rules, &titles, &title_model, &reporting, &layout);
    (
        Some(RuleSet {
            rules,
            titles,
            title_model,
            reporting,
            layout,
            fingerprint,
        }),
        diags,
    )
}

/// The layout lists of the embedded `layout.toml`, for a rule set whose files give not
/// all of them (`--no-default-rules` with a folder that has no layout file): without them
/// no heading would be recognised and every ad would read as one untitled body.
fn default_layout(diags: &mut Vec<Diagnostic>) -> LayoutLists {
    let mut lists = LayoutLists::default();
    let Some((name, text)) = DEFAULT_RULES.iter().find(|(n, _)| *n == DEFAULT_LAYOUT) else {
        return lists;
    };
    let source = RuleSource {
        origin: format!("<embedded>/{name}"),
        text: (*text).to_string(),
    };
    let mut c = Checker {
        source: &source,
        diags,
    };
    if let Some(file) = c.parse() {
        c.layout(&file, &mut lists);
    }
    lists
}

fn location_suffix(source: &RuleSource, offset: usize) -> String {
    let (line, col, _) = crate::error::line_col(&source.text, offset);
    format!(":{line}:{col}")
}

/// Warns when one literal is evidence for two different roles: a hit then counts for both
/// and tells the two apart by nothing.
fn warn_shared_literals(rules: &[Rule], diags: &mut Vec<Diagnostic>) {
    let mut owner: HashMap<&str, &Rule> = HashMap::new();
    for rule in rules.iter().filter(|r| !r.counts.is_signal()) {
        for lit in &rule.literals {
            match owner.get(lit.text.as_str()) {
                Some(first) if first.counts != rule.counts => diags.push(Diagnostic::at(
                    Severity::Warning,
                    &rule.origin,
                    "",
                    None,
                    format!(
                        "{:?} is claimed by `{}` ({}) and `{}` ({})",
                        lit.text, first.id, first.counts, rule.id, rule.counts
                    ),
                )),
                Some(_) => {}
                None => {
                    owner.insert(&lit.text, rule);
                }
            }
        }
    }
}

/// FNV-1a over what the rules say; stable across runs, platforms and Rust versions.
fn fingerprint(
    rules: &[Rule],
    titles: &PerRole<Option<Titles>>,
    model: &TitleModel,
    reporting: &ReportingLevels,
    layout: &LayoutWords,
) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for r in rules {
        // Written as when a signal rule was a `cx` rule with a signal beside, so that the
        // same rules keep their fingerprint.
        let (role, signal) = match r.counts {
            Counts::Role(role) => (role, "None".to_string()),
            Counts::Mandate => (Role::Cx, "Some(Mandate)".to_string()),
            Counts::Breadth(d) => (Role::Cx, format!("Some(Breadth({d:?}))")),
        };
        eat(&r.id);
        eat(role.as_str());
        eat(&format!("{}", r.weight));
        eat(&format!("{:?} {signal} {} {}", r.scope, r.support, r.prior));
        for l in r.literals.iter().chain(&r.exceptions).chain(&r.requires) {
            eat(&l.text);
            eat(if l.stem { "*" } else { "" });
        }
        eat(r.regex.as_ref().map_or("", |re| re.as_str()));
    }
    for t in titles.values().flatten() {
        eat(&format!("{t:?}"));
    }
    for h in &model.heads {
        eat(&format!("{:?} {:?} {:?}", h.kind, h.nouns, h.when));
    }
    eat(&format!("{:?}", reporting.levels));
    // The layout decides which section a hit is in, and so how much it weighs.
    for (section, phrases) in layout.headings() {
        eat(&format!("{section:?} {phrases:?}"));
    }
    eat(&format!("{:?}", layout.boilerplate()));
    eat(&format!("{:?}", layout.title_labels()));
    eat(&format!("{:?}", layout.contact_labels()));
    eat(&format!("{:?}", model.modifiers));
    eat(&format!("{:?}", layout.english()));
    eat(&format!("{:?}", layout.company_lines()));
    eat(&format!("{:?}", layout.negation()));
    // The policy shapes every verdict: a change to it is a change to the results.
    eat(&format!("{:?}", crate::classify::POLICY));
    format!("{:012x}", h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> RuleSource {
        RuleSource {
            origin: "t.toml".into(),
            text: text.into(),
        }
    }

    fn errors(text: &str) -> Vec<String> {
        let (_, d) = check(&[src(text)]);
        d.iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_good_file_compiles() {
        let (set, d) = check(&[src(
            "role = \"service\"\n[[rule]]\nid = \"s.a\"\nlabel = \"complaints\"\nweight = 2\nkeywords = [\"complain*\"]\nphrases = [\"Call-Centre  team\"]\n",
        )]);
        assert!(d.is_empty(), "{d:?}");
        let set = set.unwrap();
        assert_eq!(
            set.rules[0].literals[0],
            Literal {
                text: "complain".into(),
                stem: true
            }
        );
        assert_eq!(set.rules[0].literals[1].text, "call centre team");
        assert_eq!(set.fingerprint.len(), 12);
    }

    #[test]
    fn toml_syntax_error_has_line_and_column() {
        let e = errors("role = \"service\"\n[[rule]\n");
        assert!(e[0].starts_with("t.toml:2:"), "{e:?}");
    }

    #[test]
    fn unknown_field_is_an_error() {
        let e = errors("role = \"service\"\n[[rule]]\nid = \"a\"\nweight = 1\nkeyword = [\"x\"]\n");
        assert!(e[0].contains("unknown field"), "{e:?}");
        assert!(e[0].starts_with("t.toml:5:"), "{e:?}");
    }

    #[test]
    fn several_problems_are_all_reported() {
        let e = errors(concat!(
            "role = \"service\"\n",
            "[[rule]]\nid = \"a\"\nweight = 1\nregex = \"(unclosed\"\n",
            "[[rule]]\nid = \"a\"\nweight = 1\nkeywords = [\"x\"]\n",
            "[[rule]]\nid = \"b\"\nweight = -1\nkeywords = [\"a*b\"]\n",
        ));
        assert!(
            e.iter()
                .any(|m| m.contains("bad regex") && m.starts_with("t.toml:5:")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|m| m.contains("duplicate rule id `a`")),
            "{e:?}"
        );
        assert!(e.iter().any(|m| m.contains("weight must be")), "{e:?}");
        assert!(
            e.iter().any(|m| m.contains("may only end a pattern")),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_role_and_empty_rule_are_errors() {
        let e = errors("role = \"sales\"\n");
        assert!(e[0].contains("unknown role \"sales\""), "{e:?}");
        let e = errors("role = \"cx\"\n[[rule]]\nid = \"a\"\nweight = 1\nkeywords = []\n");
        assert!(e[0].contains("can never fire"), "{e:?}");
    }

    #[test]
    fn overrides_reweight_and_disable() {
        let base = src(
            "role = \"cx\"\n[[rule]]\nid = \"a\"\nlabel = \"a\"\nweight = 1\nkeywords = [\"x\"]\n[[rule]]\nid = \"b\"\nlabel = \"b\"\nweight = 1\nkeywords = [\"y\"]\n",
        );
        let user = RuleSource {
            origin: "u.toml".into(),
            text:
                "[[override]]\nid = \"a\"\nweight = 5\n[[override]]\nid = \"b\"\nenabled = false\n"
                    .into(),
        };
        let (set, d) = check(&[base, user]);
        assert!(d.is_empty(), "{d:?}");
        let set = set.unwrap();
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.rules[0].weight, 5.0);
        let (_, d) = check(&[src("[[override]]\nid = \"zzz\"\nweight = 2\n")]);
        assert!(
            d.iter()
                .any(|d| d.message.contains("unknown rule id `zzz`")),
            "{d:?}"
        );
    }

    #[test]
    fn common_keywords_and_shared_literals_warn() {
        let (set, d) = check(&[src(
            "role = \"cx\"\n[[rule]]\nid = \"a\"\nlabel = \"a\"\nweight = 1\nkeywords = [\"team\", \"ab*\"]\n",
        )]);
        assert!(set.is_some());
        assert_eq!(d.len(), 2, "{d:?}");
        let two = [
            src("role = \"cx\"\n[[rule]]\nid = \"a\"\nweight = 1\nphrases = [\"journey map\"]\n"),
            RuleSource {
                origin: "b.toml".into(),
                text: "role = \"service\"\n[[rule]]\nid = \"b\"\nweight = 1\nphrases = [\"journey-map\"]\n".into(),
            },
        ];
        let (_, d) = check(&two);
        assert!(
            d.iter()
                .any(|d| d.message.contains("claimed by `a` (cx) and `b` (service)")),
            "{d:?}"
        );
    }

    #[test]
    fn signal_files_and_titles_are_checked() {
        let e = errors("role = \"cx\"\nsignal = \"mandate\"\n");
        assert!(e[0].contains("either `role`"), "{e:?}");
        let e = errors(
            "signal = \"breadth\"\n[[rule]]\nid = \"b\"\nweight = 1\nkeywords = [\"nps\"]\n",
        );
        assert!(e[0].contains("needs `discipline"), "{e:?}");
        let e = errors(
            "signal = \"breadth\"\n[[rule]]\nid = \"b\"\ndiscipline = \"vibes\"\nweight = 1\nkeywords = [\"nps\"]\n",
        );
        assert!(e[0].contains("unknown discipline \"vibes\""), "{e:?}");
        let e = errors("role = \"cx\"\n[[rule]]\nid = \"b\"\nweight = -1\nkeywords = [\"nps\"]\n");
        assert!(e[0].contains("above 0"), "{e:?}");
        let e = errors(
            "role = \"cx\"\n[titles]\narea = \"CX\"\nforms = { boss = \"Big Boss\" }\n[[rule]]\nid = \"b\"\nweight = 1\nkeywords = [\"nps\"]\n",
        );
        assert!(e[0].contains("unknown level \"boss\""), "{e:?}");
        // An honest title's area may come from a rule of the role only.
        let e = errors(
            "role = \"cx\"\n[titles]\narea = \"CX\"\nby_rule = { \"cx.nope\" = \"Nope\" }\n[[rule]]\nid = \"b\"\nweight = 1\nkeywords = [\"nps\"]\n",
        );
        assert!(e[0].contains("by_rule: no cx rule `cx.nope`"), "{e:?}");
        // Only a title makes a claim, so only a title rule may give up its prior.
        let e = errors(
            "role = \"cx\"\n[[rule]]\nid = \"b\"\nweight = 1\nprior = false\nkeywords = [\"nps\"]\n",
        );
        assert!(
            e[0].starts_with("t.toml:5:9: error: rule `b`: `prior` is for title rules"),
            "{e:?}"
        );
        let (set, diags) = check(&[src(
            "role = \"cx\"\n[[rule]]\nid = \"b\"\nlabel = \"b\"\nweight = 1\nscope = \"title\"\nprior = false\nkeywords = [\"nps\"]\n",
        )]);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(!set.unwrap().rules[0].prior);
        // A mandate rule may count against the mandate.
        let (set, diags) = check(&[src(
            "signal = \"mandate\"\n[[rule]]\nid = \"m\"\nlabel = \"no budget\"\nweight = -2\nphrases = [\"no budget\"]\n",
        )]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(set.unwrap().rules[0].counts, Counts::Mandate);
    }

    #[test]
    fn layout_lists_are_checked_with_their_place() {
        let cases: &[(&str, &str)] = &[
            (
                "[[heading]]\nsection = \"title\"\nphrases = [\"x\"]\n",
                "t.toml:2:11: error: unknown section \"title\" for a heading",
            ),
            (
                "[[heading]]\nsection = \"duties\"\nphrases = []\n",
                "t.toml:2:11: error: [[heading]] needs at least one of `phrases`",
            ),
            (
                "[[heading]]\nsection = \"duties\"\nphrases = [\"role\", \" - \"]\n",
                "t.toml:3:20: error: [[heading]] phrases: \" - \" has no letter or digit",
            ),
            (
                "[boilerplate]\nlines = [\"dbs check\", \"DBS  check\"]\n",
                "t.toml:2:23: error: [boilerplate] lines: \"DBS  check\" is listed twice (first at t.toml:2:10)",
            ),
            (
                "[title_line]\nlabels = [\"job title:\"]\n",
                "t.toml:2:11: error: [title_line] labels: write \"job title:\" without its colon",
            ),
            (
                "[seniority]\nmodifiers = [\"vice president\"]\n",
                "t.toml:2:14: error: [seniority] modifiers: \"vice president\" must be one word",
            ),
            (
                "[language]\nenglish = [\"the\", \"of the\"]\n",
                "t.toml:2:19: error: [language] english: \"of the\" must be one word of two letters or more",
            ),
            (
                "[language]\nenglish = [\"the\", \"The\"]\n",
                "t.toml:2:19: error: [language] english: \"The\" is listed twice (first at t.toml:2:12)",
            ),
            (
                "[company_lines]\nphrases = [\"we are a\", \"We are  a\"]\n",
                "t.toml:2:24: error: [company_lines] phrases: \"We are  a\" is listed twice (first at t.toml:2:12)",
            ),
            (
                "[negation]\nwords = [\"not\", \"no way\"]\nnot_before = []\nwindow = 4\n",
                "t.toml:2:17: error: [negation] words: \"no way\" must be one word of letters (16 bytes at most), or n't",
            ),
            (
                "[negation]\nwords = [\"not\"]\nnot_before = [\"n't\"]\nwindow = 4\n",
                "t.toml:3:15: error: [negation] not_before: \"n't\" must be one word of letters (16 bytes at most)",
            ),
            (
                "[negation]\nwords = [\"not\"]\nnot_before = []\ncarry = [\"or else\"]\nwindow = 4\n",
                "t.toml:4:10: error: [negation] carry: \"or else\" must be one word of letters (16 bytes at most)",
            ),
            (
                "[negation]\nwords = [\"not\", \"Not\"]\nnot_before = []\nwindow = 4\n",
                "t.toml:2:17: error: [negation] words: \"Not\" is listed twice (first at t.toml:2:10)",
            ),
            (
                "[negation]\nwords = [\"not\"]\nnot_before = []\nwindow = 0\n",
                "t.toml:4:10: error: [negation] window = 0 is not in 1..=10",
            ),
            (
                "[[head]]\nkind = \"specialist\"\nwords = [\"engineer\"]\nwhen = [\"--\"]\n",
                "t.toml:4:9: error: a `when` word needs at least one letter or digit",
            ),
        ];
        for (text, want) in cases {
            let e = errors(text);
            assert!(e.iter().any(|m| m.starts_with(want)), "{text}\n{e:?}");
        }
    }

    #[test]
    fn a_rule_set_without_a_layout_file_reads_by_the_embedded_one() {
        let defaults = RuleSet::defaults().unwrap();
        let (set, d) = check(&[src(
            "role = \"cx\"\n[[rule]]\nid = \"a\"\nlabel = \"a\"\nweight = 1\nkeywords = [\"x\"]\n",
        )]);
        assert!(d.is_empty(), "{d:?}");
        let set = set.unwrap();
        assert_eq!(set.layout.headings(), defaults.layout.headings());
        assert_eq!(set.layout.boilerplate(), defaults.layout.boilerplate());
        assert_eq!(set.layout.title_labels(), defaults.layout.title_labels());
        assert_eq!(
            set.layout.contact_labels(),
            defaults.layout.contact_labels()
        );
        assert_eq!(set.title_model.modifiers, defaults.title_model.modifiers);
    }

    #[test]
    fn a_later_layout_list_replaces_the_same_list_only() {
        let defaults = RuleSet::defaults().unwrap();
        let mut sources = RuleSource::defaults();
        sources.push(src(
            "[boilerplate]\nlines = [\"No  agencies\"]\n[title_line]\nlabels = [\" Stelle \"]\n",
        ));
        let (set, d) = check(&sources);
        assert!(d.is_empty(), "{d:?}");
        let set = set.unwrap();
        assert_eq!(set.layout.boilerplate(), ["no agencies"]);
        assert_eq!(set.layout.title_labels(), ["Stelle"]);
        assert_eq!(set.layout.headings(), defaults.layout.headings());
        assert_eq!(
            set.layout.contact_labels(),
            defaults.layout.contact_labels()
        );
        assert_ne!(
            set.fingerprint, defaults.fingerprint,
            "the layout is in the fingerprint"
        );
    }

    #[test]
    fn an_empty_rule_set_is_an_error() {
        let e = errors("# nothing\n");
        assert!(e[0].contains("rule set is empty"), "{e:?}");
    }
}
