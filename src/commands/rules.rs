//! `cxtag rules check|list|test|stats|fit`: the tools of a rule author (`fit` lives in
//! [`crate::commands::fit`]).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use comfy_table::{Cell, CellAlignment};
use serde::Serialize;

use crate::batch::{self, Outcome};
use crate::classify::Classifier;
use crate::cli::{Config, InputArgs, ListFormat, ReportFormat, RuleArgs, RulesCommand};
use crate::commands::eval::{read_labels, table};
use crate::error::Diagnostic;
use crate::exit_codes::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};
use crate::matcher::Scratch;
use crate::report::round;
use crate::rules::{self, Counts, Rule, RuleSet, RuleSource, Scope};
use crate::terminal::{Newlines, for_terminal};

/// Runs a `rules` subcommand; returns the exit code.
pub fn run(command: RulesCommand, out: &mut dyn Write, err: &mut dyn Write) -> Result<u8> {
    let written = match command {
        RulesCommand::Check {
            paths,
            no_default_rules,
        } => return check(&paths, !no_default_rules, out, err),
        RulesCommand::List {
            role,
            format,
            rules,
        } => list(&load(rules)?, role.as_deref(), format, out),
        RulesCommand::Test { rules } => return test(&load(rules)?, out),
        RulesCommand::Stats {
            paths,
            labels,
            format,
            input,
            rules,
        } => return stats(paths, labels.as_deref(), format, input, rules, out, err),
        RulesCommand::Fit(args) => return crate::commands::fit::run(args, out, err),
    };
    finish(written)
}

/// Maps a write result to an exit code; a closed pipe is not an error.
fn finish(written: io::Result<()>) -> Result<u8> {
    match written {
        Ok(()) => Ok(EXIT_OK),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(e) => Err(batch::output_error(e).into()),
    }
}

fn load(rules: RuleArgs) -> Result<RuleSet> {
    rules
        .load()
        .map_err(|e| anyhow!("the rules cannot be used:\n{e}"))
}

/// `rules check`: every problem of the defaults and `paths`, like a compiler.
fn check(
    paths: &[PathBuf],
    defaults: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let mut sources = if defaults {
        RuleSource::defaults()
    } else {
        Vec::new()
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    for p in paths {
        match RuleSource::read(p) {
            Ok(s) => sources.extend(s),
            Err(d) => diags.push(d),
        }
    }
    let (set, more) = rules::check(&sources);
    diags.extend(more);
    for d in &diags {
        writeln!(err, "{}", for_terminal(&d.to_string(), Newlines::Keep))?;
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let rules = set.map_or(0, |s| s.rules.len());
    let summary = format!(
        "{} file(s), {} rule(s): {errors} error(s), {warnings} warning(s)",
        sources.len(),
        rules
    );
    finish(writeln!(out, "{summary}"))?;
    Ok(if errors > 0 { EXIT_USAGE } else { EXIT_OK })
}

/// Whether `rules list --role want` lists a rule that counts for `counts`: `want` names
/// what it counts for (`service`, `mandate`, `breadth: design`, also written
/// `breadth:design`), or is `breadth` for every breadth rule.
fn selected(counts: Counts, want: &str) -> bool {
    let label = counts.to_string().replace(' ', "");
    let want = want.replace(' ', "");
    label == want || label.starts_with(&format!("{want}:"))
}

fn scope(rule: &Rule) -> &'static str {
    match rule.scope {
        Scope::Any => "any",
        Scope::Title => "title",
        Scope::Body => "body",
    }
}

/// A rule as `rules list --format json` prints it.
#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    /// What it counts for: a role, `mandate` or `breadth: <discipline>`.
    role: Counts,
    /// For a signal rule, its signal as a value (`"mandate"`, `{"breadth": "design"}`),
    /// as the listing had it before `role` named it.
    #[serde(skip_serializing_if = "Option::is_none")]
    signal: Option<serde_json::Value>,
    weight: f64,
    kind: &'static str,
    scope: &'static str,
    patterns: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a str>,
    origin: &'a str,
}

