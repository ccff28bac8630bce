//! The one reading of an ad's words: a single pass over its bytes that yields words and
//! punctuation marks with their original byte offsets.
//!
//! What separates and what joins, as [`crate::text`] defines it for the normalised text:
//! - white space and hyphens (ASCII or typographic) separate tokens and are not tokens: a
//!   phrase matches across line breaks, and `customer-centric` reads as `customer centric`;
//! - a word is a run of ASCII letters, digits and `_`, and of characters outside ASCII
//!   other than white space, the dashes U+2010 to U+2014, typographic quotes and primes,
//!   and the ellipsis (as the old matcher's `crate::text::is_word_byte` read them: a symbol
//!   such as `•` stuck to a word is part of it);
//! - any other character is a mark, a token of its own; typographic quotes, primes and the
//!   ellipsis read as their ASCII stand-ins (`’` is `'`, `…` is `.`);
//! - inside a word, a lower-case ASCII letter followed by an upper-case one is a word break
//!   too (a lost line break: "sitesSupporting"), without splitting the token: "eCommerce" is
//!   the word "ecommerce" and, from its break on, the word "commerce".
//!
//! Letter case is kept: whoever compares words folds ASCII case ([`fold`]).

/// One word or mark of a text, in 12 bytes: an ad has hundreds of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    start: u32,
    end: u32,
    /// 0 for a word; for a mark, its byte (a typographic quote's ASCII stand-in).
    mark: u8,
    flags: u8,
}

const GAP: u8 = 1;
const BREAKS: u8 = 2;
/// A word with a byte that is no ASCII letter (a digit, `_`, a character outside ASCII).
const NOT_LETTERS: u8 = 4;

impl Token {
    /// Byte offset in the original text, inclusive.
    pub fn start(&self) -> usize {
        self.start as usize
    }

    /// Byte offset in the original text, exclusive.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Whether it is a word (not a mark).
    pub fn is_word(&self) -> bool {
        self.mark == 0
    }

    /// For a mark, its ASCII byte.
    pub fn mark(&self) -> Option<u8> {
        (self.mark != 0).then_some(self.mark)
    }

    /// Whether separators (white space, hyphens) stand between it and the token before.
    pub fn gap(&self) -> bool {
        self.flags & GAP != 0
    }

    /// Whether a lower-case letter is followed by an upper-case one inside it.
    pub fn breaks(&self) -> bool {
        self.flags & BREAKS != 0
    }

    /// Whether it is a word of ASCII letters only.
    pub fn letters(&self) -> bool {
        self.mark == 0 && self.flags & NOT_LETTERS == 0
    }

    /// Its bytes as patterns spell them: a word as written in `text` (compare with ASCII
    /// case folded), a mark as its ASCII byte.
    pub fn bytes<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        if self.mark == 0 {
            &text[self.start()..self.end()]
        } else {
            let m = usize::from(self.mark);
            &ASCII[m..m + 1]
        }
    }
}

/// Every ASCII byte once, so that a mark's byte can be lent as a slice.
static ASCII: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = i as u8;
        i += 1;
    }
    t
};

/// The tokens of one text, with the buffer reused from one text to the next. Offsets are
/// 32-bit: text past 4 GiB is not read (input is capped far below that).
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    /// The tokens, in order.
    pub list: Vec<Token>,
}

/// What a character outside ASCII is: a separator (`Some(None)`), a mark (its ASCII
/// stand-in), or part of a word (`None`).
fn non_ascii(c: char) -> Option<Option<u8>> {
    if crate::text::is_separator(c) {
        Some(None)
    } else {
        crate::text::ascii_stand_in(c).map(|s| Some(s as u8))
    }
}

use crate::text::{BYTE_CLASS, MARK, SEPARATOR, WORD};

impl Tokens {
    /// Replaces the contents with the tokens of `text`.
    pub fn fill(&mut self, text: &str) {
        self.fill_with(text, ascii_word_run);
    }

    /// [`Tokens::fill`] one byte at a time: the definition the faster reading is checked
    /// against.
    #[cfg(test)]
    fn fill_bytewise(&mut self, text: &str) {
        self.fill_with(text, bytewise_word_run);
    }

