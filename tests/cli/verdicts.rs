//! Verdicts on hand-written ads of the kinds users bring: company ads, CX-titled ads,
//! disguised titles. Each file in `tests/data/ads/` is named `<expected tag>--<what>.txt`;
//! the tests below also pin the title check, the honest title and the mandate.

use super::Cxtag;

/// The one JSON Lines record a run prints.
fn record(c: Cxtag) -> serde_json::Value {
    let r = c.run().jsonl();
    assert_eq!(r.len(), 1, "{r:?}");
    r[0].clone()
}

fn one(path: &str) -> serde_json::Value {
    record(Cxtag::new().args(["--format", "jsonl", path]))
}

/// The entry of `rule` in a list of evidence (`evidence`, `fired`, `mandate_evidence`).
fn entry<'a>(list: &'a serde_json::Value, rule: &str) -> Option<&'a serde_json::Value> {
    list.as_array().unwrap().iter().find(|e| e["rule"] == rule)
}

fn ad(name: &str) -> serde_json::Value {
    one(&format!("tests/data/ads/{name}.txt"))
}

/// The ids of the rules shown as an ad's evidence.
fn fired(r: &serde_json::Value) -> Vec<&str> {
    r["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn every_hand_written_ad_is_tagged_as_its_name_says() {
    let dir = super::root().join("tests/data/ads");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 15, "{names:?}");
    let mut wrong = Vec::new();
    for name in &names {
        let want = name.split("--").next().unwrap();
        let r = one(&format!("tests/data/ads/{name}"));
        if r["tag"] != want {
            wrong.push(format!("{name}: {} ({})", r["tag"], r["scores"]));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_genuine_cx_director_in_service_words_is_consistent_with_no_honest_title() {
    let r = ad("cx--director-of-cx-in-service-words");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(r["title_check"], "consistent");
    assert_eq!(r["title_mismatch"], false);
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
    assert_eq!(r["reports_to"]["level"], "top");
}

#[test]
fn a_near_tie_goes_to_the_title_and_is_called_mixed() {
    let r = ad("cx--cx-manager-near-tie");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(r["title_check"], "mixed", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
    let s = |k: &str| r["scores"][k].as_f64().unwrap();
    assert!(
        s("service") >= 0.8 * s("cx"),
        "a real near tie: {}",
        r["scores"]
    );
}

#[test]
fn a_two_role_title_says_which_part_the_ad_bears_out() {
    let r = ad("improvement--customer-experience-improvement-lead-six-sigma");
    assert_eq!(r["tag"], "improvement");
    assert_eq!(r["claims"], serde_json::json!(["improvement", "cx"]));
    assert_eq!(r["title_check"], "mismatch");
    assert_eq!(r["drop_from_title"], "Customer Experience");
    assert_eq!(r["suggested_title"], "Continuous Improvement Lead");
}

#[test]
fn an_inbound_sales_agent_keeps_the_agent_in_its_honest_title() {
    let r = ad("acquisition--cx-agent-inbound-sales");
    assert_eq!(r["tag"], "acquisition");
    assert_eq!(r["head"]["kind"], "front-line");
    let t = r["suggested_title"].as_str().unwrap();
    assert!(t.ends_with("Agent") && !t.contains("Manager"), "{t}");
}

#[test]
fn the_reporting_line_alone_makes_the_mandate_strong_or_weak() {
    let strong = ad("cx--head-of-cx-strong-mandate");
    let weak = ad("cx--head-of-cx-weak-mandate-reporting-line");
    assert_eq!(strong["reports_to"]["target"], "Chief Executive");
    assert_eq!(strong["reports_to"]["level"], "top");
    assert_eq!(weak["reports_to"]["target"], "Head of Marketing");
    assert_eq!(weak["reports_to"]["level"], "function");
    assert_eq!(strong["mandate"], "strong");
    assert_ne!(weak["mandate"], "strong");
    // The weak one is told what it lacks, naming the reporting line.
    let missing = weak["advice"]["missing_mandate"].as_array().unwrap();
    assert!(
        missing[0].as_str().unwrap().contains("Head of Marketing"),
        "{missing:?}"
    );
}

#[test]
fn a_company_name_above_the_title_does_not_hide_it() {
    let r = ad("cx--company-name-first-line");
    assert_eq!(r["title"], "Head of Customer Experience");
    assert_eq!(r["claimed"], "cx");
    assert_eq!(r["title_note"], serde_json::Value::Null);
}

#[test]
fn an_ad_with_no_title_line_says_so() {
    let text = "Harbourline Home Insurance Ltd\n\nWe insure homes across the south west. \
                You will answer customer calls, resolve complaints and meet service levels \
                in our contact centre.\n";
    let r = Cxtag::new()
        .args(["--format", "jsonl"])
        .stdin(text)
        .run()
        .jsonl();
    let note = r[0]["title_note"].as_str().unwrap();
    assert!(
        note.starts_with("no job title recognised; first line used"),
        "{note}"
    );
    let table = Cxtag::new().args(["--width", "100"]).stdin(text).run().ok();
    assert!(table.contains("no job title recognised"), "{table}");
}

#[test]
fn the_job_noun_decides_for_engineers_and_product_managers() {
    for name in [
        "other--software-engineer-customer-experience-team",
        "other--product-manager-cx-tools",
        "other--qa-engineer-quality-process",
        "other--product-manager-trust-and-customer-experience",
    ] {
        let r = ad(name);
        assert_eq!(r["tag"], "other", "{name}: {}", r["scores"]);
        assert_eq!(r["head"]["kind"], "other", "{name}");
        assert_eq!(r["title_mismatch"], false, "{name}");
    }
}

#[test]
fn a_cx_title_over_a_service_job_is_a_mismatch_with_advice_in_the_table() {
    let out = Cxtag::new()
        .args([
            "--width",
            "120",
            "tests/data/ads/service--cx-manager-technical-questions.txt",
        ])
        .run()
        .ok();
    assert!(out.contains("title mismatch"), "{out}");
    assert!(out.contains("Customer Service Manager"), "{out}");
    assert!(out.contains("or add what a CX role needs"), "{out}");
}

#[test]
fn an_ad_not_in_english_is_other_with_its_own_reason_not_a_guess() {
    // English jargon ("Customer Success", "Onboarding", "Churn", "Zendesk") fires service
    // rules; the ad is German all the same.
    let r = ad("other--not-english-customer-success-ad");
    assert_eq!(r["tag"], "other");
    assert_eq!(r["reason"], "not_english");
    assert_eq!(
        r["runner_up"], "service",
        "what the scores pointed to is kept"
    );
    assert!(
        r["scores"]["service"].as_f64().unwrap() > 10.0,
        "{}",
        r["scores"]
    );
    assert_eq!(r["advice"], serde_json::Value::Null);
    let table = Cxtag::new()
        .args([
            "--width",
            "120",
            "tests/data/ads/other--not-english-customer-success-ad.txt",
        ])
        .run()
        .ok();
    assert!(table.contains("(not in English)"), "{table}");
}

#[test]
fn a_short_cx_titled_ad_with_no_cx_duties_at_all_is_a_mismatch() {
    let r = ad("service--cx-expert-chat-and-email-only");
    assert_eq!(r["tag"], "service");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], "Customer Service Expert");
}

#[test]
fn a_customer_service_associate_who_runs_the_post_room_is_clerical_work() {
    // The title says customer service; the duties are mail and documents. The guide files
    // mainly clerical work as `other`, whatever the title.
    let r = ad("other--customer-service-associate-mailroom");
    assert_eq!(r["tag"], "other", "{}", r["scores"]);
    let rules = fired(&r);
    assert!(rules.contains(&"other.mailroom-work"), "{rules:?}");
}

#[test]
fn self_service_data_for_colleagues_is_not_customers_helping_themselves() {
    let r = ad("cx--cx-data-analyst-self-service-bi");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(r["scores"]["service"], 0.0, "{}", r["evidence"]);
    let rules = fired(&r);
    assert!(rules.contains(&"cx.measurement"), "{rules:?}");
}

#[test]
fn a_budget_and_kpis_do_not_shield_a_cx_title_with_no_cx_work() {
    // A head of "customer experience" who runs loyalty and lifecycle marketing holds a
    // budget and owns a KPI (a partial mandate), but the body has no CX discipline: the
    // leader's benefit of the doubt needs CX evidence of the role's own.
    let r = ad("acquisition--head-of-cx-loyalty-marketing-with-budget");
    assert_eq!(r["tag"], "acquisition", "{}", r["scores"]);
    assert_eq!(r["mandate"], "partial");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert!(r["suggested_title"].as_str().is_some(), "{r}");
}

#[test]
fn a_cx_lead_under_the_coo_who_leads_across_teams_has_a_partial_mandate() {
    // Reporting to an executive (not the top) and leading cross-functional work: some
    // authority, not a seat at the top.
    let r = ad("cx--cx-lead-software-firm-reports-to-coo");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(r["title_check"], "consistent");
    assert_eq!(r["reports_to"]["level"], "executive");
    assert_eq!(r["mandate"], "partial", "{}", r["mandate_evidence"]);
}

#[test]
fn visitors_and_guests_are_customers_in_a_title() {
    // A library's head of visitor experience owns the experience across every branch;
    // a hotel's guest experience coordinator works the front desk.
    let library = ad("cx--head-of-visitor-experience-library");
    assert_eq!(library["claimed"], "cx");
    assert_eq!(library["tag"], "cx", "{}", library["scores"]);
    assert_eq!(library["title_check"], "consistent");
    let hotel = ad("service--guest-experience-coordinator-hotel");
    assert_eq!(hotel["claimed"], "cx");
    assert_eq!(hotel["tag"], "service", "{}", hotel["scores"]);
    assert_eq!(
        hotel["title_check"], "mismatch",
        "{}",
        hotel["title_check_reason"]
    );
    assert_eq!(hotel["suggested_title"], "Guest Services Coordinator");
}

#[test]
fn a_cx_associate_answering_customers_by_chat_email_and_phone_keeps_the_noun() {
    let r = ad("service--cx-associate-travel-chat-email-phone");
    assert_eq!(r["tag"], "service", "{}", r["scores"]);
    assert_eq!(r["head"]["kind"], "front-line");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], "Customer Service Associate");
}

