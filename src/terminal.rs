//! Text on its way to a terminal: control characters are shown, never obeyed.
//!
//! Ads, their file names and rule files are written by others. An escape sequence in a
//! title (`ESC ] 0 ; ... BEL` retitles the window, `ESC [ 2 J` clears the screen) or a
//! file name must reach a person as visible text, not as a command to their terminal.
//! Everything cxtag prints for people (tables, `--explain`, warnings and errors on
//! standard error) goes through [`for_terminal`]; the machine formats (JSON, CSV, HTML)
//! keep the text as it is and escape it their own way.

use std::borrow::Cow;

/// Whether line breaks are part of the layout of the text being printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newlines {
    /// A line break starts a new line (multi-line messages, tables' cells).
    Keep,
    /// A line break is shown as `\n`: the text is one line (a name, a snippet), and a
    /// line break in it could fake a line of cxtag's own output.
    Escape,
}

/// `s` with every control character written as a Rust escape (`\u{1b}`, `\t`): C0
/// controls, DEL, C1 controls, and the bidirectional overrides that reorder what is
/// shown ("Trojan Source"). Borrows when there is nothing to escape, which is nearly
/// always.
pub fn for_terminal(s: &str, newlines: Newlines) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        !(c == '\n' && newlines == Newlines::Keep)
            && (c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
    };
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let cases = [
            ("Head of CX", Newlines::Escape, "Head of CX"),
            (
                "a\u{1b}]0;pwned\u{7}b",
                Newlines::Escape,
                "a\\u{1b}]0;pwned\\u{7}b",
            ),
            ("\u{1b}[2J", Newlines::Keep, "\\u{1b}[2J"),
            ("a\nb", Newlines::Keep, "a\nb"),
            ("a\nb", Newlines::Escape, "a\\nb"),
            ("a\r\tb\u{7f}", Newlines::Keep, "a\\r\\tb\\u{7f}"),
            ("c1 \u{9b}31m", Newlines::Keep, "c1 \\u{9b}31m"),
            ("abc\u{202e}fed", Newlines::Keep, "abc\\u{202e}fed"),
            ("café – naïve", Newlines::Escape, "café – naïve"),
        ];
        for (input, newlines, want) in cases {
            assert_eq!(for_terminal(input, newlines), want, "{input:?}");
        }
    }
}
