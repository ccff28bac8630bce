//! User rule files extend the defaults, and can re-weight or switch off default rules.

use super::{Cxtag, TempDir, root};

const SERVICE_AD: &str = "examples/service--head-of-customer-service-honest-title.txt";

#[test]
fn overrides_switch_default_rules_off() {
    let before = Cxtag::new()
        .args(["--format", "jsonl", SERVICE_AD])
        .run()
        .jsonl();
    let after = Cxtag::new()
        .args([
            "--format",
            "jsonl",
            "--rules",
            "tests/data/disable-and-add.toml",
            SERVICE_AD,
        ])
        .run()
        .jsonl();
    let service = |r: &serde_json::Value| r["scores"]["service"].as_f64().unwrap();
    assert!(
        service(&after[0]) < service(&before[0]) / 2.0,
        "{} vs {}",
        after[0],
        before[0]
    );
    assert_ne!(
        before[0]["rules"], after[0]["rules"],
        "the fingerprint follows the rules"
    );
}

#[test]
fn no_default_rules_uses_only_the_given_files() {
    let r = Cxtag::new()
        .args([
            "--format",
            "jsonl",
            "--explain",
            "--no-default-rules",
            "--rules",
            "tests/data/only-rule.toml",
            SERVICE_AD,
        ])
        .run()
        .jsonl();
    let fired = r[0]["fired"].as_array().unwrap();
    assert!(!fired.is_empty());
    assert!(
        fired.iter().all(|f| f["rule"] == "acquisition.pets"),
        "{fired:?}"
    );
    assert_eq!(fired[0]["why"], "Test rule: pet food sells");
}

#[test]
fn a_rules_folder_without_a_layout_file_reads_ads_by_the_embedded_one() {
    let run = |dir: &std::path::Path| {
        Cxtag::new()
            .args(["--format", "jsonl", "--no-default-rules", "--rules"])
            .arg(dir)
            .arg("examples/")
            .run()
            .ok()
    };
    let with = TempDir::new("layout-with");
    let without = TempDir::new("layout-without");
    for entry in std::fs::read_dir(root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(&path, with.0.join(name)).unwrap();
            if name != "layout.toml" {
                std::fs::copy(&path, without.0.join(name)).unwrap();
            }
        }
    }
    // Same verdicts and the same fingerprint: the missing lists came from the embedded file.
    assert_eq!(run(&without.0), run(&with.0));
    // A layout file of one's own is read, and counts in the fingerprint.
    std::fs::write(
        with.0.join("layout.toml"),
        "[seniority]\nmodifiers = [\"senior\"]\n",
    )
    .unwrap();
    let fingerprint = |out: String| {
        out.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["rules"].clone())
            .next()
    };
    assert_ne!(fingerprint(run(&without.0)), fingerprint(run(&with.0)));
}

#[test]
fn the_embedded_rules_equal_the_files_in_rules() {
    let files: Vec<String> = {
        let mut v: Vec<String> = std::fs::read_dir(super::root().join("rules"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        v.sort();
        v
    };
    let mut embedded: Vec<String> = cxtag::rules::DEFAULT_RULES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    embedded.sort();
    assert_eq!(files, embedded);
    for (name, text) in cxtag::rules::DEFAULT_RULES {
        let on_disk = std::fs::read_to_string(super::root().join("rules").join(name)).unwrap();
        assert_eq!(&on_disk, text, "{name}");
    }
}

#[test]
fn the_default_rules_load_without_warnings() {
    let (set, diags) = cxtag::rules::RuleSet::load(&cxtag::rules::RuleSource::defaults()).unwrap();
    assert!(
        diags.is_empty(),
        "{}",
        diags
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    for role in ["acquisition", "service", "improvement", "cx"] {
        let literals: usize = set
            .rules
            .iter()
            .filter(|r| r.counts.role().is_some_and(|r| r.as_str() == role))
            .map(|r| r.literals.len())
            .sum();
        assert!(literals >= 40, "{role} has only {literals} patterns");
    }
}