#[test]
fn genuine_cx_leaders_who_also_run_service_are_never_told_it_is_service() {
    // The worst mistake cxtag can make. The water company's director runs the service
    // teams as part of a company-wide remit, on the executive team, under the chief
    // executive; the hospital's head of patient experience oversees complaints and PALS
    // within a strategy across all divisions.
    let water = ad("cx--director-of-cx-water-company-runs-service-too");
    assert_eq!(water["tag"], "cx", "{}", water["scores"]);
    assert_ne!(water["title_check"], "mismatch");
    assert_eq!(water["suggested_title"], serde_json::Value::Null);
    assert_eq!(water["mandate"], "strong", "{}", water["mandate_evidence"]);
    let hospital = ad("cx--head-of-patient-experience-across-divisions");
    assert_eq!(hospital["tag"], "cx", "{}", hospital["scores"]);
    assert_eq!(hospital["title_check"], "consistent");
    assert_eq!(
        hospital["mandate"], "partial",
        "{}",
        hospital["mandate_evidence"]
    );
}

fn piped(text: &str) -> serde_json::Value {
    record(Cxtag::new().args(["--format", "jsonl", "-"]).stdin(text))
}

/// How many hits of `rule` an ad's evidence shows (0 when it did not fire).
fn hits(r: &serde_json::Value, rule: &str) -> u64 {
    entry(&r["evidence"], rule).map_or(0, |e| e["count"].as_u64().unwrap())
}

