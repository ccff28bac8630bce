//! HTML ads to text, in time linear in their size.
//!
//! The conversion itself is the `html2text` crate (on `html5ever`). Both take time that
//! grows with the depth of the element tree at every tag (html5ever looks up the stack of
//! open elements for scopes, html2text renders recursively), so 100,000 nested `<div>`s
//! took 23 s and 200,000 took 218 s. Before parsing, [`limit_tree`] makes one pass over
//! the markup that keeps the tree at most [`LIMITS`]`.depth` elements deep and
//! `.elements` elements in all: tags past either are dropped (their text is kept). The
//! count matters too: html2text takes some 2 KB and 10 µs per element, so 16 MiB of
//! `<div>x</div>` took 3 GB and 16 s. Job ads nest a few dozen elements and hold a few
//! thousand at most, so for them the pass changes nothing but formatting tags.
//!
//! The pass follows the HTML tokenizer closely (comments, quoted attributes, raw-text
//! elements such as `<script>`) and models the parser's stack of open elements
//! pessimistically: it closes an element only where every HTML parser closes it too, so
//! its depth is never much less than the parser's. Formatting elements (`<b>`, `<a>`,
//! `<font>`...) are removed outright, because the parser re-opens them after they are
//! closed ("reconstructing the active formatting elements"), which no simple model
//! bounds; they carry no layout that cxtag reads.

use std::borrow::Cow;

/// How much of an element tree [`limit_tree`] lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting of elements.
    pub depth: usize,
    /// Elements in all (void ones such as `<br>` included).
    pub elements: usize,
}

/// The limits for ads: at most some 100 MB and half a second of conversion.
pub const LIMITS: Limits = Limits {
    depth: 128,
    elements: 50_000,
};

/// Turns an HTML document into text: tags and scripts go, entities are decoded, block
/// elements (headings, paragraphs, list items) become lines. Lines are not wrapped.
pub fn to_text(html: &str) -> Result<String, String> {
    /// Lines are not wrapped: a paragraph stays on one line, as in a text ad.
    const WIDTH: usize = 100_000;
    let bounded = limit_tree(html, LIMITS);
    html2text::config::plain_no_decorate()
        .raw_mode(true)
        .link_footnotes(false)
        .allow_width_overflow()
        .string_from_read(bounded.as_bytes(), WIDTH)
        .map_err(|e| e.to_string())
}

/// Formatting elements (HTML's list), removed by [`limit_tree`].
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// Elements that never have content, so never deepen the tree.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag (outside SVG and MathML). Not
/// `noscript`: whether it is text depends on the parser's settings, and counting its tags
/// can only overestimate the depth.
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
];

/// Elements whose end tag may be left out: an end tag of a block closes them on its way.
const IMPLIED_END: &[&str] = &[
    "dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc",
];

/// Table parts, closed only when on top (their end tags mean nothing outside a table).
const TABLE: &[&str] = &[
    "caption", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// HTML's "special" elements: an end tag of any other element never closes past them.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "article",
    "aside",
    "blockquote",
    "body",
    "button",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "html",
    "li",
    "listing",
    "main",
    "marquee",
    "menu",
    "nav",
    "object",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "select",
    "summary",
    "template",
    "ul",
];

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// What an opening `name` closes: the elements it ends (a new paragraph, list item or
/// table row ends the previous one), and those that may be open above them.
fn closes_on_open(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match name {
        "p" => (&["p"], &[]),
        "li" => (&["li"], &["p"]),
        "dd" | "dt" => (&["dd", "dt"], &["p"]),
        "option" => (&["option"], &[]),
        "td" | "th" => (&["td", "th"], &["p"]),
        "tr" => (&["tr"], &["td", "th", "p"]),
        _ => (&[], &[]),
    }
}

