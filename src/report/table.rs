//! The table people read. One ad gets a full block: a table of its tag, scores and what
//! was found, in the rules' plain-English labels, then the title check, mandate and
//! breadth in words (`--explain` adds every rule that fired, with its id and why). A batch
//! gets one line per ad (`--compact`), then a summary.
//!
//! Every line fits `--width`: tables are laid out by comfy-table within it, and the lines
//! around them are wrapped here.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, ContentArrangement};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{
    AdviceWords, Glossary, REASONS, Report, ReportOptions, RoleStyle, Sort, Summary,
    TITLE_OUTCOMES, TOP_EVIDENCE, TitleWords, title_outcome,
};
use crate::classify::{Advice, Evidence, TitleOutcome, Verdict};
use crate::error::InputError;
use crate::input::Ad;
use crate::rules::{Counts, Discipline, Role};
use crate::terminal::{Newlines, for_terminal};

/// Table output. Ads are written as they come, so a long batch shows progress, unless
/// `--sort` asks for another order: then they are held until the end.
pub struct Table {
    options: ReportOptions,
    glossary: Glossary,
    summary: Summary,
    /// Ads seen, for their place in the input.
    count: usize,
    /// Rendered ads waiting for their place in a sorted output.
    held: Vec<((u8, u64, usize), String)>,
    /// Whether the compact layout's header line is out.
    header_written: bool,
}

/// Widths of the compact layout's fixed columns.
const TAG_WIDTH: usize = 11;
const CONF_WIDTH: usize = 4;
const CHECK_WIDTH: usize = 11;

impl Table {
    /// A table report; `glossary` names the rules.
    pub fn new(options: ReportOptions, glossary: Glossary) -> Self {
        Table {
            options,
            glossary,
            summary: Summary::default(),
            count: 0,
            held: Vec::new(),
            header_written: false,
        }
    }

    fn width(&self) -> usize {
        usize::from(self.options.width)
    }

    fn table(&self) -> comfy_table::Table {
        let mut t = comfy_table::Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(self.options.width);
        if self.options.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        t
    }

    /// A cell naming a role, coloured by role when colour is on.
    fn role_cell(&self, role: Role, text: String) -> Cell {
        let cell = Cell::new(text);
        if !self.options.color {
            return cell;
        }
        cell.fg(RoleStyle::of(role).color)
            .add_attribute(Attribute::Bold)
    }

    /// `text` padded to `width` columns, coloured as `role` when colour is on.
    fn role_text(&self, role: Role, text: &str, width: usize) -> String {
        let padded = pad(text, width);
        if self.options.color {
            format!("\x1b[1;{}m{padded}\x1b[0m", RoleStyle::of(role).sgr)
        } else {
            padded
        }
    }

    /// Columns left for the title and the source on a compact line, and how many of
    /// them the title gets (none when too narrow: the source tells ads apart).
    fn compact_room(&self) -> (usize, usize) {
        let rest = self
            .width()
            .saturating_sub(TAG_WIDTH + CONF_WIDTH + CHECK_WIDTH + 3);
        let title = if rest >= 40 { rest * 2 / 5 } else { 0 };
        (rest, title)
    }

    /// The compact layout's header line.
    fn compact_header(&self) -> String {
        let (_, title) = self.compact_room();
        let mut line = format!(
            "{} {} {} ",
            pad("tag", TAG_WIDTH),
            pad("conf", CONF_WIDTH),
            pad("title check", CHECK_WIDTH)
        );
        if title > 0 {
            line.push_str(&pad("title", title));
            line.push(' ');
        }
        line.push_str("source");
        truncate(&line, self.width())
    }

    /// One line for one ad: tag, confidence, title check, title and source.
    fn compact_line(&self, ad: &Ad, v: &Verdict) -> String {
        let (rest, title) = self.compact_room();
        let check = title_outcome(v).unwrap_or("-");
        let mut line = format!(
            "{} {:>CONF_WIDTH$.2} {} ",
            self.role_text(v.tag, v.tag.as_str(), TAG_WIDTH),
            v.confidence,
            pad(check, CHECK_WIDTH)
        );
        if title > 0 {
            line.push_str(&pad(&truncate(&one_line(&v.title), title - 1), title));
            line.push(' ');
        }
        line.push_str(&truncate_left(
            &one_line(&ad.source),
            rest - title - usize::from(title > 0),
        ));
        line.trim_end().to_string()
    }

