//! `--format html`: one self-contained page (inline CSS and SVG, no scripts, fonts or
//! network requests) with a summary of the batch and each ad's text with its evidence
//! marked in its role's colour.
//!
//! The summary comes first, then the ads shown in full in `--sort` order (mismatches first
//! by default), so the page is written at the end. Memory stays bounded: only the
//! `--detail` best-placed ads' sections and [`TABLE_ROWS`] small rows are kept. All ad
//! text goes through `html_escape`, never through hand-written replacement.

use std::fmt::Write as _;
use std::io::{self, Write};

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use super::{
    AdviceWords, Glossary, REASONS, Report, ReportOptions, RoleStyle, Sort, Summary,
    TITLE_OUTCOMES, TitleWords, error_source, reason_code, title_outcome,
};
use crate::classify::Verdict;
use crate::document::Section;
use crate::error::{InputError, floor_char_boundary};
use crate::input::Ad;
use crate::rules::{Counts, Discipline, PerRole, Role, RuleSet};

/// Ads shown in full (text and evidence) unless `--detail` says otherwise; the others
/// are listed in the summary only.
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
    /// What it is evidence of: a role, `mandate` or `breadth: design`.
    kind: String,
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
    outcome: Option<&'static str>,
    mandate: &'static str,
    breadth: usize,
}

/// Where an ad goes in the `--sort` order.
type Key = (u8, u64, usize);

/// The `limit` first items by key, held with bounded memory: items come in any order and
/// the list is cut back to `limit` whenever it doubles.
struct Best<T> {
    limit: usize,
    items: Vec<(Key, T)>,
    /// After a cut, the last key kept: a later item must come before it.
    worst: Option<Key>,
}

impl<T> Best<T> {
    fn new(limit: usize) -> Self {
        Best {
            limit,
            items: Vec::new(),
            worst: None,
        }
    }
    /// Whether an item with `key` can still be among the first `limit` (so it is worth
    /// building).
    fn admits(&self, key: Key) -> bool {
        self.limit > 0 && self.worst.is_none_or(|w| key < w)
    }
    fn push(&mut self, key: Key, item: T) {
        if !self.admits(key) {
            return;
        }
        self.items.push((key, item));
        if self.items.len() >= 2 * self.limit {
            self.cut();
        }
    }
    fn cut(&mut self) {
        self.items.sort_by_key(|(k, _)| *k);
        self.items.truncate(self.limit);
        if self.items.len() == self.limit {
            self.worst = self.items.last().map(|(k, _)| *k);
        }
    }
    /// The kept items, in key order.
    fn into_sorted(mut self) -> Vec<(Key, T)> {
        self.cut();
        self.items
    }
}

/// The HTML report.
pub struct Html {
    options: ReportOptions,
    glossary: Glossary,
    rules: Vec<RuleInfo>,
    rows: Best<Row>,
    /// The sections of the ads shown in full, by input index.
    detailed: Best<(usize, String)>,
    summary: Summary,
    failures: Vec<(String, String)>,
    count: usize,
}

