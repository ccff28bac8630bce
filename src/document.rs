//! The shape of an ad: its title and its sections.
//!
//! Real ads wrap the duties in a company blurb, benefits and equal-opportunity text. This
//! module finds the title line and recognises section headings ("About us", "Benefits",
//! "Responsibilities", "About you"), so that scoring can weigh the duties above the
//! boilerplate. It reads structure only; it knows nothing of roles or rules. The words it
//! reads by (headings, boilerplate lines, title labels) are data: [`LayoutWords`], loaded
//! with the rules from `rules/layout.toml`.

use std::ops::Range;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashSet;

use serde::Serialize;

use crate::tokens::Tokens;

/// What part of an ad a stretch of text belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// The title line.
    Title,
    /// What the job is: the role, responsibilities, duties.
    Duties,
    /// Who is wanted: skills, experience, person specification.
    Requirements,
    /// Text under no recognised heading.
    Body,
    /// About the employer.
    Company,
    /// Pay, perks and what the employer offers.
    Benefits,
    /// Equal opportunity, how to apply, disclaimers.
    Boilerplate,
    /// A line that repeats an earlier line word for word (a scraped ad that holds its
    /// description twice): it says nothing new, so nothing in it counts.
    Repeated,
}

impl Section {
    /// The sections a heading may open, as named in `[[heading]]` tables.
    pub const HEADED: [Section; 6] = [
        Section::Duties,
        Section::Requirements,
        Section::Company,
        Section::Benefits,
        Section::Boilerplate,
        Section::Body,
    ];

    /// The name used in layout files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Title => "title",
            Section::Duties => "duties",
            Section::Requirements => "requirements",
            Section::Body => "body",
            Section::Company => "company",
            Section::Benefits => "benefits",
            Section::Boilerplate => "boilerplate",
            Section::Repeated => "repeated",
        }
    }

    /// Parses the name of a section a heading may open ([`Section::HEADED`]).
    pub fn parse_headed(s: &str) -> Option<Section> {
        Section::HEADED.into_iter().find(|x| x.as_str() == s)
    }
}

/// The words an ad's layout is read by (`rules/layout.toml`), compiled once per rule set:
/// section headings, lines that are boilerplate wherever they stand, and the labels of a
/// title line.
#[derive(Debug, Clone)]
pub struct LayoutWords {
    /// Heading phrases per section, in the order they are checked.
    headings: Vec<(Section, Vec<String>)>,
    /// One automaton for all heading phrases, ASCII case folded.
    heading_automaton: AhoCorasick,
    /// For each pattern of the automaton, its table in `headings`.
    heading_table: Vec<usize>,
    /// Phrases that mark a single line as boilerplate, normalised like rule patterns.
    boilerplate: Vec<String>,
    /// Labels that introduce the title on a line of its own ("job title"), no colon.
    title_labels: Vec<String>,
    /// Labels of a contact-person block ("email"), whose "Job title:" is the contact's.
    contact_labels: Vec<String>,
    /// Common English words, lower case, as listed (for the fingerprint).
    english: Vec<String>,
    /// Phrases that make a line before any heading a company blurb, normalised like rule
    /// patterns.
    company_lines: Vec<String>,
    /// The same words as [`word_key`]s, to look an ad's words up in.
    english_keys: FxHashSet<u128>,
    /// Words that negate the words after them.
    negation: Negation,
}

/// Words that negate the words after them in the same sentence (`[negation]`): a rule's
/// hit there counts nothing ("This is not a contact centre role").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Negation {
    /// Lower case; `n't` stands for a contraction ("don't", "won't").
    pub words: Vec<String>,
    /// Words that, right after a negation, undo it ("not only"), lower case.
    pub not_before: Vec<String>,
    /// Words that carry a negation on through a list: the window starts again after each
    /// ("won't answer calls or manage a team"), lower case.
    pub carry: Vec<String>,
    /// How many words after a negation it reaches; 0 negates nothing.
    pub window: usize,
}

