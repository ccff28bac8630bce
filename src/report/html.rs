//! `--format html`: one self-contained page (inline CSS and SVG, no scripts, fonts or
//! network requests) with a summary of the batch and each ad's text with its evidence
//! marked in its role's colour.
//!
//! Ads are written as they come; the summary, which needs them all, is written last and
//! shown first (CSS `order`). Only small per-ad rows are kept for it. All ad text goes
//! through `html_escape`, never through hand-written replacement.

use std::fmt::Write as _;
use std::io::{self, Write};

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::{Report, ReportOptions, error_source};
use crate::classify::Verdict;
use crate::document::Section;
use crate::error::{InputError, floor_char_boundary};
use crate::rules::{Role, RuleSet, Signal};

/// Ads shown in full (text and evidence); later ads are listed in the summary only.
pub const DETAILED_ADS: usize = 100;
/// Rows of the summary table; the counts and the chart cover every ad.
pub const TABLE_ROWS: usize = 1000;
/// Bytes of one ad's text shown; the rest is cut with a note.
pub const TEXT_LIMIT: usize = 20_000;
/// Failed inputs listed by name; the count covers them all ("and N more"), so a million
/// bad lines make a short page, not a 195 MB one.
pub const FAILURES_LISTED: usize = 100;

/// What the page needs to know of a rule.
struct RuleInfo {
    id: String,
    class: &'static str,
    label: String,
    why: String,
}

/// One row of the summary table.
struct Row {
    index: usize,
    source: String,
    title: String,
    tag: Role,
    confidence: f64,
    suggested: Option<String>,
    mismatch: bool,
    mandate: &'static str,
    breadth: usize,
}

/// The HTML report.
pub struct Html {
    rules: Vec<RuleInfo>,
    rows: Vec<Row>,
    per_tag: [usize; 5],
    mismatches: usize,
    /// The first [`FAILURES_LISTED`] failures: source and error.
    failures: Vec<(String, String)>,
    failed: usize,
    count: usize,
    started: bool,
}

fn class(role: Role) -> &'static str {
    match role {
        Role::Acquisition => "r-acquisition",
        Role::Service => "r-service",
        Role::Improvement => "r-improvement",
        Role::Cx => "r-cx",
        Role::Other => "r-other",
    }
}