#[test]
fn one_phrase_that_holds_several_patterns_of_a_rule_is_one_hit() {
    // "customer journey mapping" holds "customer journey*", "journey mapping" and
    // "journey map*": one piece of evidence, not three.
    let r = piped("Experience Lead\n\nYou will lead customer journey mapping for the company.\n");
    assert_eq!(hits(&r, "cx.journeys"), 1, "{}", r["evidence"]);
    // Two separate mentions are two hits.
    let r = piped(
        "Experience Lead\n\nYou will lead customer journey mapping and own every journey map \
         we keep.\n",
    );
    assert_eq!(hits(&r, "cx.journeys"), 2, "{}", r["evidence"]);
}

#[test]
fn a_paragraph_given_twice_counts_once() {
    let duties = "You will answer customer enquiries by phone and live chat, resolve complaints \
                  and keep to our service levels.";
    let once = piped(&format!("Support Lead\n\n{duties}\n\nWe are hiring now.\n"));
    let twice = piped(&format!(
        "Support Lead\n\n{duties}\n\nWe are hiring now.\n\n{duties}\n"
    ));
    assert_eq!(once["tag"], "service", "{}", once["scores"]);
    assert_eq!(twice["scores"], once["scores"]);
    assert_eq!(twice["evidence"], once["evidence"]);
    // A short line said twice ("Full time") is not a paragraph: nothing is dropped.
    let short = piped("Support Lead\n\nlive chat\n\nlive chat\n");
    assert_eq!(
        hits(&short, "service.support-work"),
        2,
        "{}",
        short["evidence"]
    );
}