/// `rules list`.
fn list(
    set: &RuleSet,
    role: Option<&str>,
    format: ListFormat,
    out: &mut dyn Write,
) -> io::Result<()> {
    let chosen: Vec<&Rule> = set
        .rules
        .iter()
        .filter(|r| role.is_none_or(|want| selected(r.counts, want)))
        .collect();
    match format {
        ListFormat::Patterns => {
            let mut seen = std::collections::HashSet::new();
            for r in &chosen {
                for l in &r.literals {
                    if seen.insert(l.text.as_str()) {
                        writeln!(out, "{}", l.text)?;
                    }
                }
            }
            Ok(())
        }
        ListFormat::Json => {
            let listed: Vec<Listed> = chosen
                .iter()
                .map(|r| Listed {
                    id: &r.id,
                    role: r.counts,
                    signal: match r.counts {
                        Counts::Role(_) => None,
                        Counts::Mandate => Some(serde_json::json!("mandate")),
                        Counts::Breadth(d) => Some(serde_json::json!({ "breadth": d })),
                    },
                    weight: r.weight,
                    kind: r.kind(),
                    scope: scope(r),
                    patterns: &r.patterns,
                    why: r.why.as_deref(),
                    origin: &r.origin,
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &listed).map_err(io::Error::other)?;
            writeln!(out)
        }
        ListFormat::Table => {
            let mut t = table(crate::cli::table_width(None));
            t.set_header(["role", "id", "weight", "kind", "scope", "patterns"]);
            for r in &chosen {
                let shown: Vec<&str> = r.patterns.iter().take(8).map(String::as_str).collect();
                let more = r.patterns.len().saturating_sub(shown.len());
                let mut patterns = shown.join(", ");
                if more > 0 {
                    patterns.push_str(&format!(" … (+{more})"));
                }
                t.add_row(vec![
                    Cell::new(r.counts),
                    Cell::new(for_terminal(&r.id, Newlines::Escape)),
                    Cell::new(r.weight).set_alignment(CellAlignment::Right),
                    Cell::new(r.kind()),
                    Cell::new(scope(r)),
                    Cell::new(for_terminal(&patterns, Newlines::Keep)),
                ]);
            }
            writeln!(out, "{t}")?;
            writeln!(out, "{} rule(s)", chosen.len())
        }
    }
}

/// `rules test`: every rule's examples must fire it, its counterexamples must not.
fn test(set: &RuleSet, out: &mut dyn Write) -> Result<u8> {
    let classifier = Classifier::new(set.clone());
    let mut scratch = Scratch::default();
    let (mut tried, mut failures) = (0usize, Vec::new());
    for rule in &set.rules {
        let cases = rule
            .examples
            .iter()
            .map(|e| (e, true))
            .chain(rule.counterexamples.iter().map(|e| (e, false)));
        for (text, must_fire) in cases {
            tried += 1;
            // A body-scoped rule never fires in the title, which a one-line ad is.
            let ad = if rule.scope == Scope::Body {
                format!("Job ad\n{text}")
            } else {
                text.clone()
            };
            let v = classifier.classify(&ad, &mut scratch);
            let fired = v
                .evidence
                .iter()
                .chain(&v.signals)
                .any(|e| e.rule == rule.id);
            if fired != must_fire {
                failures.push(format!(
                    "{}: rule `{}`: {} {text:?} {}",
                    rule.origin,
                    rule.id,
                    if must_fire {
                        "example"
                    } else {
                        "counterexample"
                    },
                    if must_fire {
                        "does not fire it"
                    } else {
                        "fires it"
                    }
                ));
            }
        }
    }
    let written = (|| -> io::Result<()> {
        for f in &failures {
            writeln!(out, "FAIL {f}")?;
        }
        writeln!(
            out,
            "{tried} example(s) and counterexample(s) of {} rule(s): {} failed",
            set.rules.len(),
            failures.len()
        )
    })();
    finish(written)?;
    Ok(if failures.is_empty() {
        EXIT_OK
    } else {
        EXIT_USAGE
    })
}

/// One rule's statistics over a corpus.
#[derive(Debug, Serialize)]
struct RuleStats<'a> {
    id: &'a str,
    about: String,
    /// Ads it fired in.
    ads: usize,
    /// Share of all ads.
    coverage: f64,
    /// Of the ads it fired in, the share tagged another role than its own (role rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    conflict: Option<f64>,
    /// Labelled ads it fired in.
    #[serde(skip_serializing_if = "Option::is_none")]
    labelled: Option<usize>,
    /// Of those, the share labelled with its role (role rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<f64>,
}