const STYLE: &str = r#"
:root { --acq:#E69F00; --svc:#56B4E9; --imp:#009E73; --cx:#CC79A7; --oth:#999999; --sig:#F0E442; --ink:#1d1d1f; --muted:#8a8a8e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fafafa; }
main { display: flex; flex-direction: column; gap: 1.5rem; max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
.summary { order: -1; }
section { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 1rem 1.25rem; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; } h2 { font-size: 1.15rem; margin: 0 0 .25rem; }
.source { color: var(--muted); font-size: .85rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
.tag { display: inline-block; padding: 0 .5em; border-radius: 4px; font-weight: 600; border: 2px solid; }
.tag.r-acquisition { border-color: var(--acq); } .tag.r-service { border-color: var(--svc); border-style: dashed; }
.tag.r-improvement { border-color: var(--imp); border-style: dotted; } .tag.r-cx { border-color: var(--cx); border-style: double; border-width: 4px; }
.tag.r-other { border-color: var(--oth); }
mark { background: none; padding: 0 1px; border-bottom: 3px solid; }
mark.r-acquisition { background: #E69F0033; border-bottom-color: var(--acq); }
mark.r-service { background: #56B4E933; border-bottom: 3px dashed var(--svc); }
mark.r-improvement { background: #009E7333; border-bottom: 3px dotted var(--imp); }
mark.r-cx { background: #CC79A733; border-bottom: 4px double var(--cx); }
mark.r-other { background: #99999933; border-bottom-color: var(--oth); }
mark.r-signal { background: #F0E44255; border-bottom: 2px solid #b8a800; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .92rem; border-top: 1px solid #eee; padding-top: .75rem; }
.muted { color: var(--muted); }
.warn { background: #fff4e5; border-left: 4px solid #D55E00; padding: .4rem .75rem; margin: .5rem 0; }
.facts { margin: .25rem 0; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
td.num, th.num { text-align: right; }
.legend span { margin-right: 1rem; white-space: nowrap; }
.note { color: var(--muted); font-size: .85rem; }
"#;

impl Html {
    /// An HTML report for ads classified with `rules`.
    pub fn new(_options: ReportOptions, rules: &RuleSet) -> Self {
        let rules = rules
            .rules
            .iter()
            .map(|r| {
                let (class, label) = match r.signal {
                    Some(Signal::Mandate) => ("r-signal", "mandate".to_string()),
                    Some(Signal::Breadth(d)) => ("r-signal", format!("breadth: {d}")),
                    None => (class(r.role), r.role.to_string()),
                };
                RuleInfo {
                    id: r.id.clone(),
                    class,
                    label,
                    why: r.why.clone().unwrap_or_default(),
                }
            })
            .collect();
        Html {
            rules,
            rows: Vec::new(),
            per_tag: [0; 5],
            mismatches: 0,
            failures: Vec::new(),
            failed: 0,
            count: 0,
            started: false,
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.started {
            self.started = true;
            write!(
                out,
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
                 <title>cxtag report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            )?;
        }
        Ok(())
    }

    /// The ad's text with hits marked and down-weighted sections muted.
    fn marked_text(&self, ad: &str, v: &Verdict) -> String {
        let limit = floor_char_boundary(ad, TEXT_LIMIT.min(ad.len()));
        let shown = &ad[..limit];
        // Non-overlapping marks, first come first served.
        let mut marks: Vec<(usize, usize, usize)> = Vec::new();
        for h in &v.highlights {
            if h.end > limit || h.start >= h.end {
                continue;
            }
            if marks.last().is_none_or(|&(_, end, _)| h.start >= end) {
                marks.push((h.start, h.end, h.rule));
            }
        }
        let muted = |s: Section| {
            matches!(
                s,
                Section::Company | Section::Benefits | Section::Boilerplate
            )
        };
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for (i, &(start, section)) in v.sections.iter().enumerate() {
            let end = v.sections.get(i + 1).map_or(ad.len(), |&(s, _)| s);
            if muted(section) && start < end {
                ranges.push((start.min(limit), end.min(limit)));
            }
        }
        let mut cuts: Vec<usize> = vec![0, limit];
        for &(s, e, _) in &marks {
            cuts.extend([s, e]);
        }
        for &(s, e) in &ranges {
            cuts.extend([s, e]);
        }
        cuts.retain(|&c| c <= limit && shown.is_char_boundary(c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut html = String::with_capacity(limit + limit / 4);
        for pair in cuts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a == b {
                continue;
            }
            let piece = text(&shown[a..b]);
            let is_muted = ranges.iter().any(|&(s, e)| s <= a && a < e);
            let mark = marks.iter().find(|&&(s, e, _)| s <= a && a < e);
            if is_muted {
                html.push_str("<span class=\"muted\">");
            }
            match mark {
                Some(&(_, _, rule)) => {
                    let r = &self.rules[rule];
                    let tip = if r.why.is_empty() {
                        format!("{} ({})", r.id, r.label)
                    } else {
                        format!("{} ({}): {}", r.id, r.label, r.why)
                    };
                    let _ = write!(
                        html,
                        "<mark class=\"{}\" data-rule=\"{}\" title=\"{}\">{piece}</mark>",
                        r.class,
                        attr(&r.id),
                        attr(&tip)
                    );
                }
                None => html.push_str(&piece),
            }
            if is_muted {
                html.push_str("</span>");
            }
        }
        if limit < ad.len() {
            let _ = write!(
                html,
                "\n<span class=\"note\">[… {} more bytes not shown]</span>",
                ad.len() - limit
            );
        }
        html
    }
}

fn tag_chip(role: Role) -> String {
    format!("<span class=\"tag {}\">{role}</span>", class(role))
}

/// A horizontal bar chart of ads per tag, as inline SVG.
fn chart(per_tag: &[usize; 5]) -> String {
    let max = per_tag.iter().copied().max().unwrap_or(0).max(1);
    let total: usize = per_tag.iter().sum();
    let colours = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#999999"];
    let patterns = ["", "6 3", "2 2", "10 2 2 2", ""];
    let mut svg = String::from(
        "<svg role=\"img\" aria-label=\"ads per tag\" viewBox=\"0 0 520 150\" width=\"100%\" \
         xmlns=\"http://www.w3.org/2000/svg\" style=\"max-width:520px\">",
    );
    for (i, role) in Role::ALL.iter().enumerate() {
        let n = per_tag[role.index()];
        let w = 320.0 * n as f64 / max as f64;
        let y = 8 + i * 28;
        let share = if total > 0 {
            100.0 * n as f64 / total as f64
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"13\">{role}</text>\
             <rect x=\"100\" y=\"{y}\" width=\"{w:.1}\" height=\"18\" fill=\"{}\" fill-opacity=\"0.45\" \
             stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{}\" font-size=\"13\">{n} ({share:.0}%)</text>",
            y + 14,
            colours[i],
            colours[i],
            patterns[i],
            106.0 + w,
            y + 14,
        );
    }
    svg.push_str("</svg>");
    svg
}

impl Report for Html {
    fn ad(&mut self, out: &mut dyn Write, source: &str, ad: &str, v: &Verdict) -> io::Result<()> {
        self.start(out)?;
        let index = self.count;
        self.count += 1;
        self.per_tag[v.tag.index()] += 1;
        if v.mismatch.is_some() {
            self.mismatches += 1;
        }
        if self.rows.len() < TABLE_ROWS {
            self.rows.push(Row {
                index,
                source: source.to_string(),
                title: v.title.clone(),
                tag: v.tag,
                confidence: v.confidence,
                suggested: v.mismatch.as_ref().and_then(|m| m.suggested_title.clone()),
                mismatch: v.mismatch.is_some(),
                mandate: v.mandate.as_str(),
                breadth: v.breadth.len(),
            });
        }
        if index >= DETAILED_ADS {
            return Ok(());
        }
        let mut s = String::new();
        let _ = write!(
            s,
            "<section class=\"ad\" id=\"ad-{index}\">\n<h2>{}</h2>\n<p class=\"source\">{}</p>\n",
            text(&v.title),
            text(source)
        );
        let _ = write!(
            s,
            "<p class=\"facts\">{} confidence {:.2}",
            tag_chip(v.tag),
            v.confidence
        );
        if let Some(r) = v.runner_up {
            let _ = write!(s, ", then {}", tag_chip(r));
        }
        if let Some(reason) = v.reason {
            let _ = write!(s, " ({})", text(reason.describe()));
        }
        s.push_str("</p>\n");
        if let Some(m) = &v.mismatch {
            let _ = write!(s, "<p class=\"warn\">Title mismatch: {}", text(&m.reason));
            if let Some(t) = &m.suggested_title {
                let _ = write!(
                    s,
                    "<br>A title that says what it means: <strong>{}</strong>",
                    text(t)
                );
            }
            s.push_str("</p>\n");
        }
        let disciplines: Vec<&str> = v.breadth.iter().map(|d| d.as_str()).collect();
        let _ = writeln!(
            s,
            "<p class=\"facts\">Mandate: <strong>{}</strong>. CX breadth: {}/6{}.</p>",
            v.mandate.as_str(),
            disciplines.len(),
            if disciplines.is_empty() {
                String::new()
            } else {
                format!(" ({})", disciplines.join(", "))
            }
        );
        let _ = write!(
            s,
            "<div class=\"text\">{}</div>\n</section>\n",
            self.marked_text(ad, v)
        );
        out.write_all(s.as_bytes())
    }

    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.start(out)?;
        self.failed += 1;
        if self.failures.len() < FAILURES_LISTED {
            self.failures.push((error_source(error), error.to_string()));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.start(out)?;
        let mut s = String::from("<section class=\"summary\">\n<h1>cxtag report</h1>\n");
        let _ = writeln!(
            s,
            "<p>{} ads classified, {} title mismatches, {} inputs failed.</p>",
            self.count, self.mismatches, self.failed
        );
        s.push_str(&chart(&self.per_tag));
        s.push_str("<p class=\"legend\">Evidence marks: ");
        for role in Role::ALL {
            let _ = write!(
                s,
                "<span><mark class=\"{}\">{role}</mark></span>",
                class(role)
            );
        }
        s.push_str(
            "<span><mark class=\"r-signal\">mandate / breadth</mark></span> \
                    <span class=\"muted\">muted: company blurb, benefits, boilerplate</span></p>\n",
        );
        if !self.rows.is_empty() {
            s.push_str(
                "<table>\n<thead><tr><th class=\"num\">#</th><th>ad</th><th>tag</th>\
                 <th class=\"num\">conf</th><th>title check</th><th>mandate</th>\
                 <th class=\"num\">breadth</th></tr></thead>\n<tbody>\n",
            );
            for r in &self.rows {
                let name = format!(
                    "{}<br><span class=\"source\">{}</span>",
                    text(&r.title),
                    text(&r.source)
                );
                let ad = if r.index < DETAILED_ADS {
                    format!("<a href=\"#ad-{}\">{name}</a>", r.index)
                } else {
                    name
                };
                let check = match (&r.suggested, r.mismatch) {
                    (Some(t), _) => format!("mismatch: say “{}”", text(t)),
                    (None, true) => "mismatch".to_string(),
                    (None, false) => String::new(),
                };
                let _ = writeln!(
                    s,
                    "<tr><td class=\"num\">{}</td><td>{ad}</td><td>{}</td><td class=\"num\">{:.2}</td>\
                     <td>{check}</td><td>{}</td><td class=\"num\">{}/6</td></tr>",
                    r.index + 1,
                    tag_chip(r.tag),
                    r.confidence,
                    r.mandate,
                    r.breadth
                );
            }
            s.push_str("</tbody>\n</table>\n");
        }
        if self.count > self.rows.len() || self.count > DETAILED_ADS {
            let _ = writeln!(
                s,
                "<p class=\"note\">The table lists the first {} ads and the first {} are shown in full; \
                 the counts and the chart cover all {}. Use <code>--format csv</code> for every row.</p>",
                self.rows.len(),
                DETAILED_ADS.min(self.count),
                self.count
            );
        }
        if !self.failures.is_empty() {
            s.push_str("<h2>Inputs that failed</h2>\n<ul>\n");
            for (source, error) in &self.failures {
                let _ = writeln!(
                    s,
                    "<li><strong>{}</strong>: {}</li>",
                    text(source),
                    text(error)
                );
            }
            if self.failed > self.failures.len() {
                let _ = writeln!(
                    s,
                    "<li>and {} more (standard error, or <code>--format jsonl</code>, lists every one)</li>",
                    self.failed - self.failures.len()
                );
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</section>\n</main>\n</body>\n</html>\n");
        out.write_all(s.as_bytes())
    }
}
