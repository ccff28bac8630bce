//! The reporting line of the advertised role: "reports to the COO" places the role under
//! an executive, "reporting to the Head of Marketing" under one function.
//!
//! Which titles sit at which level is data (`[reporting]` in `rules/title.toml`); this
//! module finds the line and reads its target. How much each level adds to the mandate
//! is `classify`'s policy.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::title::title_words;

/// Where the person a role reports to sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportLevel {
    /// The customer experience function's own executive (a Chief Customer Officer).
    CxExecutive,
    /// The top: chief executive, managing director, board, executive committee.
    Top,
    /// Another executive (a COO, a CMO).
    Executive,
    /// The head of one function (a director or head of marketing, operations, service).
    Function,
    /// A manager.
    Manager,
}

impl ReportLevel {
    /// Every level, in the order a tie between two equally long names is settled.
    pub const ALL: [ReportLevel; 5] = [
        ReportLevel::CxExecutive,
        ReportLevel::Top,
        ReportLevel::Executive,
        ReportLevel::Function,
        ReportLevel::Manager,
    ];

    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportLevel::CxExecutive => "cx-executive",
            ReportLevel::Top => "top",
            ReportLevel::Executive => "executive",
            ReportLevel::Function => "function",
            ReportLevel::Manager => "manager",
        }
    }

    /// In plain words, for tables and advice.
    pub fn describe(self) -> &'static str {
        match self {
            ReportLevel::CxExecutive => "the customer experience executive",
            ReportLevel::Top => "the top of the organisation",
            ReportLevel::Executive => "an executive",
            ReportLevel::Function => "the head of one function",
            ReportLevel::Manager => "a manager",
        }
    }
}

/// The titles at each level, as words (see [`title_words`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportingLevels {
    /// Per level, its titles.
    pub levels: Vec<(ReportLevel, Vec<Vec<String>>)>,
}

/// A reporting line found in an ad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingLine {
    /// Who the role reports to, as written ("our COO").
    pub target: String,
    /// Where they sit.
    pub level: ReportLevel,
    /// Byte range of the whole phrase in the ad's text.
    #[serde(skip)]
    pub span: Range<usize>,
}

/// "reports to", "reporting directly to", "Reports to:" and what follows, up to the end
/// of the clause.
static REPORTS_TO: LazyLock<regex_automata::meta::Regex> = LazyLock::new(|| {
    regex_automata::meta::Regex::new(
        r"(?i)\breport(?:s|ing)?[ \t]+(?:directly[ \t]+|straight[ \t]+)?(?:in)?to\b[ \t]*:?[ \t]*(?:(?:the|our|a|an|their|your)\s+)?([^\s.;()][^.;()]+)",
    )
    .expect("the reporting-line pattern compiles")
});

/// Other ways of saying who a role reports to: "under the leadership of the Chief
/// Librarian", "accountable to the Board", "line managed by the Head of Service".
static OTHER_LINES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:under[ \t]+the[ \t]+(?:leadership|direction|supervision)[ \t]+of|accountable[ \t]+to|line[ \t]+managed[ \t]+by)\b[ \t]*:?[ \t]*(?:(?:the|our|a|an|their|your)\s+)?([^\s.;()][^.;()]+)",
    )
    .expect("the other reporting-line pattern compiles")
});

/// Words every [`OTHER_LINES`] match holds, without their first letter (whose case
/// varies), searched for all at once (with SIMD where the CPU has it): far faster than
/// the pattern, which runs only near where one stands (most ads have none).
static OTHER_ANCHORS: LazyLock<Literals> = LazyLock::new(|| {
    Literals::new(&[
        "eadership of",
        "irection of",
        "upervision of",
        "ccountable to",
        "anaged by",
    ])
});

/// The words a "reports to" line starts with. The matcher finds them in its pass over
/// the ad ([`crate::matcher::Scratch::report`]), in any ASCII case: "report" has no letter
/// that Unicode folds from outside ASCII.
pub const REPORT_WORDS: [&str; 3] = ["report", "reports", "reporting"];

/// A search for a few literals ([`OTHER_ANCHORS`]): all at once with SIMD (Teddy) where
/// the CPU has it, else an automaton.
enum Literals {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl Literals {
    fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Literals {
        match aho_corasick::packed::Config::new()
            .builder()
            .extend(patterns)
            .build()
        {
            Some(packed) => Literals::Packed(packed),
            None => Literals::Automaton(
                aho_corasick::AhoCorasick::new(patterns).expect("a few short literals build"),
            ),
        }
    }