#[test]
fn a_cx_title_does_not_turn_the_bodys_cx_words_into_evidence() {
    // A help-content writer in a "CX" title, working with the Customer Experience team
    // and cross-functional teams: the title's claim alone does not unlock the supporting
    // rules, so those words count nothing and the help content decides.
    let r = one_explained("tests/data/ads/service--cx-content-writer-help-centre.txt");
    assert_eq!(r["tag"], "service", "{}", r["scores"]);
    assert_eq!(r["claimed"], "cx");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], "Senior Help Content Writer");
    let score = |rule: &str| entry(&r["fired"], rule).map(|e| e["score"].as_f64().unwrap());
    assert_eq!(score("cx.cross-functional"), Some(0.0), "{}", r["fired"]);
    assert_eq!(score("cx.experience-word"), Some(0.0), "{}", r["fired"]);
}

fn one_explained(path: &str) -> serde_json::Value {
    record(Cxtag::new().args(["--format", "jsonl", "--explain", path]))
}

#[test]
fn a_public_body_names_its_customers_the_public() {
    // "Public experience" is a government's customer experience; "develop and manage the
    // directorate's budget" holds a budget as surely as "budget holder" does.
    let r = ad("cx--director-of-public-experience-agency");
    assert_eq!(r["claimed"], "cx");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(r["title_check"], "consistent");
    let budget = entry(&r["mandate_evidence"], "mandate.budget").map(|e| &e["matched"]);
    assert_eq!(
        budget.and_then(|m| m.as_str()),
        Some("manage the directorate's budget"),
        "{}",
        r["mandate_evidence"]
    );
}

#[test]
fn a_cx_title_over_clerical_duties_is_a_mismatch_with_no_honest_title() {
    // Booking deliveries, purchase orders, invoices and filing under "Customer Experience
    // Coordinator": the title misleads, and no role's title fits the job.
    let r = ad("other--cx-coordinator-clerical-deliveries");
    assert_eq!(r["tag"], "other", "{}", r["scores"]);
    assert_eq!(r["reason"], "other_job");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
    let text = Cxtag::new()
        .args([
            "--width",
            "120",
            "tests/data/ads/other--cx-coordinator-clerical-deliveries.txt",
        ])
        .run()
        .ok();
    assert!(
        text.contains("the title claims cx, but the ad describes another kind of job"),
        "{text}"
    );
}