impl LayoutWords {
    /// Compiles the words: `headings` are `(section, phrases)` in the order they are
    /// checked, each phrase single-spaced; labels are written without their colon.
    pub fn new(
        headings: Vec<(Section, Vec<String>)>,
        boilerplate: Vec<String>,
        title_labels: Vec<String>,
        contact_labels: Vec<String>,
        english: Vec<String>,
        company_lines: Vec<String>,
        negation: Negation,
    ) -> LayoutWords {
        let english_keys: FxHashSet<u128> = english
            .iter()
            .filter_map(|w| word_key(w.as_bytes()))
            .collect();
        let (phrases, heading_table): (Vec<&str>, Vec<usize>) = headings
            .iter()
            .enumerate()
            .flat_map(|(i, (_, phrases))| phrases.iter().map(move |p| (p.as_str(), i)))
            .unzip();
        let heading_automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(phrases)
            .expect("heading phrases are short literals; the automaton cannot fail to build");
        LayoutWords {
            headings,
            heading_automaton,
            heading_table,
            boilerplate,
            title_labels,
            contact_labels,
            english,
            english_keys,
            company_lines,
            negation,
        }
    }

    /// Words that negate the words after them (`[negation]`).
    pub fn negation(&self) -> &Negation {
        &self.negation
    }

    /// Phrases that make a line standing before any heading a company blurb ("Acme is a
    /// leading retailer"), normalised like rule patterns.
    pub fn company_lines(&self) -> &[String] {
        &self.company_lines
    }

    /// Heading phrases per section, in the order they are checked.
    pub fn headings(&self) -> &[(Section, Vec<String>)] {
        &self.headings
    }

    /// Phrases that mark a single line as boilerplate wherever it stands, normalised like
    /// rule patterns: the matcher finds them in its own pass over the ad.
    pub fn boilerplate(&self) -> &[String] {
        &self.boilerplate
    }

    /// Labels that introduce the title on a line of its own.
    pub fn title_labels(&self) -> &[String] {
        &self.title_labels
    }

    /// Labels of a contact-person block.
    pub fn contact_labels(&self) -> &[String] {
        &self.contact_labels
    }

    /// Common English words (`[language] english`).
    pub fn english(&self) -> &[String] {
        &self.english
    }

    /// Whether `word` is one of the common English words: ASCII, case folded.
    pub fn is_english_word(&self, word: &[u8]) -> bool {
        word_key(word).is_some_and(|k| self.english_keys.contains(&k))
    }

    /// Of the first `limit` words of an ad (runs of two or more letters, of any script,
    /// inside its word tokens: a lone letter is a bullet, an initial or filler; a digit or a
    /// symbol ends a run), how many there were and how many of them are common English
    /// words, counting stops once `enough` English words are found. Words with a letter
    /// outside ASCII are never English words; the case of ASCII letters does not count.
    ///
    /// `known(i)` says whether word token `i`, as a whole, is one of these words, when the
    /// caller has looked it up already (the matcher has: [`crate::matcher::Matcher::is_english`]).
    pub fn english_words(
        &self,
        text: &str,
        tokens: &Tokens,
        known: impl Fn(usize) -> bool,
        limit: usize,
        enough: usize,
    ) -> (usize, usize) {
        let (mut words, mut english) = (0usize, 0usize);
        let is_english = |run: &[u8]| usize::from(self.is_english_word(run));
        for (i, t) in tokens.list.iter().enumerate().filter(|(_, t)| t.is_word()) {
            let token = &text[t.start()..t.end()];
            // Most tokens are one run of ASCII letters: no need to split them by character.
            if t.letters() {
                if token.len() < 2 {
                    continue;
                }
                if words == limit || english >= enough {
                    return (words, english);
                }
                words += 1;
                english += usize::from(known(i));
                continue;
            }
            for run in letter_runs(token) {
                if words == limit || english >= enough {
                    return (words, english);
                }
                words += 1;
                english += is_english(run.as_bytes());
            }
        }
        (words, english)
    }

    /// Of the first `limit` words of an ad ([`LayoutWords::english_words`]), how many
    /// there were and what share of them are common English words.
    pub fn english_share(
        &self,
        text: &str,
        tokens: &Tokens,
        known: impl Fn(usize) -> bool,
        limit: usize,
    ) -> (usize, f64) {
        let (words, english) = self.english_words(text, tokens, known, limit, usize::MAX);
        let share = if words == 0 {
            0.0
        } else {
            english as f64 / words as f64
        };
        (words, share)
    }
}

/// The runs of two or more letters (of any script) in a word token.
fn letter_runs(token: &str) -> impl Iterator<Item = &str> {
    token
        .split(|c: char| !c.is_alphabetic())
        .filter(|run| run.chars().nth(1).is_some())
}

/// How much of a line's start is searched for a company phrase: its first sentence, at most
/// this many bytes.
const COMPANY_LINE_BYTES: usize = 200;

