//! `cxtag eval`: score the classifier against labelled ads, and compare two rule sets.
//!
//! Labels are `id,label` rows. In JSON Lines mode an id is a record's id; otherwise it is
//! a file path relative to the label file. The report gives accuracy, macro-F1 over the
//! five tags, per-tag precision/recall/F1, the confusion matrix, calibration (accuracy per
//! confidence band) and the misclassified ads with their top evidence.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use comfy_table::{Cell, CellAlignment};
use serde::{Serialize, Serializer};

use crate::batch::{self, Outcome};
use crate::classify::Classifier;
use crate::cli::{Config, EvalArgs, InputFormat, ReportFormat, RuleArgs};
use crate::report::round;
use crate::rules::{PerRole, Role};
use crate::terminal::{Newlines, for_terminal};

/// Labelled ads: key (JSONL id, or canonical path) to label, with the ids as written.
#[derive(Debug, Default)]
pub struct Labels {
    /// Lookup key to label.
    pub by_key: HashMap<String, Role>,
    /// Lookup key to the id as written in the label file.
    pub written: HashMap<String, String>,
}

impl Labels {
    /// The label and written id of the ad reported as `source` (a JSONL id, or a path
    /// compared in canonical form), if it is labelled.
    pub fn find(&self, format: InputFormat, source: &str) -> Option<(Role, &str)> {
        let key = label_key(format, source);
        let &role = self.by_key.get(&key)?;
        Some((role, self.written.get(&key)?.as_str()))
    }

    /// In JSON Lines mode, the ids worth reading (records of other ids are skipped
    /// unclassified); `None` in text mode, where every input is read.
    pub fn only(&self, format: InputFormat) -> Option<HashSet<String>> {
        match format {
            InputFormat::Jsonl => Some(self.by_key.keys().cloned().collect()),
            InputFormat::Text => None,
        }
    }

    /// Fails when a labelled id is not among `seen` (the written ids of the ads read): a
    /// label with no ad is a mistake in the labels or the inputs, not a smaller test set.
    pub fn require_all<'a>(&self, seen: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let seen: HashSet<&str> = seen.into_iter().collect();
        let mut missing: Vec<&str> = self
            .written
            .values()
            .map(String::as_str)
            .filter(|id| !seen.contains(id))
            .collect();
        if !missing.is_empty() {
            missing.sort_unstable();
            let shown: Vec<&str> = missing.iter().take(5).copied().collect();
            bail!(
                "{} labelled id(s) have no ad in the inputs, e.g. {} (in JSON Lines mode ids are record ids; otherwise paths relative to the label file)",
                missing.len(),
                shown.join(", ")
            );
        }
        Ok(())
    }
}

/// The largest label file read (some two million labels, far more than anyone labels
/// by hand).
pub const LABELS_LIMIT: u64 = 64 << 20;

/// Reads an `id,label` file. In text mode, ids are paths relative to the file's folder.
pub fn read_labels(path: &Path, mode: InputFormat) -> Result<Labels> {
    let bytes = crate::input::read_capped(path, LABELS_LIMIT)
        .map_err(|e| anyhow::anyhow!("{}: cannot read labels: {e}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header row", path.display()))?
        .clone();
    let column = |name: &str| {
        headers.iter().position(|h| h == name).with_context(|| {
            format!(
                "{}: no `{name}` column in the header row (expected `id,label`)",
                path.display()
            )
        })
    };
    let (id_col, label_col) = (column("id")?, column("label")?);
    let base = path.parent().unwrap_or(Path::new("."));
    let mut labels = Labels::default();
    for row in reader.records() {
        let row = row.with_context(|| format!("{}: malformed CSV", path.display()))?;
        let line = row.position().map_or(0, |p| p.line());
        let id = row.get(id_col).unwrap_or("").to_string();
        let label = row.get(label_col).unwrap_or("");
        let Some(role) = Role::parse(label) else {
            bail!(
                "{}:{line}: unknown label {label:?} (expected one of: acquisition, service, improvement, cx, other)",
                path.display()
            );
        };
        if id.is_empty() {
            bail!("{}:{line}: empty id", path.display());
        }
        let key = match mode {
            InputFormat::Jsonl => id.clone(),
            InputFormat::Text => path_key(&base.join(&id)),
        };
        if labels.by_key.insert(key.clone(), role).is_some() {
            bail!("{}:{line}: id {id:?} is labelled twice", path.display());
        }
        labels.written.insert(key, id);
    }
    if labels.by_key.is_empty() {
        bail!("{}: no labelled ads", path.display());
    }
    Ok(labels)
}

