//! `--format html`: a page that parses, marks only real rule hits, and escapes ad text.

use std::collections::HashSet;

use scraper::{Html, Selector};

use super::{Cxtag, TempDir, temp_file};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The HTML report of one ad, parsed; it must parse without errors.
fn html_of(path: &std::path::Path) -> Html {
    let out = Cxtag::new().args(["--format", "html"]).arg(path).run().ok();
    let doc = Html::parse_document(&out);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    doc
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
    let doc = html_of(&path);
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

/// The words of an element's text, one space apart, in lower case: the table wraps and
/// indents the advice, the page capitalises its sentences.
fn words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn the_advice_for_a_cx_title_is_shown_in_the_words_of_the_table() {
    let care = "examples/service--head-of-cx-care-team-and-complaints.txt";
    let out = Cxtag::new().args(["--format", "html", care]).run().ok();
    let doc = Html::parse_document(&out);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let advice = text_of(&doc, "section.ad .advice");
    assert_eq!(doc.select(&sel("section.ad .advice li")).count(), 2);
    let table = Cxtag::new()
        .args(["--color", "never", "--width", "100", care])
        .run()
        .ok();
    // The advice is the last thing under the table.
    let from = table
        .find("  to mean what it says:")
        .unwrap_or_else(|| panic!("no advice in the table:\n{table}"));
    assert_eq!(words(&advice), words(&table[from..]));
    assert!(
        advice
            .trim_start()
            .starts_with("To mean what it says: call it \"Head of Customer Service\""),
        "{advice}"
    );
}

#[test]
fn the_report_advises_only_ads_whose_title_claims_cx_and_lacks_something() {
    let out = Cxtag::new()
        .args(["--format", "html", "--sort", "input", "examples"])
        .run()
        .ok();
    let doc = Html::parse_document(&out);
    let records = Cxtag::new()
        .args(["--format", "jsonl", "examples"])
        .run()
        .jsonl();
    let ads: Vec<_> = doc.select(&sel("section.ad")).collect();
    assert_eq!(ads.len(), records.len());
    let mut advised = 0;
    for (ad, r) in ads.iter().zip(&records) {
        let lacks = |key: &str| r["advice"][key].as_array().is_some_and(|a| !a.is_empty());
        let expected = lacks("missing_mandate") || lacks("missing_disciplines");
        let shown = ad.select(&sel(".advice")).count() == 1;
        assert_eq!(shown, expected, "{}: {}", r["source"], r["advice"]);
        if r["claimed"] != "cx" {
            assert!(!shown, "{} claims {}", r["source"], r["claimed"]);
        }
        advised += usize::from(shown);
    }
    assert!(advised >= 3, "{advised} ads advised");
    assert!(advised < records.len(), "some ads need no advice");
}

#[test]
fn a_given_title_decides_the_advice_and_is_escaped() {
    let ad = "tests/data/untitled/company-name-first-line.txt";
    let page = |title: &str| {
        let out = Cxtag::new()
            .args(["--format", "html", "--title", title, ad])
            .run()
            .ok();
        Html::parse_document(&out)
    };
    let cx = page("Head of <b>Customer Experience</b> & Care");
    assert!(cx.errors.is_empty(), "{:?}", cx.errors);
    assert_eq!(
        text_of(&cx, "section.ad h2"),
        "Head of <b>Customer Experience</b> & Care"
    );
    assert_eq!(cx.select(&sel("section.ad b")).count(), 0);
    let advice = text_of(&cx, "section.ad .advice");
    assert!(advice.contains("CX disciplines: strategy"), "{advice}");
    let service = page("Customer Service Advisor");
    assert_eq!(
        text_of(&service, "section.ad h2"),
        "Customer Service Advisor"
    );
    assert_eq!(service.select(&sel(".advice")).count(), 0);
}

/// The lines under an ad's table about its title: the note, the check and, on a mismatch,
/// what to drop and a better title (everything between the table and the reporting line
/// or the mandate).
fn title_lines_of_table(table: &str) -> String {
    let after = &table[table.rfind('└').expect("a table")..];
    let after = &after[after.find('\n').unwrap() + 1..];
    let end = ["  reports to:", "  mandate:"]
        .iter()
        .filter_map(|l| after.find(l))
        .min()
        .expect("a mandate line");
    // The table marks a mismatch with `!` and a mixed title with `~`.
    after[..end].replace("  ! ", "  ").replace("  ~ ", "  ")
}

#[test]
fn the_title_check_and_note_are_shown_in_the_words_of_the_table() {
    let cases = [
        ("tests/data/ads/cx--cx-manager-near-tie.txt", "mixed"),
        (
            "examples/service--head-of-cx-contact-centre-operations.txt",
            "mismatch",
        ),
        (
            "examples/service--head-of-customer-service-honest-title.txt",
            "consistent",
        ),
        ("tests/data/untitled/company-name-first-line.txt", "none"),
    ];
    for (ad, outcome) in cases {
        let record = &Cxtag::new().args(["--format", "jsonl", ad]).run().jsonl()[0];
        let want = record["title_check"].as_str().unwrap_or("none");
        assert_eq!(want, outcome, "{ad}: the case is what it says");
        let out = Cxtag::new().args(["--format", "html", ad]).run().ok();
        let doc = Html::parse_document(&out);
        assert!(doc.errors.is_empty(), "{:?}", doc.errors);
        let checks: Vec<_> = doc.select(&sel("section.ad p.check")).collect();
        let shown: String = doc
            .select(&sel("section.ad p.title-note, section.ad p.check"))
            .flat_map(|p| p.text())
            .collect::<Vec<_>>()
            .join(" ");
        if outcome == "none" {
            assert!(checks.is_empty(), "{ad}: {out}");
        } else {
            assert_eq!(checks.len(), 1, "{ad}");
            let classes: Vec<&str> = checks[0].value().classes().collect();
            assert!(classes.contains(&outcome), "{ad}: {classes:?}");
            let reason = record["title_check_reason"].as_str().unwrap();
            assert!(words(&shown).contains(&words(reason)), "{ad}: {shown}");
        }
        if let Some(note) = record["title_note"].as_str() {
            assert!(words(&shown).contains(&words(note)), "{ad}: {shown}");
        }
        let table = Cxtag::new()
            .args(["--color", "never", "--width", "100", ad])
            .run()
            .ok();
        assert_eq!(words(&shown), words(&title_lines_of_table(&table)), "{ad}");
    }
}

#[test]
fn a_title_note_from_the_ad_is_escaped() {
    let dir = TempDir::new("html-note");
    let ad = "<b>Quillon</b> & \"Sons\" <script>alert(1)</script>\n\
              We answer customer calls and emails, resolve complaints and run the help desk.\n";
    let path = temp_file(&dir.0, "note.txt", ad.as_bytes());
    let record = &Cxtag::new()
        .args(["--format", "jsonl"])
        .arg(&path)
        .run()
        .jsonl()[0];
    let note = record["title_note"]
        .as_str()
        .unwrap_or_else(|| panic!("a note: {record}"));
    let doc = html_of(&path);
    assert_eq!(
        doc.select(&sel("script, b")).count(),
        0,
        "markup stays text"
    );
    assert_eq!(
        text_of(&doc, "section.ad p.title-note"),
        format!("Note: {note}")
    );
}