#[test]
fn what_an_ad_says_the_job_is_not_counts_nothing() {
    // "not", "never" and a contraction ("won't") negate the next few words of their
    // sentence and line.
    let said = piped("Experience Lead\n\nYou will answer calls from customers.\n");
    assert_eq!(
        hits(&said, "service.contact-centre"),
        1,
        "{}",
        said["evidence"]
    );
    for negated in [
        "You will not answer calls from customers.",
        "You won't answer calls from customers.",
        "You will never answer calls from customers.",
        "This role doesn’t involve answering calls from customers.",
        // A list carries the negation on: "or" starts the window again.
        "You won't be taking refunds or answering calls from customers.",
    ] {
        let r = piped(&format!("Experience Lead\n\n{negated}\n"));
        assert_eq!(
            hits(&r, "service.contact-centre"),
            0,
            "{negated}: {}",
            r["evidence"]
        );
    }
    // "Not only" keeps what follows; a full stop or a new line ends the negation.
    for kept in [
        "You will not only answer calls from customers but coach the team.",
        "You will not sell. You will answer calls from customers.",
        "You will not sell\nAnswer calls from customers.",
        // Without "or", the same words are past the window.
        "You won't be handling refunds for members and answering calls from customers.",
    ] {
        let r = piped(&format!("Experience Lead\n\n{kept}\n"));
        assert_eq!(
            hits(&r, "service.contact-centre"),
            1,
            "{kept}: {}",
            r["evidence"]
        );
    }
}

#[test]
fn a_weak_title_claim_does_not_win_a_near_tie() {
    // "Account Manager" may sell or serve: it claims service weakly, and a field
    // salesperson's ad is acquisition even when it is close.
    let r = one_explained("tests/data/ads/acquisition--account-manager-new-territory.txt");
    assert_eq!(r["tag"], "acquisition", "{}", r["scores"]);
    assert_eq!(r["claimed"], "service");
    let score = |role: &str| r["scores"][role].as_f64().unwrap();
    assert!(
        score("acquisition") < cxtag::classify::POLICY.claim_prior * score("service"),
        "a near tie, which a strong claim would win: {}",
        r["scores"]
    );
    // Nor is a clear sales job under that title a disguise: it stays `mixed`.
    let r = piped(
        "Account Manager\n\nFind and win new clients: build a prospect list, make outbound \
         calls, book first meetings and close the deal. Hit a target for new accounts, paid \
         with commission. Cold calling and lead generation every day.\n",
    );
    assert_eq!(r["tag"], "acquisition", "{}", r["scores"]);
    assert_eq!(r["title_check"], "mixed", "{}", r["title_check_reason"]);
    assert!(
        r["title_check_reason"]
            .as_str()
            .unwrap()
            .ends_with("but the title's words name other jobs too, so that is no clear disguise"),
        "{}",
        r["title_check_reason"]
    );
}

#[test]
fn a_cx_title_over_back_office_data_entry_is_another_kind_of_job() {
    // The ad says it answers no supporters' calls, and its equality line's "lived
    // experience" is about who may apply, not about listening to customers.
    let r = ad("other--cx-specialist-supporter-database");
    assert_eq!(r["tag"], "other", "{}", r["scores"]);
    assert_eq!(r["reason"], "other_job");
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], serde_json::Value::Null);
    assert_eq!(hits(&r, "cx.voice-of-customer"), 0, "{}", r["evidence"]);
}