    /// What was found, in words: the top rules' labels, hits and first match.
    fn found(&self, v: &Verdict) -> String {
        let found: Vec<String> = v
            .evidence
            .iter()
            .filter(|e| e.score > 0.0)
            .take(TOP_EVIDENCE)
            .map(|e| {
                format!(
                    "{} x{}: \"{}\"",
                    self.glossary.label(&e.rule),
                    e.count,
                    truncate(&one_line(&e.matched), 30)
                )
            })
            .collect();
        if found.is_empty() {
            "-".to_string()
        } else {
            found.join("\n")
        }
    }

    /// The full block for one ad.
    fn full(&self, ad: &Ad, v: &Verdict) -> String {
        let mut t = self.table();
        t.set_header(["ad", "tag", "conf", "scores", "what was found"]);
        let mut tag = v.tag.to_string();
        if let Some(reason) = v.reason {
            tag.push_str(&format!("\n({})", reason.describe()));
        }
        if let Some(r) = v.runner_up {
            tag.push_str(&format!("\nthen {r}"));
        }
        let scores: Vec<String> = v
            .scores
            .iter()
            .filter(|&(_, &s)| s > 0.0)
            .map(|(r, s)| format!("{r} {s:.1}"))
            .collect();
        t.add_row(vec![
            Cell::new(format!(
                "{}\n{}",
                one_line(&ad.source),
                truncate(&one_line(&v.title), 60)
            )),
            self.role_cell(v.tag, tag),
            Cell::new(format!("{:.2}", v.confidence)).set_alignment(CellAlignment::Right),
            Cell::new(if scores.is_empty() {
                "-".to_string()
            } else {
                scores.join("\n")
            }),
            Cell::new(self.found(v)),
        ]);
        let mut s = format!("{t}\n");
        for line in self.verdict_lines(v) {
            s.push_str(&line);
            s.push('\n');
        }
        if self.options.explain {
            s.push_str(&self.explanation(v));
        }
        s
    }

    /// The lines under an ad's table: title check, mandate and breadth, wrapped.
    fn verdict_lines(&self, v: &Verdict) -> Vec<String> {
        let width = self.width();
        let mut lines = Vec::new();
        let title = TitleWords::of(v, &self.glossary);
        if let Some(note) = &title.note {
            lines.extend(wrap(&one_line(note), width, "  ", "    "));
        }
        if let Some((outcome, said)) = &title.check {
            let first = match outcome {
                TitleOutcome::Mismatch => "  ! ",
                TitleOutcome::Mixed => "  ~ ",
                TitleOutcome::Consistent => "  ",
            };
            lines.extend(wrap(&one_line(said), width, first, "    "));
        }
        for line in [&title.drop, &title.suggested].into_iter().flatten() {
            lines.extend(wrap(&one_line(line), width, "    ", "    "));
        }
        if let Some(r) = &v.reports_to {
            let text = format!(
                "reports to: {} -> {}",
                one_line(&r.target),
                r.level.as_str()
            );
            lines.extend(wrap(&text, width, "  ", "    "));
        }
        let mandate: Vec<&Evidence> = v
            .signals
            .iter()
            .filter(|e| e.counts == Counts::Mandate && e.score != 0.0)
            .collect();
        let pro: Vec<String> = mandate
            .iter()
            .filter(|e| e.weight > 0.0)
            .map(|e| self.glossary.label(&e.rule))
            .collect();
        let con: Vec<String> = mandate
            .iter()
            .filter(|e| e.weight < 0.0)
            .map(|e| self.glossary.label(&e.rule))
            .collect();
        let mut detail = pro.join(", ");
        if !con.is_empty() {
            if !detail.is_empty() {
                detail.push_str("; ");
            }
            detail.push_str("against: ");
            detail.push_str(&con.join(", "));
        }
        let text = if detail.is_empty() {
            format!("mandate: {}", v.mandate.as_str())
        } else {
            format!("mandate: {} ({detail})", v.mandate.as_str())
        };
        lines.extend(wrap(&text, width, "  ", "    "));
        let disciplines: Vec<&str> = v.breadth.iter().map(|d| d.as_str()).collect();
        let text = if disciplines.is_empty() {
            "CX breadth: 0/6".to_string()
        } else {
            format!(
                "CX breadth: {}/6 ({})",
                disciplines.len(),
                disciplines.join(", ")
            )
        };
        lines.extend(wrap(&text, width, "  ", "    "));
        if let Some(a) = &v.advice {
            lines.extend(advice_lines(a, width));
        }
        lines
    }

