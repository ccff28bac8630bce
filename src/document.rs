//! The shape of an ad: its title and its sections.
//!
//! Real ads wrap the duties in a company blurb, benefits and equal-opportunity text. This
//! module finds the title line and recognises section headings ("About us", "Benefits",
//! "Responsibilities", "About you"), so that scoring can weigh the duties above the
//! boilerplate. It reads structure only; it knows nothing of roles or rules.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::text::Normalized;

use serde::Serialize;

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
}

/// Heading words per section, checked in this order (so "about the role" is duties
/// before "about" makes it company). Matched against the heading in lower case.
const HEADINGS: &[(Section, &[&str])] = &[
    (
        Section::Boilerplate,
        &[
            "equal opportunit",
            "equality",
            "diversity",
            "inclusion",
            "disclaimer",
            "how to apply",
            "to apply",
            "apply now",
            "next steps",
            "what next",
            "further information",
            "additional information",
            "more information",
            "further details",
            "contact",
            "safeguarding",
            "disclosure",
            "dbs",
            "interview",
            "closing date",
            "privacy",
            "accessibility",
            "recruitment process",
            "hiring process",
            "interested",
            "previous applicants",
            "eeo",
            "covid",
            "important",
        ],
    ),
    (
        Section::Benefits,
        &[
            "benefit",
            "what we offer",
            "we offer",
            "we can offer",
            "perks",
            "what you will get",
            "what you'll get",
            "what you get",
            "why join",
            "why work",
            "salary",
            "compensation",
            "reward",
            "package",
            "pay",
            "wellbeing",
            "feel valued",
            "in return",
        ],
    ),
    (
        Section::Duties,
        &[
            "role",
            "responsibilit",
            "duties",
            "what you'll do",
            "what you will do",
            "you will be doing",
            "what you'll be doing",
            "day to day",
            "day-to-day",
            "job description",
            "job summary",
            "job purpose",
            "key tasks",
            "the job",
            "the position",
            "your mission",
            "the opportunity",
            "accountabilit",
            "job overview",
            "main purpose",
            "your impact",
            "what you'll own",
            "scope",
            "objectives",
            "the challenge",
            "in this role",
        ],
    ),
    (
        Section::Requirements,
        &[
            "about you",
            "requirement",
            "qualification",
            "skills",
            "experience",
            "person specification",
            "looking for",
            "the person",
            "essential",
            "desirable",
            "you will have",
            "you'll have",
            "criteria",
            "who you are",
            "what you bring",
            "what you'll bring",
            "you have",
            "competenc",
            "knowledge",
            "ideal candidate",
            "must have",
            "nice to have",
            "bonus points",
        ],
    ),
    (
        Section::Company,
        &[
            "about us",
            "about the company",
            "who we are",
            "our company",
            "the company",
            "company",
            "the trust",
            "our trust",
            "organisation",
            "organization",
            "our mission",
            "our story",
            "our values",
            "employer",
            "about ",
            "why ",
        ],
    ),
];

/// Phrases that mark a single line as boilerplate wherever it stands.
pub const BOILERPLATE_LINES: &[&str] = &[
    "equal opportunit",
    "committed to equality",
    "committed to diversity",
    "disability confident",
    "regardless of race",
    "without regard to",
    "protected characteristic",
    "we welcome applications",
    "right to work in the uk",
    "criminal record",
    "dbs check",
    "we reserve the right",
    "recruitment agencies",
];

/// Title and sections of one ad, in original byte offsets.
#[derive(Debug, Default)]
pub struct Layout {
    /// The title line's range (trimmed of white space and Markdown marks).
    pub title: Range<usize>,
    /// `true` when the title came from a `Job title:` line, `false` when it is the first
    /// non-empty line.
    pub labelled: bool,
    /// `(start offset, section)` in increasing order; a section runs to the next start.
    sections: Vec<(usize, Section)>,
}

impl Layout {
    /// Reads the layout of `text` on its own (the classifier instead gets the boilerplate
    /// phrases from its matcher, see [`Layout::read_with_boilerplate`]).
    pub fn read(text: &str) -> Layout {
        let mut normalized = Normalized::default();
        normalized.fill(text);
        let starts: Vec<usize> = BOILERPLATE
            .find_iter(&normalized.text)
            .map(|m| m.start())
            .collect();
        Layout::read_with_boilerplate(text, &normalized, &starts)
    }

