//! "Say what you mean": the title's claim, mismatches with a suggested title, the
//! mandate and the CX breadth, in every output format.

use super::Cxtag;

fn one(path: &str) -> serde_json::Value {
    let records = Cxtag::new().args(["--format", "jsonl", path]).run().jsonl();
    assert_eq!(records.len(), 1);
    records.into_iter().next().unwrap()
}

#[test]
fn a_cx_titled_service_ad_is_a_mismatch_named_head_of_customer_service() {
    let r = one("examples/service--head-of-cx-care-team-and-complaints.txt");
    assert_eq!(r["tag"], "service");
    assert_eq!(r["claimed"], "cx");
    assert_eq!(r["title_mismatch"], true);
    assert_eq!(r["suggested_title"], "Head of Customer Service");
    let reason = r["mismatch_reason"].as_str().unwrap();
    assert!(
        reason.contains("claims cx") && reason.contains("service."),
        "{reason}"
    );
}

#[test]
fn a_cx_titled_marketing_ad_is_a_mismatch_named_as_marketing() {
    let r = one("examples/acquisition--head-of-cx-digital-campaigns.txt");
    assert_eq!(r["tag"], "acquisition");
    assert_eq!(r["title_mismatch"], true);
    assert_eq!(r["suggested_title"], "Head of Digital Marketing");
}

#[test]
fn a_genuine_cx_ad_with_a_strong_mandate_covers_the_disciplines() {
    let r = one("examples/cx--head-of-cx-organisation-wide-strategy.txt");
    assert_eq!(r["tag"], "cx");
    assert_eq!(r["title_mismatch"], false);
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
    assert_eq!(r["mandate"], "strong");
    assert_eq!(r["reports_to"]["level"], "top", "{}", r["reports_to"]);
    assert!(
        r["breadth"].as_array().unwrap().len() >= 5,
        "{}",
        r["breadth"]
    );
}

#[test]
fn a_genuine_cx_ad_reporting_to_marketing_without_budget_has_no_mandate() {
    let r = one("examples/cx--head-of-cx-weak-mandate.txt");
    assert_eq!(r["tag"], "cx");
    assert_eq!(r["title_mismatch"], false);
    assert_eq!(r["mandate"], "none");
    assert_eq!(r["reports_to"]["target"], "Head of Marketing");
    assert_eq!(r["reports_to"]["level"], "function");
    // It is still a generalist-leaning CX job, just without the power to act.
    assert!(r["breadth"].as_array().unwrap().len() >= 3);
}

#[test]
fn a_non_cx_claim_that_the_ad_contradicts_gets_no_title_that_changes_the_job() {
    // "Partner Development" names the job's specialism: "Customer Service Manager" would
    // be another job. The mismatch stands, without a suggestion.
    let r = one("tests/data/ads/service--partner-development-manager-support-desk.txt");
    assert_eq!(r["claimed"], "acquisition");
    assert_eq!(r["tag"], "service");
    assert_eq!(r["title_check"], "mismatch");
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
}

#[test]
fn an_honestly_titled_service_ad_is_not_a_mismatch() {
    let r = one("examples/service--head-of-customer-service-honest-title.txt");
    assert_eq!(r["tag"], "service");
    assert_eq!(r["claimed"], "service");
    assert_eq!(r["title_mismatch"], false);
}

#[test]
fn a_title_without_a_role_claim_is_never_a_mismatch() {
    let ad = "Join the team at Brightside\n\nYou will run our contact centre: 40 advisors, \
              complaints handling, first contact resolution, call quality and the rota. \
              You will coach team leaders and handle escalations.\n";
    let r = Cxtag::new()
        .args(["--format", "jsonl"])
        .stdin(ad)
        .run()
        .jsonl();
    assert_eq!(r[0]["tag"], "service");
    assert_eq!(r[0]["claimed"], serde_json::Value::Null);
    assert_eq!(r[0]["title_mismatch"], false);
}

#[test]
fn a_labelled_title_line_is_the_title_and_keeps_its_seniority() {
    let ad = "Careers at Brightside\n\n**Job title:** Senior Customer Experience Manager\n\
              Location: Leeds\n\nYou will run our contact centre: 40 advisors, complaints \
              handling, first contact resolution, call quality and the rota. You will coach \
              team leaders and handle escalations from customers.\n";
    let r = Cxtag::new()
        .args(["--format", "jsonl"])
        .stdin(ad)
        .run()
        .jsonl();
    assert_eq!(r[0]["title"], "Senior Customer Experience Manager");
    assert_eq!(r[0]["suggested_title"], "Senior Customer Service Manager");
}

#[test]
fn jsonl_title_field_supplies_a_missing_title() {
    let line = serde_json::json!({
        "id": "x1",
        "job_title": "Director of Customer Experience",
        "text": "You will run our contact centre: 40 advisors, complaints handling, first \
                 contact resolution, call quality and the rota. You will coach team leaders."
    });
    let r = Cxtag::new()
        .args([
            "--format",
            "jsonl",
            "--input-format",
            "jsonl",
            "--title-field",
            "job_title",
        ])
        .stdin(line.to_string())
        .run()
        .jsonl();
    assert_eq!(r[0]["title"], "Director of Customer Experience");
    assert_eq!(r[0]["suggested_title"], "Director of Customer Service");
}

#[test]
fn csv_and_table_carry_the_mismatch_and_mandate() {
    let path = "examples/service--head-of-cx-scaling-support.txt";
    let out = Cxtag::new().args(["--format", "csv", path]).run().ok();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let get = |name: &str| &row[headers.iter().position(|h| h == name).unwrap()];
    assert_eq!(get("title_mismatch"), "true");
    assert_eq!(get("suggested_title"), "Head of Customer Service");
    assert_eq!(get("claimed"), "cx");
    assert!(["strong", "partial", "none"].contains(&get("mandate")));

    let table = Cxtag::new().arg(path).run().ok();
    assert!(table.contains("title mismatch"), "{table}");
    assert!(table.contains("\"Head of Customer Service\""), "{table}");
    assert!(table.contains("mandate: "), "{table}");
}
