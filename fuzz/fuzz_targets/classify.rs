//! Any bytes as an ad: decoding and classifying must never panic.
#![no_main]

use std::sync::LazyLock;

use cxtag::classify::Classifier;
use cxtag::input::decode;
use cxtag::matcher::Scratch;
use cxtag::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

static CLASSIFIER: LazyLock<Classifier> =
    LazyLock::new(|| Classifier::new(RuleSet::defaults().expect("the default rules load")));

fuzz_target!(|data: &[u8]| {
    if let Ok(ad) = decode("fuzz", data.to_vec()) {
        let v = CLASSIFIER.classify(&ad.text, &mut Scratch::default());
        assert!((0.0..=1.0).contains(&v.confidence));
    }
});
