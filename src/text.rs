//! Text normalisation: the canonical form of rule patterns, and the normalised copy of an
//! ad that regex rules run on (the matcher itself reads the original text through
//! [`crate::tokens`], which shares this module's byte classes and separators).
//!
//! Runs of white space and hyphens become one space (a phrase matches across line breaks
//! and `customer-centric` = `customer centric`), and typographic quotes become ASCII ones.
//! Case is kept. [`Normalized`] remembers where its bytes came from, so a regex hit can be
//! reported at the line and column of the original text.

/// A normalised copy of a text, with the map back to the original byte offsets.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// `(normalised offset, original offset)` at every point where the two drift apart.
    anchors: Vec<(usize, usize)>,
}

/// What a byte starts, for the normaliser and the tokeniser ([`crate::tokens`]) alike:
/// ASCII letters, digits and `_` are word bytes; ASCII white space and `-` separate; other
/// ASCII bytes are marks; bytes from 0x80 start or continue a character that is decoded to
/// decide ([`is_separator`], [`ascii_stand_in`]).
pub(crate) const WORD: u8 = 0;
pub(crate) const MARK: u8 = 1;
pub(crate) const SEPARATOR: u8 = 2;
pub(crate) const NON_ASCII: u8 = 3;

/// [`WORD`], [`MARK`], [`SEPARATOR`] or [`NON_ASCII`], by byte.
pub(crate) static BYTE_CLASS: [u8; 256] = {
    let mut t = [MARK; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            t[b] = WORD;
        } else if c >= 0x80 {
            t[b] = NON_ASCII;
        }
        b += 1;
    }
    t[b' ' as usize] = SEPARATOR;
    t[b'\t' as usize] = SEPARATOR;
    t[b'\n' as usize] = SEPARATOR;
    t[b'\r' as usize] = SEPARATOR;
    t[0x0b] = SEPARATOR;
    t[0x0c] = SEPARATOR;
    t[b'-' as usize] = SEPARATOR;
    t
};

/// The lines of `text`, each with its `\n` (the last without one if the text does not end
/// in one), as `str::split_inclusive('\n')` gives them, found with the memchr crate's
/// SIMD search: the layout reads every line of every ad.
pub fn lines_inclusive(text: &str) -> LinesInclusive<'_> {
    LinesInclusive {
        text,
        breaks: memchr::memchr_iter(b'\n', text.as_bytes()),
        start: 0,
    }
}

/// The iterator of [`lines_inclusive`].
pub struct LinesInclusive<'t> {
    text: &'t str,
    breaks: memchr::Memchr<'t>,
    start: usize,
}

impl<'t> Iterator for LinesInclusive<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let start = self.start;
        match self.breaks.next() {
            Some(i) => {
                self.start = i + 1;
                Some(&self.text[start..=i])
            }
            None if start < self.text.len() => {
                self.start = self.text.len();
                Some(&self.text[start..])
            }
            None => None,
        }
    }
}

/// Whether the normaliser copies byte `b` as it is: an ASCII word byte or mark.
fn plain(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] < SEPARATOR
}

/// Characters that separate words and collapse into one space.
pub(crate) fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}'
        )
}

/// The ASCII stand-in for a typographic character, if it has one.
pub(crate) fn ascii_stand_in(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' => Some('"'),
        '\u{2026}' => Some('.'),
        _ => None,
    }
}

impl Normalized {
    /// Replaces the contents with the normalised form of `src`, reusing the buffers.
    pub fn fill(&mut self, src: &str) {
        self.text.clear();
        self.anchors.clear();
        self.text.reserve(src.len());
        self.anchors.push((0, 0));
        let mut drift = 0usize; // original offset minus normalised offset
        let mut in_separator = false;
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match BYTE_CLASS[usize::from(bytes[i])] {
                NON_ASCII => {}
                SEPARATOR => {
                    if !in_separator {
                        self.mark(i, &mut drift);
                        self.text.push(' ');
                        in_separator = true;
                    }
                    i += 1;
                    continue;
                }
                _ => {
                    // A run of plain ASCII is copied in one go, single spaces between
                    // words included (they are normal already).
                    let start = i;
                    loop {
                        while i < bytes.len() && plain(bytes[i]) {
                            i += 1;
                        }
                        let lone_space = bytes.get(i) == Some(&b' ')
                            && bytes.get(i + 1).is_some_and(|&n| plain(n));
                        if !lone_space {
                            break;
                        }
                        i += 1;
                    }
                    in_separator = false;
                    self.mark(start, &mut drift);
                    self.text.push_str(&src[start..i]);
                    continue;
                }
            }
            let Some(c) = src[i..].chars().next() else {
                break;
            };
            if is_separator(c) {
                if !in_separator {
                    self.mark(i, &mut drift);
                    self.text.push(' ');
                    in_separator = true;
                }
            } else {
                in_separator = false;
                self.mark(i, &mut drift);
                self.text.push(ascii_stand_in(c).unwrap_or(c));
            }
            i += c.len_utf8();
        }
        // The end of the normalised text is the end of the original, even when the last
        // character was shortened (a no-break space, a curly quote): a regex hit ending
        // there maps to a character boundary.
        self.mark(src.len(), &mut drift);
    }

    fn mark(&mut self, orig: usize, drift: &mut usize) {
        let norm = self.text.len();
        if orig - norm != *drift {
            *drift = orig - norm;
            self.anchors.push((norm, orig));
        }
    }

    /// The original byte offset of normalised offset `pos`.
    pub fn original_offset(&self, pos: usize) -> usize {
        let i = self.anchors.partition_point(|&(n, _)| n <= pos) - 1;
        let (n, o) = self.anchors[i];
        o + (pos - n)
    }
}