/// The key a file path is looked up by: its canonical form when it exists.
fn path_key(p: &Path) -> String {
    std::fs::canonicalize(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// What eval keeps of one classified ad.
#[derive(Debug, Clone, Serialize)]
pub struct Scored {
    /// The id as in the label file (or the source when unlabelled).
    pub id: String,
    /// The label, when there is one.
    pub label: Option<Role>,
    /// cxtag's tag.
    pub tag: Role,
    /// Its confidence.
    pub confidence: f64,
    /// The ad's title.
    pub title: String,
    /// Top evidence, as `rule x count`.
    pub evidence: Vec<String>,
}

/// Classifies `config`'s inputs and keeps labelled ads (all ads without labels).
fn classify(
    config: &Config,
    classifier: &Classifier,
    labels: Option<&Labels>,
    err: &mut dyn Write,
) -> Result<(Vec<Scored>, bool)> {
    let only = labels.and_then(|l| l.only(config.input_format));
    let mut scored = Vec::new();
    let streamed = batch::classify_stream(
        config,
        classifier,
        only.as_ref(),
        err,
        &mut |outcome: Outcome| {
            if let Ok((ad, v)) = outcome {
                let (label, id) = match labels {
                    Some(l) => match l.find(config.input_format, &ad.id) {
                        Some((r, id)) => (Some(r), id.to_string()),
                        None => return Ok(()),
                    },
                    None => (None, ad.id.clone()),
                };
                scored.push(Scored {
                    id,
                    label,
                    tag: v.tag,
                    confidence: v.confidence,
                    title: v.title,
                    evidence: v
                        .evidence
                        .iter()
                        .take(3)
                        .map(|e| format!("{} x{}", e.rule, e.count))
                        .collect(),
                });
            }
            Ok(())
        },
    )?;
    Ok((scored, streamed.failed))
}

/// Precision, recall and F1 of one tag.
#[derive(Debug, Clone, Serialize)]
pub struct RoleScore {
    /// The tag.
    pub role: Role,
    /// Of the ads tagged so, the share labelled so.
    pub precision: f64,
    /// Of the ads labelled so, the share tagged so.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Ads labelled so.
    pub support: usize,
}

/// Accuracy within a band of confidence.
#[derive(Debug, Clone, Serialize)]
pub struct Band {
    /// Lower bound (inclusive).
    pub from: f64,
    /// Upper bound (exclusive, except the last band).
    pub to: f64,
    /// Ads in the band.
    pub count: usize,
    /// Their mean confidence.
    pub mean_confidence: f64,
    /// The share of them tagged right.
    pub accuracy: f64,
}

/// The scores of one run against the labels.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// Labelled ads scored.
    pub n: usize,
    /// Share tagged right.
    pub accuracy: f64,
    /// Mean F1 over the tags present in labels or tags (`other` included).
    pub macro_f1: f64,
    /// How many tags the mean is over.
    pub tags: usize,
    /// Per tag.
    pub per_role: Vec<RoleScore>,
    /// `confusion[label][tag]`; in JSON, rows of counts in [`Role::ALL`] order.
    #[serde(serialize_with = "rows_as_lists")]
    pub confusion: Confusion,
    /// Accuracy by confidence band (tenths).
    pub calibration: Vec<Band>,
    /// Expected calibration error: the count-weighted gap between confidence and accuracy.
    pub ece: f64,
}

/// Labelled ads counted by label and tag: `confusion[label][tag]`.
pub type Confusion = PerRole<PerRole<usize>>;

/// The confusion matrix as `eval --format json` prints it: a list of rows, each a list of
/// counts, in [`Role::ALL`] order.
fn rows_as_lists<S: Serializer>(confusion: &Confusion, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(
        confusion
            .values()
            .map(|row| row.values().collect::<Vec<_>>()),
    )
}

/// Precision, recall and F1 of `tag` (unrounded).
fn precision_recall_f1(confusion: &Confusion, tag: Role) -> (f64, f64, f64) {
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let tp = confusion[tag][tag];
    let tagged: usize = confusion.values().map(|row| row[tag]).sum();
    let support: usize = confusion[tag].values().sum();
    let (p, r) = (ratio(tp, tagged), ratio(tp, support));
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f1)
}

/// Whether `tag` occurs among the labels or the tags: macro-F1 averages over these.
fn present(confusion: &Confusion, tag: Role) -> bool {
    Role::ALL
        .into_iter()
        .any(|r| confusion[tag][r] > 0 || confusion[r][tag] > 0)
}

/// Mean F1 over the tags present in labels or tags (`other` included), unrounded: the one
/// definition `eval` reports and `rules fit` optimises.
pub fn macro_f1(confusion: &Confusion) -> f64 {
    let f1s: Vec<f64> = Role::ALL
        .into_iter()
        .filter(|&r| present(confusion, r))
        .map(|r| precision_recall_f1(confusion, r).2)
        .collect();
    f1s.iter().sum::<f64>() / f1s.len().max(1) as f64
}

