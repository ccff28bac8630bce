//! JSON Lines input: each line of a file or of standard input holds one ad.
//!
//! This module owns the contract a pipeline relies on: every line of an input becomes
//! exactly one [`Line`] (or, once, the reason the input cannot be read at all), numbered
//! from the start of that input; a line is read with a bound ([`Reader`] never holds more
//! than the limit of one line, however long the line); and inputs are decoded as files are
//! (byte-order marks, UTF-16, Latin-1 with one warning). [`parse`] turns a line into an
//! [`Ad`], keeping the id exactly as written. It does not classify or print.

use std::io::{self, BufRead};
use std::sync::Arc;

use encoding_rs::{Decoder, Encoding};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Ad, Input, LEGACY_WARNING, Sniffed, sniff, transcoding_warning, utf8_or_windows_1252};
use crate::error::InputError;

/// One line of a JSON Lines input, read but not yet parsed.
#[derive(Debug)]
pub struct Line {
    /// The input's name: its path as given, or `-` for standard input.
    pub input: Arc<str>,
    /// 1-based, counted from the start of the input.
    pub number: usize,
    /// What the line holds.
    pub content: Content,
    /// A note about decoding that starts at this line (said once per input).
    pub warning: Option<String>,
}

/// What one line holds.
#[derive(Debug)]
pub enum Content {
    /// The line's text, without its line ending.
    Text(String),
    /// Longer than the limit: its first `limit` bytes (to look for the id in) and its
    /// length; the rest was read and dropped.
    TooLong {
        /// The line's first bytes, decoded.
        head: String,
        /// The whole line's length in bytes.
        len: u64,
    },
}

/// The names of the fields cxtag reads from each line; the others are skipped unparsed.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    /// The ad's id.
    pub id: &'a str,
    /// The ad's text.
    pub text: &'a str,
    /// The ad's title, if the lines have one.
    pub title: Option<&'a str>,
}

/// Reads the lines of one JSON Lines input, one at a time, each bounded by `limit` bytes.
pub struct Reader {
    input: Arc<str>,
    source: Box<dyn BufRead>,
    limit: usize,
    number: usize,
    /// Set after the end of input or an error that ends it.
    done: bool,
    /// A decoding note for the next line.
    warning: Option<String>,
    /// A line was read as Windows-1252 and said so: later ones are not reported.
    legacy_reported: bool,
}

impl Reader {
    /// Opens `input`; lines longer than `limit` bytes are reported, not held.
    pub fn open(input: &Input, limit: u64) -> Result<Reader, InputError> {
        let name: Arc<str> = match input {
            Input::Stdin => "-".into(),
            Input::Path(p) => p.display().to_string().into(),
        };
        Reader::new(name, super::open_lines(input)?, limit)
    }

    /// Reads lines from `source`, reported under `name`.
    pub fn new(
        name: Arc<str>,
        mut source: Box<dyn BufRead>,
        limit: u64,
    ) -> Result<Reader, InputError> {
        let io_err = |e: io::Error| InputError::Record {
            name: name.to_string(),
            line: 1,
            id: None,
            reason: format!("cannot read: {e}"),
        };
        // The first buffer of input decides the encoding, as the head of a file does.
        let head = fill_buf(&mut *source).map_err(io_err)?;
        let sniffed = sniff(head);
        // UTF-16 is turned into UTF-8 as it is read; everything else is read as bytes, and
        // each line is UTF-8 or else Windows-1252.
        let source: Box<dyn BufRead> = match (sniffed, sniffed.transcode_from()) {
            (_, Some((enc, skip))) if enc == encoding_rs::UTF_8 => {
                source.consume(skip);
                source
            }
            (_, Some((enc, skip))) => {
                source.consume(skip);
                Box::new(Transcoder::new(source, enc))
            }
            (Sniffed::Binary, None) => {
                return Err(InputError::Record {
                    name: name.to_string(),
                    line: 1,
                    id: None,
                    reason: "binary data (it holds NUL bytes), not JSON Lines".to_string(),
                });
            }
            (_, None) => source,
        };
        Ok(Reader {
            input: name,
            source,
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
            number: 0,
            done: false,
            warning: transcoding_warning(sniffed, false),
            legacy_reported: false,
        })
    }

