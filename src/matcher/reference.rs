//! The matcher as it was before the word trie: one Aho-Corasick automaton over the
//! normalised text. Kept only for tests, as the reference the word matcher must agree with.
//! Its hits are in normalised offsets.
//!
//! All keywords, phrases and exceptions of a rule set go into one Aho-Corasick automaton
//! that folds ASCII case itself, so the text is scanned once whatever the number of
//! patterns; word boundaries are checked only at the edges of candidate matches. Regex
//! rules run after it, and only in ads where one of their `requires` words was seen. This module
//! knows nothing of roles, sections or scores.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Hit;
use crate::rules::{RuleId, RuleSet};
use crate::text::{Normalized, is_word_byte, word_ends_at, word_starts_at};

/// What a literal does for its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A keyword or phrase: a hit.
    Hit,
    /// An exception: cancels nearby hits.
    Exception,
    /// A prefilter word: lets the rule's regex run.
    Requires,
    /// A boilerplate phrase for the layout ([`crate::document::LayoutWords::boilerplate`]).
    Boilerplate,
}

/// What one automaton pattern stands for: possibly several rules share a literal.
#[derive(Debug, Clone, Copy)]
struct Target {
    rule: usize,
    stem: bool,
    purpose: Purpose,
}

/// The compiled search for one rule set.
#[derive(Debug)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    targets: Vec<Vec<Target>>,
    /// Whether each pattern starts / ends with a word byte (boundary checks apply).
    edges: Vec<(bool, bool)>,
    /// Regex rules: rule index, regex, and whether it waits for a `requires` word.
    regexes: Vec<(usize, regex::Regex, bool)>,
    exception_window: usize,
}

/// Reusable buffers, so classifying many ads allocates nothing per ad once warm.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The normalised ad.
    pub normalized: Normalized,
    /// Hits found in it.
    pub hits: Vec<Hit>,
    exceptions: Vec<Hit>,
    /// Rules whose `requires` word was seen in this ad.
    required: Vec<usize>,
    /// Where boilerplate phrases start, in normalised offsets, increasing.
    pub boilerplate: Vec<usize>,
}

impl Matcher {
    /// Compiles the rules. `exception_window` is how many bytes around a
    /// hit an exception phrase may sit and still cancel it.
    pub fn new(rules: &RuleSet, exception_window: usize) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut regexes = Vec::new();
        for (i, rule) in rules.rules.iter().enumerate() {
            let lits = rule.literals.iter().map(|l| (l, Purpose::Hit));
            let excs = rule.exceptions.iter().map(|l| (l, Purpose::Exception));
            let reqs = rule.requires.iter().map(|l| (l, Purpose::Requires));
            for (lit, purpose) in lits.chain(excs).chain(reqs) {
                let id = *index.entry(lit.text.clone()).or_insert_with(|| {
                    patterns.push(lit.text.clone());
                    targets.push(Vec::new());
                    patterns.len() - 1
                });
                targets[id].push(Target {
                    rule: i,
                    stem: lit.stem,
                    purpose,
                });
            }
            if let Some(re) = &rule.regex {
                regexes.push((i, re.clone(), !rule.requires.is_empty()));
            }
        }
        // The layout's boilerplate phrases ride along, so the text is scanned once.
        for phrase in rules.layout.boilerplate() {
            let id = *index.entry(phrase.clone()).or_insert_with(|| {
                patterns.push(phrase.clone());
                targets.push(Vec::new());
                patterns.len() - 1
            });
            targets[id].push(Target {
                rule: usize::MAX,
                stem: true,
                purpose: Purpose::Boilerplate,
            });
        }
        let edges = patterns
            .iter()
            .map(|p| {
                let b = p.as_bytes();
                (is_word_byte(b[0]), is_word_byte(b[b.len() - 1]))
            })
            .collect();
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("patterns are short literals; the automaton cannot fail to build")
        });
        Matcher {
            automaton,
            targets,
            edges,
            regexes,
            exception_window,
        }
    }

    /// Fills `scratch.hits` with every hit in `scratch.normalized`, sorted by position,
    /// minus those cancelled by an exception of their own rule.
    pub fn find(&self, scratch: &mut Scratch) {
        let Scratch {
            normalized,
            hits,
            exceptions,
            required,
            boilerplate,
        } = scratch;
        hits.clear();
        exceptions.clear();
        required.clear();
        boilerplate.clear();
        let text = normalized.text.as_bytes();
        if let Some(ac) = &self.automaton {
            for m in ac.find_overlapping_iter(text) {
                let p = m.pattern().as_usize();
                let (first_is_word, last_is_word) = self.edges[p];
                if first_is_word && !word_starts_at(text, m.start()) {
                    continue;
                }
                let whole_word_end = !last_is_word || word_ends_at(text, m.end());
                for t in &self.targets[p] {
                    if !(t.stem || whole_word_end) {
                        continue;
                    }
                    let end = if t.stem {
                        word_end(text, m.end())
                    } else {
                        m.end()
                    };
                    let hit = Hit {
                        rule: RuleId(t.rule),
                        start: m.start(),
                        end,
                    };
                    match t.purpose {
                        Purpose::Hit => hits.push(hit),
                        Purpose::Exception => exceptions.push(hit),
                        Purpose::Requires => required.push(t.rule),
                        Purpose::Boilerplate => boilerplate.push(m.start()),
                    }
                }
            }
        }
        boilerplate.sort_unstable();
        for (rule, re, gated) in &self.regexes {
            if *gated && !required.contains(rule) {
                continue;
            }
            hits.extend(re.find_iter(&normalized.text).map(|m| Hit {
                rule: RuleId(*rule),
                start: m.start(),
                end: m.end(),
            }));
        }
        if !exceptions.is_empty() {
            let w = self.exception_window;
            hits.retain(|h| {
                !exceptions
                    .iter()
                    .any(|e| e.rule == h.rule && e.start <= h.end + w && h.start <= e.end + w)
            });
        }
        hits.sort_unstable_by_key(|h| (h.start, h.rule));
    }
}

/// The end of the word that continues at `pos` (for stems: "complain" -> "complaints").
fn word_end(text: &[u8], mut pos: usize) -> usize {
    while pos < text.len() && !word_ends_at(text, pos) {
        pos += 1;
    }
    pos
}
