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
//!
//! Most text is ASCII: 64 bytes of it at a time are sorted into bit masks (word bytes,
//! separators, lower and upper case, digits; with SSE2 on x86_64), and the tokens are read
//! from the masks' bits (`Tokens::read_block`); around a character outside ASCII the
//! bytes are read one by one, and an ASCII word eight at a time. The byte-at-a-time reading
//! stays as the definition the tests check both against.

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
        self.fill_with(text, ascii_word_run, true);
    }

    /// [`Tokens::fill`] one byte at a time: the definition the faster reading is checked
    /// against.
    #[cfg(test)]
    fn fill_bytewise(&mut self, text: &str) {
        self.fill_with(text, bytewise_word_run, false);
    }

    /// [`Tokens::fill`], reading each run of ASCII word bytes with `run` (as
    /// [`ascii_word_run`] does), and 64 bytes of ASCII at once where they stand when
    /// `blocks` ([`Tokens::read_block`]).
    #[inline(always)]
    fn fill_with(
        &mut self,
        text: &str,
        run: impl Fn(&[u8], usize, usize, u8) -> (usize, u8),
        blocks: bool,
    ) {
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
        // Where the next block of 64 bytes may start: past the last byte outside ASCII.
        let mut next_block = if blocks { 0 } else { usize::MAX };
        while i < bytes.len() {
            if i >= next_block {
                match bytes.get(i..i + 64).map(Block::of) {
                    Some(Ok(block)) => {
                        self.read_block(bytes, i, &block, &mut word, &mut gap);
                        i += 64;
                        continue;
                    }
                    Some(Err(at)) => next_block = i + at + 1,
                    None => next_block = usize::MAX,
                }
            }
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
                            self.push_mark(i, i + len, m, gap);
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

    /// Reads the 64 ASCII bytes of `block`, from `base`: every word and mark that starts
    /// in it, the word left open at its start (`word`) closed or carried on, and the
    /// `gap` before the next token.
    fn read_block(
        &mut self,
        bytes: &[u8],
        base: usize,
        block: &Block,
        word: &mut Option<(usize, u8)>,
        gap: &mut u8,
    ) {
        let w = block.word;
        let marks = !(w | block.sep);
        // A case break inside a word: an upper-case letter after a lower-case one (the
        // byte before the block counts only for a word carried on).
        let lower_before = word.is_some() && bytes[base - 1].is_ascii_lowercase();
        let breaks = block.upper & (block.lower << 1 | u64::from(lower_before));
        // The flags of the bytes `from..to` (`from` < 64): a mask's first bit at or after
        // `from` lies before `to`.
        let flags_of = |from: u32, to: u32| {
            let within = |mask: u64| (mask >> from).trailing_zeros() < to - from;
            word_flags(within(breaks), within(block.other))
        };
        let mut from = 0;
        if let Some((start, flags)) = *word {
            let run = (!w).trailing_zeros();
            let flags = flags | flags_of(0, run);
            if run == 64 {
                *word = Some((start, flags));
                return;
            }
            *word = None;
            self.push_word((start, flags), base + run as usize, gap);
            from = run;
        }
        let starts = (w & !(w << 1)) | marks;
        let mut todo = starts & (!0 << from);
        // A token has a gap before it when a separator stands right before it, or at the
        // block's start when one stood before the block.
        let gaps = block.sep << 1 | u64::from(*gap & GAP);
        while todo != 0 {
            let p = todo.trailing_zeros();
            let g = (gaps >> p & 1) as u8 * GAP;
            let at = base + p as usize;
            if marks >> p & 1 != 0 {
                self.push_mark(at, at + 1, bytes[at], g);
                todo &= todo - 1;
                continue;
            }
            let end = p + (!(w >> p)).trailing_zeros();
            let flags = flags_of(p, end);
            if end == 64 {
                *word = Some((at, flags));
                *gap = g;
                return;
            }
            self.list.push(Token {
                start: at as u32,
                end: (base + end as usize) as u32,
                mark: 0,
                flags: g | flags,
            });
            todo &= !0 << end;
        }
        *gap = if block.sep >> 63 != 0 { GAP } else { 0 };
    }

    /// A mark of ASCII byte `byte` (its stand-in for a character outside ASCII) at
    /// `start..end`, with the `gap` flag before it.
    fn push_mark(&mut self, start: usize, end: usize, byte: u8, gap: u8) {
        self.list.push(Token {
            start: start as u32,
            end: end as u32,
            // NUL is no mark byte: 0 means a word.
            mark: byte.max(1),
            flags: gap,
        });
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

/// 64 bytes of ASCII as masks, bit `k` for byte `k`.
#[derive(Default)]
struct Block {
    /// Word bytes: letters, digits, `_`.
    word: u64,
    /// Separators ([`SEPARATOR`]); every other byte is a mark.
    sep: u64,
    lower: u64,
    upper: u64,
    /// Word bytes that are no letter: digits and `_`.
    other: u64,
}

impl Block {
    /// The masks of `chunk` (64 bytes), or the offset of its first byte outside ASCII.
    #[cfg(target_arch = "x86_64")]
    fn of(chunk: &[u8]) -> Result<Block, usize> {
        let chunk: &[u8; 64] = chunk.try_into().expect("64 bytes");
        // SAFETY: SSE2 is part of every x86_64 CPU (the target's baseline).
        unsafe { Block::of_sse2(chunk) }
    }

    /// The masks of `chunk` (64 bytes), or the offset of its first byte outside ASCII.
    #[cfg(not(target_arch = "x86_64"))]
    fn of(chunk: &[u8]) -> Result<Block, usize> {
        Block::of_swar(chunk)
    }

    /// Adds the masks of the bytes from byte `shift` on: lower case, upper case, digits
    /// and `_`, separators.
    fn add(&mut self, shift: usize, [lower, upper, other, sep]: [u64; 4]) {
        self.lower |= lower << shift;
        self.upper |= upper << shift;
        self.other |= other << shift;
        self.word |= (lower | upper | other) << shift;
        self.sep |= sep << shift;
    }

    /// [`Block::of`], sixteen bytes at a time.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "sse2")]
    fn of_sse2(chunk: &[u8; 64]) -> Result<Block, usize> {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
            _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        };
        let lanes: [__m128i; 4] = std::array::from_fn(|j| {
            // SAFETY: 16 bytes within the 64 of `chunk`; an unaligned load.
            unsafe { _mm_loadu_si128(chunk.as_ptr().add(16 * j).cast()) }
        });
        let mut high = 0u64;
        for (j, &x) in lanes.iter().enumerate() {
            high |= (_mm_movemask_epi8(x) as u32 as u64) << (16 * j);
        }
        if high != 0 {
            return Err(high.trailing_zeros() as usize);
        }
        // Bytes below 0x80 compare the same signed: `lo <= x <= hi`.
        let within = |x: __m128i, lo: u8, hi: u8| {
            _mm_and_si128(
                _mm_cmpgt_epi8(x, _mm_set1_epi8(lo as i8 - 1)),
                _mm_cmplt_epi8(x, _mm_set1_epi8(hi as i8 + 1)),
            )
        };
        let is = |x: __m128i, b: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8));
        let bits = |m: __m128i| _mm_movemask_epi8(m) as u32 as u64;
        let mut b = Block::default();
        for (j, &x) in lanes.iter().enumerate() {
            let lower = within(x, b'a', b'z');
            let upper = within(x, b'A', b'Z');
            let other = _mm_or_si128(within(x, b'0', b'9'), is(x, b'_'));
            // The separators of BYTE_CLASS: tab to carriage return, space, hyphen.
            let sep = _mm_or_si128(
                within(x, b'\t', b'\r'),
                _mm_or_si128(is(x, b' '), is(x, b'-')),
            );
            b.add(16 * j, [lower, upper, other, sep].map(bits));
        }
        Ok(b)
    }

    /// [`Block::of`], eight bytes at a time in a `u64` (SWAR).
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn of_swar(chunk: &[u8]) -> Result<Block, usize> {
        let lanes: [u64; 8] = std::array::from_fn(|j| {
            u64::from_le_bytes(chunk[8 * j..8 * j + 8].try_into().expect("eight bytes"))
        });
        let high = lanes.iter().fold(0, |acc, x| acc | x) & HIGH;
        if high != 0 {
            let at = lanes
                .iter()
                .position(|x| x & HIGH != 0)
                .expect("a lane has one");
            return Err(8 * at + (lanes[at] & HIGH).trailing_zeros() as usize / 8);
        }
        let mut b = Block::default();
        for (j, &x) in lanes.iter().enumerate() {
            let lower = in_range(x, b'a', b'z');
            let upper = in_range(x, b'A', b'Z');
            let other = in_range(x, b'0', b'9') | in_range(x, b'_', b'_');
            // The separators of BYTE_CLASS: tab to carriage return, space, hyphen.
            let sep = in_range(x, b'\t', b'\r') | in_range(x, b' ', b' ') | in_range(x, b'-', b'-');
            b.add(8 * j, [lower, upper, other, sep].map(high_bits));
        }
        Ok(b)
    }
}