    /// The text of a line's bytes: UTF-8, or Windows-1252 when it is not, with a warning
    /// the first time.
    fn text_of(&mut self, bytes: Vec<u8>) -> String {
        let (text, was_legacy) = utf8_or_windows_1252(bytes);
        if was_legacy && !self.legacy_reported {
            self.legacy_reported = true;
            self.warning = Some(format!("{LEGACY_WARNING} (said once per input)"));
        }
        text
    }
}

impl Iterator for Reader {
    type Item = Result<Line, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.number += 1;
        let read = match read_bounded_line(&mut *self.source, self.limit) {
            Ok(Some(read)) => read,
            Ok(None) => {
                self.done = true;
                return None;
            }
            Err(e) => {
                // The input cannot be read any further; say where it stopped.
                self.done = true;
                return Some(Err(InputError::Record {
                    name: self.input.to_string(),
                    line: self.number,
                    id: None,
                    reason: format!("cannot read: {e}"),
                }));
            }
        };
        let content = match read {
            LineRead::Whole(bytes) => Content::Text(self.text_of(bytes)),
            LineRead::TooLong { head, len } => Content::TooLong {
                head: self.text_of(head),
                len,
            },
        };
        Some(Ok(Line {
            input: Arc::clone(&self.input),
            number: self.number,
            content,
            warning: self.warning.take(),
        }))
    }
}

