//! Where ads come from: files, standard input, folders, JSON Lines; and turning their
//! bytes into text.
//!
//! Text may arrive as UTF-8, UTF-16 (with or without a byte-order mark) or a legacy
//! 8-bit encoding; binary files are refused. Sources are yielded one at a time so that
//! a batch never holds more than the ads being classified. This module reads; it does not
//! classify or print.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use crate::error::InputError;

pub mod jsonl;

/// One ad's text and the names it is reported under.
#[derive(Debug, Clone)]
pub struct Ad {
    /// What the ad is joined on: the path as given, the JSON Lines id, or `-` for
    /// standard input.
    pub id: String,
    /// Where it was read: the path as given, `FILE:LINE` of a JSON Lines record, or `-`.
    pub source: String,
    /// The decoded text.
    pub text: String,
    /// A note about decoding (e.g. "read as Windows-1252"), when one is due.
    pub warning: Option<String>,
    /// Where a title given beside the ad (`--title`, a JSON Lines title field) is in
    /// `text`: it is the ad's title, and no line of the text is taken for one.
    pub title: Option<Range<usize>>,
}

impl Ad {
    /// The ad with `title` given as its title (see [`with_title`]).
    pub fn titled(self, title: &str) -> Ad {
        let (text, at) = with_title(self.text, title);
        Ad {
            text,
            title: Some(at),
            ..self
        }
    }
}

/// An ad's text with a title given beside it (`--title`, a JSON Lines title field) as its
/// first line, unless its first non-empty line already is that title; and where the title
/// is in the returned text. Evidence line numbers then count the added line.
pub fn with_title(text: String, title: &str) -> (String, Range<usize>) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            if trimmed == title {
                let start = offset + (line.len() - line.trim_start().len());
                return (text, start..start + title.len());
            }
            break;
        }
        offset += line.len();
    }
    (format!("{title}\n{text}"), 0..title.len())
}

/// An input the user named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (`-` or no path).
    Stdin,
    /// A file or folder.
    Path(PathBuf),
}

/// How many leading bytes are checked for NUL bytes.
pub(crate) const SNIFF_LEN: usize = 8192;

/// What the first bytes of an input say about how to decode it. Files and JSON Lines
/// inputs are both read this way, so a byte-order mark or UTF-16 means the same to both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A byte-order mark of this length names the encoding.
    Bom(&'static Encoding, usize),
    /// No mark, but every other byte is NUL: UTF-16 of mostly ASCII text.
    Utf16(&'static Encoding),
    /// NUL bytes that are not UTF-16: not text.
    Binary,
    /// UTF-8, or a legacy 8-bit encoding when it is not valid UTF-8 (see
    /// [`utf8_or_windows_1252`]).
    Bytes,
}

impl Sniffed {
    /// The encoding to transcode from and the length of the byte-order mark to skip;
    /// `None` for bytes read as they are (UTF-8, else Windows-1252) and for binary input.
    pub(crate) fn transcode_from(self) -> Option<(&'static Encoding, usize)> {
        match self {
            Sniffed::Bom(enc, skip) => Some((enc, skip)),
            Sniffed::Utf16(enc) => Some((enc, 0)),
            Sniffed::Binary | Sniffed::Bytes => None,
        }
    }
}

/// Decides how to decode an input from its first bytes (up to [`SNIFF_LEN`] are looked at).
pub(crate) fn sniff(head: &[u8]) -> Sniffed {
    if let Some((enc, bom_len)) = Encoding::for_bom(head) {
        return Sniffed::Bom(enc, bom_len);
    }
    let head = &head[..head.len().min(SNIFF_LEN)];
    if !head.contains(&0) {
        return Sniffed::Bytes;
    }
    match utf16_without_bom(head) {
        Some(enc) => Sniffed::Utf16(enc),
        None => Sniffed::Binary,
    }
}

/// The warning for text decoded from another encoding than UTF-8, or with invalid bytes.
pub(crate) fn transcoding_warning(sniffed: Sniffed, had_errors: bool) -> Option<String> {
    let replaced = if had_errors {
        " with invalid bytes replaced"
    } else {
        ""
    };
    match sniffed {
        Sniffed::Bom(enc, _) if enc == encoding_rs::UTF_8 && !had_errors => None,
        Sniffed::Bom(enc, _) => Some(format!("read as {}{replaced}", enc.name())),
        Sniffed::Utf16(enc) => Some(format!("read as {} (no byte-order mark)", enc.name())),
        Sniffed::Binary | Sniffed::Bytes => None,
    }
}

/// The warning for text that is not valid UTF-8 and was read as Windows-1252.
pub(crate) const LEGACY_WARNING: &str = "not valid UTF-8; read as Windows-1252 (Latin-1)";

/// UTF-8 text as it is; other bytes read as Windows-1252 (a superset of Latin-1, and
/// what most legacy Western text is), with `true` to say a warning is due.
pub(crate) fn utf8_or_windows_1252(bytes: Vec<u8>) -> (String, bool) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, false),
        Err(e) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(e.as_bytes());
            (text.into_owned(), true)
        }
    }
}