/// A word's key for the list of common English words: only ASCII words have one.
fn word_key(word: &[u8]) -> Option<u128> {
    crate::tokens::fold(word).filter(|_| word.is_ascii())
}

/// Title and sections of one ad, in original byte offsets.
#[derive(Debug)]
pub struct Layout<'w> {
    /// The words it was read by, to read more of the ad later ([`Layout::title_candidates`]).
    words: &'w LayoutWords,
    /// The title line's range (trimmed of white space and Markdown marks).
    pub title: Range<usize>,
    /// `true` when the title came from a `Job title:` line, `false` when it is the first
    /// non-empty line.
    pub labelled: bool,
    /// `(start offset, section)` in increasing order; a section runs to the next start.
    sections: Vec<(usize, Section)>,
}

impl<'w> Layout<'w> {
    /// Reads the layout of `text` on its own, compiling a search for the layout's
    /// phrases on every call (the classifier instead gets them from its matcher, see
    /// [`Layout::read_with_phrases`]).
    pub fn read(text: &str, words: &'w LayoutWords) -> Layout<'w> {
        let matcher = crate::matcher::Matcher::for_layout(words);
        let mut scratch = crate::matcher::Scratch::default();
        matcher.find(text, &mut scratch);
        Layout::read_with_phrases(text, &scratch.boilerplate, &scratch.company, words)
    }

    /// Reads the layout of `text` when the layout's phrases were already found: where
    /// boilerplate line phrases ([`LayoutWords::boilerplate`]) start, increasing, and where
    /// company-line phrases ([`LayoutWords::company_lines`]) are, `(start, end)` in
    /// increasing order; the matcher finds them in its own pass over the text.
    pub fn read_with_phrases(
        text: &str,
        boilerplate: &[usize],
        company: &[(usize, usize)],
        words: &'w LayoutWords,
    ) -> Layout<'w> {
        let labelled = labelled_title(text, words);
        let mut layout = Layout {
            words,
            title: 0..0,
            labelled: labelled.is_some(),
            sections: Vec::new(),
        };
        let mut boilerplate = boilerplate.iter().copied().peekable();
        let mut company = company.iter().copied().peekable();
        let mut current = Section::Body;
        let mut offset = 0usize;
        let mut have_title = false;
        let mut seen_heading = false;
        // The long lines seen so far, to find a paragraph given twice.
        // (Sized for the most such lines the ad can hold, so it never grows.)
        let mut seen: FxHashSet<&str> = FxHashSet::with_capacity_and_hasher(
            text.len() / REPEATED_LINE_BYTES,
            Default::default(),
        );
        for line in crate::text::lines_inclusive(text) {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let title = match &labelled {
                Some(range) => (start..offset)
                    .contains(&range.start)
                    .then(|| range.clone()),
                None if !have_title => Some(bare_range(line, start)),
                None => None,
            };
            if let Some(title) = title {
                have_title = true;
                layout.title = title;
                layout.sections.push((start, Section::Title));
                layout.sections.push((offset, current));
                continue;
            }
            if let Some(section) = words.heading(trimmed) {
                current = section;
                seen_heading = true;
                layout.sections.push((start, current));
                continue;
            }
            while boilerplate.next_if(|&m| m < start).is_some() {}
            let boilerplate_line = boilerplate.peek().is_some_and(|&m| m < offset);
            if trimmed.len() >= REPEATED_LINE_BYTES && !seen.insert(trimmed) {
                layout.sections.push((start, Section::Repeated));
                layout.sections.push((offset, current));
            } else if current != Section::Boilerplate && boilerplate_line {
                layout.sections.push((start, Section::Boilerplate));
                layout.sections.push((offset, current));
            } else if !seen_heading && is_company_line(line, start, &mut company) {
                layout.sections.push((start, Section::Company));
                layout.sections.push((offset, current));
            }
        }
        layout
    }

    /// Makes `title` (within the line `line`) the title instead of the first line, which
    /// becomes ordinary text: a company name or a location above the job title.
    pub fn retitle(&mut self, line: Range<usize>, title: Range<usize>) {
        for entry in &mut self.sections {
            if entry.1 == Section::Title {
                entry.1 = Section::Body;
            }
        }
        let after = self.section_at(line.end);
        self.sections
            .retain(|&(s, _)| s < line.start || s > line.end);
        let at = self.sections.partition_point(|&(s, _)| s < line.start);
        self.sections
            .splice(at..at, [(line.start, Section::Title), (line.end, after)]);
        self.title = title;
    }

