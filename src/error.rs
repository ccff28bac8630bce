//! Typed errors for the two things a user hands cxtag: rule files and ads.
//!
//! A [`Diagnostic`] points into a rule file (path, line, column, the offending line) and
//! prints like a compiler error. An [`InputError`] names the ad that could not be read.
//! Neither type prints anything itself: the report and app layers decide where they go.

use std::fmt;
use std::path::PathBuf;

/// How serious a rule-file problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The rule set cannot be used.
    Error,
    /// The rule set works, but probably not as its author meant.
    Warning,
}

/// One problem found in a rule file, with its location when known.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The rule file, or `<embedded>/name.toml` for the built-in rules.
    pub origin: String,
    /// 1-based line and column, when the problem has a place in the file.
    pub location: Option<(usize, usize)>,
    /// The text of the offending line, shown under the message.
    pub source_line: Option<String>,
    /// What is wrong, in one line.
    pub message: String,
}

impl Diagnostic {
    /// Builds a diagnostic located at byte `offset` of `source`.
    pub fn at(
        severity: Severity,
        origin: &str,
        source: &str,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        let (location, source_line) = match offset {
            Some(offset) => {
                let (line, col, text) = line_col(source, offset);
                (Some((line, col)), Some(text.to_string()))
            }
            None => (None, None),
        };
        Diagnostic {
            severity,
            origin: origin.to_string(),
            location,
            source_line,
            message: message.into(),
        }
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of byte `offset`, and the text of that line.
pub fn line_col(source: &str, offset: usize) -> (usize, usize, &str) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[..offset].matches('\n').count() + 1;
    let col = source[line_start..offset].chars().count() + 1;
    (
        line,
        col,
        source[line_start..line_end].trim_end_matches('\r'),
    )
}

/// The largest char boundary not after `i` (str::floor_char_boundary is not stable).
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.location {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {kind}: {}", self.origin, self.message)?
            }
            None => write!(f, "{}: {kind}: {}", self.origin, self.message)?,
        }
        if let (Some((line, col)), Some(text)) = (self.location, &self.source_line) {
            let gutter = line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{line} | {text}\n{:gutter$} | {:>col$}",
                "", "", "^"
            )?;
        }
        Ok(())
    }
}

/// Every problem found while loading a rule set; loading fails if any is an error.
#[derive(Debug, thiserror::Error)]
#[error("{}", render(.0))]
pub struct RuleErrors(pub Vec<Diagnostic>);

impl RuleErrors {
    /// The same errors without the quoted lines of the files, for files the user did not
    /// name themselves.
    pub fn without_source_lines(mut self) -> RuleErrors {
        for d in &mut self.0 {
            d.source_line = None;
        }
        self
    }
}

fn render(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut out: Vec<String> = diags.iter().map(ToString::to_string).collect();
    out.push(format!(
        "{errors} error{} in the rules",
        if errors == 1 { "" } else { "s" }
    ));
    out.join("\n")
}

/// Why one ad could not be classified.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The path as the user gave it.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// A folder was given where an ad file was expected.
    #[error("{0}: is a directory (pass files, or use a folder as a batch)")]
    IsDirectory(PathBuf),
    /// A folder holding no file a walk classifies.
    #[error(
        "{0}: no ads in this folder (cxtag reads .txt, .text, .md, .markdown, .html and .htm files, \
         and files without an extension; hidden files are skipped)"
    )]
    NoAds(PathBuf),
    /// A link found in a folder walk with `--follow` that leads out of the folder.
    #[error(
        "{link}: a link that leads outside {folder}; not followed (cxtag reads only inside \
         the folders it is given)"
    )]
    LinkOutside {
        /// The link.
        link: PathBuf,
        /// The folder walked.
        folder: PathBuf,
    },
    /// The bytes are not text.
    #[error("{0}: binary file (it holds NUL bytes), not a text ad")]
    Binary(String),
    /// Nothing but white space.
    #[error("{0}: empty input: no text to classify")]
    Empty(String),
    /// Larger than any job ad.
    #[error("{name}: {size} bytes is more than the {limit}-byte limit for one ad (see --max-size)")]
    TooLarge {
        /// The ad's name.
        name: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in force.
        limit: u64,
    },
    /// An HTML file whose markup could not be turned into text.
    #[error("{name}: cannot read the HTML: {reason}")]
    Html {
        /// The file.
        name: String,
        /// The HTML converter's reason.
        reason: String,
    },
    /// A JSON Lines record that cannot be used.
    #[error("{name}:{line}: {}{reason}", id.as_ref().map(|id| format!("id {id}: ")).unwrap_or_default())]
    Record {
        /// The JSONL file (`-` for standard input).
        name: String,
        /// 1-based line number, from the start of that input.
        line: usize,
        /// The record's id, when it could be read.
        id: Option<String>,
        /// What is wrong with it.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_characters() {
        let src = "a = 1\nbé = x\n";
        assert_eq!(line_col(src, 0), (1, 1, "a = 1"));
        // byte 12 is the 'x', after the two-byte 'é'
        assert_eq!(line_col(src, 12), (2, 6, "bé = x"));
    }

    #[test]
    fn diagnostic_prints_like_a_compiler() {
        let d = Diagnostic::at(Severity::Error, "r.toml", "x = 1\ny = [\n", Some(8), "bad");
        let s = d.to_string();
        assert!(s.starts_with("r.toml:2:3: error: bad"), "{s}");
        assert!(s.contains("2 | y = ["), "{s}");
    }
}