/// Decodes `bytes` into text, or explains why they are not text.
pub fn decode(source: &str, bytes: Vec<u8>) -> Result<Ad, InputError> {
    let sniffed = sniff(&bytes);
    let (text, warning) = match (sniffed, sniffed.transcode_from()) {
        (_, Some((enc, skip))) => {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[skip..]);
            (text.into_owned(), transcoding_warning(sniffed, had_errors))
        }
        (Sniffed::Binary, None) => return Err(InputError::Binary(source.to_string())),
        (_, None) => {
            let (text, legacy) = utf8_or_windows_1252(bytes);
            (text, legacy.then(|| LEGACY_WARNING.to_string()))
        }
    };
    if text.contains('\0') {
        return Err(InputError::Binary(source.to_string()));
    }
    if text.trim().is_empty() {
        return Err(InputError::Empty(source.to_string()));
    }
    Ok(Ad {
        id: source.to_string(),
        source: source.to_string(),
        text,
        warning,
        title: None,
    })
}

/// Recognises UTF-16 text without a byte-order mark: mostly ASCII, so every other byte
/// is NUL.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Reads `reader` up to `limit` bytes, failing when there is more.
fn read_limited(source: &str, reader: impl Read, limit: u64) -> Result<Vec<u8>, io::Error> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(InputError::TooLarge {
            name: source.to_string(),
            size: bytes.len() as u64,
            limit,
        }));
    }
    Ok(bytes)
}

/// Reads a whole file of a kind that is small (rules, settings, labels), refusing it
/// once more than `limit` bytes have been read, or when its first bytes hold a NUL byte:
/// a device or a file that keeps growing (`/dev/zero`) costs at most `limit` bytes of
/// memory, and a binary file is refused before it is read whole. The error says why,
/// without the path (the caller names the file and what it was read as).
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err("is a directory".to_string());
    }
    let mut bytes = Vec::new();
    let mut reader = file.take(limit.saturating_add(1));
    let mut head = [0u8; SNIFF_LEN];
    let n = read_full(&mut reader, &mut head).map_err(|e| e.to_string())?;
    if head[..n].contains(&0) {
        return Err("binary file (it holds NUL bytes), not text".to_string());
    }
    bytes.extend_from_slice(&head[..n]);
    reader.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "larger than the {limit}-byte limit for this kind of file"
        ));
    }
    Ok(bytes)
}

/// Fills `buf` as far as the reader allows; the count read.
fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn too_large_or_io(path: &Path, e: io::Error) -> InputError {
    match e.downcast::<InputError>() {
        Ok(inner) => inner,
        Err(e) => InputError::Io {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

/// Reads and decodes one ad file.
pub fn read_file(path: &Path, limit: u64) -> Result<Ad, InputError> {
    let name = path.display().to_string();
    let io_err = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_err)?;
    let meta = file.metadata().map_err(io_err)?;
    if meta.is_dir() {
        return Err(InputError::IsDirectory(path.to_path_buf()));
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge {
            name,
            size: meta.len(),
            limit,
        });
    }
    let bytes = read_limited(&name, file, limit).map_err(|e| too_large_or_io(path, e))?;
    text_of(decode(&name, bytes)?, has_html_extension(path))
}

/// The ad's text, its markup removed when it is HTML (by name or by its opening).
fn text_of(ad: Ad, named_html: bool) -> Result<Ad, InputError> {
    if named_html || looks_like_html(&ad.text) {
        strip_html(ad)
    } else {
        Ok(ad)
    }
}

fn has_html_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
}

/// A whole HTML document (not a text ad that mentions a tag): it opens with a doctype or
/// an `<html>` element.
fn looks_like_html(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let head = &head.as_bytes()[..head.len().min(16)];
    [&b"<!doctype html"[..], b"<html"]
        .iter()
        .any(|tag| head.len() >= tag.len() && head[..tag.len()].eq_ignore_ascii_case(tag))
}

/// Replaces an HTML ad's markup by its text (see [`crate::html::to_text`]): block
/// elements become lines, so headings are still recognised as sections. Line and column
/// numbers then refer to this text.
fn strip_html(ad: Ad) -> Result<Ad, InputError> {
    let text = crate::html::to_text(&ad.text).map_err(|reason| InputError::Html {
        name: ad.source.clone(),
        reason,
    })?;
    if text.trim().is_empty() {
        return Err(InputError::Empty(ad.source));
    }
    Ok(Ad { text, ..ad })
}