    /// Where the literals start and end, left to right.
    fn find_iter<'a>(&'a self, text: &'a str) -> Box<dyn Iterator<Item = Range<usize>> + 'a> {
        match self {
            Literals::Packed(p) => Box::new(p.find_iter(text).map(|m| m.range())),
            Literals::Automaton(a) => Box::new(a.find_iter(text).map(|m| m.range())),
        }
    }
}

/// Whether the text after "report" can continue a reporting line: an optional "s" or
/// "ing", spaces or tabs, then "to", "into", "directly" or "straight" (ASCII case folded).
fn may_report(after: &[u8]) -> bool {
    let starts = |s: &[u8], p: &[u8]| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    let rest = if starts(after, b"ing") {
        &after[3..]
    } else if starts(after, b"s") {
        &after[1..]
    } else {
        after
    };
    let spaces = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let next = &rest[spaces..];
    spaces > 0
        && [&b"to"[..], b"into", b"directly", b"straight"]
            .iter()
            .any(|w| starts(next, w))
}

/// What ends the target of a reporting line ("the COO and works with..."), matched on the
/// target with its white space collapsed: how the text is wrapped or spaced never changes
/// the target.
const TARGET_ENDS: [&str; 13] = [
    ",", " and ", " who ", " with ", " on ", " in ", " while ", " as ", " for ", " - ", " * ",
    " #", ":",
];

/// Bytes after one of [`OTHER_ANCHORS`] in which its reporting line and target are read.
const OTHER_WINDOW: usize = 160;

/// Characters after "reports to" read at most for the target.
const TARGET_CHARS: usize = 80;

/// Words of a target kept at most: a title is short.
const TARGET_WORDS: usize = 6;

impl ReportingLevels {
    /// The level of `target`: the longest title of any level found in it; a tie goes to
    /// the level listed first in [`ReportLevel::ALL`].
    pub fn level_of(&self, target: &str) -> Option<ReportLevel> {
        let words: Vec<String> = title_words(target).into_iter().map(|(w, _)| w).collect();
        let mut best: Option<(usize, usize, ReportLevel)> = None; // (length, rank, level)
        for (level, names) in &self.levels {
            let rank = ReportLevel::ALL
                .iter()
                .position(|l| l == level)
                .unwrap_or(0);
            for name in names {
                let found =
                    name.len() <= words.len() && words.windows(name.len()).any(|w| w == &name[..]);
                let better = match best {
                    None => true,
                    Some((len, r, _)) => name.len() > len || (name.len() == len && rank < r),
                };
                if found && better {
                    best = Some((name.len(), rank, *level));
                }
            }
        }
        best.map(|(_, _, level)| level)
    }

    /// The first reporting line in `text` whose target names a known level. `report`
    /// holds where [`REPORT_WORDS`] stand in it, increasing.
    pub fn find(&self, text: &str, report: &[usize]) -> Option<ReportingLine> {
        if self.levels.is_empty() {
            return None;
        }
        // A reporting line can start only where "report" is followed by a space and
        // "to", "into", "directly" or "straight": the pattern runs anchored at each such
        // place (with the text before it in view, for its word boundary), so a place
        // where it fails costs only the few bytes it reads.
        let mut from = 0;
        let mut caps = None;
        report
            .iter()
            .find_map(|&at| {
                // Every word of them starts with the first, "report".
                let after = text.as_bytes().get(at + REPORT_WORDS[0].len()..)?;
                if at < from || !may_report(after) {
                    return None;
                }
                let caps = caps.get_or_insert_with(|| REPORTS_TO.create_captures());
                let input = regex_automata::Input::new(text)
                    .range(at..)
                    .anchored(regex_automata::Anchored::Yes);
                REPORTS_TO.search_captures(&input, caps);
                let (end, line) =
                    self.line_of(text, caps.get_match()?.range(), caps.get_group(1)?.range())?;
                from = end;
                line
            })
            .or_else(|| {
                // Rarer ways to say it, tried only when no "report" line is found, and only
                // near the places where one of their words stands (most ads have none).
                OTHER_ANCHORS.find_iter(text).find_map(|m| {
                    let pos = m.start;
                    // From two words before it ("under the" comes before "leadership of") to
                    // as far as a target is read.
                    let start = text[..pos]
                        .trim_end_matches(|c: char| !c.is_whitespace())
                        .trim_end()
                        .trim_end_matches(|c: char| !c.is_whitespace())
                        .trim_end()
                        .trim_end_matches(|c: char| !c.is_whitespace())
                        .len();
                    let mut end = (pos + OTHER_WINDOW).min(text.len());
                    while !text.is_char_boundary(end) {
                        end -= 1;
                    }
                    let c = OTHER_LINES.captures(&text[start..end])?;
                    let at = |m: regex::Match<'_>| m.start() + start..m.end() + start;
                    self.line_of(text, at(c.get(0)?), at(c.get(1)?))?.1
                })
            })
    }

