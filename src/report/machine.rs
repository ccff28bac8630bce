//! JSON Lines, JSON and CSV/TSV output, all through serde (no hand-written escaping).

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;

use serde::Serialize;

use super::{
    Format, Record, Report, ReportOptions, SCHEMA, Summary, TOP_EVIDENCE, error_source,
    reason_code, round,
};
use crate::classify::Verdict;
use crate::error::InputError;
use crate::input::Ad;
use crate::rules::Role;

/// An error line in JSON outputs.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    schema: u32,
    /// What to join on, as for ads: the JSON Lines id (`null` when it could not be read),
    /// or the path as given.
    id: Option<String>,
    /// Where it was read, as for ads: `INPUT:LINE` of a JSON line, or the path.
    source: String,
    /// JSON Lines only: the input and the line number.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    line: Option<LineOf<'a>>,
    error: String,
}

/// Where a failed JSON line is.
#[derive(Serialize)]
struct LineOf<'a> {
    input: &'a str,
    line: usize,
}

impl ErrorRecord<'_> {
    fn of(e: &InputError) -> ErrorRecord<'_> {
        ErrorRecord {
            kind: "error",
            schema: SCHEMA,
            id: match e {
                InputError::Record { id, .. } => id.clone(),
                _ => Some(error_source(e)),
            },
            source: error_source(e),
            line: match e {
                InputError::Record { name, line, .. } => Some(LineOf {
                    input: name,
                    line: *line,
                }),
                _ => None,
            },
            error: e.to_string(),
        }
    }
}

/// Serialises `value` into `buf` (emptied first) and writes it with `end` in one call:
/// the serialiser's many small writes stay in memory instead of each going through the
/// output's checks.
fn write_json(
    out: &mut dyn Write,
    buf: &mut Vec<u8>,
    value: &impl Serialize,
    end: &[u8],
) -> io::Result<()> {
    buf.clear();
    serde_json::to_writer(&mut *buf, value)?;
    buf.extend_from_slice(end);
    out.write_all(buf)
}

/// One JSON object per line, errors included as `{"type":"error",...}`.
pub struct JsonLines {
    options: ReportOptions,
    buf: Vec<u8>,
}

impl JsonLines {
    /// A JSON Lines report.
    pub fn new(options: ReportOptions) -> Self {
        JsonLines {
            options,
            buf: Vec::new(),
        }
    }
}

impl Report for JsonLines {
    fn ad(&mut self, out: &mut dyn Write, ad: &Ad, verdict: &Verdict) -> io::Result<()> {
        let record = Record::new(ad, verdict, &self.options);
        write_json(out, &mut self.buf, &record, b"\n")
    }
    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        write_json(out, &mut self.buf, &ErrorRecord::of(error), b"\n")
    }
    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// One JSON array; written element by element so nothing is held back.
pub struct Json {
    options: ReportOptions,
    count: usize,
    buf: Vec<u8>,
}

impl Json {
    /// A JSON array report.
    pub fn new(options: ReportOptions) -> Self {
        Json {
            options,
            count: 0,
            buf: Vec::new(),
        }
    }

    fn separator(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.count == 0 { b"[\n" } else { b",\n" })?;
        self.count += 1;
        Ok(())
    }
}

impl Report for Json {
    fn ad(&mut self, out: &mut dyn Write, ad: &Ad, verdict: &Verdict) -> io::Result<()> {
        self.separator(out)?;
        let record = Record::new(ad, verdict, &self.options);
        write_json(out, &mut self.buf, &record, b"")
    }
    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        self.separator(out)?;
        write_json(out, &mut self.buf, &ErrorRecord::of(error), b"")
    }
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// A flat CSV/TSV row.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    source: &'a str,
    title: &'a str,
    tag: &'a str,
    confidence: f64,
    runner_up: &'a str,
    reason: &'a str,
    acquisition: f64,
    service: f64,
    improvement: f64,
    cx: f64,
    other: f64,
    evidence: String,
    claimed: &'a str,
    title_check: &'a str,
    title_mismatch: bool,
    suggested_title: &'a str,
    mismatch_reason: &'a str,
    mandate: &'a str,
    reports_to: String,
    breadth: String,
    error: &'a str,
    rules: &'a str,
    schema: u32,
}