const STYLE: &str = r#"
:root { --acq:#E69F00; --svc:#56B4E9; --imp:#009E73; --cx:#CC79A7; --oth:#999999; --sig:#F0E442; --ink:#1d1d1f; --muted:#8a8a8e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fafafa; }
main { display: flex; flex-direction: column; gap: 1.5rem; max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
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
.check { padding: .4rem .75rem; margin: .5rem 0; border-left: 4px solid #ccc; }
.check.mismatch { background: #fff4e5; border-left-color: #D55E00; }
.check.mixed { background: #fffbe5; border-left: 4px dashed #b8a800; }
.facts { margin: .25rem 0; color: #333; }
.advice { margin: .5rem 0; padding: .4rem .75rem; border-left: 4px solid var(--cx); background: #CC79A711; }
.advice p { margin: 0; } .advice ul { margin: .25rem 0 0; padding-left: 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
td.num, th.num { text-align: right; }
.legend span { margin-right: 1rem; white-space: nowrap; }
.note { color: var(--muted); font-size: .85rem; }
.counts { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; margin: .75rem 0; }
.counts table { width: auto; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
"#;

impl Html {
    /// An HTML report for ads classified with `rules`.
    pub fn new(options: ReportOptions, rules: &RuleSet, glossary: Glossary) -> Self {
        let rules = rules
            .rules
            .iter()
            .map(|r| {
                let class = match r.counts {
                    Counts::Role(role) => RoleStyle::of(role).html_class,
                    Counts::Mandate | Counts::Breadth(_) => "r-signal",
                };
                RuleInfo {
                    id: r.id.to_string(),
                    class,
                    kind: r.counts.to_string(),
                    label: glossary.label(&r.id),
                    why: r.why.as_deref().unwrap_or_default().to_string(),
                }
            })
            .collect();
        let detail = if options.summary_only {
            0
        } else {
            options.detail
        };
        Html {
            rules,
            rows: Best::new(if options.summary_only { 0 } else { TABLE_ROWS }),
            detailed: Best::new(detail),
            options,
            glossary,
            summary: Summary::default(),
            failures: Vec::new(),
            count: 0,
        }
    }

    /// The ad's text with hits marked and down-weighted sections muted.
    fn marked_text(&self, ad: &str, v: &Verdict) -> String {
        let limit = floor_char_boundary(ad, TEXT_LIMIT.min(ad.len()));
        let shown = &ad[..limit];
        // Non-overlapping marks, first come first served.
        let mut marks: Vec<(usize, usize, crate::rules::RuleId)> = Vec::new();
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
                Section::Company | Section::Benefits | Section::Boilerplate | Section::Repeated
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
                    let r = &self.rules[rule.0];
                    let tip = if r.why.is_empty() {
                        format!("{} ({}), {}", r.id, r.kind, r.label)
                    } else {
                        format!("{} ({}), {}: {}", r.id, r.kind, r.label, r.why)
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

    /// One ad shown in full: its verdict, title note and check, mandate, breadth, the
    /// advice for a title that claims cx, and its text with the evidence marked.
    fn section(&self, index: usize, ad: &Ad, v: &Verdict) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<section class=\"ad\" id=\"ad-{index}\">\n<h2>{}</h2>\n<p class=\"source\">{}</p>\n",
            text(&v.title),
            text(&ad.source)
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
            let _ = write!(
                s,
                " (reason <code>{}</code>: {})",
                reason_code(reason),
                text(reason.describe())
            );
        }
        s.push_str("</p>\n");
        s.push_str(&title_check(&TitleWords::of(v, &self.glossary)));
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
        if let Some(words) = v.advice.as_ref().and_then(AdviceWords::of) {
            let _ = write!(
                s,
                "<div class=\"advice\">\n<p>{}</p>\n<ul>\n",
                text(&upper_first(&words.head))
            );
            for item in [&words.mandate, &words.disciplines].into_iter().flatten() {
                let _ = writeln!(s, "<li>{}</li>", text(&upper_first(item)));
            }
            s.push_str("</ul>\n</div>\n");
        }
        let _ = write!(
            s,
            "<div class=\"text\">{}</div>\n</section>\n",
            self.marked_text(&ad.text, v)
        );
        s
    }
}

/// The title note and the title check of one ad, in the table's words as sentences: the
/// outcome and why, then on a mismatch what to drop and a title that says what it means.
fn title_check(words: &TitleWords) -> String {
    let mut s = String::new();
    if let Some(note) = &words.note {
        let _ = writeln!(
            s,
            "<p class=\"facts title-note\">{}</p>",
            text(&upper_first(note))
        );
    }
    if let Some((outcome, said)) = &words.check {
        let _ = write!(
            s,
            "<p class=\"check {}\">{}",
            outcome.as_str(),
            text(&upper_first(said))
        );
        for line in [&words.drop, &words.suggested].into_iter().flatten() {
            let _ = write!(s, "<br>{}", text(&upper_first(line)));
        }
        s.push_str("</p>\n");
    }
    s
}

/// "to make this..." -> "To make this...": the table's words, as sentences of a page.
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn tag_chip(role: Role) -> String {
    format!(
        "<span class=\"tag {}\">{role}</span>",
        RoleStyle::of(role).html_class
    )
}

/// A horizontal bar chart of ads per tag, as inline SVG.
fn chart(per_tag: &PerRole<usize>) -> String {
    let max = per_tag.values().copied().max().unwrap_or(0).max(1);
    let total: usize = per_tag.values().sum();
    let mut svg = String::from(
        "<svg role=\"img\" aria-label=\"ads per tag\" viewBox=\"0 0 520 150\" width=\"100%\" \
         xmlns=\"http://www.w3.org/2000/svg\" style=\"max-width:520px\">",
    );
    for (i, (role, &n)) in per_tag.iter().enumerate() {
        let style = RoleStyle::of(role);
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
            style.chart_colour,
            style.chart_colour,
            style.chart_dashes,
            106.0 + w,
            y + 14,
        );
    }
    svg.push_str("</svg>");
    svg
}

impl Report for Html {
    fn ad(&mut self, _out: &mut dyn Write, ad: &Ad, v: &Verdict) -> io::Result<()> {
        let index = self.count;
        self.count += 1;
        self.summary.add(v);
        let key = self.options.sort.key(index, v);
        if self.rows.admits(key) {
            self.rows.push(
                key,
                Row {
                    index,
                    source: ad.source.clone(),
                    title: v.title.clone(),
                    tag: v.tag,
                    confidence: v.confidence,
                    suggested: v.mismatch.as_ref().and_then(|m| m.suggested_title.clone()),
                    outcome: title_outcome(v),
                    mandate: v.mandate.as_str(),
                    breadth: v.breadth.len(),
                },
            );
        }
        if self.detailed.admits(key) {
            let section = self.section(index, ad, v);
            self.detailed.push(key, (index, section));
        }
        Ok(())
    }

    fn failure(&mut self, _out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.summary.failed += 1;
        if self.failures.len() < FAILURES_LISTED {
            self.failures.push((error_source(error), error.to_string()));
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let rows = std::mem::replace(&mut self.rows, Best::new(0)).into_sorted();
        let detailed = std::mem::replace(&mut self.detailed, Best::new(0)).into_sorted();
        let shown: std::collections::HashSet<usize> =
            detailed.iter().map(|(_, (i, _))| *i).collect();
        let summary = &self.summary;
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>cxtag report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        )?;
        let mut s = String::from("<section class=\"summary\">\n<h1>cxtag report</h1>\n");
        let _ = writeln!(
            s,
            "<p>{} ads classified, {} title mismatches, {} mixed titles, {} inputs failed.</p>",
            self.count, summary.titles[0], summary.titles[1], summary.failed
        );
        s.push_str(&chart(&summary.per_tag));
        s.push_str(&counts(summary));
        s.push_str("<p class=\"legend\">Evidence marks: ");
        for role in Role::ALL {
            let _ = write!(
                s,
                "<span><mark class=\"{}\">{role}</mark></span>",
                RoleStyle::of(role).html_class
            );
        }
        s.push_str(
            "<span><mark class=\"r-signal\">mandate / breadth</mark></span> \
                    <span class=\"muted\">muted: company blurb, benefits, boilerplate</span></p>\n",
        );
        if !rows.is_empty() {
            let _ = writeln!(
                s,
                "<h3>Ads, {}</h3>",
                match self.options.sort {
                    Sort::Mismatch => "title mismatches first",
                    Sort::Confidence => "least confident first",
                    Sort::Input => "in input order",
                }
            );
            s.push_str(
                "<table class=\"ads\">\n<thead><tr><th class=\"num\">#</th><th>ad</th><th>tag</th>\
                 <th class=\"num\">conf</th><th>title check</th><th>mandate</th>\
                 <th class=\"num\">breadth</th></tr></thead>\n<tbody>\n",
            );
            for (_, r) in &rows {
                let name = format!(
                    "{}<br><span class=\"source\">{}</span>",
                    text(&r.title),
                    text(&r.source)
                );
                let ad = if shown.contains(&r.index) {
                    format!("<a href=\"#ad-{}\">{name}</a>", r.index)
                } else {
                    name
                };
                let check = match (r.outcome, &r.suggested) {
                    (Some("mismatch"), Some(t)) => format!("mismatch: say “{}”", text(t)),
                    (Some(outcome), _) => outcome.to_string(),
                    (None, _) => String::new(),
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
        if self.count > rows.len() || self.count > detailed.len() {
            let _ = writeln!(
                s,
                "<p class=\"note\">The table lists {} ads and {} are shown in full (<code>--detail</code>); \
                 the counts and the chart cover all {}. Use <code>--format csv</code> for every row.</p>",
                rows.len(),
                detailed.len(),
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
            if summary.failed > self.failures.len() {
                let _ = writeln!(
                    s,
                    "<li>and {} more (standard error, or <code>--format jsonl</code>, lists every one)</li>",
                    summary.failed - self.failures.len()
                );
            }
            s.push_str("</ul>\n");
        }
        s.push_str("</section>\n");
        out.write_all(s.as_bytes())?;
        for (_, (_, section)) in &detailed {
            out.write_all(section.as_bytes())?;
        }
        out.write_all(b"</main>\n</body>\n</html>\n")
    }
}

/// The summary's count tables: title checks, what titles claim against the tags, the
/// `cx` ads' mandate and breadth, and `other` by reason.
fn counts(summary: &Summary) -> String {
    let total = summary.classified();
    let pct = |n: usize, of: usize| {
        if of == 0 {
            String::new()
        } else {
            format!("{:.0}%", 100.0 * n as f64 / of as f64)
        }
    };
    let mut s = String::from("<div class=\"counts\">\n");
    let small = |s: &mut String, caption: &str, rows: Vec<(String, usize, usize)>| {
        let _ = write!(
            s,
            "<table><caption><h3>{}</h3></caption><thead><tr><th></th><th class=\"num\">ads</th>\
             <th class=\"num\">share</th></tr></thead><tbody>",
            text(caption)
        );
        for (name, n, of) in rows {
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"num\">{n}</td><td class=\"num\">{}</td></tr>",
                text(&name),
                pct(n, of)
            );
        }
        s.push_str("</tbody></table>\n");
    };
    let mut titles: Vec<(String, usize, usize)> = TITLE_OUTCOMES
        .iter()
        .zip(summary.titles)
        .map(|(o, n)| ((*o).to_string(), n, total))
        .collect();
    titles.push(("claims nothing".into(), summary.no_claim(), total));
    small(&mut s, "Title checks", titles);
    let cx = summary.per_tag[Role::Cx];
    if cx > 0 {
        let mut rows: Vec<(String, usize, usize)> = ["strong", "partial", "none"]
            .iter()
            .zip(summary.cx_mandate)
            .map(|(m, n)| (format!("mandate {m}"), n, cx))
            .collect();
        rows.extend(
            Discipline::ALL
                .iter()
                .zip(summary.cx_breadth)
                .map(|(d, n)| (format!("covers {d}"), n, cx)),
        );
        small(&mut s, &format!("The {cx} cx ads"), rows);
    }
    let other = summary.per_tag[Role::Other];
    if other > 0 {
        let rows = REASONS
            .iter()
            .zip(summary.other_reasons)
            .map(|(r, n)| (reason_code(*r).to_string(), n, other))
            .collect();
        small(&mut s, &format!("The {other} other ads, by reason"), rows);
    }
    s.push_str("</div>\n");
    if total > 0 {
        s.push_str(
            "<table class=\"claims\"><caption><h3>What titles claim (rows) against what the \
             ads are (columns)</h3></caption><thead><tr><th>title claims</th>",
        );
        for r in Role::ALL {
            let _ = write!(s, "<th class=\"num\">{r}</th>");
        }
        s.push_str("<th class=\"num\">ads</th></tr></thead><tbody>\n");
        for (claimed, row) in summary.claim_rows() {
            let ads: usize = row.values().sum();
            if ads == 0 {
                continue;
            }
            let _ = write!(s, "<tr><td>{claimed}</td>");
            for n in row.values() {
                let _ = write!(s, "<td class=\"num\">{n}</td>");
            }
            let _ = writeln!(s, "<td class=\"num\">{ads}</td></tr>");
        }
        s.push_str("</tbody></table>\n");
    }
    s
}