    /// [`Tokens::fill`], reading each run of ASCII word bytes with `run` (as
    /// [`ascii_word_run`] does).
    #[inline(always)]
    fn fill_with(&mut self, text: &str, run: impl Fn(&[u8], usize, usize, u8) -> (usize, u8)) {
        self.list.clear();
        let mut cut = text.len().min(u32::MAX as usize);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = &text[..cut];
        let bytes = text.as_bytes();
        let mut gap = 0u8;
        let mut i = 0;
        // The word being read: where it started, and its flags so far.
        let mut word: Option<(usize, u8)> = None;
        while i < bytes.len() {
            let class = BYTE_CLASS[usize::from(bytes[i])];
            if class == WORD {
                // A run of ASCII word bytes.
                let (start, flags) = word.unwrap_or((i, 0));
                let (end, flags) = run(bytes, i, start, flags);
                i = end;
                word = Some((start, flags));
                continue;
            }
            let (len, role) = match class {
                SEPARATOR => (1, Some(None)),
                MARK => (1, Some(Some(bytes[i]))),
                _ => {
                    let c = text[i..].chars().next().expect("i is a character boundary");
                    (c.len_utf8(), non_ascii(c))
                }
            };
            match role {
                // A character of a word.
                None => word = Some(word.map_or((i, NOT_LETTERS), |(s, f)| (s, f | NOT_LETTERS))),
                Some(mark) => {
                    if let Some(w) = word.take() {
                        self.push_word(w, i, &mut gap);
                    }
                    match mark {
                        None => gap = GAP,
                        Some(m) => {
                            self.list.push(Token {
                                start: i as u32,
                                end: (i + len) as u32,
                                // NUL is no mark byte: 0 means a word.
                                mark: m.max(1),
                                flags: gap,
                            });
                            gap = 0;
                        }
                    }
                }
            }
            i += len;
        }
        if let Some(w) = word.take() {
            self.push_word(w, bytes.len(), &mut gap);
        }
    }

    fn push_word(&mut self, (start, flags): (usize, u8), end: usize, gap: &mut u8) {
        self.list.push(Token {
            start: start as u32,
            end: end as u32,
            mark: 0,
            flags: *gap | flags,
        });
        *gap = 0;
    }

