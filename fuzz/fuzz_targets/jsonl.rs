//! Any bytes as a JSON Lines input: reading and parsing must never panic, every line
//! must come out once and numbered in order, and no line may be held past the limit.
#![no_main]

use std::io::{BufRead, BufReader, Cursor};

use cxtag::input::jsonl::{Content, Fields, Reader, parse};
use libfuzzer_sys::fuzz_target;

const FIELDS: Fields = Fields {
    id: "id",
    text: "text",
    title: Some("title"),
};

fuzz_target!(|data: &[u8]| {
    // The first two bytes choose the line limit and the read buffer's size, so line and
    // buffer boundaries fall everywhere (a UTF-16 unit or a \r\n split between reads).
    let (limit, capacity, data) = match data {
        [a, b, rest @ ..] => (u64::from(*a) * 4, usize::from(*b % 64) + 1, rest),
        _ => return,
    };
    let source: Box<dyn BufRead> =
        Box::new(BufReader::with_capacity(capacity, Cursor::new(data.to_vec())));
    let Ok(reader) = Reader::new("fuzz".into(), source, limit) else {
        return;
    };
    let mut expected = 1;
    for line in reader {
        let Ok(line) = line else { break };
        assert_eq!(line.number, expected);
        expected += 1;
        match &line.content {
            Content::Text(t) => assert!(t.len() as u64 <= limit * 3 + 3),
            Content::TooLong { head, len } => {
                assert!(*len > limit);
                assert!(head.len() as u64 <= limit * 3 + 3);
            }
        }
        let _ = parse(line, FIELDS, limit);
    }
    // More lines than bytes would mean lines made from nothing.
    assert!(expected - 1 <= data.len() + 1);
});
