//! cxtag as a library: classify the ads named on the command line and print one line each.
//!
//! cargo run --example library -- examples/service--head-of-cx-scaling-support.txt

use cxtag::Classifier;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let classifier = Classifier::with_default_rules()?;
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        let v = classifier.classify_text(&text);
        let advice = match &v.mismatch {
            Some(m) => format!(
                "title mismatch; say \"{}\"",
                m.suggested_title.as_deref().unwrap_or("what the ad means")
            ),
            None => "title fits".to_string(),
        };
        println!(
            "{path}: {} ({:.2}), mandate {}, {}",
            v.tag,
            v.confidence,
            v.mandate.as_str(),
            advice
        );
    }
    Ok(())
}