    /// Makes `title` the title, whatever the first lines say: a title given beside the ad
    /// (`--title`). The line holding it becomes the title line.
    pub fn set_title(&mut self, text: &str, title: Range<usize>) {
        let start = text[..title.start].rfind('\n').map_or(0, |i| i + 1);
        let end = text[title.end..]
            .find('\n')
            .map_or(text.len(), |i| title.end + i + 1);
        self.retitle(start..end, title);
    }

    /// The first `n` non-empty lines after the title line that could be a title: short,
    /// not a sentence and not a heading. `(line range, trimmed range)`.
    pub fn title_candidates(&self, text: &str, n: usize) -> Vec<(Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        let mut offset = 0usize;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim();
            if start <= self.title.start || trimmed.is_empty() {
                continue;
            }
            if out.len() == n {
                break;
            }
            let words = trimmed.split_whitespace().count();
            // An unmarked short line that happens to hold a heading word ("Head of Customer
            // Experience") may still be the title; a marked heading ("## About us") is not.
            let marked =
                trimmed.starts_with('#') || trimmed.starts_with("**") || trimmed.ends_with(':');
            let is_heading = marked && self.words.heading(trimmed).is_some();
            if words <= 12 && !trimmed.ends_with(['.', ',', ';']) && !is_heading {
                out.push((start..offset, bare_range(line, start)));
            } else {
                // The body has begun: a title comes before it.
                break;
            }
        }
        out
    }

    /// Where each section starts, in order: `(byte offset, section)`.
    pub fn sections(&self) -> &[(usize, Section)] {
        &self.sections
    }

    /// The section holding original byte offset `pos`.
    pub fn section_at(&self, pos: usize) -> Section {
        let i = self.sections.partition_point(|&(s, _)| s <= pos);
        if i == 0 {
            Section::Body
        } else {
            self.sections[i - 1].1
        }
    }
}

/// The range of `line` (starting at `start`) without white space and Markdown marks.
fn bare_range(line: &str, start: usize) -> Range<usize> {
    let mark = line.trim().trim_start_matches(['#', '*', '_', ' ']);
    let mark = mark.trim_end_matches(['*', '_', ' ', ':']);
    let lead = line.find(mark).unwrap_or(0);
    start + lead..start + lead + mark.len()
}

/// Whether `line` (at offset `start`), standing before any heading, describes the company
/// rather than the job: a company-line phrase found by the matcher (`company`, consumed up
/// to this line) stands in its first sentence, within [`COMPANY_LINE_BYTES`] of its start.
fn is_company_line(
    line: &str,
    start: usize,
    company: &mut std::iter::Peekable<impl Iterator<Item = (usize, usize)>>,
) -> bool {
    while company.next_if(|&(s, _)| s < start).is_some() {}
    if company.peek().is_none_or(|&(s, _)| s >= start + line.len()) {
        return false; // no company phrase on this line (most lines)
    }
    let lead = line.len() - line.trim_start().len();
    let trimmed = line.trim();
    // A sentence end past the limit changes nothing, so only the limit's bytes are read
    // (a long line is often a whole ad).
    let head = &trimmed.as_bytes()[..trimmed.len().min(COMPANY_LINE_BYTES + 1)];
    let end = memchr::memmem::find(head, b". ")
        .unwrap_or(trimmed.len())
        .min(COMPANY_LINE_BYTES);
    let (from, to) = (start + lead, start + lead + end);
    let mut found = false;
    while let Some((s, e)) = company.next_if(|&(s, _)| s < start + line.len()) {
        found |= s >= from && e <= to;
    }
    found
}

/// A line at least this long (trimmed, in bytes) that stands earlier in the ad word for
/// word is [`Section::Repeated`]: a sentence or a paragraph, not a short bullet or a
/// heading that an ad may well say twice ("Python", "Full time").
const REPEATED_LINE_BYTES: usize = 60;

/// How far down an ad a labelled title line is looked for, in non-empty lines.
const TITLE_LABEL_LINES: usize = 10;

fn is_contact_line(line: &str, words: &LayoutWords) -> bool {
    let l = line
        .trim_start()
        .trim_start_matches(['#', '*', '_', ' ', '-']);
    words.contact_labels.iter().any(|label| {
        l.get(..label.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(label))
            && l[label.len()..]
                .trim_start_matches(['*', '_', ' '])
                .starts_with(':')
    })
}