/// Scores `ads` (all labelled).
pub fn metrics(ads: &[Scored]) -> Metrics {
    let mut confusion = Confusion::default();
    for a in ads {
        if let Some(l) = a.label {
            confusion[l][a.tag] += 1;
        }
    }
    let n: usize = confusion.values().flat_map(PerRole::values).sum();
    let right: usize = Role::ALL.into_iter().map(|r| confusion[r][r]).sum();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let per_role: Vec<RoleScore> = Role::ALL
        .iter()
        .map(|&r| {
            let (p, rec, f1) = precision_recall_f1(&confusion, r);
            RoleScore {
                role: r,
                precision: round(p),
                recall: round(rec),
                f1: round(f1),
                support: confusion[r].values().sum(),
            }
        })
        .collect();
    let tags = Role::ALL
        .into_iter()
        .filter(|&r| present(&confusion, r))
        .count();
    let macro_f1 = macro_f1(&confusion);
    let mut calibration = Vec::new();
    let mut ece = 0.0;
    for b in 0..10 {
        let (from, to) = (b as f64 / 10.0, (b + 1) as f64 / 10.0);
        let inside: Vec<&Scored> = ads
            .iter()
            .filter(|a| a.label.is_some())
            .filter(|a| {
                a.confidence >= from && (a.confidence < to || (b == 9 && a.confidence <= 1.0))
            })
            .collect();
        if inside.is_empty() {
            continue;
        }
        let count = inside.len();
        let mean = inside.iter().map(|a| a.confidence).sum::<f64>() / count as f64;
        let acc = ratio(
            inside.iter().filter(|a| a.label == Some(a.tag)).count(),
            count,
        );
        ece += count as f64 / n.max(1) as f64 * (mean - acc).abs();
        calibration.push(Band {
            from,
            to,
            count,
            mean_confidence: round(mean),
            accuracy: round(acc),
        });
    }
    Metrics {
        n,
        accuracy: round(ratio(right, n)),
        macro_f1: round(macro_f1),
        tags,
        per_role,
        confusion,
        calibration,
        ece: round(ece),
    }
}

/// An ad whose tag differs between two rule sets.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The ad.
    pub id: String,
    /// Its label, when known.
    pub label: Option<Role>,
    /// Tag with the compared (old) rules.
    pub old: Role,
    /// Tag with the current rules.
    pub new: Role,
}

/// The whole `eval` result.
#[derive(Debug, Serialize)]
pub struct EvalReport {
    /// Fingerprint of the rules scored.
    pub rules: String,
    /// Scores against the labels (absent when only comparing without labels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    /// Misclassified ads.
    pub errors: Vec<Scored>,
    /// With `--compare-rules`: the other rule set's fingerprint and scores, and the ads
    /// whose tag changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<Comparison>,
}

/// The result of `--compare-rules`.
#[derive(Debug, Serialize)]
pub struct Comparison {
    /// Fingerprint of the compared rules.
    pub rules: String,
    /// Their scores against the labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<Metrics>,
    /// Ads compared.
    pub ads: usize,
    /// Ads whose tag changes, old -> new.
    pub changed: Vec<Change>,
}

/// Loads the rules of `rules` into a classifier, or says why not.
fn classifier(rules: &RuleArgs) -> Result<Classifier> {
    rules
        .load()
        .map(Classifier::new)
        .map_err(|e| anyhow::anyhow!("the rules cannot be used:\n{e}"))
}

/// The key an ad is found under in [`Labels`]: its JSONL id, or its canonical path.
fn label_key(format: InputFormat, source: &str) -> String {
    match format {
        InputFormat::Jsonl => source.to_string(),
        InputFormat::Text => path_key(Path::new(source)),
    }
}

/// Runs `cxtag eval`; returns the exit code.
pub fn run(args: EvalArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let config = Config::new(args.paths.clone(), args.input.clone(), args.rules.clone());
    let labels = match &args.labels {
        Some(p) => Some(read_labels(p, config.input_format)?),
        None => None,
    };
    let current = classifier(&args.rules)?;
    let (ads, failed) = classify(&config, &current, labels.as_ref(), err)?;
    if let Some(l) = &labels {
        l.require_all(ads.iter().map(|a| a.id.as_str()))?;
    }
    let scores = labels.as_ref().map(|_| metrics(&ads));
    let errors: Vec<Scored> = ads
        .iter()
        .filter(|a| a.label.is_some_and(|l| l != a.tag))
        .cloned()
        .collect();
    let compare = match &args.compare_rules {
        Some(old_path) => {
            let old_rules = RuleArgs {
                rules: vec![old_path.clone()],
                no_default_rules: true,
                from_settings: false,
            };
            let old = classifier(&old_rules)?;
            let (old_ads, _) = classify(&config, &old, labels.as_ref(), err)?;
            let before: HashMap<&str, Role> =
                old_ads.iter().map(|a| (a.id.as_str(), a.tag)).collect();
            let changed = ads
                .iter()
                .filter_map(|a| {
                    let &old = before.get(a.id.as_str())?;
                    (old != a.tag).then(|| Change {
                        id: a.id.clone(),
                        label: a.label,
                        old,
                        new: a.tag,
                    })
                })
                .collect();
            Some(Comparison {
                rules: old.rules.fingerprint.clone(),
                metrics: labels.as_ref().map(|_| metrics(&old_ads)),
                ads: ads.len(),
                changed,
            })
        }
        None => None,
    };
    let report = EvalReport {
        rules: current.rules.fingerprint.clone(),
        metrics: scores,
        errors,
        compare,
    };
    let written = match args.format {
        // `From` keeps the kind of a write error, so a closed pipe stays one.
        ReportFormat::Json => serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out)),
        ReportFormat::Table => {
            write_tables(&report, args.show, crate::cli::table_width(args.width), out)
        }
    };
    Ok(batch::exit_after_write(written, failed)?)
}

