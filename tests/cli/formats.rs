//! Machine formats parse with real JSON and CSV parsers and carry the documented fields.

use super::Cxtag;

const AD: &str = "examples/service--head-of-cx-scaling-support.txt";
const TWO: [&str; 2] = [AD, "examples/other--backend-software-engineer.txt"];

#[test]
fn jsonl_carries_every_documented_field() {
    let r = Cxtag::new().args(["--format", "jsonl", AD]).run().jsonl();
    let ad = &r[0];
    for field in [
        "type",
        "source",
        "title",
        "tag",
        "confidence",
        "runner_up",
        "reason",
        "scores",
        "evidence",
        "rules",
    ] {
        assert!(ad.get(field).is_some(), "missing {field}: {ad}");
    }
    assert_eq!(ad["type"], "ad");
    assert_eq!(ad["title"], "Head of Customer Experience");
    for role in ["acquisition", "service", "improvement", "cx", "other"] {
        assert!(ad["scores"][role].is_number(), "{ad}");
    }
    let c = ad["confidence"].as_f64().unwrap();
    assert!(c > 0.0 && c < 1.0);
    assert!(ad["evidence"].as_array().unwrap().len() <= 3);
    assert_eq!(ad["rules"].as_str().unwrap().len(), 12);
    assert!(ad.get("fired").is_none(), "fired only with --explain");
}

#[test]
fn json_is_one_array() {
    let out = Cxtag::new().args(["--format", "json"]).args(TWO).run().ok();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let a = v.as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[1]["tag"], "other");
}

#[test]
fn csv_and_tsv_have_a_header_and_a_row_per_ad() {
    for (format, delim) in [("csv", b','), ("tsv", b'\t')] {
        let out = Cxtag::new().args(["--format", format]).args(TWO).run().ok();
        let mut rd = csv::ReaderBuilder::new()
            .delimiter(delim)
            .from_reader(out.as_bytes());
        let headers = rd.headers().unwrap().clone();
        assert_eq!(&headers[0], "id");
        assert_eq!(&headers[1], "source");
        assert!(headers.iter().any(|h| h == "confidence"));
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let tag = headers.iter().position(|h| h == "tag").unwrap();
        assert_eq!(&rows[0][tag], "service");
        assert_eq!(&rows[1][tag], "other");
    }
}

#[test]
fn table_ends_with_a_summary_for_several_ads() {
    let out = Cxtag::new().args(TWO).run().ok();
    assert!(out.contains("classified"), "{out}");
    let only = Cxtag::new().arg("--summary-only").args(TWO).run().ok();
    assert!(!only.contains("Head of Customer Experience"), "{only}");
    assert!(only.contains("classified"), "{only}");
}