/// `fill_buf`, retried when interrupted by a signal.
fn fill_buf(source: &mut dyn BufRead) -> io::Result<&[u8]> {
    loop {
        match source.fill_buf() {
            // The borrow checker cannot see that the retry ends the first borrow, so the
            // buffer is asked for again once it is known to be readable.
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    source.fill_buf()
}

/// A line as read, before decoding.
#[derive(Debug, PartialEq, Eq)]
pub enum LineRead {
    /// The line without its ending (`\n` or `\r\n`).
    Whole(Vec<u8>),
    /// A line longer than the limit: its first `limit` bytes and its full length.
    TooLong {
        /// The first bytes.
        head: Vec<u8>,
        /// The length of the whole line, its ending excluded.
        len: u64,
    },
}

/// Reads one line of at most `limit` bytes; the rest of a longer line is read and dropped
/// a buffer at a time, so memory stays bounded whatever comes in (`/dev/zero`, a file
/// with no line breaks). `None` at the end of input.
pub fn read_bounded_line(source: &mut dyn BufRead, limit: usize) -> io::Result<Option<LineRead>> {
    let mut line = Vec::new();
    let mut len: u64 = 0;
    let mut any = false;
    let mut last = None;
    loop {
        let buf = fill_buf(source)?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, used, ends) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        len += chunk.len() as u64;
        last = chunk.last().copied().or(last);
        source.consume(used);
        if ends {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    // A `\r` before the `\n` belongs to the line ending, not to the line.
    if last == Some(b'\r') {
        len -= 1;
        line.truncate(line.len().min(limit).min(len as usize));
    }
    Ok(Some(if len > limit as u64 {
        LineRead::TooLong { head: line, len }
    } else {
        LineRead::Whole(line)
    }))
}

/// A reader that turns UTF-16 into UTF-8 as it goes, so lines are found and bounded on
/// the decoded text.
struct Transcoder {
    source: Box<dyn BufRead>,
    decoder: Decoder,
    out: Vec<u8>,
    pos: usize,
    finished: bool,
}

impl Transcoder {
    fn new(source: Box<dyn BufRead>, encoding: &'static Encoding) -> Transcoder {
        Transcoder {
            source,
            decoder: encoding.new_decoder_without_bom_handling(),
            out: Vec::new(),
            pos: 0,
            finished: false,
        }
    }
}

impl io::Read for Transcoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Transcoder {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.out.len() && !self.finished {
            let src = fill_buf(&mut *self.source)?;
            let last = src.is_empty();
            // Room for the worst case, so one call decodes all of `src`.
            let room = self
                .decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len().saturating_mul(3))
                .max(4);
            self.out.resize(room, 0);
            let (_, read, written, _) = self.decoder.decode_to_utf8(src, &mut self.out, last);
            self.source.consume(read);
            self.out.truncate(written);
            self.pos = 0;
            self.finished = last;
        }
        Ok(&self.out[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.out.len());
    }
}

/// What [`parse`] picked out of a line; filled in as the line is parsed, so the id is
/// known even when something after it is wrong.
#[derive(Default)]
struct Picked {
    id: Option<Id>,
    text: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
}

/// An id field's value.
enum Id {
    /// A string, or a number's source text.
    Usable(String),
    /// Anything else (null, a boolean, an object, an array).
    Unusable,
}

/// Parses a line's object into a [`Picked`], reading only the [`Fields`].
struct Seed<'f, 'p> {
    fields: Fields<'f>,
    picked: &'p mut Picked,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.fields.id {
                // The id is copied as written: a number never goes through f64, so
                // `12345678901234567890123` stays itself and two ads cannot share an id.
                let raw: &RawValue = map.next_value()?;
                let raw = raw.get();
                self.picked.id = Some(match raw.as_bytes().first() {
                    Some(b'"') => {
                        Id::Usable(serde_json::from_str(raw).map_err(serde::de::Error::custom)?)
                    }
                    Some(b'-' | b'0'..=b'9') => Id::Usable(raw.to_string()),
                    _ => Id::Unusable,
                });
            } else if key == self.fields.text {
                self.picked.text = Some(map.next_value()?);
            } else if Some(key.as_str()) == self.fields.title {
                self.picked.title = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// Parses `json` as far as it goes; the error, if any, comes with what was read before it.
fn pick(json: &str, fields: Fields) -> (Picked, Result<(), serde_json::Error>) {
    let mut picked = Picked::default();
    let mut de = serde_json::Deserializer::from_str(json);
    let parsed = Seed {
        fields,
        picked: &mut picked,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    (picked, parsed)
}

/// Turns one line into an ad: its id is what results join on, `INPUT:LINE` its source,
/// its text what is classified, and its title field, when it has one, its title, as
/// `--title` is for a file ([`Ad::titled`]). Every failure is
/// a [`InputError::Record`] with the input, line number and, once read, the id.
pub fn parse(line: Line, fields: Fields, max_size: u64) -> Result<Ad, InputError> {
    let Line {
        input,
        number,
        content,
        ..
    } = line;
    let fail = |id: Option<String>, reason: String| InputError::Record {
        name: input.to_string(),
        line: number,
        id,
        reason,
    };
    let json = match content {
        Content::Text(json) => json,
        Content::TooLong { head, len } => {
            // The id usually comes before the text, so the head often names the ad.
            let (picked, _) = pick(&head, fields);
            let id = match picked.id {
                Some(Id::Usable(id)) => Some(id),
                _ => None,
            };
            return Err(fail(
                id,
                format!(
                    "the line is {len} bytes, more than the {max_size}-byte limit for one ad \
                     (see --max-size); skipped"
                ),
            ));
        }
    };
    if json.trim().is_empty() {
        return Err(fail(
            None,
            "blank line: no JSON object (each line must hold one ad)".to_string(),
        ));
    }
    let (picked, parsed) = pick(&json, fields);
    let has_id = picked.id.is_some();
    let id = match picked.id {
        Some(Id::Usable(id)) => Some(id),
        Some(Id::Unusable) | None => None,
    };
    if let Err(e) = parsed {
        return Err(fail(
            id,
            format!(
                "invalid JSON: {e} (each line must be one JSON object; for plain-text ads, \
                 leave out --input-format jsonl)"
            ),
        ));
    }
    let id = match (id, has_id) {
        (Some(id), _) => id,
        (None, true) => {
            return Err(fail(
                None,
                format!("field `{}` is not a string or number", fields.id),
            ));
        }
        (None, false) => {
            return Err(fail(
                None,
                format!(
                    "no `{}` field (name the id field with --id-field)",
                    fields.id
                ),
            ));
        }
    };
    let text = match picked.text {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => {
            return Err(fail(
                Some(id),
                format!("field `{}` is not a string", fields.text),
            ));
        }
        None => {
            return Err(fail(
                Some(id),
                format!(
                    "no `{}` field (name the text field with --text-field)",
                    fields.text
                ),
            ));
        }
    };
    if text.len() as u64 > max_size {
        return Err(fail(
            Some(id),
            format!(
                "the text is {} bytes, more than the {max_size}-byte limit for one ad (see --max-size)",
                text.len()
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(fail(
            Some(id),
            "empty text: nothing to classify".to_string(),
        ));
    }
    let title = match (fields.title, &picked.title) {
        (None, _) | (_, None | Some(serde_json::Value::Null)) => None,
        (_, Some(serde_json::Value::String(t))) => Some(one_line(t)),
        (Some(f), Some(_)) => {
            return Err(fail(Some(id), format!("field `{f}` is not a string")));
        }
    };
    let ad = Ad {
        id,
        source: format!("{input}:{number}"),
        text,
        warning: None,
        title: None,
    };
    Ok(match title {
        Some(t) if !t.is_empty() => ad.titled(&t),
        _ => ad,
    })
}

/// A title field as one line: a job title is one line (`--title` refuses a line break),
/// and a scraped one that holds some has its lines joined by a space.
fn one_line(title: &str) -> std::borrow::Cow<'_, str> {
    let title = title.trim();
    if title.contains(['\n', '\r']) {
        let lines: Vec<&str> = title
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        lines.join(" ").into()
    } else {
        title.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: Fields = Fields {
        id: "id",
        text: "text",
        title: None,
    };

    fn lines(bytes: &[u8], limit: u64) -> Vec<Result<Line, InputError>> {
        let source: Box<dyn BufRead> = Box::new(io::Cursor::new(bytes.to_vec()));
        match Reader::new("t.jsonl".into(), source, limit) {
            Ok(r) => r.collect(),
            Err(e) => vec![Err(e)],
        }
    }

    fn texts(bytes: &[u8]) -> Vec<String> {
        lines(bytes, 1000)
            .into_iter()
            .map(|l| match l.unwrap().content {
                Content::Text(t) => t,
                Content::TooLong { .. } => panic!("too long"),
            })
            .collect()
    }

    #[test]
    fn every_line_is_one_item_blank_ones_included() {
        let cases: &[(&[u8], &[&str])] = &[
            (b"", &[]),
            (b"a", &["a"]),
            (b"a\n", &["a"]),
            (b"a\n\nb", &["a", "", "b"]),
            (b"a\r\nb\r\n", &["a", "b"]),
            (b"\n", &[""]),
            (b"a\rb\n", &["a\rb"]),
        ];
        for (input, want) in cases {
            assert_eq!(texts(input), *want, "{input:?}");
        }
    }

    #[test]
    fn a_long_line_is_dropped_past_the_limit_and_reading_goes_on() {
        let mut bytes = b"{\"id\": 7, \"text\": \"".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 100_000));
        bytes.extend(b"\"}\nnext\n");
        let got = lines(&bytes, 64);
        assert_eq!(got.len(), 2);
        let first = got[0].as_ref().unwrap();
        match &first.content {
            Content::TooLong { head, len } => {
                assert_eq!(head.len(), 64);
                assert_eq!(*len, bytes.len() as u64 - 6);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(got[1].as_ref().unwrap().number, 2);
        let Err(InputError::Record { id, line, .. }) =
            parse(got.into_iter().next().unwrap().unwrap(), FIELDS, 64)
        else {
            panic!("a long line is an error")
        };
        assert_eq!((id.as_deref(), line), (Some("7"), 1));
    }

    #[test]
    fn the_limit_counts_the_line_without_its_ending() {
        let got = lines(b"abcd\r\nabcde\n", 4);
        assert!(matches!(&got[0].as_ref().unwrap().content, Content::Text(t) if t == "abcd"));
        assert!(matches!(
            &got[1].as_ref().unwrap().content,
            Content::TooLong { len: 5, .. }
        ));
    }

    #[test]
    fn inputs_are_decoded_like_files() {
        let line = "{\"id\":\"é\",\"text\":\"x\"}\n{\"id\":2}";
        let utf8_bom = [b"\xEF\xBB\xBF".as_slice(), line.as_bytes()].concat();
        let mut utf16le = vec![0xFF, 0xFE];
        utf16le.extend(line.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf16be = vec![0xFE, 0xFF];
        utf16be.extend(line.encode_utf16().flat_map(u16::to_be_bytes));
        let no_bom: Vec<u8> = line.encode_utf16().flat_map(u16::to_le_bytes).collect();
        for (what, bytes, warns) in [
            ("utf-8 bom", utf8_bom, false),
            ("utf-16le", utf16le, true),
            ("utf-16be", utf16be, true),
            ("utf-16le without bom", no_bom, true),
        ] {
            let got: Vec<Line> = lines(&bytes, 1000)
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert_eq!(got.len(), 2, "{what}");
            assert!(
                matches!(&got[0].content, Content::Text(t) if t == "{\"id\":\"é\",\"text\":\"x\"}"),
                "{what}: {:?}",
                got[0].content
            );
            assert_eq!(got[0].warning.is_some(), warns, "{what}");
            assert!(got[1].warning.is_none(), "{what}");
        }
    }

    #[test]
    fn latin1_lines_are_read_with_one_warning() {
        let got: Vec<Line> = lines(b"ok\ncaf\xe9\nna\xefve\n", 100)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert!(matches!(&got[1].content, Content::Text(t) if t == "café"));
        assert!(matches!(&got[2].content, Content::Text(t) if t == "naïve"));
        let warned: Vec<usize> = got
            .iter()
            .filter(|l| l.warning.is_some())
            .map(|l| l.number)
            .collect();
        assert_eq!(warned, [2]);
    }

    #[test]
    fn binary_input_is_one_error() {
        let got = lines(&[0u8; 4096], 100);
        assert_eq!(got.len(), 1);
        assert!(got[0].as_ref().unwrap_err().to_string().contains("binary"));
    }

    fn parsed(json: &str) -> Result<Ad, InputError> {
        parse(
            Line {
                input: "t.jsonl".into(),
                number: 3,
                content: Content::Text(json.to_string()),
                warning: None,
            },
            FIELDS,
            1000,
        )
    }

    #[test]
    fn ids_are_kept_as_written() {
        let cases = [
            (
                r#"{"id": 12345678901234567890123, "text": "x"}"#,
                "12345678901234567890123",
            ),
            (r#"{"id":-1.50e3,"text":"x"}"#, "-1.50e3"),
            (r#"{"id": "007", "text": "x"}"#, "007"),
            (r#"{"text": "x", "id": "a\"b"}"#, "a\"b"),
        ];
        for (json, id) in cases {
            assert_eq!(parsed(json).unwrap().id, id, "{json}");
        }
    }

    #[test]
    fn errors_carry_the_line_and_the_id_once_read() {
        let cases: &[(&str, Option<&str>, &str)] = &[
            ("", None, "blank line"),
            ("  \t", None, "blank line"),
            ("{not json", None, "invalid JSON"),
            (r#"{"id": "a1", "text": "x""#, Some("a1"), "invalid JSON"),
            (
                r#"{"id": "a2", "text": "x"} trailing"#,
                Some("a2"),
                "invalid JSON",
            ),
            (r#"{"id": "a3"}"#, Some("a3"), "no `text` field"),
            (r#"{"id": "a4", "text": 5}"#, Some("a4"), "not a string"),
            (r#"{"id": "a5", "text": " "}"#, Some("a5"), "empty text"),
            (
                r#"{"id": null, "text": "x"}"#,
                None,
                "not a string or number",
            ),
            (r#"{"text": "x"}"#, None, "no `id` field"),
            ("[1, 2]", None, "invalid JSON"),
        ];
        for (json, want_id, reason) in cases {
            let Err(e) = parsed(json) else {
                panic!("{json} parsed")
            };
            let InputError::Record { id, line, name, .. } = &e else {
                panic!("{e:?}")
            };
            assert_eq!(
                (id.as_deref(), *line, name.as_str()),
                (*want_id, 3, "t.jsonl"),
                "{json}"
            );
            assert!(e.to_string().contains(reason), "{json}: {e}");
        }
    }
}