/// The markup without the tags that would nest an element deeper than `limits.depth` or
/// open more than `limits.elements` elements, and without formatting tags; borrowed when
/// nothing was removed.
pub fn limit_tree(html: &str, limits: Limits) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Open elements, as lower-case names.
    let mut open: Vec<String> = Vec::new();
    // Elements let through.
    let mut elements = 0usize;
    // Start tags dropped and not yet matched by an end tag.
    let mut dropped = 0usize;
    // Open `svg` and `math` elements: inside them `<title>` or `<style>` are elements.
    let mut foreign = 0usize;
    let mut out = String::new();
    // Bytes before this were copied to `out` (or dropped).
    let mut copied = 0;
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + k;
        let Some(tag) = Tag::parse(bytes, lt) else {
            i = lt + 1;
            continue;
        };
        i = tag.end;
        let name = html[tag.name.0..tag.name.1].to_ascii_lowercase();
        let keep = match tag.kind {
            TagKind::Other => true,
            _ if is_one_of(&name, FORMATTING) => false,
            TagKind::Start if is_one_of(&name, VOID) => {
                elements += 1;
                elements <= limits.elements
            }
            TagKind::Start if elements >= limits.elements => {
                dropped += 1;
                false
            }
            TagKind::Start => {
                let (ends, above) = closes_on_open(&name);
                if let Some(at) = open.iter().rposition(|o| !above.contains(&o.as_str()))
                    && ends.contains(&open[at].as_str())
                {
                    close(&mut open, at, &mut foreign);
                }
                if open.len() >= limits.depth {
                    dropped += 1;
                    false
                } else {
                    if name == "svg" || name == "math" {
                        foreign += 1;
                    }
                    open.push(name.clone());
                    elements += 1;
                    true
                }
            }
            TagKind::End if dropped > 0 => {
                dropped -= 1;
                false
            }
            TagKind::End => {
                if let Some(at) = closed_by_end_tag(&open, &name) {
                    close(&mut open, at, &mut foreign);
                }
                true
            }
        };
        if !keep {
            out.push_str(&html[copied..lt]);
            // A `<` of text before the dropped tag must not start a tag with the text
            // after it (`<<b>div>` would become `<div>`, a tag this pass never counted).
            if out.ends_with('<') {
                out.push(' ');
            }
            // A dropped block (`<h1>`, `<p>`, `<div>`... past the depth) still ends a
            // line, or a title would run into the text after it: a `<br>`, which never
            // deepens the tree, one for a run of dropped tags with no text between them,
            // while the element budget lasts; a space after that.
            if tag.kind != TagKind::Other
                && !is_one_of(&name, FORMATTING)
                && !out.trim_end().ends_with("<br>")
            {
                if elements < limits.elements {
                    elements += 1;
                    out.push_str("<br>");
                } else {
                    out.push(' ');
                }
            }
            copied = tag.end;
        }
        // The content of a raw-text element is text, up to its end tag.
        if tag.kind == TagKind::Start && keep && foreign == 0 && is_one_of(&name, RAW_TEXT) {
            open.pop();
            i = if name == "plaintext" {
                bytes.len()
            } else {
                raw_text_end(bytes, i, &name)
            };
        }
    }
    if copied == 0 {
        Cow::Borrowed(html)
    } else {
        out.push_str(&html[copied..]);
        Cow::Owned(out)
    }
}

/// Pops `open` down to (without) index `at`.
fn close(open: &mut Vec<String>, at: usize, foreign: &mut usize) {
    for name in open.drain(at..) {
        if name == "svg" || name == "math" {
            *foreign -= 1;
        }
    }
}

