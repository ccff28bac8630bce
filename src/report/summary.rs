//! The summary of a batch: counts and shares per tag, title outcomes, what titles claim
//! against what the ads are, the mandate and breadth of the `cx` ads, and `other` by
//! reason. Every format prints this one [`Summary`]; machine formats through its serde
//! form ([`Summary::record`]) or its long table ([`Summary::long_rows`]).

use serde::Serialize;

use super::{REASONS, SCHEMA, TITLE_OUTCOMES, reason_code, round, title_outcome};
use crate::classify::{Mandate, Verdict};
use crate::rules::{Discipline, PerRole, Role};

/// The mandates, in reporting order.
const MANDATES: [Mandate; 3] = [Mandate::Strong, Mandate::Partial, Mandate::None];

/// What a batch came to. Ads are added one at a time; nothing per ad is kept.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Ads per tag.
    pub per_tag: PerRole<usize>,
    /// Inputs that could not be classified.
    pub failed: usize,
    /// Ads per title outcome, in [`TITLE_OUTCOMES`] order.
    pub titles: [usize; 3],
    /// Ads per claimed role and tag: `claimed_vs_tag[claimed][tag]`.
    pub claimed_vs_tag: PerRole<PerRole<usize>>,
    /// Ads whose title claims no role, per tag.
    pub unclaimed: PerRole<usize>,
    /// `cx` ads per mandate, in `MANDATES` order.
    pub cx_mandate: [usize; 3],
    /// `cx` ads covering each discipline, in [`Discipline::ALL`] order.
    pub cx_breadth: [usize; 6],
    /// `other` ads per reason, in [`REASONS`] order.
    pub other_reasons: [usize; REASONS.len()],
}

/// A share in [0, 1], rounded; 0 of nothing is 0.
fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        round(n as f64 / of as f64)
    }
}

impl Summary {
    /// Counts one classified ad.
    pub fn add(&mut self, v: &Verdict) {
        self.per_tag[v.tag] += 1;
        if let Some(outcome) = title_outcome(v)
            && let Some(i) = TITLE_OUTCOMES.iter().position(|&o| o == outcome)
        {
            self.titles[i] += 1;
        }
        match v.claimed {
            Some(claimed) => self.claimed_vs_tag[claimed][v.tag] += 1,
            None => self.unclaimed[v.tag] += 1,
        }
        if v.tag == Role::Cx {
            if let Some(i) = MANDATES.iter().position(|&m| m == v.mandate) {
                self.cx_mandate[i] += 1;
            }
            for d in &v.breadth {
                if let Some(i) = Discipline::ALL.iter().position(|x| x == d) {
                    self.cx_breadth[i] += 1;
                }
            }
        }
        if let Some(reason) = v.reason
            && let Some(i) = REASONS.iter().position(|&r| r == reason)
        {
            self.other_reasons[i] += 1;
        }
    }

    /// Ads classified.
    pub fn classified(&self) -> usize {
        self.per_tag.values().sum()
    }

    /// Ads whose title claims no role.
    pub fn no_claim(&self) -> usize {
        self.unclaimed.values().sum()
    }

    /// The rows of the claimed-against-tag table: each claimed role by name, then
    /// `nothing` for titles that claim no role.
    pub fn claim_rows(&self) -> impl Iterator<Item = (&'static str, &PerRole<usize>)> {
        self.claimed_vs_tag
            .iter()
            .map(|(role, row)| (role.as_str(), row))
            .chain([("nothing", &self.unclaimed)])
    }