    /// Reads the layout of `text` when the boilerplate phrases ([`BOILERPLATE_LINES`])
    /// were already found, at `starts` (increasing normalised offsets): the matcher finds
    /// them in its own pass over the text.
    pub fn read_with_boilerplate(text: &str, normalized: &Normalized, starts: &[usize]) -> Layout {
        let labelled = labelled_title(text);
        let mut layout = Layout {
            labelled: labelled.is_some(),
            ..Layout::default()
        };
        let mut boilerplate = starts
            .iter()
            .map(|&m| normalized.original_offset(m))
            .peekable();
        let mut current = Section::Body;
        let mut offset = 0usize;
        let mut have_title = false;
        for line in text.split_inclusive('\n') {
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
            if let Some(section) = heading(trimmed) {
                current = section;
                layout.sections.push((start, current));
                continue;
            }
            while boilerplate.next_if(|&m| m < start).is_some() {}
            let boilerplate_line = boilerplate.peek().is_some_and(|&m| m < offset);
            if current != Section::Boilerplate && boilerplate_line {
                layout.sections.push((start, Section::Boilerplate));
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
            let is_heading = marked && heading(trimmed).is_some();
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

/// Labels that introduce the title on a line of its own ("Job title: Head of CX").
const TITLE_LABELS: &[&str] = &[
    "job title",
    "position title",
    "role title",
    "post title",
    "vacancy title",
    "title",
    "position",
    "job role",
    "role",
    "vacancy",
    "post",
];

/// How far down an ad a labelled title line is looked for, in non-empty lines.
const TITLE_LABEL_LINES: usize = 10;

/// Labels of a contact-person block, whose "Job title:" is the contact's, not the ad's.
const CONTACT_LABELS: &[&str] = &[
    "name",
    "email",
    "e-mail",
    "contact",
    "tel",
    "telephone",
    "phone",
];

fn is_contact_line(line: &str) -> bool {
    let l = line
        .trim_start()
        .trim_start_matches(['#', '*', '_', ' ', '-']);
    CONTACT_LABELS.iter().any(|label| {
        l.get(..label.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(label))
            && l[label.len()..]
                .trim_start_matches(['*', '_', ' '])
                .starts_with(':')
    })
}

/// The value of a `Job title:` (or `Title:`, `Position:`, `Role:`) line near the top,
/// unless it belongs to a contact block ("Name: ... / Job title: ... / Email: ...").
fn labelled_title(text: &str) -> Option<Range<usize>> {
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
            .any(|l| is_contact_line(l))
        {
            continue;
        }
        let body = line
            .trim_start()
            .trim_start_matches(['#', '*', '_', ' ', '-']);
        for label in TITLE_LABELS {
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

/// One automaton for all boilerplate phrases, ASCII case folded.
static BOILERPLATE: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(BOILERPLATE_LINES)
        .expect("a few dozen short literals always compile")
});

/// One automaton for all heading words, with the [`HEADINGS`] position of each.
static HEADING_WORDS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let (words, order): (Vec<&str>, Vec<usize>) = HEADINGS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, words))| words.iter().map(move |w| (*w, i)))
        .unzip();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("a few hundred short literals always compile");
    (ac, order)
});

/// The section whose heading words start `bare` or one of its words, earliest in
/// [`HEADINGS`] order.
fn known_heading(bare: &str) -> Option<Section> {
    let (ac, order) = &*HEADING_WORDS;
    let bytes = bare.as_bytes();
    ac.find_overlapping_iter(bare)
        .filter(|m| m.start() == 0 || bytes[m.start() - 1] == b' ')
        .map(|m| order[m.pattern().as_usize()])
        .min()
        .map(|i| HEADINGS[i].0)
}

