//! The one reading of an ad's words: a single pass over its bytes that yields words and
//! punctuation marks with their original byte offsets, in ASCII lower case.
//!
//! What separates and what joins, as [`crate::text`] defines it for the normalised text:
//! - white space and hyphens (ASCII or typographic) separate tokens and are not tokens: a
//!   phrase matches across line breaks, and `customer-centric` reads as `customer centric`;
//! - a word is a run of word bytes ([`is_word_byte`]: letters, digits, `_`, and every
//!   character outside ASCII that is not a space, a dash or a typographic quote);
//! - any other character is a token of its own, typographic quotes and the ellipsis read
//!   as their ASCII stand-ins (`’` is `'`);
//! - inside a word, a lower-case ASCII letter followed by an upper-case one is a word break
//!   too (a lost line break: "sitesSupporting"), without splitting the token: "eCommerce" is
//!   the word "ecommerce" and, from its break on, the word "commerce".

use crate::text::is_word_byte;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run of word bytes.
    Word,
    /// One character that is neither part of a word nor a separator.
    Mark,
}

/// One word or mark of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset in the original text, inclusive.
    pub start: usize,
    /// Byte offset in the original text, exclusive.
    pub end: usize,
    /// Where its folded bytes are in [`Tokens::folded`].
    folded: (usize, usize),
    /// Word or mark.
    pub kind: Kind,
    /// Whether separators (white space, hyphens) stand between it and the token before.
    pub gap: bool,
    /// Whether a lower-case letter is followed by an upper-case one inside it.
    pub breaks: bool,
}

/// The tokens of one text, with buffers reused from one text to the next.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    /// The tokens, in order.
    pub list: Vec<Token>,
    /// The folded bytes of every token, one after the other.
    folded: Vec<u8>,
}

const WORD: u8 = 0;
const SEPARATOR: u8 = 1;
const MARK: u8 = 2;
const NON_ASCII: u8 = 3;

/// What each byte starts: ASCII letters, digits and `_` are word bytes, ASCII white space
/// and `-` separate, other ASCII bytes are marks, and bytes from 0x80 start or continue a
/// character that is decoded to decide.
static BYTE_CLASS: [u8; 256] = {
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

/// What a character outside ASCII is: a separator, a mark (its ASCII stand-in), or part of
/// a word (`None`).
fn non_ascii(c: char) -> Option<Option<u8>> {
    if crate::text::is_separator(c) {
        Some(None)
    } else {
        crate::text::ascii_stand_in(c).map(|s| Some(s as u8))
    }
}

impl Tokens {
    /// Replaces the contents with the tokens of `text`.
    pub fn fill(&mut self, text: &str) {
        self.list.clear();
        self.folded.clear();
        let bytes = text.as_bytes();
        let mut gap = false;
        let mut i = 0;
        // The word being read: its start, its folded start, and its case breaks.
        let mut word: Option<(usize, usize, bool)> = None;
        while i < bytes.len() {
            let b = bytes[i];
            let class = BYTE_CLASS[usize::from(b)];
            if class == WORD {
                // A run of ASCII word bytes, folded as it is copied.
                let (start, fstart, mut breaks) = word.unwrap_or((i, self.folded.len(), false));
                let mut prev_lower = i > start && bytes[i - 1].is_ascii_lowercase();
                while i < bytes.len() && BYTE_CLASS[usize::from(bytes[i])] == WORD {
                    let c = bytes[i];
                    breaks |= prev_lower && c.is_ascii_uppercase();
                    prev_lower = c.is_ascii_lowercase();
                    self.folded.push(c.to_ascii_lowercase());
                    i += 1;
                }
                word = Some((start, fstart, breaks));
                continue;
            }
            let (len, role) = if class == NON_ASCII {
                let c = text[i..].chars().next().expect("i is a character boundary");
                (c.len_utf8(), non_ascii(c))
            } else if class == SEPARATOR {
                (1, Some(None))
            } else {
                (1, Some(Some(b)))
            };
            match role {
                None => {
                    // A character of a word: copied as it is.
                    let (start, fstart, breaks) = word.unwrap_or((i, self.folded.len(), false));
                    self.folded.extend_from_slice(&bytes[i..i + len]);
                    word = Some((start, fstart, breaks));
                }
                Some(mark) => {
                    if let Some(w) = word.take() {
                        self.push_word(w, i, &mut gap);
                    }
                    match mark {
                        None => gap = true,
                        Some(m) => {
                            let f = self.folded.len();
                            self.folded.push(m);
                            self.list.push(Token {
                                start: i,
                                end: i + len,
                                folded: (f, f + 1),
                                kind: Kind::Mark,
                                gap,
                                breaks: false,
                            });
                            gap = false;
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

    fn push_word(
        &mut self,
        (start, fstart, breaks): (usize, usize, bool),
        end: usize,
        gap: &mut bool,
    ) {
        self.list.push(Token {
            start,
            end,
            folded: (fstart, self.folded.len()),
            kind: Kind::Word,
            gap: *gap,
            breaks,
        });
        *gap = false;
    }

    /// The token's bytes in ASCII lower case (a mark's ASCII stand-in).
    pub fn folded(&self, t: &Token) -> &[u8] {
        &self.folded[t.folded.0..t.folded.1]
    }
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

/// True when every byte of `s` is a word byte (a pattern token that is a word).
pub fn is_word(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_word_byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, Kind, bool, bool)> {
        let mut t = Tokens::default();
        t.fill(text);
        t.list
            .iter()
            .map(|k| {
                assert!(text.is_char_boundary(k.start) && text.is_char_boundary(k.end));
                (
                    String::from_utf8(t.folded(k).to_vec()).unwrap(),
                    k.kind,
                    k.gap,
                    k.breaks,
                )
            })
            .collect()
    }

    #[test]
    fn words_marks_and_gaps() {
        use Kind::*;
        assert_eq!(
            tokens("Customer-centric, P&L’s  café\n—x"),
            vec![
                ("customer".into(), Word, false, false),
                ("centric".into(), Word, true, false),
                (",".into(), Mark, false, false),
                ("p".into(), Word, true, false),
                ("&".into(), Mark, false, false),
                ("l".into(), Word, false, false),
                ("'".into(), Mark, false, false),
                ("s".into(), Word, false, false),
                ("café".into(), Word, true, false),
                ("x".into(), Word, true, false),
            ]
        );
    }

    #[test]
    fn case_breaks_are_marked_not_split() {
        let t = tokens("sitesSupporting eCommerce CX Ltd");
        assert_eq!(t[0].0, "sitessupporting");
        assert!(t[0].3 && t[1].3 && !t[2].3 && !t[3].3);
        let mut b = Vec::new();
        word_breaks(b"sitesSupporting", &mut b);
        assert_eq!(b, vec![0, 5, 15]);
    }
}