/// The index of the open element an end tag `</name>` closes, if any: the top one when it
/// has that name; for the end tag of a special element, the first one below the
/// elements with optional end tags. Anything else closes nothing here (a parser may close
/// more; never less).
fn closed_by_end_tag(open: &[String], name: &str) -> Option<usize> {
    let top = open.len().checked_sub(1)?;
    if open[top] == name {
        return Some(top);
    }
    if !is_one_of(name, SPECIAL) && !is_one_of(name, TABLE) {
        return None;
    }
    let skippable: &[&str] = if is_one_of(name, TABLE) {
        &["p"]
    } else {
        IMPLIED_END
    };
    let at = open
        .iter()
        .rposition(|o| !skippable.contains(&o.as_str()))?;
    (open[at] == name).then_some(at)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Start,
    End,
    /// A comment, doctype or processing instruction.
    Other,
}

/// A tag found at a `<`.
struct Tag {
    kind: TagKind,
    /// Byte range of the name.
    name: (usize, usize),
    /// Just after the tag's `>` (or the end of the input).
    end: usize,
}

impl Tag {
    /// The tag starting at `bytes[lt] == b'<'`, as the HTML tokenizer reads it; `None`
    /// when the `<` is text.
    fn parse(bytes: &[u8], lt: usize) -> Option<Tag> {
        let rest = &bytes[lt + 1..];
        let after_gt = |from: usize| {
            memchr::memchr(b'>', &bytes[from..]).map_or(bytes.len(), |k| from + k + 1)
        };
        let other = |end| {
            Some(Tag {
                kind: TagKind::Other,
                name: (lt, lt),
                end,
            })
        };
        match rest.first()? {
            b'!' if rest.starts_with(b"!--") => {
                let body = lt + 4;
                // `<!-->` and `<!--->` are whole (empty) comments.
                if bytes[body..].starts_with(b">") {
                    return other(body + 1);
                }
                if bytes[body..].starts_with(b"->") {
                    return other(body + 2);
                }
                let mut j = body;
                loop {
                    let Some(k) = memchr::memchr(b'>', &bytes[j..]) else {
                        return other(bytes.len());
                    };
                    let gt = j + k;
                    let before = &bytes[body..gt];
                    if before.ends_with(b"--") || before.ends_with(b"--!") {
                        return other(gt + 1);
                    }
                    j = gt + 1;
                }
            }
            b'!' | b'?' => other(after_gt(lt + 1)),
            b'/' => match rest.get(1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, end) = name_and_attributes(bytes, lt + 2);
                    Some(Tag {
                        kind: TagKind::End,
                        name,
                        end,
                    })
                }
                // `</>` is dropped by the tokenizer; `</ x>` is a bogus comment.
                Some(_) => other(after_gt(lt + 2)),
                None => None,
            },
            c if c.is_ascii_alphabetic() => {
                let (name, end) = name_and_attributes(bytes, lt + 1);
                Some(Tag {
                    kind: TagKind::Start,
                    name,
                    end,
                })
            }
            _ => None,
        }
    }
}

/// The tag name starting at `from` and the end of the tag: attribute values are skipped
/// as the tokenizer does (quotes count only right after `=`).
fn name_and_attributes(bytes: &[u8], from: usize) -> ((usize, usize), usize) {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut j = from;
    while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'/' && bytes[j] != b'>' {
        j += 1;
    }
    let name = (from, j);
    loop {
        while j < bytes.len() && (is_space(bytes[j]) || bytes[j] == b'/') {
            j += 1;
        }
        if j >= bytes.len() {
            return (name, bytes.len());
        }
        if bytes[j] == b'>' {
            return (name, j + 1);
        }
        // An attribute name (a leading `=` belongs to it).
        j += 1;
        while j < bytes.len() && !is_space(bytes[j]) && !matches!(bytes[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'=' {
            j += 1;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    j = memchr::memchr(q, &bytes[j + 1..]).map_or(bytes.len(), |k| j + 1 + k + 1);
                }
                _ => {
                    while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                }
            }
        }
    }
}