/// The value of a `Job title:` (or `Title:`, `Position:`, `Role:`) line near the top,
/// unless it belongs to a contact block ("Name: ... / Job title: ... / Email: ...").
fn labelled_title(text: &str, words: &LayoutWords) -> Option<Range<usize>> {
    let lines: Vec<&str> = text
        .split_inclusive('\n')
        .filter(|l| !l.trim().is_empty())
        .take(TITLE_LABEL_LINES + 1)
        .collect();
    for (i, line) in lines.iter().take(TITLE_LABEL_LINES).enumerate() {
        let near = [i.checked_sub(1), Some(i + 1)];
        if near
            .iter()
            .flatten()
            .filter_map(|&j| lines.get(j))
            .any(|l| is_contact_line(l, words))
        {
            continue;
        }
        let body = line
            .trim_start()
            .trim_start_matches(['#', '*', '_', ' ', '-']);
        for label in &words.title_labels {
            let Some(head) = body.get(..label.len()) else {
                continue;
            };
            if !head.eq_ignore_ascii_case(label) {
                continue;
            }
            let rest = body[label.len()..].trim_start_matches(['*', '_', ' ']);
            let Some(value) = rest.strip_prefix(':') else {
                continue;
            };
            let value = value.trim().trim_matches(['*', '_', ' ']);
            let words = value.split_whitespace().count();
            if value.is_empty() || value.len() > 100 || words > 14 || value.ends_with('.') {
                continue;
            }
            let at = value.as_ptr() as usize - text.as_ptr() as usize;
            return Some(at..at + value.len());
        }
    }
    None
}

impl LayoutWords {
    /// The section whose heading phrases start `bare` or one of its words, earliest in
    /// [`LayoutWords::headings`] order.
    fn known_heading(&self, bare: &str) -> Option<Section> {
        let bytes = bare.as_bytes();
        self.heading_automaton
            .find_overlapping_iter(bare)
            .filter(|m| m.start() == 0 || bytes[m.start() - 1] == b' ')
            .map(|m| self.heading_table[m.pattern().as_usize()])
            .min()
            .map(|i| self.headings[i].0)
    }

    /// The section a line opens, if the line is a heading.
    fn heading(&self, line: &str) -> Option<Section> {
        if line.starts_with(['-', '\u{2022}', '\u{00b7}', '+']) || line.starts_with("* ") {
            return None; // a list item
        }
        let marked = line.starts_with('#') || line.starts_with("**") || line.ends_with(':');
        let bare = line
            .trim_start_matches(['#', '*', '_', ' '])
            .trim_end_matches(['*', '_', ' ', ':', '?', '!', '.', '\u{2026}']);
        let (words, length) = short_line(bare)?;
        if !marked && (line.ends_with(['.', ',', ';']) || words > 5) {
            return None;
        }
        // Heading words are matched on single-spaced text with plain apostrophes; most
        // headings already are ("What you’ll do" is "What you'll do").
        let plain = length == bare.len()
            && !bare.contains(['\t', '\r', '\x0b', '\x0c', '\u{2018}', '\u{2019}']);
        let joined;
        let words = if plain {
            bare
        } else {
            joined = crate::text::words(bare)
                .collect::<Vec<_>>()
                .join(" ")
                .replace(['\u{2018}', '\u{2019}'], "'");
            &joined
        };
        match self.known_heading(words) {
            Some(s) => Some(s),
            // An unknown but clearly marked heading ends the previous section.
            None if line.starts_with('#') || (line.starts_with("**") && line.ends_with("**")) => {
                Some(Section::Body)
            }
            None => None,
        }
    }
}

/// Words in a heading at most, and bytes, counting one space between words.
const HEADING_WORDS: usize = 8;
const HEADING_BYTES: usize = 60;

