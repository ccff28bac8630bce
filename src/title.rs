//! Naming a role honestly: the seniority of a title, and a title for another role at the
//! same seniority ("Head of Customer Experience" describing a service job becomes "Head of
//! Customer Service").
//!
//! The levels (chief, VP, director, head, manager, lead) are structural and live here;
//! the qualifiers kept in front of a level ("Senior", "Deputy") are data (`[seniority]` in
//! `rules/layout.toml`), and what each role is called lives in the role's rule file
//! (`[titles]`, see `rules/README.md`).

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use serde::Serialize;

/// The seniority of a title, as far as naming goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// "Chief ... Officer", "CXO".
    Chief,
    /// "VP", "Vice President".
    Vp,
    /// "Director".
    Director,
    /// "Head of".
    Head,
    /// "Manager".
    Manager,
    /// "Lead".
    Lead,
    /// A named job below management ("Advisor", "Team Leader"), kept as written.
    Staff(String),
    /// No seniority word.
    None,
}

impl Level {
    /// The key of this level in a `[titles] forms` table.
    pub fn key(&self) -> &'static str {
        match self {
            Level::Chief => "chief",
            Level::Vp => "vp",
            Level::Director => "director",
            Level::Head => "head",
            Level::Manager => "manager",
            Level::Lead => "lead",
            Level::Staff(_) => "staff",
            Level::None => "none",
        }
    }

    /// Every key a `forms` table may use.
    pub const KEYS: [&'static str; 8] = [
        "chief", "vp", "director", "head", "manager", "lead", "staff", "none",
    ];
}

/// A title's seniority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seniority {
    /// The level.
    pub level: Level,
    /// Where the word that gives the level is, among the title's words ([`title_words`]).
    pub at: Option<usize>,
}

fn words(title: &str) -> Vec<String> {
    title_words(title).into_iter().map(|(w, _)| w).collect()
}