    /// The reporting line a match of [`REPORTS_TO`] or [`OTHER_LINES`] in `text` holds
    /// (`whole`, with its target group at `target`), when its target names a known level,
    /// and where the text read for its target ends.
    fn line_of(
        &self,
        text: &str,
        whole: Range<usize>,
        target: Range<usize>,
    ) -> Option<(usize, Option<ReportingLine>)> {
        let raw = &text[target.clone()];
        // At most 80 characters of it: the pattern leaves the count out, which would
        // make its automaton many times larger.
        let raw = raw
            .char_indices()
            .nth(TARGET_CHARS)
            .map_or(raw, |(i, _)| &raw[..i]);
        let whole_end = target.start + raw.len();
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let lower = collapsed.to_ascii_lowercase();
        let end = TARGET_ENDS
            .iter()
            .filter_map(|e| lower.find(e))
            .min()
            .unwrap_or(lower.len());
        let target = collapsed[..end]
            .split(' ')
            .take(TARGET_WORDS)
            .collect::<Vec<_>>()
            .join(" ");
        let line = self.level_of(&target).map(|level| ReportingLine {
            target,
            level,
            span: whole.start..whole_end,
        });
        Some((whole_end, line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels() -> ReportingLevels {
        let w = |names: &[&str]| -> Vec<Vec<String>> {
            names
                .iter()
                .map(|n| title_words(n).into_iter().map(|(w, _)| w).collect())
                .collect()
        };
        ReportingLevels {
            levels: vec![
                (
                    ReportLevel::CxExecutive,
                    w(&["chief customer officer", "cco"]),
                ),
                (
                    ReportLevel::Top,
                    w(&[
                        "ceo",
                        "chief executive",
                        "managing director",
                        "board",
                        "commissioner",
                    ]),
                ),
                (
                    ReportLevel::Executive,
                    w(&["chief", "coo", "cmo", "assistant commissioner"]),
                ),
                (ReportLevel::Function, w(&["director", "head", "vp"])),
                (ReportLevel::Manager, w(&["manager", "lead"])),
            ],
        }
    }

    #[test]
    fn reporting_lines_are_read_and_placed() {
        let cases: &[(&str, Option<(&str, ReportLevel)>)] = &[
            (
                "You will report directly to the CEO.",
                Some(("CEO", ReportLevel::Top)),
            ),
            (
                "Reporting to our COO and working with finance",
                Some(("COO", ReportLevel::Executive)),
            ),
            (
                "reports to the Chief Customer Officer",
                Some(("Chief Customer Officer", ReportLevel::CxExecutive)),
            ),
            (
                "REPORTS TO: Quality Engineering Manager\n",
                Some(("Quality Engineering Manager", ReportLevel::Manager)),
            ),
            (
                "reporting into the Head of Marketing, you will",
                Some(("Head of Marketing", ReportLevel::Function)),
            ),
            (
                "Reporting to the Head\nof Marketing, you will",
                Some(("Head of Marketing", ReportLevel::Function)),
            ),
            (
                "reports to the Managing Director",
                Some(("Managing Director", ReportLevel::Top)),
            ),
            (
                "reports directly to the Assistant Commissioner",
                Some(("Assistant Commissioner", ReportLevel::Executive)),
            ),
            (
                "Under the leadership of the Chief Executive, you will",
                Some(("Chief Executive", ReportLevel::Top)),
            ),
            (
                "You are accountable to the Board for the plan.",
                Some(("Board", ReportLevel::Top)),
            ),
            (
                "Line managed by the Head of Marketing",
                Some(("Head of Marketing", ReportLevel::Function)),
            ),
            // Accountable to someone of no known level is no reporting line.
            ("Accountable to patients and families.", None),
            ("Customers report to us that they love it.", None),
            (
                "REPORTING DIRECTLY TO THE CEO",
                Some(("CEO", ReportLevel::Top)),
            ),
            // Inside a word run together with the one before, it starts no line.
            ("The teamReports to the CEO.", None),
            ("Send us a report", None),
            // The first line with a known level counts, past a word that only holds
            // "report" and a line to nobody known.
            (
                "Never misreport to anyone. Reports to a peer; reports to the CEO.",
                Some(("CEO", ReportLevel::Top)),
            ),
            ("No reporting line here.", None),
        ];
        let levels = levels();
        // Where the words stand, as the matcher finds them for the classifier.
        let rules = crate::rules::RuleSet::defaults().expect("the embedded rules load");
        let matcher = crate::matcher::Matcher::new(&rules, 40);
        let mut scratch = crate::matcher::Scratch::default();
        for (text, want) in cases {
            matcher.find(text, &mut scratch);
            let got = levels
                .find(text, &scratch.report)
                .map(|l| (l.target, l.level));
            let want = want.map(|(t, l)| (t.to_string(), l));
            assert_eq!(got, want, "{text}");
        }
    }
}
