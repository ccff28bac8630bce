//! cxtag reads job ads and tags the role each really describes: customer acquisition,
//! customer service, process improvement, cross-functional customer experience, or
//! other, with the evidence behind the tag; it also says what the title claims, suggests
//! an honest title when the two disagree, and reports the role's mandate and breadth.
//!
//! As a library:
//!
//! ```
//! use cxtag::{Classifier, Role};
//!
//! let classifier = Classifier::with_default_rules()?;
//! let v = classifier.classify_text(
//!     "Head of Customer Experience\n\
//!      Own our paid search, SEO and email campaigns and grow leads and conversion.",
//! );
//! assert_eq!(v.tag, Role::Acquisition);
//! let m = v.mismatch.expect("a CX title over a marketing job");
//! assert_eq!(m.suggested_title.as_deref(), Some("Head of Digital Marketing"));
//! # Ok::<(), cxtag::error::RuleErrors>(())
//! ```
//!
//! Data flows one way: [`cli`] -> [`rules`] -> [`matcher`] -> [`classify`] -> [`report`],
//! with [`commands`] on the shared [`batch`] engine as the glue and [`input`] feeding ads
//! in. The library never prints: it
//! writes to the writers it is handed.

#![warn(missing_docs, clippy::print_stdout, clippy::print_stderr)]

pub use classify::{Classifier, Mandate, Mismatch, Verdict};
pub use rules::{Discipline, Role, RuleSet};

pub mod batch;
pub mod classify;
pub mod cli;
pub mod commands;
pub mod config;
pub mod document;
pub mod error;
pub mod exit_codes;
pub mod html;
pub mod input;
pub mod matcher;
pub mod report;
pub mod reporting;
pub mod role;
pub mod rules;
pub mod terminal;
pub mod text;
pub mod title;
pub mod tokens;