fn capitalise(word: &str) -> String {
    word.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the seniority of `title`, whose head noun is `head` (a job below management
/// keeps its noun: "Customer Service Agent").
pub fn seniority(title: &str, head: Option<&Head>) -> Seniority {
    let w = words(title);
    let has = |x: &str| w.iter().position(|t| t == x);
    let pair = |a: &str, b: &str| w.windows(2).position(|p| p[0] == a && p[1] == b);
    let (level, at) = if has("chief").is_some() && has("officer").is_some() {
        (Level::Chief, has("chief"))
    } else if let Some(i) = ["cxo", "cco", "cmo", "coo"].iter().find_map(|x| has(x)) {
        (Level::Chief, Some(i))
    } else if let Some(i) = pair("vice", "president") {
        (Level::Vp, Some(i))
    } else if let Some(i) = ["vp", "svp", "evp"].iter().find_map(|x| has(x)) {
        (Level::Vp, Some(i))
    } else if let Some(i) = has("director") {
        (Level::Director, Some(i))
    } else if let Some(i) = has("head") {
        (Level::Head, Some(i))
    } else if let Some(i) = has("manager") {
        (Level::Manager, Some(i))
    } else if let Some(i) = has("lead") {
        (Level::Lead, Some(i))
    } else if let Some(head) = head {
        let at = w.iter().position(|t| t == head.first_word());
        (Level::Staff(capitalise(&head.noun)), at)
    } else {
        (Level::None, None)
    };
    Seniority { level, at }
}

/// What a role is called in titles: from a rule file's `[titles]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Titles {
    /// The role's name in a title ("Customer Service").
    pub area: String,
    /// Whole titles for some levels; `{area}` is replaced.
    pub forms: BTreeMap<String, String>,
    /// Lower-case title words that change the area ("patient" -> "Patient Services").
    pub by_word: BTreeMap<String, String>,
    /// Rule ids that, holding most of the ad's evidence for the role, change the area
    /// ("service.complaints" -> "Complaints"); before `by_word`.
    pub by_rule: BTreeMap<String, String>,
}

impl Titles {
    /// The area `by_rule` names for the rules that together hold at least `min` of an
    /// ad's evidence, from `(rule id, score)` pairs: several rules may name one area
    /// (lead generation and new-business sales are both "Sales"). The strongest area
    /// wins; `None` when no area holds `min`.
    pub fn main_area<'a>(
        &self,
        evidence: impl Iterator<Item = (&'a str, f64)>,
        min: f64,
    ) -> Option<&str> {
        let mut sums: Vec<(&str, f64)> = Vec::new();
        for (rule, score) in evidence {
            if let Some(area) = self.by_rule.get(rule) {
                match sums.iter_mut().find(|(a, _)| *a == area.as_str()) {
                    Some((_, sum)) => *sum += score,
                    None => sums.push((area, score)),
                }
            }
        }
        sums.into_iter()
            .filter(|&(_, sum)| sum >= min)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(area, _)| area)
    }

    /// The title that names this role at the seniority of `original`, keeping its head
    /// noun's level and kind (an agent stays an agent) and the qualifiers `model` knows
    /// ("Senior"). `main_area` is the area `by_rule` names for most of the ad's evidence
    /// ([`Titles::main_area`]), if it names one ("Complaints Officer"). `None` when the
    /// title has no head noun to build on, or names a job outside the four roles: no
    /// title beats a wrong one.
    pub fn suggest(
        &self,
        original: &str,
        head: Option<&Head>,
        model: &TitleModel,
        main_area: Option<&str>,
    ) -> Option<String> {
        let head = head.filter(|h| h.kind != HeadKind::Other)?;
        let s = seniority(original, Some(head));
        let modifiers = model.modifiers_of(original, &s);
        let w = words(original);
        let area = main_area
            .or_else(|| {
                self.by_word
                    .iter()
                    .find(|(word, _)| w.iter().any(|t| t == *word))
                    .map(|(_, area)| area.as_str())
            })
            .unwrap_or(self.area.as_str());
        let base = match self.forms.get(s.level.key()) {
            _ if s.level == Level::None => return None,
            Some(form) => form.replace("{area}", area),
            None => match &s.level {
                Level::Chief => format!("Chief {area} Officer"),
                Level::Vp => format!("VP of {area}"),
                Level::Director => format!("Director of {area}"),
                Level::Head => format!("Head of {area}"),
                Level::Manager | Level::None => format!("{area} Manager"),
                Level::Lead => format!("{area} Lead"),
                Level::Staff(job) => join_overlapping(area, job),
            },
        };
        Some(if modifiers.is_empty() || s.level == Level::Chief {
            base
        } else {
            format!("{} {base}", modifiers.join(" "))
        })
    }
}

/// `area` then `job`, said once where the area ends with the word the job starts with:
/// "Help Content" and "Content Writer" make "Help Content Writer".
fn join_overlapping(area: &str, job: &str) -> String {
    let last = area.rsplit(' ').next().unwrap_or_default();
    match job.split_once(' ') {
        Some((first, rest)) if first.eq_ignore_ascii_case(last) => format!("{area} {rest}"),
        _ => format!("{area} {job}"),
    }
}

/// What kind of job a title's head noun names (`rules/title.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeadKind {
    /// A level of management: the area the title names is the job ("Head of CX").
    Leader,
    /// A specialist job within the area ("CX Analyst").
    Specialist,
    /// Front-line work, whatever the words before it ("Customer Experience Agent").
    FrontLine,
    /// A job outside the four roles ("Engineer, Customer Experience").
    Other,
}

impl HeadKind {
    /// Every kind, as written in `[[head]]` tables.
    pub const ALL: [HeadKind; 4] = [
        HeadKind::Leader,
        HeadKind::Specialist,
        HeadKind::FrontLine,
        HeadKind::Other,
    ];