/// The section a line opens, if the line is a heading.
fn heading(line: &str) -> Option<Section> {
    if line.starts_with(['-', '\u{2022}', '\u{00b7}', '+']) || line.starts_with("* ") {
        return None; // a list item
    }
    let marked = line.starts_with('#') || line.starts_with("**") || line.ends_with(':');
    let bare = line
        .trim_start_matches(['#', '*', '_', ' '])
        .trim_end_matches(['*', '_', ' ', ':', '?', '!', '.', '\u{2026}']);
    // At most 8 words and 60 characters, counting one space between words so that extra
    // white space changes nothing; stop reading as soon as the line is too long.
    let (mut words, mut length) = (0usize, 0usize);
    for w in bare.split_whitespace() {
        length += w.len() + usize::from(words > 0);
        words += 1;
        if words > 8 || length > 60 {
            return None;
        }
    }
    if words == 0 {
        return None;
    }
    if !marked && (line.ends_with(['.', ',', ';']) || words > 5) {
        return None;
    }
    // Heading words are matched on single-spaced text; most headings already are.
    let single_spaced = length == bare.len() && !bare.contains(['\t', '\r', '\x0b', '\x0c']);
    let joined;
    let words = if single_spaced {
        bare
    } else {
        joined = bare.split_whitespace().collect::<Vec<_>>().join(" ");
        &joined
    };
    match known_heading(words) {
        Some(s) => Some(s),
        // An unknown but clearly marked heading ends the previous section.
        None if line.starts_with('#') || (line.starts_with("**") && line.ends_with("**")) => {
            Some(Section::Body)
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_the_first_non_empty_line_without_markdown() {
        let text = "\n\n  ## Head of Customer Experience **\nBody";
        let l = Layout::read(text);
        assert_eq!(&text[l.title.clone()], "Head of Customer Experience");
        assert_eq!(l.section_at(l.title.start), Section::Title);
    }

    #[test]
    fn a_labelled_title_line_wins_over_the_first_line() {
        let text = "Careers at Acme\n\n**Job Title:** Head of Customer Experience\nLocation: Leeds\nWe are hiring.";
        let l = Layout::read(text);
        assert_eq!(&text[l.title.clone()], "Head of Customer Experience");
        assert_eq!(l.section_at(text.find("Careers").unwrap()), Section::Body);
        let text = "Position: Customer Care Lead\nBody";
        assert_eq!(&text[Layout::read(text).title], "Customer Care Lead");
        // A sentence after a label is not a title, and "The role:" is a heading.
        let text = "Head of CX\nRole: you will lead the team across all our sites and more.\nThe role:\nDuties";
        assert_eq!(&text[Layout::read(text).title], "Head of CX");
        // A contact person's job title is not the ad's.
        let text = "Receptionist\nFor questions:\nName: A. Person\nJob title: Marketing Manager\nEmail: a@b.c";
        assert_eq!(&text[Layout::read(text).title], "Receptionist");
    }

    #[test]
    fn headings_open_sections() {
        let text = "Title\nWe make things.\nAbout us\nWe are a company.\n## The role\nYou will lead.\nWhat you'll bring:\nSkills.\nBenefits\nPension.\nEqual opportunities\nWe welcome all.\n";
        let l = Layout::read(text);
        let at = |s: &str| l.section_at(text.find(s).unwrap());
        assert_eq!(at("We make"), Section::Body);
        assert_eq!(at("We are a"), Section::Company);
        assert_eq!(at("You will lead"), Section::Duties);
        assert_eq!(at("Skills."), Section::Requirements);
        assert_eq!(at("Pension"), Section::Benefits);
        assert_eq!(at("We welcome all"), Section::Boilerplate);
    }

    #[test]
    fn sentences_are_not_headings() {
        assert_eq!(heading("You will manage our benefits."), None);
        assert_eq!(heading("Responsibilities"), Some(Section::Duties));
        assert_eq!(heading("**Who we are**"), Some(Section::Company));
        assert_eq!(heading("## Hopin"), Some(Section::Body));
        assert_eq!(heading("- Company pension scheme"), None);
    }

    #[test]
    fn an_equal_opportunity_line_is_boilerplate_on_its_own() {
        let text = "Title\nLead the team.\nWe are an equal opportunity employer.\nMore duties.\n";
        let l = Layout::read(text);
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
