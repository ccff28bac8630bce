//! Any text as an HTML ad: the nesting limit must hold and converting must never panic.
#![no_main]

use cxtag::html::{MAX_DEPTH, limit_nesting, to_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(html) = std::str::from_utf8(data) else {
        return;
    };
    // A small depth so that short inputs reach it.
    let once = limit_nesting(html, 4);
    // What the pass lets through it lets through again unchanged: nothing it kept nests
    // deeper than the limit, and no tag appeared by removing others.
    assert_eq!(limit_nesting(&once, 4), once, "not idempotent on {html:?}");
    let _ = limit_nesting(html, MAX_DEPTH);
    let _ = to_text(html);
});