/// A byte buffer the CSV writer fills and the report empties after each row.
#[derive(Clone, Default)]
struct Shared(Rc<RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A cell as a spreadsheet may safely open it: one that starts like a formula (`=`, `+`,
/// `-`, `@`, or a tab or carriage return before one) gets a leading `'`, which makes a
/// spreadsheet show it as text instead of running it (OWASP's advice against CSV
/// injection). An ad's title, a JSON Lines id or a file name is written by others:
/// `=HYPERLINK(...)` in one must not become a live link in the recruiter's spreadsheet.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A text cell, unless `--raw-csv`: control characters shown as escapes (`\u{1b}`), as
/// on a terminal, since a CSV is read on one as often as in a spreadsheet (`ESC ] 0 ;`
/// in a title must not retitle the window), then neutralised (see [`neutralise_formula`]).
fn cell(raw: bool, text: &str) -> Cow<'_, str> {
    if raw {
        return Cow::Borrowed(text);
    }
    match crate::terminal::for_terminal(text, crate::terminal::Newlines::Escape) {
        Cow::Borrowed(t) => neutralise_formula(t),
        Cow::Owned(t) => Cow::Owned(neutralise_formula(&t).into_owned()),
    }
}

/// CSV or TSV with a header; a failed ad is a row with `error` filled in. Text cells
/// that start like a formula are neutralised (see `neutralise_formula`).
pub struct Csv {
    options: ReportOptions,
    /// One writer for the whole run (it writes the header once)...
    writer: csv::Writer<Shared>,
    /// ...into this buffer, handed to the output row by row.
    buffer: Shared,
}

impl Csv {
    /// A CSV (`b','`) or TSV (`b'\t'`) report.
    pub fn new(options: ReportOptions, delimiter: u8) -> Self {
        let buffer = Shared::default();
        Csv {
            options,
            writer: csv::WriterBuilder::new()
                .delimiter(delimiter)
                .from_writer(buffer.clone()),
            buffer,
        }
    }

    fn write_row(&mut self, out: &mut dyn Write, row: &Row) -> io::Result<()> {
        self.writer.serialize(row).map_err(io::Error::other)?;
        self.writer.flush()?;
        let mut buf = self.buffer.0.borrow_mut();
        out.write_all(&buf)?;
        buf.clear();
        Ok(())
    }
}

impl Report for Csv {
    fn ad(&mut self, out: &mut dyn Write, ad: &Ad, v: &Verdict) -> io::Result<()> {
        let limit = if self.options.explain {
            usize::MAX
        } else {
            TOP_EVIDENCE
        };
        let evidence = v
            .evidence
            .iter()
            .take(limit)
            .map(|e| format!("{}={:?}x{}", e.rule, e.matched, e.count))
            .collect::<Vec<_>>()
            .join("; ");
        let s = v.scores.map(round);
        let fingerprint = self.options.fingerprint.clone();
        let raw = self.options.raw_csv;
        self.write_row(
            out,
            &Row {
                id: &cell(raw, &ad.id),
                source: &cell(raw, &ad.source),
                title: &cell(raw, &v.title),
                tag: v.tag.as_str(),
                confidence: round(v.confidence),
                runner_up: v.runner_up.map_or("", Role::as_str),
                reason: v.reason.map_or("", reason_code),
                acquisition: s[Role::Acquisition],
                service: s[Role::Service],
                improvement: s[Role::Improvement],
                cx: s[Role::Cx],
                other: s[Role::Other],
                evidence: cell(raw, &evidence).into_owned(),
                claimed: v.claimed.map_or("", Role::as_str),
                title_check: v.title_check.as_ref().map_or("", |c| c.outcome.as_str()),
                title_mismatch: v.mismatch.is_some(),
                suggested_title: &cell(
                    raw,
                    v.mismatch
                        .as_ref()
                        .and_then(|m| m.suggested_title.as_deref())
                        .unwrap_or(""),
                ),
                mismatch_reason: &cell(raw, v.mismatch.as_ref().map_or("", |m| m.reason.as_str())),
                mandate: v.mandate.as_str(),
                reports_to: v.reports_to.as_ref().map_or(String::new(), |r| {
                    format!("{} ({})", r.target, r.level.as_str())
                }),
                breadth: v
                    .breadth
                    .iter()
                    .map(|d| d.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
                error: "",
                rules: &fingerprint,
                schema: SCHEMA,
            },
        )
    }
    fn failure(&mut self, out: &mut dyn Write, error: &InputError) -> io::Result<()> {
        let raw = self.options.raw_csv;
        let source = error_source(error);
        let message = error.to_string();
        let fingerprint = self.options.fingerprint.clone();
        self.write_row(
            out,
            &Row {
                id: &cell(raw, &source),
                source: &cell(raw, &source),
                title: "",
                tag: "",
                confidence: 0.0,
                runner_up: "",
                reason: "",
                acquisition: 0.0,
                service: 0.0,
                improvement: 0.0,
                cx: 0.0,
                other: 0.0,
                evidence: String::new(),
                claimed: "",
                title_check: "",
                title_mismatch: false,
                suggested_title: "",
                mismatch_reason: "",
                mandate: "",
                reports_to: String::new(),
                breadth: String::new(),
                error: &cell(raw, &message),
                rules: &fingerprint,
                schema: SCHEMA,
            },
        )
    }
    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// `--summary-only` in a machine format: one JSON object (`json`, `jsonl`), or a long
/// table `section,key,value,share` (`csv`, `tsv`), written at the end.
pub struct SummaryOnly {
    options: ReportOptions,
    format: Format,
    summary: Summary,
}

impl SummaryOnly {
    /// The summary of a run in `format`.
    pub fn new(options: ReportOptions, format: Format) -> Self {
        SummaryOnly {
            options,
            format,
            summary: Summary::default(),
        }
    }
}

impl Report for SummaryOnly {
    fn ad(&mut self, _out: &mut dyn Write, _ad: &Ad, verdict: &Verdict) -> io::Result<()> {
        self.summary.add(verdict);
        Ok(())
    }
    fn failure(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        self.summary.failed += 1;
        Ok(())
    }
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let fingerprint = &self.options.fingerprint;
        let delimiter = match self.format {
            Format::Csv => b',',
            Format::Tsv => b'\t',
            _ => {
                serde_json::to_writer(&mut *out, &self.summary.record(fingerprint))?;
                return out.write_all(b"\n");
            }
        };
        let mut w = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(out);
        w.write_record(["section", "key", "value", "share"])?;
        for row in self.summary.long_rows(fingerprint) {
            w.write_record(&row)?;
        }
        w.flush()
    }
}