/// The words of `bare` and their length with one space between each, if it has at least
/// one and at most [`HEADING_WORDS`] words and [`HEADING_BYTES`] bytes so counted: extra
/// white space changes nothing. Reading stops at the first word past a limit (most lines
/// are long prose, read on every ad).
fn short_line(bare: &str) -> Option<(usize, usize)> {
    let bytes = bare.as_bytes();
    // Printable ASCII bytes are word bytes, and a length counts at least them: most long
    // lines have too many within their first 128 bytes, counted without branching.
    if bytes.len() > HEADING_BYTES
        && bytes[..bytes.len().min(128)]
            .iter()
            .filter(|b| b.is_ascii_graphic())
            .count()
            > HEADING_BYTES
    {
        return None;
    }
    let (mut words, mut length) = (0usize, 0usize);
    for w in crate::text::words(bare) {
        length += w.len() + usize::from(words > 0);
        words += 1;
        if words > HEADING_WORDS || length > HEADING_BYTES {
            return None;
        }
    }
    (words > 0).then_some((words, length))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`short_line`] as `split_whitespace` counts it.
    fn short_line_by_words(bare: &str) -> Option<(usize, usize)> {
        let (mut words, mut length) = (0usize, 0usize);
        for w in bare.split_whitespace() {
            length += w.len() + usize::from(words > 0);
            words += 1;
            if words > HEADING_WORDS || length > HEADING_BYTES {
                return None;
            }
        }
        (words > 0).then_some((words, length))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn short_lines_are_counted_as_split_whitespace_counts_them(
            line in "([a-zé’]{0,9}[ \t\u{a0}\u{2003}\u{85}\x0b]{0,3}){0,12}"
        ) {
            proptest::prop_assert_eq!(short_line(&line), short_line_by_words(&line), "{:?}", line);
        }
    }

    fn english(list: &[&str]) -> LayoutWords {
        LayoutWords::new(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            list.iter().map(|s| s.to_string()).collect(),
            Vec::new(),
            Negation::default(),
        )
    }

    /// Whether token `i` is an English word, as the layout looks it up.
    fn known<'a>(w: &'a LayoutWords, text: &'a str, t: &'a Tokens) -> impl Fn(usize) -> bool + 'a {
        move |i| w.is_english_word(t.list[i].bytes(text.as_bytes()))
    }

    fn share(w: &LayoutWords, text: &str, limit: usize) -> (usize, f64) {
        let mut t = Tokens::default();
        t.fill(text);
        w.english_share(text, &t, known(w, text, &t), limit)
    }

    #[test]
    fn english_share_counts_common_words_of_the_first_words() {
        let w = english(&["the", "and", "you"]);
        assert_eq!(share(&w, "The cat AND you, the dog.", 100), (6, 4.0 / 6.0));
        assert_eq!(share(&w, "The cat and you", 2), (2, 0.5));
        // Letters outside ASCII make a word that is never English; a digit or a symbol
        // ends a run of letters.
        assert_eq!(share(&w, "thé 3the the", 100), (3, 2.0 / 3.0));
        assert_eq!(share(&w, "•the ✓and x", 100), (2, 1.0));
        // A lone letter is no word; an apostrophe ends one ("you'll" holds "you").
        assert_eq!(share(&w, "x y z the", 100), (1, 1.0));
        assert_eq!(share(&w, "you\u{2019}ll and", 100), (3, 2.0 / 3.0));
        assert_eq!(share(&w, "", 100), (0, 0.0));
        // Words of other scripts count as words.
        assert_eq!(share(&w, "日本語 the 日本 x", 100), (3, 1.0 / 3.0));
    }

    #[test]
    fn english_words_stop_counting_at_enough() {
        let w = english(&["the", "and"]);
        let text = "the cat and the dog and more";
        let mut t = Tokens::default();
        t.fill(text);
        assert_eq!(
            w.english_words(text, &t, known(&w, text, &t), 100, 2),
            (3, 2)
        );
        assert_eq!(
            w.english_words(text, &t, known(&w, text, &t), 100, usize::MAX),
            (7, 4)
        );
        assert_eq!(
            w.english_words(text, &t, known(&w, text, &t), 2, usize::MAX),
            (2, 1)
        );
    }

    use crate::rules::RuleSet;

    fn words() -> LayoutWords {
        RuleSet::defaults().unwrap().layout
    }

    #[test]
    fn title_is_the_first_non_empty_line_without_markdown() {
        let w = words();
        let text = "\n\n  ## Head of Customer Experience **\nBody";
        let l = Layout::read(text, &w);
        assert_eq!(&text[l.title.clone()], "Head of Customer Experience");
        assert_eq!(l.section_at(l.title.start), Section::Title);
    }

    #[test]
    fn a_labelled_title_line_wins_over_the_first_line() {
        let w = words();
        let text = "Careers at Acme\n\n**Job Title:** Head of Customer Experience\nLocation: Leeds\nWe are hiring.";
        let l = Layout::read(text, &w);
        assert_eq!(&text[l.title.clone()], "Head of Customer Experience");
        assert_eq!(l.section_at(text.find("Careers").unwrap()), Section::Body);
        let text = "Position: Customer Care Lead\nBody";
        assert_eq!(&text[Layout::read(text, &w).title], "Customer Care Lead");
        // A sentence after a label is not a title, and "The role:" is a heading.
        let text = "Head of CX\nRole: you will lead the team across all our sites and more.\nThe role:\nDuties";
        assert_eq!(&text[Layout::read(text, &w).title], "Head of CX");
        // A contact person's job title is not the ad's.
        let text = "Receptionist\nFor questions:\nName: A. Person\nJob title: Marketing Manager\nEmail: a@b.c";
        assert_eq!(&text[Layout::read(text, &w).title], "Receptionist");
    }

    #[test]
    fn headings_open_sections() {
        let w = words();
        let text = "Title\nWe make things.\nAbout us\nWe are a company.\n## The role\nYou will lead.\nWhat you'll bring:\nSkills.\nBenefits\nPension.\nEqual opportunities\nWe welcome all.\n";
        let l = Layout::read(text, &w);
        let at = |s: &str| l.section_at(text.find(s).unwrap());
        assert_eq!(at("We make"), Section::Body);
        assert_eq!(at("We are a"), Section::Company);
        assert_eq!(at("You will lead"), Section::Duties);
        assert_eq!(at("Skills."), Section::Requirements);
        assert_eq!(at("Pension"), Section::Benefits);
        assert_eq!(at("We welcome all"), Section::Boilerplate);
    }

    #[test]
    fn sections_of_lines() {
        let w = words();
        // (text, the line looked at, its section)
        let cases = [
            // A boilerplate phrase counts only at the start of a word, as in the matcher.
            (
                "T\nWe fight unequal opportunities.\n",
                "We fight",
                Section::Body,
            ),
            (
                "T\nWe are an equal opportunity employer.\n",
                "We are",
                Section::Boilerplate,
            ),
            // A heading with a curly apostrophe is a heading.
            (
                "CX Lead\nWhat you\u{2019}ll do\nOwn the journey.\n",
                "Own",
                Section::Duties,
            ),
            (
                "CX Lead\nWhat you\u{2019}ll bring:\nSkills.\n",
                "Skills",
                Section::Requirements,
            ),
            // A line about the company before any heading is a company blurb.
            (
                "CX Lead\nAcme is a leading retailer. You will own the journey.\n",
                "Acme",
                Section::Company,
            ),
            (
                "CX Lead\nWe’re a small team in Leeds.\n",
                "We’re",
                Section::Company,
            ),
            (
                "CX Lead\nAt Acme, we are the fastest-growing bank.\n",
                "At Acme",
                Section::Company,
            ),
            // The phrase must stand in the first sentence, as whole words.
            (
                "CX Lead\nYou will own the journey. Acme is a leading retailer.\n",
                "You",
                Section::Body,
            ),
            (
                "CX Lead\nWe are always listening to customers.\n",
                "We are",
                Section::Body,
            ),
            // Under a heading, the heading decides.
            (
                "CX Lead\n## What you'll do\nWe build the CX plan.\n",
                "We build",
                Section::Duties,
            ),
        ];
        for (text, line, section) in cases {
            let l = Layout::read(text, &w);
            assert_eq!(l.section_at(text.find(line).unwrap()), section, "{text:?}");
        }
    }

    #[test]
    fn sentences_are_not_headings() {
        let w = words();
        assert_eq!(w.heading("You will manage our benefits."), None);
        assert_eq!(w.heading("Responsibilities"), Some(Section::Duties));
        assert_eq!(w.heading("**Who we are**"), Some(Section::Company));
        assert_eq!(w.heading("## Hopin"), Some(Section::Body));
        assert_eq!(w.heading("- Company pension scheme"), None);
    }

    #[test]
    fn an_equal_opportunity_line_is_boilerplate_on_its_own() {
        let w = words();
        let text = "Title\nLead the team.\nWe are an equal opportunity employer.\nMore duties.\n";
        let l = Layout::read(text, &w);
        assert_eq!(
            l.section_at(text.find("We are an").unwrap()),
            Section::Boilerplate
        );
        assert_eq!(
            l.section_at(text.find("More duties").unwrap()),
            Section::Body
        );
    }
}