/// The canonical form of a rule pattern: normalised, trimmed and in ASCII lower case.
pub fn normalize_pattern(pattern: &str) -> String {
    let mut n = Normalized::default();
    n.fill(pattern.trim());
    n.text.make_ascii_lowercase();
    n.text.trim().to_string()
}

/// The words of `text` as [`str::split_whitespace`] gives them (white space is what
/// [`char::is_whitespace`] says), with an ASCII byte read as a byte: evidence and headings
/// are split on every ad, and `split_whitespace` decodes every character.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

impl Words<'_> {
    /// Whether the character at byte `i` is white space, and its length: a byte of
    /// ASCII is read as is, another character is decoded.
    #[inline]
    fn white_at(&self, i: usize) -> Option<(bool, usize)> {
        let b = *self.text.as_bytes().get(i)?;
        Some(if b.is_ascii() {
            (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1)
        } else {
            self.wide_at(i)
        })
    }

    /// [`Words::white_at`] for a character outside ASCII: decoded, as `split_whitespace`
    /// reads every character.
    #[cold]
    fn wide_at(&self, i: usize) -> (bool, usize) {
        let c = self.text[i..]
            .chars()
            .next()
            .expect("i is a character boundary");
        (c.is_whitespace(), c.len_utf8())
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        while let (true, len) = self.white_at(self.pos)? {
            self.pos += len;
        }
        let start = self.pos;
        while let Some((false, len)) = self.white_at(self.pos) {
            self.pos += len;
        }
        Some(&self.text[start..self.pos])
    }
}

/// True when `b` is part of a word. Bytes of non-ASCII characters count as word bytes so
/// that "café" is one word.
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// True when a word may start at byte `start` of `text`: the previous byte is not part of
/// a word, or the case changes from lower to upper there (words run together by a lost
/// line break, as in "sitesSupporting").
pub fn word_starts_at(text: &[u8], start: usize) -> bool {
    if start == 0 || start >= text.len() {
        return true;
    }
    let (prev, cur) = (text[start - 1], text[start]);
    !is_word_byte(prev)
        || !is_word_byte(cur)
        || (prev.is_ascii_lowercase() && cur.is_ascii_uppercase())
}

/// True when a word may end at byte `end` of `text` (exclusive).
pub fn word_ends_at(text: &[u8], end: usize) -> bool {
    word_starts_at(text, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> Normalized {
        let mut n = Normalized::default();
        n.fill(s);
        n
    }

    #[test]
    fn separators_collapse_to_one_space() {
        assert_eq!(norm("customer-centric").text, "customer centric");
        assert_eq!(norm("customer \n\n  centric").text, "customer centric");
        assert_eq!(norm("a – b").text, "a b");
        assert_eq!(norm("team’s").text, "team's");
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let src = "ab  \n cd’s ef";
        let n = norm(src);
        assert_eq!(n.text, "ab cd's ef");
        let cd = n.text.find("cd").unwrap();
        assert_eq!(&src[n.original_offset(cd)..n.original_offset(cd) + 2], "cd");
        let ef = n.text.find("ef").unwrap();
        assert_eq!(&src[n.original_offset(ef)..], "ef");
    }

    #[test]
    fn the_end_maps_to_the_end_after_a_shortened_character() {
        // A no-break space (2 bytes) and a curly quote (3 bytes) become 1 byte each.
        assert_eq!(norm("a\u{a0}").original_offset(2), 3);
        assert_eq!(norm("ab\u{2019}").original_offset(3), 5);
    }

    #[test]
    fn patterns_are_lower_case_and_trimmed() {
        assert_eq!(normalize_pattern("  Customer-Centric "), "customer centric");
    }

    #[test]
    fn case_change_marks_a_word_break() {
        let t = b"sitesSupporting";
        assert!(word_starts_at(t, 5));
        assert!(!word_starts_at(b"Support", 3));
        assert!(!word_starts_at(b"complex", 3));
        assert!(word_starts_at(b"a cx", 2));
    }

    proptest::proptest! {
        #[test]
        fn lines_are_split_as_split_inclusive_splits_them(text in "(?s)[a\n\r é]{0,40}") {
            let ours: Vec<&str> = lines_inclusive(&text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            proptest::prop_assert_eq!(ours, std);
        }

        #[test]
        fn words_are_split_as_split_whitespace_splits_them(
            text in "[a\n\r\t\x0b\x0c\x1c é\u{a0}\u{85}\u{2003}\u{3000}’]{0,40}"
        ) {
            let ours: Vec<&str> = words(&text).collect();
            let std: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(ours, std, "{:?}", text);
        }
    }
}
