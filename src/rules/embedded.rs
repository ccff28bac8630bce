//! The default rules, compiled into the binary from `rules/*.toml`.
//!
//! They go through the same parser and checks as a user's files; a test pins this list
//! to the files in `rules/` so a new file cannot be forgotten here.

/// `(file name, contents)` of every default rule file, in load order.
pub const DEFAULT_RULES: &[(&str, &str)] = &[
    (
        "acquisition.toml",
        include_str!("../../rules/acquisition.toml"),
    ),
    ("service.toml", include_str!("../../rules/service.toml")),
    (
        "improvement.toml",
        include_str!("../../rules/improvement.toml"),
    ),
    ("cx.toml", include_str!("../../rules/cx.toml")),
    ("other.toml", include_str!("../../rules/other.toml")),
    ("mandate.toml", include_str!("../../rules/mandate.toml")),
    ("breadth.toml", include_str!("../../rules/breadth.toml")),
    ("title.toml", include_str!("../../rules/title.toml")),
    ("layout.toml", include_str!("../../rules/layout.toml")),
];