    /// The name used in rule files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            HeadKind::Leader => "leader",
            HeadKind::Specialist => "specialist",
            HeadKind::FrontLine => "front-line",
            HeadKind::Other => "other",
        }
    }

    /// Parses a name as written in rule files.
    pub fn parse(s: &str) -> Option<HeadKind> {
        HeadKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The head nouns of one `[[head]]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadNouns {
    /// The kind of job they name.
    pub kind: HeadKind,
    /// Why, for explanations.
    pub why: String,
    /// Each noun as its words (see [`title_words`]).
    pub nouns: Vec<Vec<String>>,
    /// When not empty, the nouns count only in a title that holds one of these phrases
    /// (as words) anywhere: an engineer is a sales engineer in a "pre-sales" title.
    pub when: Vec<Vec<String>>,
}

impl HeadNouns {
    /// Whether the table's nouns count in a title of these words.
    fn applies(&self, title: &[(String, std::ops::Range<usize>)]) -> bool {
        self.when.is_empty()
            || self.when.iter().any(|p| {
                title
                    .windows(p.len())
                    .any(|w| w.iter().map(|(w, _)| w).eq(p.iter()))
            })
    }
}

/// The title model: head nouns by kind, searched from the last table loaded, and the
/// qualifiers of a level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TitleModel {
    /// In load order.
    pub heads: Vec<HeadNouns>,
    /// Words that qualify a level and are kept ("Associate Director", "Senior Manager"),
    /// each one title word (`[seniority] modifiers` in `rules/layout.toml`).
    pub modifiers: Vec<String>,
    /// The nouns of `heads` by their last word, built on first use (once `heads` is
    /// complete, after loading): `(table, noun)` indices, the last table first.
    by_last_word: NounIndex,
}

/// A cache of [`TitleModel::heads`]: no part of the model's value. A clone starts empty
/// (and is rebuilt from the clone's own nouns), and two models compare equal whatever their
/// caches hold.
#[derive(Debug, Default)]
struct NounIndex(std::sync::OnceLock<FxHashMap<String, Vec<(usize, usize)>>>);

impl Clone for NounIndex {
    fn clone(&self) -> NounIndex {
        NounIndex::default()
    }
}

impl PartialEq for NounIndex {
    fn eq(&self, _: &NounIndex) -> bool {
        true
    }
}

impl Eq for NounIndex {}

/// The head noun of a title: what kind of job it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Head {
    /// The kind of job.
    pub kind: HeadKind,
    /// The noun in lower case, single-spaced ("product manager").
    pub noun: String,
    /// The rest of the title after a separator, when the head is before it: the team the
    /// job serves ("Customer Experience" in "Engineer, Customer Experience").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Why this kind of noun says what it says.
    #[serde(skip)]
    pub why: String,
}

impl Head {
    fn first_word(&self) -> &str {
        self.noun.split(' ').next().unwrap_or_default()
    }
}

/// The words of a title, lower case, with their byte ranges: letters and digits; any
/// other character separates words ("Agent-Inbound" is two words). The one definition
/// of a title word, used for the title and for the model's nouns alike.
pub fn title_words(title: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in title.char_indices().chain([(title.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((title[s..i].to_lowercase(), s..i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// What ends a title's job part and begins a team, a place or a person ([`segments`]).
const SEGMENT_MARKS: [&str; 10] = [
    ", ",
    " - ",
    " \u{2013} ",
    " \u{2014} ",
    " | ",
    " (",
    " to ",
    " for ",
    " at ",
    ": ",
];

/// Where a title's job part ends and a team, a place or a person begins: ", Customer
/// Experience", " - Customer Service", " (Remote)", " to the Head of Quality".
fn segments(title: &str) -> Vec<std::ops::Range<usize>> {
    let lower = title.to_lowercase();
    // Lower-casing keeps byte offsets for the ASCII marks only when the lengths agree.
    let hay = if lower.len() == title.len() {
        lower.as_str()
    } else {
        title
    };
    let mut out = Vec::new();
    let mut from = 0;
    for (at, to) in mark_places(hay) {
        if at >= from {
            out.push(from..at);
            from = to;
        }
    }
    out.push(from..title.len());
    out
}

/// Where the [`SEGMENT_MARKS`] stand in `hay`, `(start, end)` in order: each mark's
/// matches as `match_indices` finds them (left to right, not overlapping each other), in
/// one pass over the bytes that can start a mark.
fn mark_places(hay: &str) -> Vec<(usize, usize)> {
    let bytes = hay.as_bytes();
    let mut next = [0usize; SEGMENT_MARKS.len()];
    let mut places = Vec::new();
    for i in memchr::memchr3_iter(b',', b' ', b':', bytes) {
        for (m, after) in SEGMENT_MARKS.iter().zip(&mut next) {
            if i >= *after && bytes[i..].starts_with(m.as_bytes()) {
                places.push((i, i + m.len()));
                *after = i + m.len();
            }
        }
    }
    places
}

impl TitleModel {
    /// The qualifiers of `title`'s level `s`, capitalised, in title order ("Senior",
    /// "Associate"): those that open the title and those right before the level's word. A
    /// chief has none kept.
    pub fn modifiers_of(&self, title: &str, s: &Seniority) -> Vec<String> {
        let mut modifiers: Vec<String> = Vec::new();
        if s.level == Level::Chief {
            return modifiers;
        }
        let w = words(title);
        let known = |t: &&String| self.modifiers.contains(*t);
        let lead = w.iter().take_while(known);
        let before = s.at.map_or(&[][..], |i| &w[..i]);
        let near = before.iter().rev().take_while(known).collect::<Vec<_>>();
        for m in lead.chain(near.into_iter().rev()) {
            let m = capitalise(m);
            // "Executive Assistant" is a job, not a qualified assistant.
            if !modifiers.contains(&m)
                && !matches!(&s.level, Level::Staff(j) if j.eq_ignore_ascii_case(&m))
            {
                modifiers.push(m);
            }
        }
        modifiers
    }

    /// Reads the head noun of `title`: in the first part (before a separator) that has
    /// one, the noun that ends last, the longest at that place.
    pub fn head(&self, title: &str) -> Option<Head> {
        let segments = segments(title);
        let all_words = title_words(title);
        let index = self.by_last_word.0.get_or_init(|| {
            let mut index: FxHashMap<String, Vec<(usize, usize)>> = FxHashMap::default();
            for (t, table) in self.heads.iter().enumerate().rev() {
                for (n, noun) in table.nouns.iter().enumerate() {
                    if let Some(last) = noun.last() {
                        index.entry(last.clone()).or_default().push((t, n));
                    }
                }
            }
            index
        });
        for (k, seg) in segments.iter().enumerate() {
            // A segment's words are the title's words inside it: segments are cut at
            // separators, which no word crosses.
            let from = all_words.partition_point(|(_, r)| r.start < seg.start);
            let to = all_words.partition_point(|(_, r)| r.end <= seg.end);
            let words = &all_words[from..to.max(from)];
            // (end word, length, kind) of the best match so far.
            let mut best: Option<(usize, usize, &HeadNouns, &[String])> = None;
            for end in 1..=words.len() {
                let Some(candidates) = index.get(&words[end - 1].0) else {
                    continue;
                };
                for &(t, n) in candidates {
                    let table = &self.heads[t];
                    let noun = &table.nouns[n];
                    let len = noun.len();
                    if len > end
                        || !words[end - len..end].iter().map(|(w, _)| w).eq(noun.iter())
                        || !table.applies(&all_words)
                    {
                        continue;
                    }
                    let better = match best {
                        None => true,
                        Some((e, l, _, _)) => end > e || (end == e && len > l),
                    };
                    if better {
                        best = Some((end, len, table, noun));
                    }
                }
            }
            if let Some((_, _, table, noun)) = best {
                let rest = segments[k + 1..]
                    .first()
                    .map(|r| {
                        title[r.start..]
                            .trim()
                            .trim_end_matches(')')
                            .trim()
                            .to_string()
                    })
                    .filter(|t| !t.is_empty());
                return Some(Head {
                    kind: table.kind,
                    noun: noun.join(" "),
                    team: rest,
                    why: table.why.clone(),
                });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use proptest::prelude::*;

    /// [`mark_places`] by definition: every mark's `match_indices`, sorted.
    fn mark_places_by_definition(hay: &str) -> Vec<(usize, usize)> {
        let mut places: Vec<(usize, usize)> = SEGMENT_MARKS
            .iter()
            .flat_map(|m| hay.match_indices(m).map(|(i, m)| (i, i + m.len())))
            .collect();
        places.sort_unstable();
        places
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Titles made of the marks and their pieces, repeated and overlapping ("a - - b",
        /// ": to to ").
        #[test]
        fn marks_are_found_where_each_matches(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    ", ", " - ", " \u{2013} ", " | ", " (", " to ", " for ", " at ", ": ",
                    " ", "-", ":", "to", "For", "AT", "\u{2014}", "CX", "İ", "x",
                ][..]),
                0..24,
            ),
        ) {
            let title = pieces.concat();
            prop_assert_eq!(mark_places(&title), mark_places_by_definition(&title), "{:?}", title);
        }
    }

    fn model() -> TitleModel {
        RuleSet::defaults().unwrap().title_model
    }

    fn service() -> Titles {
        Titles {
            area: "Customer Service".into(),
            forms: BTreeMap::from([("chief".into(), "Chief Customer Officer".into())]),
            by_word: BTreeMap::from([("patient".into(), "Patient Services".into())]),
            by_rule: BTreeMap::from([("service.complaints".into(), "Complaints".into())]),
        }
    }

    #[test]
    fn honest_titles_keep_the_level_and_the_noun() {
        let (t, m) = (service(), model());
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Head of Customer Experience",
                Some("Head of Customer Service"),
            ),
            (
                "Customer Experience Director (EMEA)",
                Some("Director of Customer Service"),
            ),
            ("VP, CX", Some("VP of Customer Service")),
            (
                "Senior Customer Experience Manager",
                Some("Senior Customer Service Manager"),
            ),
            (
                "Associate Director of Patient Experience - Band 8d",
                Some("Associate Director of Patient Services"),
            ),
            ("Chief Experience Officer", Some("Chief Customer Officer")),
            (
                "Customer Experience Team Leader",
                Some("Customer Service Team Leader"),
            ),
            (
                "Customer Experience Executive",
                Some("Customer Service Executive"),
            ),
            // An agent stays an agent, an expert an expert: the noun is kept.
            ("Customer Experience Agent", Some("Customer Service Agent")),
            (
                "Customer Experience Expert",
                Some("Customer Service Expert"),
            ),
            (
                "Inside Sales Professional",
                Some("Customer Service Professional"),
            ),
            (
                "Divisional Patient Experience Lead",
                Some("Divisional Patient Services Lead"),
            ),
            // Nothing to build on, or a job outside the four roles: no suggestion.
            ("Customer Experience", None),
            ("Engineer, Customer Experience", None),
        ];
        for (title, want) in cases {
            let head = m.head(title);
            assert_eq!(
                t.suggest(title, head.as_ref(), &m, None).as_deref(),
                *want,
                "{title} (head {head:?})"
            );
        }
    }

    #[test]
    fn the_work_that_holds_most_of_the_evidence_may_name_the_area() {
        let (mut t, m) = (service(), model());
        // Evidence as (rule, score); an area needs half of the whole.
        let suggest = |t: &Titles, title: &str, evidence: &[(&str, f64)]| {
            let whole: f64 = evidence.iter().map(|e| e.1).sum();
            let area = t.main_area(evidence.iter().copied(), 0.5 * whole);
            t.suggest(title, m.head(title).as_ref(), &m, area)
        };
        let title = "Patient Experience Officer";
        let complaints = [("service.complaints", 6.0), ("service.support-work", 4.0)];
        assert_eq!(
            suggest(&t, title, &complaints).as_deref(),
            Some("Complaints Officer")
        );
        // Under half, or no evidence, leaves the area to the title's words.
        let spread = [("service.complaints", 4.0), ("service.support-work", 6.0)];
        assert_eq!(
            suggest(&t, title, &spread).as_deref(),
            Some("Patient Services Officer")
        );
        assert_eq!(
            suggest(&t, title, &[]).as_deref(),
            Some("Patient Services Officer")
        );
        // Rules that name one area hold it together: 3 + 3 of 10.
        for rule in ["service.support-work", "service.technical-support"] {
            t.by_rule.insert(rule.into(), "Technical Support".into());
        }
        let support = [
            ("service.complaints", 4.0),
            ("service.support-work", 3.0),
            ("service.technical-support", 3.0),
        ];
        assert_eq!(
            t.main_area(support.iter().copied(), 5.0),
            Some("Technical Support")
        );
        // The area's last word and the noun's first are said once.
        t.by_rule
            .insert("service.support-content".into(), "Help Content".into());
        assert_eq!(
            suggest(
                &t,
                "Senior CX Content Writer",
                &[("service.support-content", 1.0)]
            )
            .as_deref(),
            Some("Senior Help Content Writer")
        );
    }

    #[test]
    fn the_head_noun_says_what_kind_of_job_a_title_is() {
        let m = model();
        let cases: &[(&str, Option<(&str, HeadKind)>)] = &[
            (
                "Head of Customer Experience",
                Some(("head", HeadKind::Leader)),
            ),
            (
                "Customer Experience Agent",
                Some(("agent", HeadKind::FrontLine)),
            ),
            (
                "Agent-Inbound Sales Position",
                Some(("agent", HeadKind::FrontLine)),
            ),
            (
                "Engineer, Customer Experience",
                Some(("engineer", HeadKind::Other)),
            ),
            (
                "Product Manager, Trust & Safety and Customer Experience",
                Some(("product manager", HeadKind::Other)),
            ),
            ("PA to the Head of Quality", Some(("pa", HeadKind::Other))),
            // A pre-sales or post-sales title, anywhere, makes an engineer a specialist.
            (
                "Pre-Sales Machine Learning Engineer",
                Some(("engineer", HeadKind::Specialist)),
            ),
            (
                "Network Systems Engineer (Pre-Sales)",
                Some(("engineer", HeadKind::Specialist)),
            ),
            (
                "Network Systems Engineer",
                Some(("engineer", HeadKind::Other)),
            ),
            (
                "Senior Support Engineer",
                Some(("support engineer", HeadKind::Specialist)),
            ),
            (
                "Manager, Customer Experience",
                Some(("manager", HeadKind::Leader)),
            ),
            // Planning supply and demand is operations, not one of the four roles.
            (
                "Senior Demand Planner",
                Some(("demand planner", HeadKind::Other)),
            ),
            ("Acme Retail Ltd", None),
        ];
        for (title, want) in cases {
            let got = m.head(title).map(|h| (h.noun, h.kind));
            let want = want.map(|(n, k)| (n.to_string(), k));
            assert_eq!(got, want, "{title}");
        }
        let team = m.head("Engineer, Customer Experience").unwrap().team;
        assert_eq!(team.as_deref(), Some("Customer Experience"));
    }

    #[test]
    fn levels_are_read_from_the_words() {
        assert_eq!(
            seniority("Vice President, Client Experience", None).level,
            Level::Vp
        );
        assert_eq!(seniority("Head of CX", None).level, Level::Head);
        let title = "Deputy Head of Patient Experience";
        let s = seniority(title, None);
        assert_eq!(model().modifiers_of(title, &s), vec!["Deputy"]);
        assert_eq!(seniority("Leadership coach", None).level, Level::None);
    }
}