    /// `--explain`: every rule that fired, with its id, numbers, first hit and why, as
    /// wrapped lines (a table of six columns cannot be read at 60 columns).
    fn explanation(&self, v: &Verdict) -> String {
        let width = self.width();
        let mut lines = Vec::new();
        if v.evidence.is_empty() && v.signals.is_empty() {
            lines.push("  no rule fired".to_string());
        } else {
            lines.extend(wrap(
                "Every rule that fired, strongest first: id (what it is evidence of), \
                 weight, hits, score; where it first fired; why it counts.",
                width,
                "",
                "",
            ));
        }
        for ev in v.evidence.iter().chain(&v.signals) {
            let head = format!(
                "{} ({}): weight {}, {} {}, score {:.2}",
                one_line(&ev.rule),
                ev.counts,
                ev.weight,
                ev.count,
                if ev.count == 1 { "hit" } else { "hits" },
                ev.score
            );
            lines.extend(wrap(&head, width, "  ", "    "));
            let at = format!("at {}:{}: …{}…", ev.line, ev.col, one_line(&ev.snippet));
            lines.extend(wrap(&at, width, "    ", "      "));
            if let Some(why) = self.glossary.why(&ev.rule) {
                lines.extend(wrap(&format!("why: {why}"), width, "    ", "      "));
            }
            if let Some(zero) = self.glossary.counted_zero(ev) {
                lines.extend(wrap(&zero, width, "    ", "      "));
            }
        }
        lines.extend(wrap(
            "Hits cancelled by an exception phrase nearby, or outside a rule's scope (a \
             title rule below the title), count nothing and are not listed.",
            width,
            "",
            "",
        ));
        let mut s = lines.join("\n");
        s.push('\n');
        s
    }