/// `rules stats`.
fn stats(
    paths: Vec<PathBuf>,
    labels: Option<&Path>,
    format: ReportFormat,
    input: InputArgs,
    rules: RuleArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let config = Config::new(paths, input, rules.clone());
    let set = load(rules)?;
    let labels = match labels {
        Some(p) => Some(read_labels(p, config.input_format)?),
        None => None,
    };
    let n = set.rules.len();
    let (mut fired, mut lost, mut labelled, mut right) = (
        vec![0usize; n],
        vec![0usize; n],
        vec![0usize; n],
        vec![0usize; n],
    );
    let mut total = 0usize;
    let classifier = Classifier::new(set.clone());
    let streamed = batch::classify_stream(&config, &classifier, None, err, &mut |o: Outcome| {
        let Ok((ad, v)) = o else { return Ok(()) };
        total += 1;
        let label = labels
            .as_ref()
            .and_then(|l| l.find(config.input_format, &ad.id).map(|(role, _)| role));
        for e in v.evidence.iter().chain(&v.signals) {
            let i = e.id.0;
            fired[i] += 1;
            let rule = &set.rules[i];
            if rule.counts.role().is_some_and(|role| v.tag != role) {
                lost[i] += 1;
            }
            if let Some(l) = label {
                labelled[i] += 1;
                if rule.counts == Counts::Role(l) {
                    right[i] += 1;
                }
            }
        }
        Ok(())
    })?;
    let ratio = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            round(a as f64 / b as f64)
        }
    };
    let rows: Vec<RuleStats> = set
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| RuleStats {
            id: &r.id,
            about: r.counts.to_string(),
            ads: fired[i],
            coverage: ratio(fired[i], total),
            conflict: (!r.counts.is_signal()).then(|| ratio(lost[i], fired[i])),
            labelled: labels.as_ref().map(|_| labelled[i]),
            precision: (labels.is_some() && !r.counts.is_signal())
                .then(|| ratio(right[i], labelled[i])),
        })
        .collect();
    let written = match format {
        ReportFormat::Json => serde_json::to_writer_pretty(&mut *out, &rows)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        ReportFormat::Table => (|| {
            let mut t = table(crate::cli::table_width(None));
            let mut header = vec!["rule", "role", "ads", "coverage", "conflict"];
            if labels.is_some() {
                header.extend(["labelled", "precision"]);
            }
            t.set_header(header);
            let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.1}%", 100.0 * x));
            for s in &rows {
                let mut row = vec![
                    Cell::new(s.id),
                    Cell::new(&s.about),
                    Cell::new(s.ads).set_alignment(CellAlignment::Right),
                    Cell::new(pct(Some(s.coverage))).set_alignment(CellAlignment::Right),
                    Cell::new(pct(s.conflict)).set_alignment(CellAlignment::Right),
                ];
                if labels.is_some() {
                    row.push(
                        Cell::new(s.labelled.unwrap_or(0)).set_alignment(CellAlignment::Right),
                    );
                    row.push(Cell::new(pct(s.precision)).set_alignment(CellAlignment::Right));
                }
                t.add_row(row);
            }
            writeln!(out, "{t}")?;
            writeln!(
                out,
                "{total} ads; conflict = share of a rule's ads tagged another role; precision = share of its labelled ads labelled with its role"
            )
        })(),
    };
    finish(written)?;
    Ok(if streamed.failed { EXIT_INPUT } else { EXIT_OK })
}
