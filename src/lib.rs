//! cxtag reads job ads and tags the role each really describes: customer acquisition,
//! customer service, process improvement, cross-functional customer experience, or
//! other, with the evidence behind the tag.
//!
//! Data flows one way: [`cli`] -> [`rules`] -> [`matcher`] -> [`classify`] -> [`report`],
//! with [`app`] as the glue and [`input`] feeding ads in. The library never prints: it
//! writes to the writers it is handed.

#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod classify;
pub mod cli;
pub mod config;
pub mod document;
pub mod error;
pub mod eval;
pub mod input;
pub mod matcher;
pub mod report;
pub mod rules;
pub mod rules_cmd;
pub mod text;
pub mod title;