    /// The summary tables: tags, title checks, claimed role against tag, `cx` mandate and
    /// breadth, `other` by reason.
    fn summary_tables(&self) -> String {
        let s = &self.summary;
        let total = s.classified();
        let percent = |n: usize, of: usize| {
            if of == 0 {
                "-".to_string()
            } else {
                format!("{:.0}%", 100.0 * n as f64 / of as f64)
            }
        };
        let num = |n: usize| Cell::new(n).set_alignment(CellAlignment::Right);
        let right = |s: String| Cell::new(s).set_alignment(CellAlignment::Right);
        let mut out = String::new();

        let mut t = self.table();
        t.set_header(["tag", "ads", "share"]);
        for (r, &n) in s.per_tag.iter() {
            t.add_row(vec![
                self.role_cell(r, r.to_string()),
                num(n),
                right(percent(n, total)),
            ]);
        }
        t.add_row(vec![Cell::new("classified"), num(total), Cell::new("")]);
        t.add_row(vec![Cell::new("failed"), num(s.failed), Cell::new("")]);
        out.push_str(&format!("{t}\n"));
        if total == 0 {
            return out;
        }

        let mut t = self.table();
        t.set_header(["title check", "ads", "share"]);
        for (o, n) in TITLE_OUTCOMES.iter().zip(s.titles) {
            t.add_row(vec![Cell::new(o), num(n), right(percent(n, total))]);
        }
        t.add_row(vec![
            Cell::new("claims nothing"),
            num(s.no_claim()),
            right(percent(s.no_claim(), total)),
        ]);
        out.push_str(&format!("{t}\n"));

        let mut t = self.table();
        let mut header = vec![Cell::new("title claims")];
        header.extend(
            Role::ALL
                .map(|r| Cell::new(RoleStyle::of(r).short).set_alignment(CellAlignment::Right)),
        );
        header.push(Cell::new("ads").set_alignment(CellAlignment::Right));
        t.set_header(header);
        for (claimed, counts) in s.claim_rows() {
            let ads: usize = counts.values().sum();
            if ads == 0 {
                continue;
            }
            let mut row = vec![Cell::new(claimed)];
            row.extend(counts.values().map(|&n| num(n)));
            row.push(num(ads));
            t.add_row(row);
        }
        out.push_str("What titles claim (rows) against what the ads are (columns):\n");
        out.push_str(&format!("{t}\n"));

        let cx = s.per_tag[Role::Cx];
        if cx > 0 {
            let mut t = self.table();
            t.set_header([format!("{cx} cx ads"), "ads".into(), "share".into()]);
            for (m, n) in ["strong", "partial", "none"].iter().zip(s.cx_mandate) {
                t.add_row(vec![
                    Cell::new(format!("mandate {m}")),
                    num(n),
                    right(percent(n, cx)),
                ]);
            }
            for (d, n) in Discipline::ALL.iter().zip(s.cx_breadth) {
                t.add_row(vec![
                    Cell::new(format!("covers {d}")),
                    num(n),
                    right(percent(n, cx)),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        let other = s.per_tag[Role::Other];
        if other > 0 {
            let mut t = self.table();
            t.set_header([format!("{other} other ads"), "ads".into(), "share".into()]);
            for (r, n) in REASONS.iter().zip(s.other_reasons) {
                t.add_row(vec![
                    Cell::new(r.describe()),
                    num(n),
                    right(percent(n, other)),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        out
    }
}

/// Display width in terminal columns.
fn width_of(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` on one line: runs of whitespace become one space, and whatever else could drive a
/// terminal (control characters, bidi overrides) is escaped where it can be seen.
fn one_line(s: &str) -> String {
    let joined = s
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    for_terminal(&joined, Newlines::Escape).into_owned()
}

/// "To make this the role you mean", for a title that claims cx: the honest title, or
/// what the ad lacks (what each missing discipline means is in the machine formats).
fn advice_lines(a: &Advice, width: usize) -> Vec<String> {
    let Some(words) = AdviceWords::of(a) else {
        return Vec::new();
    };
    let mut lines = wrap(&one_line(&words.head), width, "  ", "    ");
    for item in [&words.mandate, &words.disciplines].into_iter().flatten() {
        lines.extend(wrap(&one_line(item), width, "    ", "      "));
    }
    lines
}

/// `s` padded with spaces to `width` columns (never cut).
fn pad(s: &str, width: usize) -> String {
    let w = width_of(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// `s` cut to at most `width` columns, with `…` when cut.
fn truncate(s: &str, width: usize) -> String {
    if width_of(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `s` cut from the left to at most `width` columns, with `…` when cut: the end of a path
/// names the file.
fn truncate_left(s: &str, width: usize) -> String {
    if width_of(s) <= width {
        return s.to_string();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        kept.push(c);
        used += w;
    }
    if width == 0 {
        return String::new();
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

/// `text` broken at spaces into lines of at most `width` columns; the first line starts
/// with `first`, the others with `rest`. A word longer than a line is cut.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut fresh = true; // nothing but the indent on `line` yet
    for word in text.split_whitespace() {
        let need = width_of(&line) + usize::from(!fresh) + width_of(word);
        if !fresh && need > width {
            lines.push(line);
            line = rest.to_string();
            fresh = true;
        }
        if !fresh {
            line.push(' ');
        }
        let room = width.saturating_sub(width_of(&line));
        line.push_str(&truncate(word, room.max(1)));
        fresh = false;
    }
    lines.push(line);
    lines
}

impl Report for Table {
    fn ad(&mut self, out: &mut dyn Write, ad: &Ad, v: &Verdict) -> io::Result<()> {
        self.summary.add(v);
        let index = self.count;
        self.count += 1;
        if self.options.summary_only {
            return Ok(());
        }
        let rendered = if self.options.compact {
            format!("{}\n", self.compact_line(ad, v))
        } else {
            self.full(ad, v)
        };
        if self.options.sort != Sort::Input {
            self.held.push((self.options.sort.key(index, v), rendered));
            return Ok(());
        }
        if self.options.compact && !self.header_written {
            self.header_written = true;
            writeln!(out, "{}", self.compact_header())?;
        }
        out.write_all(rendered.as_bytes())
    }

    fn failure(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        self.summary.failed += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.held.is_empty() {
            self.held.sort_by_key(|(key, _)| *key);
            if self.options.compact {
                writeln!(out, "{}", self.compact_header())?;
            }
            for (_, rendered) in &self.held {
                out.write_all(rendered.as_bytes())?;
            }
        }
        let seen = self.summary.classified() + self.summary.failed;
        if seen <= 1 && !self.options.summary_only {
            return Ok(());
        }
        if !self.options.summary_only && seen > 0 {
            writeln!(out)?;
        }
        out.write_all(self.summary_tables().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let text = "title mismatch: the title claims cx, but the ad describes service, \
                    mostly complaints handling x12 (\"complaint\")";
        for width in [20, 40, 60, 80] {
            let lines = wrap(text, width, "  ! ", "    ");
            assert!(lines.iter().all(|l| width_of(l) <= width), "{lines:?}");
            let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
            assert_eq!(words[0], "!");
            assert_eq!(words[1..].join(" "), text, "{width}");
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let lines = wrap("a verylongwordindeed", 10, "", "");
        assert_eq!(lines, ["a", "verylongw…"]);
    }
}