#[test]
fn a_council_head_of_cx_in_service_words_has_a_strong_mandate() {
    // A council's executive is its Corporate Leadership Team; holding directors to account
    // is authority; resident satisfaction is a customer KPI.
    let r = one_explained("tests/data/ads/cx--head-of-cx-council-resident-services.txt");
    assert_eq!(r["tag"], "cx", "{}", r["scores"]);
    assert_eq!(
        r["title_check"], "consistent",
        "{}",
        r["title_check_reason"]
    );
    assert_eq!(r["mandate"], "strong", "{}", r["mandate_evidence"]);
    for rule in [
        "mandate.executive-seat",
        "mandate.change-authority",
        "mandate.owned-kpis",
        "mandate.cross-department-remit",
    ] {
        assert!(
            entry(&r["mandate_evidence"], rule).is_some(),
            "{rule}: {}",
            r["mandate_evidence"]
        );
    }
}

#[test]
fn an_account_manager_title_claims_service_but_weakly() {
    // Prospecting and closing new business outweigh the title; looking after existing
    // accounts bears it out.
    let sales = ad("acquisition--regional-account-manager-prospecting");
    assert_eq!(sales["claimed"], "service");
    assert_eq!(sales["tag"], "acquisition", "{}", sales["scores"]);
    assert_ne!(sales["title_check"], "consistent");
    let kept = ad("service--key-account-manager-existing-clients");
    assert_eq!(kept["tag"], "service", "{}", kept["scores"]);
    assert_eq!(kept["title_check"], "consistent");
}

#[test]
fn a_booking_clerk_is_judged_by_the_duties() {
    // "Booking Clerk" does not say whether the day is spent on patients' calls (service)
    // or on scheduling lists (other).
    let calls = ad("service--booking-clerk-patient-calls");
    assert_eq!(calls["tag"], "service", "{}", calls["scores"]);
    assert!(entry(&calls["evidence"], "other.office-title").is_none());
    let lists = ad("other--booking-clerk-scheduling-lists");
    assert_eq!(lists["tag"], "other", "{}", lists["scores"]);
}

#[test]
fn rules_that_name_one_area_name_it_together() {
    // Lead generation and new-business sales are both "Sales" in `[titles] by_rule`:
    // together they hold most of the ad, though neither does alone.
    let r = ad("acquisition--cx-associate-inbound-leads");
    assert_eq!(r["tag"], "acquisition", "{}", r["scores"]);
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], "Sales Associate", "{}", r["evidence"]);
}

#[test]
fn tickets_and_escalations_back_up_service_evidence_but_are_not_service_alone() {
    // An engineer troubleshoots, works tickets and escalates too.
    let engineer = piped(
        "Platform Engineer\n\nTroubleshoot production incidents, work through the team's \
         Jira tickets and escalate vendor problems.\n",
    );
    assert_eq!(
        engineer["scores"]["service"], 0.0,
        "{}",
        engineer["evidence"]
    );
    // Beside a support job's own evidence they count.
    let agent = record(
        Cxtag::new()
            .args(["--format", "jsonl", "--explain", "-"])
            .stdin(
                "Support Agent\n\nAnswer customer enquiries by phone and live chat. Troubleshoot \
         problems, work tickets and escalate bugs to the product team.\n",
            ),
    );
    assert_eq!(agent["tag"], "service", "{}", agent["scores"]);
    let issues = entry(&agent["fired"], "service.issue-handling").expect("fired");
    assert!(issues["score"].as_f64().unwrap() > 0.0, "{issues}");
}

#[test]
fn a_library_front_desk_under_a_cx_title_keeps_its_library() {
    // `by_word` in service.toml: a library's customer service is its library services.
    let r = ad("service--library-customer-experience-officer");
    assert_eq!(r["tag"], "service", "{}", r["scores"]);
    assert_eq!(r["title_check"], "mismatch", "{}", r["title_check_reason"]);
    assert_eq!(r["suggested_title"], "Library Services Officer");
}
