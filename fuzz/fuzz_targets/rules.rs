//! Any bytes as a rule file: checking must report problems, never panic.
#![no_main]

use cxtag::rules::{RuleSource, check};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let source = RuleSource {
            origin: "fuzz.toml".into(),
            text: text.to_string(),
        };
        let (set, diags) = check(&[source]);
        for d in &diags {
            let _ = d.to_string();
        }
        if let Some(set) = set {
            // A rule set that loads must also compile into a classifier and run.
            let classifier = cxtag::classify::Classifier::new(set);
            let mut scratch = cxtag::matcher::Scratch::default();
            let _ = classifier.classify("Head of CX\nWe map journeys and resolve complaints.", &mut scratch);
        }
    }
});