/// Reads and decodes one ad from standard input.
pub fn read_stdin(limit: u64) -> Result<Ad, InputError> {
    let bytes = read_limited("-", io::stdin().lock(), limit)
        .map_err(|e| too_large_or_io(Path::new("-"), e))?;
    text_of(decode("-", bytes)?, false)
}

/// A file's identity: device and inode. Two paths with the same identity are the same
/// file, whatever links or names lead to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

/// The identity of the file standard output writes to, when it is a regular file: a
/// folder walk skips it, so `cxtag ads/ > ads/report.txt` does not classify its own
/// output (ripgrep does the same).
pub fn stdout_file() -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::MetadataExt;
        let fd = io::stdout().as_fd().try_clone_to_owned().ok()?;
        let meta = File::from(fd).metadata().ok()?;
        meta.is_file().then(|| FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// How a folder is walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Follow links to files and folders, as long as they stay inside the folder.
    pub follow: bool,
    /// A file never to yield (the output file).
    pub skip: Option<FileId>,
}

/// Every ad file below `dir`, sorted by path: hidden files and folders are skipped, as
/// are files whose extension says they are not text ads, and links unless
/// `options.follow`. A followed link that leads outside `dir`, a broken link or an
/// unreadable folder is returned as an error naming that path, in place, so it is
/// reported and the batch goes on.
pub fn walk(
    dir: &Path,
    options: WalkOptions,
) -> impl Iterator<Item = Result<PathBuf, InputError>> + use<> {
    // The walker sorts each folder's entries, so the walk is in path order already; it
    // reads one folder at a time, so a huge tree is never listed whole.
    let root = dir.to_path_buf();
    let inside = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    // Links the walker was told not to enter, reported in the walk's order: the filter
    // that refuses them runs inside the walker, which only yields what it keeps.
    let refused = std::sync::Arc::new(std::sync::Mutex::new(Vec::<PathBuf>::new()));
    let refuse = refused.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .hidden(true)
        .follow_links(options.follow)
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            // Without --follow the walker enters no link, and a link is not a file. A
            // broken link passes, for the walker to report.
            let outside = options.follow
                && e.path_is_symlink()
                && e.depth() > 0
                && std::fs::canonicalize(e.path()).is_ok_and(|t| !t.starts_with(&inside));
            if outside && let Ok(mut r) = refuse.lock() {
                r.push(e.path().to_path_buf());
            }
            !outside
        })
        .build();
    let mut pending: std::collections::VecDeque<Result<PathBuf, InputError>> =
        std::collections::VecDeque::new();
    let mut walker = walker.fuse();
    std::iter::from_fn(move || {
        loop {
            if let Some(next) = pending.pop_front() {
                return Some(next);
            }
            let entry = walker.next();
            if let Ok(mut r) = refused.lock() {
                pending.extend(r.drain(..).map(|link| {
                    Err(InputError::LinkOutside {
                        link,
                        folder: root.clone(),
                    })
                }));
            }
            match entry {
                None if pending.is_empty() => return None,
                None => continue,
                Some(Ok(e))
                    if e.file_type().is_some_and(|t| t.is_file())
                        && is_ad_file(e.path())
                        && !is_file(&e, options.skip) =>
                {
                    pending.push_back(Ok(e.into_path()))
                }
                Some(Ok(_)) => {}
                Some(Err(err)) => pending.push_back(Err(walk_error(&root, &err))),
            }
        }
    })
}

/// Whether a walked entry is the file `id`.
fn is_file(entry: &ignore::DirEntry, id: Option<FileId>) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // The inode comes with the folder listing; the device costs a stat, only paid
        // when the inode already matches.
        id.is_some_and(|id| {
            entry.ino() == Some(id.ino)
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.dev() == id.dev)
        })
    }
    #[cfg(not(unix))]
    {
        let _ = (entry, id);
        false
    }
}

/// A walk error as an input error naming the path that failed (not the folder walked),
/// once.
fn walk_error(root: &Path, err: &ignore::Error) -> InputError {
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::Loop { child, .. } => Some(child),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) => errs.first().and_then(path_of),
            _ => None,
        }
    }
    fn loop_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::Loop { ancestor, .. } => Some(ancestor),
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => loop_of(err),
            _ => None,
        }
    }
    let path = path_of(err).unwrap_or(root).to_path_buf();
    let source = if let Some(ancestor) = loop_of(err) {
        io::Error::other(format!(
            "a link back to {}, which is being walked (a loop); not followed",
            ancestor.display()
        ))
    } else {
        // The walker's own errors repeat the path; the operating system's reason alone
        // follows the path named once.
        match err.io_error() {
            Some(e) => e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<walkdir::Error>())
                .and_then(walkdir::Error::io_error)
                .and_then(io::Error::raw_os_error)
                .or(e.raw_os_error())
                .map_or_else(
                    || io::Error::new(e.kind(), e.kind().to_string()),
                    io::Error::from_raw_os_error,
                ),
            None => io::Error::other(err.to_string()),
        }
    };
    InputError::Io { path, source }
}