    /// The summary as one JSON object (`"type": "summary"`), fields in a fixed order.
    pub fn record<'a>(&self, fingerprint: &'a str) -> SummaryRecord<'a> {
        let total = self.classified();
        let claimed = |tags: PerRole<usize>| ClaimRow {
            ads: tags.values().sum(),
            tags,
        };
        let [strong, partial, none] = self.cx_mandate;
        let [
            strategy,
            understanding,
            design,
            measurement,
            governance,
            culture,
        ] = self.cx_breadth;
        let [no_evidence, too_thin, mixed, other_job, not_english] = self.other_reasons;
        SummaryRecord {
            kind: "summary",
            schema: SCHEMA,
            ads: total,
            failed: self.failed,
            tags: self.per_tag.map(|n| TagCount {
                ads: n,
                share: share(n, total),
            }),
            title_checks: TitleChecks {
                mismatch: self.titles[0],
                mixed: self.titles[1],
                consistent: self.titles[2],
                no_claim: self.no_claim(),
            },
            claimed_vs_tag: Claimed {
                roles: self.claimed_vs_tag.map(claimed),
                nothing: claimed(self.unclaimed),
            },
            cx: CxCounts {
                ads: self.per_tag[Role::Cx],
                mandate: Mandates {
                    strong,
                    partial,
                    none,
                },
                breadth: Breadth {
                    strategy,
                    understanding,
                    design,
                    measurement,
                    governance,
                    culture,
                },
            },
            other: OtherCounts {
                ads: self.per_tag[Role::Other],
                no_evidence,
                too_thin,
                mixed,
                other_job,
                not_english,
            },
            rules: fingerprint,
        }
    }

    /// The summary as a long table of `(section, key, value, share)` rows; a share is of
    /// the section's whole (all ads, the ads claiming one role, the `cx` ads, the `other`
    /// ads), and empty where none applies.
    pub fn long_rows(&self, fingerprint: &str) -> Vec<[String; 4]> {
        let total = self.classified();
        let mut rows = Vec::new();
        let mut row = |section: &str, key: &str, value: String, share: Option<f64>| {
            rows.push([
                section.to_string(),
                key.to_string(),
                value,
                share.map_or_else(String::new, |s| s.to_string()),
            ]);
        };
        row("run", "schema", SCHEMA.to_string(), None);
        row("run", "rules", fingerprint.to_string(), None);
        row("run", "ads", total.to_string(), None);
        row("run", "failed", self.failed.to_string(), None);
        for (r, &n) in self.per_tag.iter() {
            row("tag", r.as_str(), n.to_string(), Some(share(n, total)));
        }
        for (o, n) in TITLE_OUTCOMES.iter().zip(self.titles) {
            row("title_check", o, n.to_string(), Some(share(n, total)));
        }
        let none = self.no_claim();
        row(
            "title_check",
            "no_claim",
            none.to_string(),
            Some(share(none, total)),
        );
        for (claimed, counts) in self.claim_rows() {
            let ads: usize = counts.values().sum();
            if ads == 0 {
                continue;
            }
            let section = format!("claimed_{claimed}");
            for (r, &n) in counts.iter() {
                row(&section, r.as_str(), n.to_string(), Some(share(n, ads)));
            }
        }
        let cx = self.per_tag[Role::Cx];
        for (m, n) in MANDATES.iter().zip(self.cx_mandate) {
            row("cx_mandate", m.as_str(), n.to_string(), Some(share(n, cx)));
        }
        for (d, n) in Discipline::ALL.iter().zip(self.cx_breadth) {
            row("cx_breadth", d.as_str(), n.to_string(), Some(share(n, cx)));
        }
        let other = self.per_tag[Role::Other];
        for (r, n) in REASONS.iter().zip(self.other_reasons) {
            row(
                "other_reason",
                reason_code(*r),
                n.to_string(),
                Some(share(n, other)),
            );
        }
        rows
    }
}

/// The summary's JSON form. Field names follow the records' vocabulary (`reason` codes,
/// title outcomes, mandate and discipline names).
#[derive(Debug, Serialize)]
pub struct SummaryRecord<'a> {
    /// Always `"summary"`.
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    ads: usize,
    failed: usize,
    tags: PerRole<TagCount>,
    title_checks: TitleChecks,
    claimed_vs_tag: Claimed,
    cx: CxCounts,
    other: OtherCounts,
    rules: &'a str,
}

#[derive(Debug, Serialize)]
struct TagCount {
    ads: usize,
    share: f64,
}

#[derive(Debug, Serialize)]
struct TitleChecks {
    mismatch: usize,
    mixed: usize,
    consistent: usize,
    no_claim: usize,
}

/// The ads whose title claims one role, by tag.
#[derive(Debug, Serialize)]
struct ClaimRow {
    ads: usize,
    #[serde(flatten)]
    tags: PerRole<usize>,
}

/// What titles claim (keys) against what the ads are.
#[derive(Debug, Serialize)]
struct Claimed {
    #[serde(flatten)]
    roles: PerRole<ClaimRow>,
    /// Titles that claim no role.
    nothing: ClaimRow,
}

#[derive(Debug, Serialize)]
struct CxCounts {
    ads: usize,
    mandate: Mandates,
    breadth: Breadth,
}

#[derive(Debug, Serialize)]
struct Mandates {
    strong: usize,
    partial: usize,
    none: usize,
}

/// How many `cx` ads cover each discipline.
#[derive(Debug, Serialize)]
struct Breadth {
    strategy: usize,
    understanding: usize,
    design: usize,
    measurement: usize,
    governance: usize,
    culture: usize,
}

#[derive(Debug, Serialize)]
struct OtherCounts {
    ads: usize,
    no_evidence: usize,
    too_thin: usize,
    mixed: usize,
    other_job: usize,
    not_english: usize,
}