/// Where the raw text that starts at `from` ends: at the `<` of `</name` followed by a
/// space, `/` or `>` (in any case), or at the end of the input.
fn raw_text_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut j = from;
    while let Some(k) = memchr::memchr(b'<', &bytes[j..]) {
        let lt = j + k;
        let after = lt + 2 + name.len();
        if bytes.get(lt + 1) == Some(&b'/')
            && bytes
                .get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && bytes
                .get(after)
                .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'))
        {
            return lt;
        }
        j = lt + 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(depth: usize) -> Limits {
        Limits {
            depth,
            elements: usize::MAX,
        }
    }

    #[test]
    fn elements_past_the_count_are_dropped_and_their_text_kept() {
        let limits = Limits {
            depth: 8,
            elements: 3,
        };
        let cases = [
            (
                "<p>a</p><p>b</p><p>c</p><p>d</p>",
                "<p>a</p><p>b</p><p>c</p> d ",
            ),
            // Past the budget a dropped tag leaves a space: words never run together.
            ("<p>a<br>b<br>c<br>d</p>", "<p>a<br>b<br>c d</p>"),
        ];
        for (html, want) in cases {
            assert_eq!(limit_tree(html, limits), want, "{html}");
        }
    }

    #[test]
    fn ordinary_markup_is_kept_except_formatting() {
        let cases = [
            ("<p>Head of CX</p>", "<p>Head of CX</p>"),
            (
                "<p>a <b>bold</b> <a href='x>y'>link</a></p>",
                "<p>a bold link</p>",
            ),
            ("<ul><li>a<li>b</ul>", "<ul><li>a<li>b</ul>"),
            (
                "<script>if (a<b) x='<div>'</script>",
                "<script>if (a<b) x='<div>'</script>",
            ),
            ("<!-- <b> --><i>x</i>", "<!-- <b> -->x"),
            ("a < b and c<d", "a < b and c<d"),
        ];
        for (html, want) in cases {
            assert_eq!(limit_tree(html, depth(8)), want, "{html}");
        }
    }

    #[test]
    fn tags_past_the_depth_are_dropped_and_their_text_kept() {
        let cases = [
            // A dropped block still ends a line: one `<br>` for a run of dropped tags.
            (
                "<div><div><div>x</div></div></div>",
                "<div><div><br>x<br></div></div>",
            ),
            (
                "<div><div>a</div><div>b</div></div>",
                "<div><div>a</div><div>b</div></div>",
            ),
            // Paragraphs and list items left open do not pile up.
            (
                "<div><p>a<p>b<p>c</div><div>d</div>",
                "<div><p>a<p>b<p>c</div><div>d</div>",
            ),
            // A quote only counts after `=`: `a"b` is a name, so the `<div>`s are tags.
            ("<x a\"b><div><div>x\">", "<x a\"b><div><br>x\">"),
            // Dropping a tag never joins a `<` of text to what follows into a new tag.
            ("<div><div><<b></b>div>x", "<div><div>< div>x"),
            // `<!-->` is a whole comment, so the `<div>`s after it are tags.
            ("<!--><div><div><div>-->", "<!--><div><div><br>-->"),
            // In SVG, `<title>` is an element, not text.
            ("<svg><title><div><div>", "<svg><title><br>"),
        ];
        for (html, want) in cases {
            assert_eq!(limit_tree(html, depth(2)), want, "{html}");
        }
    }

    #[test]
    fn an_end_tag_of_an_inline_element_never_closes_a_block() {
        // A parser ignores `</span>` here, so the `<div>`s nest: they must count.
        let html = "<span><div></span>".repeat(3);
        assert_eq!(limit_tree(&html, depth(3)), "<span><div></span><span><br>");
    }

    #[test]
    fn a_heading_nested_past_the_depth_keeps_its_own_line() {
        let deep = 300;
        let html = format!(
            "<html><body>{}<h1>Head of CX</h1><p>We answer calls.</p>{}</body></html>",
            "<div>".repeat(deep),
            "</div>".repeat(deep)
        );
        let text = to_text(&html).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, ["Head of CX", "We answer calls."], "{text:?}");
    }
}