/// The high bit of each byte of `x` (only high bits set) as one bit each: byte `k` to bit `k`.
fn high_bits(x: u64) -> u64 {
    (x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

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
            Some(lower(v & PREFIX[n]))
        }
        None => fold(&text[start..end]),
    }
}

/// Per length `n`, the mask of an integer's first `n` bytes (a variable shift of a `u128`
/// costs more than the load).
const PREFIX: [u128; 17] = {
    let mut masks = [0u128; 17];
    let mut n = 1;
    while n < 16 {
        masks[n] = (1u128 << (8 * n)) - 1;
        n += 1;
    }
    masks[16] = !0;
    masks
};

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

    /// The tokens of `text` as [`Tokens::fill`] reads them, and as the byte-at-a-time
    /// definition does.
    fn both_readings(text: &str) -> (Vec<Token>, Vec<Token>) {
        let (mut fast, mut slow) = (Tokens::default(), Tokens::default());
        fast.fill(text);
        slow.fill_bytewise(text);
        (fast.list, slow.list)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// Reading eight bytes at a time finds the tokens that reading one byte at a time
        /// finds, on any text: words, marks, gaps and case breaks.
        #[test]
        fn the_tokeniser_agrees_with_the_bytewise_definition(
            text in "(?s)(\\PC|[a-zA-Z0-9_ \n\t'’.,:-]){0,120}"
        ) {
            let (fast, slow) = both_readings(&text);
            proptest::prop_assert_eq!(&fast, &slow, "{:?}", text);
            for t in fast.iter().filter(|t| t.is_word()) {
                let word = &text.as_bytes()[t.start()..t.end()];
                proptest::prop_assert_eq!(t.letters(), word.iter().all(u8::is_ascii_alphabetic));
            }
        }

        /// Long runs of ASCII, read 64 bytes at a time, with a character outside ASCII
        /// now and then: words, marks and gaps across the blocks' edges.
        #[test]
        fn the_tokeniser_agrees_on_long_ascii_text(
            text in "(?s)([a-zA-Z]{1,12}|[0-9_]{1,3}|[ \n\t\r\x0b\x0c-]{1,3}|[!-/:-@\\[-`{-~\x00-\x08]|é|’|\u{a0}){0,200}"
        ) {
            let (fast, slow) = both_readings(&text);
            proptest::prop_assert_eq!(&fast, &slow, "{:?}", text);
        }

        #[test]
        fn the_tokeniser_agrees_on_words_of_every_case(
            text in "([a-zA-Z_0-9]{1,20}[ é.]){0,12}"
        ) {
            let (fast, slow) = both_readings(&text);
            proptest::prop_assert_eq!(&fast, &slow, "{:?}", text);
        }
    }

    #[test]
    fn word_runs_find_every_byte_class_at_every_offset() {
        // Each ASCII byte, at each place in an eight-byte chunk, after each kind of byte.
        for b in 0u8..=0x7f {
            for prev in [b'a', b'A', b'1', b' ', b'.'] {
                // Inside an eight-byte chunk, and at each place of a 64-byte block.
                for at in (0..10).chain(54..140) {
                    let mut text = vec![b'x'; at];
                    text.push(prev);
                    text.push(b);
                    // Long enough for the block after the one holding `b`.
                    text.extend_from_slice(b"Zz tail words");
                    text.extend_from_slice(&b" tail-Words".repeat(14));
                    let Ok(text) = String::from_utf8(text) else {
                        continue;
                    };
                    let (fast, slow) = both_readings(&text);
                    assert_eq!(fast, slow, "{text:?}");
                }
            }
        }
    }

    proptest::proptest! {
        /// Both readings of a block agree (on x86_64, where both are built).
        #[test]
        fn block_masks_agree_with_swar(chunk in proptest::collection::vec(0u8..0x80, 64), at in 0usize..80) {
            let mut chunk = chunk;
            if let Some(b) = chunk.get_mut(at) {
                *b = 0xe2;
            }
            let (a, b) = (Block::of(&chunk), Block::of_swar(&chunk));
            match (a, b) {
                (Ok(a), Ok(b)) => proptest::prop_assert_eq!(
                    [a.word, a.sep, a.lower, a.upper, a.other],
                    [b.word, b.sep, b.lower, b.upper, b.other]
                ),
                (a, b) => proptest::prop_assert_eq!(a.err(), b.err()),
            }
        }
    }

    #[test]
    fn block_masks_are_the_byte_classes() {
        for b in 0u8..=0x7f {
            let chunk = [b; 64];
            let m = Block::of(&chunk).expect("ASCII");
            let class = BYTE_CLASS[usize::from(b)];
            assert_eq!(m.word == !0, class == WORD, "{b:#x}");
            assert_eq!(m.sep == !0, class == SEPARATOR, "{b:#x}");
            assert_eq!(m.word | m.sep == 0, class == MARK, "{b:#x}");
            assert_eq!(m.lower == !0, b.is_ascii_lowercase(), "{b:#x}");
            assert_eq!(m.upper == !0, b.is_ascii_uppercase(), "{b:#x}");
            assert_eq!(m.other == !0, b.is_ascii_digit() || b == b'_', "{b:#x}");
            for x in [m.word, m.sep, m.lower, m.upper, m.other] {
                assert!(x == 0 || x == !0, "{b:#x}: every byte alike");
            }
        }
        let mut chunk = [b'a'; 64];
        chunk[37] = 0xc3;
        assert_eq!(Block::of(&chunk).err(), Some(37));
    }

    fn fold_slow(w: &[u8]) -> Option<u128> {
        let mut buf = [0u8; 16];
        buf[..w.len()].copy_from_slice(w);
        Some(u128::from_le_bytes(buf))
    }
}
