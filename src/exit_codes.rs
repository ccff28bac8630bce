//! The exit codes of `cxtag`, in one place: they are a contract with scripts, written in
//! the README's table and in `--help`, and tested by `tests/cli/`.
//!
//! When several apply, the highest wins: output that could not be written (3) hides
//! whether every input was read (2), because nobody received the results either way.

/// Every ad was classified (or the command did what it was asked).
pub const EXIT_OK: u8 = 0;
/// Bad usage, bad settings or bad rules: nothing was classified.
pub const EXIT_USAGE: u8 = 1;
/// At least one input could not be read or parsed; the others were classified.
pub const EXIT_INPUT: u8 = 2;
/// The output could not be written (a closed standard output, a full disk). A pipe
/// closed by its reader (`cxtag ... | head -1`) is not a failure: it ends with 0.
pub const EXIT_WRITE: u8 = 3;
