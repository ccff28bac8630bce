//! The commands, each on the shared batch engine ([`crate::batch`]): classifying ads
//! (`cxtag [PATH]...`), scoring against labels (`cxtag eval`), and checking, listing,
//! testing, measuring and fitting rules (`cxtag rules ...`).

pub mod classify;
pub mod eval;
pub mod fit;
pub mod rules;
