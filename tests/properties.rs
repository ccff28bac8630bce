//! Property tests: no input makes cxtag panic, and the verdict does not depend on letter
//! case, line endings, a byte-order mark or extra white space.
//!
//! 256 cases per property by default; `PROPTEST_CASES=10000 cargo test --release --test
//! properties` searches harder.

use std::sync::LazyLock;

use cxtag::classify::{Classifier, Verdict};
use cxtag::input::decode;
use cxtag::matcher::Scratch;
use cxtag::rules::RuleSet;
use proptest::prelude::*;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::new(RuleSet::defaults().expect("the default rules load")));

fn classify(text: &str) -> Verdict {
    CLASSIFIER.classify(text, &mut Scratch::default())
}

/// Words an ad is made of: rule vocabulary from every role, headings, and filler.
const WORDS: &[&str] = &[
    "customer",
    "experience",
    "service",
    "contact",
    "centre",
    "complaints",
    "journey",
    "mapping",
    "voice",
    "of",
    "the",
    "strategy",
    "NPS",
    "CSAT",
    "lean",
    "six",
    "sigma",
    "continuous",
    "improvement",
    "marketing",
    "campaigns",
    "SEO",
    "paid",
    "search",
    "nurse",
    "ward",
    "patient",
    "support",
    "tickets",
    "team",
    "lead",
    "Head",
    "Director",
    "reporting",
    "to",
    "CEO",
    "budget",
    "across",
    "organisation",
    "we",
    "are",
    "a",
    "company",
    "benefits",
    "pension",
    "About",
    "us",
    "Responsibilities",
    "you",
    "will",
    "own",
    "retention",
    "and",
    "churn",
    "design",
    "culture",
    "equal",
    "opportunities",
    "employer",
    "software",
    "engineer",
    "Python",
    "data",
    "entry",
    "quality",
    "management",
    "system",
    "CX",
    "roadmap",
    "insight",
    "feedback",
    "agents",
];

/// An ad: a title line, then lines of words; some lines are short (heading-like).
fn ad() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(prop::sample::select(WORDS), 1..12).prop_map(|w| w.join(" "));
    (line.clone(), prop::collection::vec(line, 1..25)).prop_map(|(title, body)| {
        let mut text = title;
        for l in body {
            text.push('\n');
            text.push_str(&l);
        }
        text.push('\n');
        text
    })
}

/// What must not change: the tag, the scores (rounded), the title's words.
fn essence(v: &Verdict) -> (String, Vec<i64>, Vec<String>, String) {
    (
        v.tag.to_string(),
        v.scores
            .values()
            .map(|s| (s * 1000.0).round() as i64)
            .collect(),
        v.breadth.iter().map(|d| d.to_string()).collect(),
        v.title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase(),
    )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        if let Ok(ad) = decode("fuzz", bytes) {
            prop_assert!(!ad.text.trim().is_empty());
            prop_assert!(!ad.text.contains('\0'));
            let v = classify(&ad.text);
            prop_assert!((0.0..=1.0).contains(&v.confidence));
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_evidence_points_into_it(text in "\\PC{0,600}") {
        let v = classify(&text);
        prop_assert!((0.0..=1.0).contains(&v.confidence), "{}", v.confidence);
        let lines: Vec<&str> = text.lines().collect();
        for e in v.evidence.iter().chain(&v.signals) {
            prop_assert!(e.line >= 1 && e.col >= 1);
            prop_assert!(e.line <= lines.len().max(1), "line {} of {}", e.line, lines.len());
        }
    }

    #[test]
    fn letter_case_does_not_change_the_verdict(text in ad()) {
        let v = essence(&classify(&text));
        prop_assert_eq!(&v, &essence(&classify(&text.to_ascii_uppercase())));
        prop_assert_eq!(&v, &essence(&classify(&text.to_ascii_lowercase())));
    }

    #[test]
    fn crlf_and_a_bom_do_not_change_the_verdict(text in ad()) {
        let v = essence(&classify(&text));
        let crlf = text.replace('\n', "\r\n");
        prop_assert_eq!(&v, &essence(&classify(&crlf)));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(crlf.as_bytes());
        let decoded = decode("bom", bom).expect("text with a BOM decodes");
        prop_assert_eq!(&v, &essence(&classify(&decoded.text)));
    }

    #[test]
    fn extra_white_space_does_not_change_the_verdict(text in ad(), pad in 1usize..4) {
        let v = essence(&classify(&text));
        let spaced = text.replace(' ', &" ".repeat(pad + 1));
        prop_assert_eq!(&v, &essence(&classify(&spaced)));
        let indented: String = text
            .lines()
            .map(|l| format!("{}\t{l}  \n\n", " ".repeat(pad)))
            .collect();
        prop_assert_eq!(&v, &essence(&classify(&indented)));
    }
}
