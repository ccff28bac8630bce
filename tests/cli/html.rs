//! `--format html`: a page that parses, marks only real rule hits, and escapes ad text.

use std::collections::HashSet;

use scraper::{Html, Selector};

use super::{Cxtag, TempDir, temp_file};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The text of the first element `css` selects.
fn text_of(doc: &Html, css: &str) -> String {
    doc.select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("nothing matches {css}"))
        .text()
        .collect()
}

/// The rules that fired for each ad, in input order, from the JSON output.
fn fired(args: &[&str]) -> Vec<HashSet<String>> {
    let mut all = vec!["--format", "jsonl", "--explain"];
    all.extend_from_slice(args);
    Cxtag::new()
        .args(all)
        .run()
        .jsonl()
        .iter()
        .map(|r| {
            let mut ids = HashSet::new();
            for key in ["fired", "mandate_evidence", "breadth_evidence"] {
                for e in r[key].as_array().unwrap() {
                    ids.insert(e["rule"].as_str().unwrap().to_string());
                }
            }
            ids
        })
        .collect()
}

#[test]
fn the_examples_report_parses_and_marks_only_rules_that_fired() {
    let out = Cxtag::new()
        // In input order, to pair each ad with the rules that fired in it.
        .args(["--format", "html", "--sort", "input", "examples"])
        .run()
        .ok();
    let doc = Html::parse_document(&out);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    // Self-contained: no scripts, external styles, fonts or images.
    assert_eq!(doc.select(&sel("script, link, img, iframe")).count(), 0);
    let without_svg_namespace = out.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_svg_namespace.contains("http"),
        "no network addresses"
    );
    assert_eq!(
        doc.select(&sel("section.summary svg")).count(),
        1,
        "a bar chart"
    );
    let summary: String = text_of(&doc, "section.summary");
    assert!(
        summary.contains("12 ads classified, 6 title mismatches, 0 mixed titles, 0 inputs failed"),
        "{summary}"
    );

    let fired = fired(&["examples"]);
    let ads: Vec<_> = doc.select(&sel("section.ad")).collect();
    assert_eq!(ads.len(), fired.len());
    let mut marks = 0;
    for (ad, rules) in ads.iter().zip(&fired) {
        for mark in ad.select(&sel("mark")) {
            marks += 1;
            let rule = mark
                .value()
                .attr("data-rule")
                .expect("every mark names its rule");
            assert!(rules.contains(rule), "{rule} is marked but did not fire");
            let tip = mark.value().attr("title").unwrap();
            assert!(tip.starts_with(rule), "{tip}");
        }
    }
    assert!(marks > 100, "{marks} marks");
    // The disguised service ad says so, with the honest title.
    let text: String = text_of(&doc, "#ad-7");
    assert!(
        text.contains("Title mismatch") && text.contains("Head of Customer Service"),
        "{text}"
    );
    // Boilerplate is muted.
    assert!(doc.select(&sel(".text .muted")).count() > 0);
}

#[test]
fn a_hostile_ad_is_escaped() {
    let dir = TempDir::new("hostile");
    let long = "customer service ".repeat(5000);
    let ad = format!(
        "Head of <b>CX</b> & \"Friends\" <script>alert('x')</script>\n\
         We run the contact centre & resolve complaints <img src=x onerror=alert(1)> 'quoted'.\n\
         {long}\n</section></main><script>document.write('pwned')</script>\n"
    );
    let path = temp_file(&dir.0, "hostile.txt", ad.as_bytes());
    let out = Cxtag::new()
        .args(["--format", "html"])
        .arg(&path)
        .run()
        .ok();
    let doc = Html::parse_document(&out);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    assert_eq!(
        doc.select(&sel("script, img, b")).count(),
        0,
        "markup in the ad stays text"
    );
    assert_eq!(
        doc.select(&sel("section.ad")).count(),
        1,
        "the ad cannot close its section"
    );
    let shown: String = text_of(&doc, "section.ad .text");
    assert!(
        shown.contains("<script>alert('x')</script>")
            || shown.contains("<img src=x onerror=alert(1)>")
    );
    assert!(shown.contains("& resolve complaints"));
    let title: String = text_of(&doc, "section.ad h2");
    assert_eq!(
        title,
        "Head of <b>CX</b> & \"Friends\" <script>alert('x')</script>"
    );
}

#[test]
fn a_large_batch_stays_small() {
    let dir = TempDir::new("html-batch");
    let ad =
        "Head of Customer Service\nWe run the contact centre and resolve complaints.\n".repeat(3);
    let mut lines = String::new();
    for i in 0..1500 {
        lines.push_str(&serde_json::json!({"id": format!("ad-{i}"), "text": ad}).to_string());
        lines.push('\n');
    }
    let path = temp_file(&dir.0, "ads.jsonl", lines.as_bytes());
    let out = Cxtag::new()
        .args(["--format", "html", "--input-format", "jsonl"])
        .arg(&path)
        .run()
        .ok();
    let doc = Html::parse_document(&out);
    assert_eq!(
        doc.select(&sel("section.ad")).count(),
        100,
        "only the first 100 in full"
    );
    assert_eq!(
        doc.select(&sel("table.ads tbody tr")).count(),
        1000,
        "the table is capped"
    );
    let summary: String = text_of(&doc, "section.summary");
    assert!(summary.contains("1500 ads classified"), "{summary}");
    assert!(out.len() < 2_000_000, "{} bytes", out.len());
}
