//! Any text as an HTML ad: the nesting limit must hold and converting must never panic.
#![no_main]

use cxtag::html::{Limits, limit_tree, to_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    // Small limits, so that short inputs reach them.
    let small = Limits {
        depth: 4,
        elements: 16,
    };
    let once = limit_tree(html, small);
    // What the pass lets through it lets through again unchanged: nothing it kept nests
    // deeper than the limit, and no tag appeared by removing others.
    assert_eq!(limit_tree(&once, small), once, "not idempotent on {html:?}");
    let _ = to_text(html);
});
