//! The table people read: one row per ad, optional explanation tables, and a summary of
//! tags when there is more than one ad.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement};

use super::{Report, ReportOptions, TOP_EVIDENCE, Tally};
use crate::classify::Verdict;
use crate::classify::{Advice, TitleOutcome};
use crate::error::InputError;
use crate::rules::{Role, Signal};
use crate::terminal::{Newlines, for_terminal};

/// Table output. Rows are written as they come, so a long batch shows progress.
pub struct Table {
    options: ReportOptions,
    tally: Tally,
}

impl Table {
    /// A table report.
    pub fn new(options: ReportOptions) -> Self {
        Table {
            options,
            tally: Tally::default(),
        }
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

    /// A cell naming a role, coloured by role when colour is on. Roles are told apart by
    /// their names first; the colours (distinct for common colour blindness) only help.
    fn role_cell(&self, role: Role, text: String) -> Cell {
        let cell = Cell::new(text);
        if !self.options.color {
            return cell;
        }
        let color = match role {
            Role::Acquisition => Color::Magenta,
            Role::Service => Color::Blue,
            Role::Improvement => Color::DarkYellow,
            Role::Cx => Color::Cyan,
            Role::Other => Color::Grey,
        };
        cell.fg(color).add_attribute(Attribute::Bold)
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The lines under an ad's row: title mismatch, mandate and breadth.
fn verdict_lines(v: &Verdict) -> String {
    let mut lines = Vec::new();
    if let Some(note) = &v.title_note {
        lines.push(format!("  note: {note}"));
    }
    match (&v.mismatch, &v.title_check) {
        (Some(m), _) => {
            lines.push(format!("  ! title mismatch: {}", m.reason));
            if let Some(d) = &m.drop {
                lines.push(format!("    drop \"{d}\" from the title"));
            }
            if let Some(t) = &m.suggested_title {
                lines.push(format!("    a title that says what it means: \"{t}\""));
            }
        }
        (None, Some(c)) if c.outcome == TitleOutcome::Mixed => {
            lines.push(format!("  ~ title mixed: {}", c.reason));
        }
        (None, Some(c)) => lines.push(format!("  title: consistent: {}", c.reason)),
        (None, None) => {}
    }
    let name = |e: &&crate::classify::Evidence| {
        e.rule
            .strip_prefix("mandate.")
            .unwrap_or(&e.rule)
            .to_string()
    };
    let mandate = v
        .signals
        .iter()
        .filter(|e| e.signal == Some(Signal::Mandate));
    let pro: Vec<String> = mandate
        .clone()
        .filter(|e| e.weight > 0.0)
        .map(|e| name(&e))
        .collect();
    let con: Vec<String> = mandate
        .filter(|e| e.weight < 0.0)
        .map(|e| name(&e))
        .collect();
    let mut detail = pro.join(", ");
    if !con.is_empty() {
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str("against: ");
        detail.push_str(&con.join(", "));
    }
    if let Some(r) = &v.reports_to {
        lines.push(format!(
            "  reports to: {} -> {}",
            r.target,
            r.level.as_str()
        ));
    }
    lines.push(format!(
        "  mandate: {}{}",
        v.mandate.as_str(),
        if detail.is_empty() {
            String::new()
        } else {
            format!(" ({detail})")
        }
    ));
    lines.push(format!(
        "  CX breadth: {}/6{}",
        v.breadth.len(),
        if v.breadth.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                v.breadth
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    ));
    if let Some(a) = &v.advice {
        lines.extend(advice_lines(a));
    }
    lines.join("\n")
}

/// "To make this the role you mean", for a title that claims cx: the honest title, or
/// what the ad lacks (the full reasons are in `--explain` and the machine formats).
fn advice_lines(a: &Advice) -> Vec<String> {
    let mut lines = Vec::new();
    if a.missing_mandate.is_empty() && a.missing_disciplines.is_empty() {
        return lines;
    }
    lines.push(match &a.honest_title {
        Some(t) => format!("  to mean what it says: call it \"{t}\", or add what a CX role needs:"),
        None => "  to make this the CX role the title claims, add:".to_string(),
    });
    if !a.missing_mandate.is_empty() {
        let items: Vec<String> = a.missing_mandate.iter().map(|m| lower_first(m)).collect();
        lines.push(format!("    mandate: {}", items.join("; ")));
    }
    if !a.missing_disciplines.is_empty() {
        let names: Vec<&str> = a
            .missing_disciplines
            .iter()
            .map(|(d, _)| d.as_str())
            .collect();
        lines.push(format!("    CX disciplines: {}", names.join(", ")));
    }
    lines
}

/// "Holds a budget" -> "holds a budget", to run reasons into one line.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Report for Table {
    fn ad(
        &mut self,
        out: &mut dyn Write,
        source: &str,
        _text: &str,
        v: &Verdict,
    ) -> io::Result<()> {
        self.tally.per_tag[v.tag.index()] += 1;
        if self.options.summary_only {
            return Ok(());
        }
        let mut t = self.table();
        t.set_header([
            "ad",
            "tag",
            "conf",
            "acq",
            "serv",
            "impr",
            "cx",
            "other",
            "top evidence",
        ]);
        let mut tag = v.tag.to_string();
        if let Some(reason) = v.reason {
            tag.push_str(&format!("\n({})", reason.describe()));
        }
        if let Some(r) = v.runner_up {
            tag.push_str(&format!("\nthen {r}"));
        }
        let evidence = v
            .evidence
            .iter()
            .take(TOP_EVIDENCE)
            .map(|e| {
                format!(
                    "{} x{}: \"{}\"",
                    for_terminal(&e.rule, Newlines::Escape),
                    e.count,
                    for_terminal(&shorten(&e.matched, 30), Newlines::Escape)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let mut row = vec![
            Cell::new(format!(
                "{}\n{}",
                for_terminal(source, Newlines::Escape),
                for_terminal(&shorten(&v.title, 60), Newlines::Escape)
            )),
            self.role_cell(v.tag, tag),
            Cell::new(format!("{:.2}", v.confidence)).set_alignment(CellAlignment::Right),
        ];
        for r in Role::ALL {
            row.push(
                Cell::new(format!("{:.1}", v.scores[r.index()]))
                    .set_alignment(CellAlignment::Right),
            );
        }
        row.push(Cell::new(if evidence.is_empty() {
            "-".to_string()
        } else {
            evidence
        }));
        t.add_row(row);
        writeln!(out, "{t}")?;
        writeln!(out, "{}", for_terminal(&verdict_lines(v), Newlines::Keep))?;
        if self.options.explain {
            let mut e = self.table();
            e.set_header(["role", "rule", "weight", "hits", "score", "at", "first hit"]);
            for ev in v.evidence.iter().chain(&v.signals) {
                let kind = match ev.signal {
                    None => ev.role.to_string(),
                    Some(Signal::Mandate) => "mandate".to_string(),
                    Some(Signal::Breadth(d)) => format!("breadth: {d}"),
                };
                e.add_row(vec![
                    Cell::new(kind),
                    Cell::new(for_terminal(&ev.rule, Newlines::Escape)),
                    Cell::new(format!("{}", ev.weight)).set_alignment(CellAlignment::Right),
                    Cell::new(ev.count).set_alignment(CellAlignment::Right),
                    Cell::new(format!("{:.2}", ev.score)).set_alignment(CellAlignment::Right),
                    Cell::new(format!("{}:{}", ev.line, ev.col)),
                    Cell::new(format!("…{}…", for_terminal(&ev.snippet, Newlines::Escape))),
                ]);
            }
            if v.evidence.is_empty() && v.signals.is_empty() {
                writeln!(out, "no rule fired")?;
            } else {
                writeln!(out, "{e}")?;
            }
        }
        Ok(())
    }

    fn failure(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        self.tally.failed += 1;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let total = self.tally.classified();
        if total + self.tally.failed <= 1 && !self.options.summary_only {
            return Ok(());
        }
        let mut t = self.table();
        t.set_header(["tag", "ads", "share"]);
        for r in Role::ALL {
            let n = self.tally.per_tag[r.index()];
            let share = if total > 0 {
                100.0 * n as f64 / total as f64
            } else {
                0.0
            };
            t.add_row(vec![
                self.role_cell(r, r.to_string()),
                Cell::new(n).set_alignment(CellAlignment::Right),
                Cell::new(format!("{share:.0}%")).set_alignment(CellAlignment::Right),
            ]);
        }
        t.add_row(vec![
            Cell::new("classified"),
            Cell::new(total).set_alignment(CellAlignment::Right),
            Cell::new(""),
        ]);
        t.add_row(vec![
            Cell::new("failed"),
            Cell::new(self.tally.failed).set_alignment(CellAlignment::Right),
            Cell::new(""),
        ]);
        writeln!(out, "{t}")
    }
}