    /// The index of the token holding byte `offset`, or of the first token after it.
    pub fn at(&self, offset: usize) -> usize {
        self.list.partition_point(|t| t.end() <= offset)
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x7` (bytes below 0x80) that is in `lo..=hi`.
fn in_range(x7: u64, lo: u8, hi: u8) -> u64 {
    // Adding 0x80 - lo sets a byte's high bit from `lo` on, adding 0x7f - hi from past
    // `hi` on; no byte carries into the next.
    let from_lo = x7 + ONES * u64::from(0x80 - lo);
    let past_hi = x7 + ONES * u64::from(0x7f - hi);
    from_lo & !past_hi & HIGH
}

/// Reads the ASCII word bytes (letters, digits, `_`) from `i`, where one stands, eight
/// bytes at a time: where the run ends, and the flags of the word begun at `start`
/// ([`BREAKS`], [`NOT_LETTERS`]), given its `flags` before `i`.
fn ascii_word_run(bytes: &[u8], mut i: usize, start: usize, flags: u8) -> (usize, u8) {
    let (mut breaks, mut other) = (flags & BREAKS != 0, flags & NOT_LETTERS != 0);
    let mut prev_lower = i > start && bytes[i - 1].is_ascii_lowercase();
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let x7 = x & !HIGH;
        let lower = in_range(x7, b'a', b'z');
        let upper = in_range(x7, b'A', b'Z');
        let digits = in_range(x7, b'0', b'9') | in_range(x7, b'_', b'_');
        let word = lower | upper | digits;
        // A byte outside ASCII also ends the run here: the caller reads its character.
        let stop = (!word | x) & HIGH;
        let n = if stop == 0 {
            8
        } else {
            stop.trailing_zeros() as usize / 8
        };
        let inside = if n == 8 { !0 } else { (1u64 << (8 * n)) - 1 };
        // A byte's high bit where the byte before it is a lower-case letter.
        let after_lower = (lower << 8) | if prev_lower { 0x80 } else { 0 };
        breaks |= upper & after_lower & inside != 0;
        other |= digits & inside != 0;
        i += n;
        if n < 8 {
            return (i, word_flags(breaks, other));
        }
        prev_lower = lower >> 63 != 0;
    }
    // The last few bytes of the text, one at a time.
    bytewise_word_run(bytes, i, start, word_flags(breaks, other))
}

/// [`ascii_word_run`] one byte at a time: what it computes, by definition.
fn bytewise_word_run(bytes: &[u8], mut i: usize, start: usize, flags: u8) -> (usize, u8) {
    let (mut breaks, mut other) = (flags & BREAKS != 0, flags & NOT_LETTERS != 0);
    let mut prev_lower = i > start && bytes[i - 1].is_ascii_lowercase();
    while let Some(&c) = bytes.get(i) {
        if BYTE_CLASS[usize::from(c)] != WORD {
            break;
        }
        breaks |= prev_lower && c.is_ascii_uppercase();
        other |= !c.is_ascii_alphabetic();
        prev_lower = c.is_ascii_lowercase();
        i += 1;
    }
    (i, word_flags(breaks, other))
}

fn word_flags(breaks: bool, other: bool) -> u8 {
    (if breaks { BREAKS } else { 0 }) | if other { NOT_LETTERS } else { 0 }
}

/// A word of at most 16 bytes as one integer, ASCII case folded (no word byte is zero, so
/// words of different lengths never share a key); longer words have none.
pub fn fold(word: &[u8]) -> Option<u128> {
    (word.len() <= 16).then(|| {
        let mut buf = [0u8; 16];
        buf[..word.len()].copy_from_slice(word);
        lower(u128::from_le_bytes(buf))
    })
}

/// [`fold`] of `text[start..end]`, reading 16 bytes at once where the text has them.
pub fn fold_at(text: &[u8], start: usize, end: usize) -> Option<u128> {
    let n = end - start;
    if n > 16 {
        return None;
    }
    match text.get(start..start + 16) {
        Some(block) => {
            let v = u128::from_le_bytes(block.try_into().expect("16 bytes"));
            let mask = if n == 16 { !0 } else { (1u128 << (8 * n)) - 1 };
            Some(lower(v & mask))
        }
        None => fold(&text[start..end]),
    }
}

/// ASCII upper-case letters to lower case, 16 bytes at once; other bytes are kept.
fn lower(x: u128) -> u128 {
    const HIGH: u128 = 0x8080_8080_8080_8080_8080_8080_8080_8080;
    const LOW: u128 = !HIGH;
    let ascii = !x & HIGH;
    let seven = x & LOW;
    // Each byte below 0x80 plus these sets its high bit from 'A' and from '[' upwards.
    let from_a = seven + 0x3f3f_3f3f_3f3f_3f3f_3f3f_3f3f_3f3f_3f3f;
    let past_z = seven + 0x2525_2525_2525_2525_2525_2525_2525_2525;
    let upper = from_a & !past_z & ascii;
    x | (upper >> 2)
}

/// The offsets inside a word token where a word may start or end: 0, every case break,
/// and its length. `original` is the token's text.
pub fn word_breaks(original: &[u8], out: &mut Vec<usize>) {
    out.clear();
    out.push(0);
    for i in 1..original.len() {
        if original[i - 1].is_ascii_lowercase() && original[i].is_ascii_uppercase() {
            out.push(i);
        }
    }
    out.push(original.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text as patterns spell it, word?, gap before?, case break?)
    fn tokens(text: &str) -> Vec<(String, bool, bool, bool)> {
        let mut t = Tokens::default();
        t.fill(text);
        t.list
            .iter()
            .map(|k| {
                assert!(text.is_char_boundary(k.start()) && text.is_char_boundary(k.end()));
                (
                    String::from_utf8(k.bytes(text.as_bytes()).to_vec()).unwrap(),
                    k.is_word(),
                    k.gap(),
                    k.breaks(),
                )
            })
            .collect()
    }

    #[test]
    fn words_marks_and_gaps() {
        assert_eq!(
            tokens("Customer-centric, P&L’s  café\n—x\0y"),
            vec![
                ("Customer".into(), true, false, false),
                ("centric".into(), true, true, false),
                (",".into(), false, false, false),
                ("P".into(), true, true, false),
                ("&".into(), false, false, false),
                ("L".into(), true, false, false),
                ("'".into(), false, false, false),
                ("s".into(), true, false, false),
                ("café".into(), true, true, false),
                ("x".into(), true, true, false),
                ("\u{1}".into(), false, false, false),
                ("y".into(), true, false, false),
            ]
        );
    }

    #[test]
    fn case_breaks_are_marked_not_split() {
        let t = tokens("sitesSupporting eCommerce CX Ltd");
        assert_eq!(t[0].0, "sitesSupporting");
        assert!(t[0].3 && t[1].3 && !t[2].3 && !t[3].3);
        let mut b = Vec::new();
        word_breaks(b"sitesSupporting", &mut b);
        assert_eq!(b, vec![0, 5, 15]);
    }

    #[test]
    fn folded_keys_ignore_ascii_case_only() {
        assert_eq!(fold(b"CX"), fold(b"cx"));
        assert_ne!(fold(b"cx"), fold(b"xcx"));
        assert_ne!(fold("É".as_bytes()), fold("é".as_bytes()));
        assert_eq!(fold(&[b'a'; 17]), None);
        // Every byte folds as `to_ascii_lowercase` does, at every length and offset.
        let all: Vec<u8> = (1..=255u8).collect();
        for len in 0..=16 {
            for start in 0..all.len() - len {
                let w = &all[start..start + len];
                let lower: Vec<u8> = w.to_ascii_lowercase();
                assert_eq!(fold(w), fold_slow(&lower), "{w:?}");
                assert_eq!(fold_at(&all, start, start + len), fold(w));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Reading eight bytes at a time finds the tokens that reading one byte at a time
        /// finds, on any text: words, marks, gaps and case breaks.
        #[test]
        fn the_tokeniser_agrees_with_the_bytewise_definition(
            text in "(?s)(\\PC|[a-zA-Z0-9_ \n\t'’.,:-]){0,120}"
        ) {
            let (mut fast, mut slow) = (Tokens::default(), Tokens::default());
            fast.fill(&text);
            slow.fill_bytewise(&text);
            proptest::prop_assert_eq!(&fast.list, &slow.list, "{:?}", text);
            for t in fast.list.iter().filter(|t| t.is_word()) {
                let word = &text.as_bytes()[t.start()..t.end()];
                proptest::prop_assert_eq!(t.letters(), word.iter().all(u8::is_ascii_alphabetic));
            }
        }

        #[test]
        fn the_tokeniser_agrees_on_words_of_every_case(
            text in "([a-zA-Z_0-9]{1,20}[ é.]){0,12}"
        ) {
            let (mut fast, mut slow) = (Tokens::default(), Tokens::default());
            fast.fill(&text);
            slow.fill_bytewise(&text);
            proptest::prop_assert_eq!(&fast.list, &slow.list, "{:?}", text);
        }
    }

    #[test]
    fn word_runs_find_every_byte_class_at_every_offset() {
        // Each ASCII byte, at each place in an eight-byte chunk, after each kind of byte.
        for b in 0u8..=0x7f {
            for prev in [b'a', b'A', b'1', b' '] {
                for at in 0..10 {
                    let mut text = vec![b'x'; at];
                    text.push(prev);
                    text.push(b);
                    text.extend_from_slice(b"Zz tail words");
                    let Ok(text) = String::from_utf8(text) else {
                        continue;
                    };
                    let (mut fast, mut slow) = (Tokens::default(), Tokens::default());
                    fast.fill(&text);
                    slow.fill_bytewise(&text);
                    assert_eq!(fast.list, slow.list, "{text:?}");
                }
            }
        }
    }

    fn fold_slow(w: &[u8]) -> Option<u128> {
        let mut buf = [0u8; 16];
        buf[..w.len()].copy_from_slice(w);
        Some(u128::from_le_bytes(buf))
    }
}