/// A table in cxtag's style.
pub fn table(width: u16) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(comfy_table::ContentArrangement::Dynamic)
        .set_width(width);
    t
}

fn num(x: impl ToString) -> Cell {
    Cell::new(x.to_string()).set_alignment(CellAlignment::Right)
}

fn write_metrics(m: &Metrics, width: u16, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} labelled ads: accuracy {:.3}, macro-F1 {:.3} (over {} tags, other included)",
        m.n, m.accuracy, m.macro_f1, m.tags
    )?;
    let mut t = table(width);
    t.set_header(["tag", "precision", "recall", "F1", "support"]);
    for s in &m.per_role {
        t.add_row(vec![
            Cell::new(s.role),
            num(format!("{:.3}", s.precision)),
            num(format!("{:.3}", s.recall)),
            num(format!("{:.3}", s.f1)),
            num(s.support),
        ]);
    }
    writeln!(out, "{t}")?;
    let mut t = table(width);
    let mut header = vec!["label \\ tag".to_string()];
    header.extend(Role::ALL.iter().map(|r| r.to_string()));
    t.set_header(header);
    for l in Role::ALL {
        let mut row = vec![Cell::new(l)];
        row.extend(m.confusion[l].values().map(|&c| num(c)));
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    writeln!(
        out,
        "calibration (expected calibration error {:.3}):",
        m.ece
    )?;
    let mut t = table(width);
    t.set_header(["confidence", "ads", "mean confidence", "accuracy"]);
    for b in &m.calibration {
        t.add_row(vec![
            Cell::new(format!("{:.1}-{:.1}", b.from, b.to)),
            num(b.count),
            num(format!("{:.3}", b.mean_confidence)),
            num(format!("{:.3}", b.accuracy)),
        ]);
    }
    writeln!(out, "{t}")
}

fn write_tables(r: &EvalReport, show: usize, width: u16, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "rules {}", r.rules)?;
    if let Some(m) = &r.metrics {
        write_metrics(m, width, out)?;
        if !r.errors.is_empty() && show > 0 {
            writeln!(
                out,
                "misclassified: {} (showing {})",
                r.errors.len(),
                r.errors.len().min(show)
            )?;
            let mut t = table(width);
            t.set_header(["ad", "label", "tag", "conf", "top evidence"]);
            for e in r.errors.iter().take(show) {
                t.add_row(vec![
                    Cell::new(format!(
                        "{}\n{}",
                        for_terminal(&e.id, Newlines::Escape),
                        for_terminal(&e.title, Newlines::Escape)
                    )),
                    Cell::new(e.label.map_or("-", Role::as_str)),
                    Cell::new(e.tag),
                    num(format!("{:.2}", e.confidence)),
                    Cell::new(e.evidence.join("\n")),
                ]);
            }
            writeln!(out, "{t}")?;
        }
    }
    if let Some(c) = &r.compare {
        writeln!(
            out,
            "compared with rules {}: {} of {} ads change tag",
            c.rules,
            c.changed.len(),
            c.ads
        )?;
        if let (Some(old), Some(new)) = (&c.metrics, &r.metrics) {
            writeln!(
                out,
                "macro-F1 {:.3} -> {:.3}, accuracy {:.3} -> {:.3}",
                old.macro_f1, new.macro_f1, old.accuracy, new.accuracy
            )?;
        }
        if !c.changed.is_empty() && show > 0 {
            let mut t = table(width);
            t.set_header(["ad", "label", "old tag", "new tag"]);
            for ch in c.changed.iter().take(show) {
                t.add_row(vec![
                    Cell::new(for_terminal(&ch.id, Newlines::Escape)),
                    Cell::new(ch.label.map_or("-", Role::as_str)),
                    Cell::new(ch.old),
                    Cell::new(ch.new),
                ]);
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(())
}