/// Extensions of files a folder walk classifies; files without an extension count too.
const AD_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "html", "htm"];

fn is_ad_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => AD_EXTENSIONS.iter().any(|a| a.eq_ignore_ascii_case(ext)),
    }
}

/// Opens a JSON Lines source for line-by-line reading.
pub fn open_lines(input: &Input) -> Result<Box<dyn BufRead>, InputError> {
    Ok(match input {
        Input::Stdin => Box::new(BufReader::with_capacity(1 << 16, io::stdin())),
        Input::Path(p) => {
            let f = File::open(p).map_err(|source| InputError::Io {
                path: p.clone(),
                source,
            })?;
            if f.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(InputError::IsDirectory(p.clone()));
            }
            Box::new(BufReader::with_capacity(1 << 16, f))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through() {
        let ad = decode("a", "Head of CX – café".as_bytes().to_vec()).unwrap();
        assert_eq!(ad.text, "Head of CX – café");
        assert!(ad.warning.is_none());
    }

    #[test]
    fn utf16_with_and_without_bom_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Head of CX".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode("a", le).unwrap().text, "Head of CX");
        let be: Vec<u8> = "Head of CX"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let ad = decode("a", be).unwrap();
        assert_eq!(ad.text, "Head of CX");
        assert!(ad.warning.unwrap().contains("UTF-16BE"));
    }

    #[test]
    fn latin1_is_read_with_a_warning() {
        let ad = decode("a", b"Caf\xe9 manager".to_vec()).unwrap();
        assert_eq!(ad.text, "Café manager");
        assert!(ad.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn html_becomes_lines_of_text() {
        let html = "<!DOCTYPE html><html><head><title>x</title><style>p{color:red}</style>\
            <script>var customer_service = 1;</script></head><body>\
            <h1>Head of CX</h1><p>Lead our <b>support</b> team &amp; the\n complaints desk.</p>\
            <ul><li>Own CSAT</li><li>Hire agents</li></ul></body></html>";
        let ad = strip_html(decode("a.html", html.as_bytes().to_vec()).unwrap()).unwrap();
        let lines: Vec<&str> = ad
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        // Headings keep a Markdown marker, which the layout reader understands.
        assert_eq!(lines[0], "# Head of CX");
        assert!(
            lines.contains(&"Lead our support team & the complaints desk."),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.ends_with("Own CSAT")), "{lines:?}");
        assert!(!ad.text.contains('<') && !ad.text.contains("customer_service"));
    }

    #[test]
    fn only_whole_documents_are_sniffed_as_html() {
        assert!(looks_like_html("\n  <!doctype HTML>\n<p>x"));
        assert!(looks_like_html("<html lang=en>"));
        assert!(!looks_like_html("Head of CX\nWe use <b> tags"));
        assert!(!looks_like_html("<h"));
    }

    #[test]
    fn a_title_given_beside_the_text_becomes_its_first_line_once() {
        // (text, title, the text returned, the title's place in it)
        let cases = [
            (
                "Acme Ltd\nWe run...",
                "Head of CX",
                "Head of CX\nAcme Ltd\nWe run...",
                0..10,
            ),
            (
                "Head of CX\nWe run...",
                "Head of CX",
                "Head of CX\nWe run...",
                0..10,
            ),
            (
                "\n  Head of CX \r\nWe run",
                "Head of CX",
                "\n  Head of CX \r\nWe run",
                3..13,
            ),
            (
                "# Head of CX\nWe run",
                "Head of CX",
                "Head of CX\n# Head of CX\nWe run",
                0..10,
            ),
            (
                "We run\nHead of CX",
                "Head of CX",
                "Head of CX\nWe run\nHead of CX",
                0..10,
            ),
        ];
        for (text, title, want, at) in cases {
            let (got, range) = with_title(text.to_string(), title);
            assert_eq!((got.as_str(), range.clone()), (want, at), "{text:?}");
            assert_eq!(&got[range], title);
        }
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode("a", vec![0x7f, b'E', b'L', b'F', 0, 1, 2, 0, 0, 9]),
            Err(InputError::Binary(_))
        ));
        assert!(matches!(
            decode("a", b" \n\t ".to_vec()),
            Err(InputError::Empty(_))
        ));
    }
}
