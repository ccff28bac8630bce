//! The batch engine every command shares: read the inputs lazily in input order, classify
//! them in parallel a chunk at a time, and hand each outcome (an ad and its verdict, or why
//! it could not be read) to the command in input order. Also how a command tells a failed
//! write of its results from the other errors of a run.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use rayon::prelude::*;

use crate::classify::{Classifier, Verdict};
use crate::cli::{Config, InputFormat};
use crate::error::InputError;
use crate::exit_codes::{EXIT_INPUT, EXIT_OK};
use crate::input::jsonl::{self, Fields};
use crate::input::{self, Ad, Input, WalkOptions};
use crate::matcher::Scratch;
use crate::terminal::{Newlines, for_terminal};

/// How many ads are read ahead and classified in parallel before being written.
const CHUNK: usize = 256;

/// One unit of work for the classifier.
enum Job {
    /// A file to read.
    File(PathBuf),
    /// Standard input, read whole.
    Stdin,
    /// One line of a JSON Lines input.
    Line(jsonl::Line),
    /// Something already known to have failed.
    Failed(InputError),
}

/// The outcome of one job: an ad and its verdict, or why it could not be read.
pub type Outcome = Result<(Ad, Verdict), InputError>;

/// A failure to write results, carried inside an `io::Error` so that it is told apart
/// from the other errors of a stream.
#[derive(Debug, thiserror::Error)]
#[error("cannot write output: {0}")]
pub struct WriteFailed(io::Error);

/// Whether `e` came from writing results (see [`output_error`]).
pub fn is_output_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<WriteFailed>())
}

/// Says that an error happened while writing results (a closed pipe stays as it is).
pub fn output_error(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        e
    } else {
        io::Error::new(e.kind(), WriteFailed(e))
    }
}

/// The exit code of a command that wrote its report with `written` after reading inputs
/// of which some `failed`: a pipe closed by its reader is a quiet success, any other
/// write error is the caller's [`output_error`].
pub fn exit_after_write(written: io::Result<()>, failed: bool) -> io::Result<u8> {
    match written {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        other => other.map_err(output_error)?,
    }
    Ok(if failed { EXIT_INPUT } else { EXIT_OK })
}

/// How a stream of ads went.
#[derive(Debug, Clone, Copy)]
pub struct Streamed {
    /// At least one input could not be read or parsed.
    pub failed: bool,
}

/// Classifies every ad of `config`'s inputs in parallel, handing outcomes to `sink` in
/// input order. Read errors and decoding warnings are also written to `err` (unless
/// quiet). With `only`, JSON Lines records whose id is not in the set are skipped unread.
/// Fails with the first error of `sink`, or when the worker threads cannot start.
pub fn classify_stream(
    config: &Config,
    classifier: &Classifier,
    only: Option<&HashSet<String>>,
    err: &mut dyn Write,
    sink: &mut dyn FnMut(Outcome) -> io::Result<()>,
) -> io::Result<Streamed> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|e| io::Error::other(format!("cannot start worker threads: {e}")))?;
    if config.stdin_is_terminal && !config.quiet && config.inputs.contains(&Input::Stdin) {
        let _ = writeln!(err, "{STDIN_HINT}");
    }
    let progress = progress_bar(config);
    let mut failed = false;
    let mut jobs = jobs(config);
    let result = loop {
        // Line by line when each record is awaited as soon as its line is written;
        // else a chunk at a time, so the cores have work.
        let size = if config.line_buffered { 1 } else { CHUNK };
        let chunk: Vec<Job> = jobs.by_ref().take(size).collect();
        if chunk.is_empty() {
            break Ok(Streamed { failed });
        }
        if !config.quiet {
            for job in &chunk {
                if let Job::Line(jsonl::Line {
                    input,
                    number,
                    warning: Some(w),
                    ..
                }) = job
                {
                    progress.suspend(|| {
                        let _ = writeln!(err, "cxtag: {input}:{number}: warning: {w}");
                    });
                }
            }
        }
        let outcomes: Vec<Option<Outcome>> = pool.install(|| {
            chunk
                .into_par_iter()
                .map_init(Scratch::default, |scratch, job| {
                    process(config, classifier, only, job, scratch)
                })
                .collect()
        });
        progress.inc(outcomes.len() as u64);
        let mut sunk = Ok(());
        for outcome in outcomes.into_iter().flatten() {
            match &outcome {
                Ok((ad, _)) => {
                    if let Some(w) = &ad.warning
                        && !config.quiet
                    {
                        progress.suspend(|| {
                            let line = format!("{}: warning: {w}", ad.source);
                            let _ =
                                writeln!(err, "cxtag: {}", for_terminal(&line, Newlines::Escape));
                        });
                    }
                }
                Err(e) => {
                    failed = true;
                    progress.suspend(|| {
                        let line = e.to_string();
                        let _ = writeln!(err, "cxtag: {}", for_terminal(&line, Newlines::Escape));
                    });
                }
            }
            sunk = sink(outcome);
            if sunk.is_err() {
                break;
            }
        }
        if let Err(e) = sunk {
            break Err(e);
        }
    };
    progress.finish_and_clear();
    result
}

/// What cxtag says when it waits for an ad typed or pasted at a terminal, as `cat`-like
/// tools would otherwise wait without a word.
pub const STDIN_HINT: &str = "cxtag: reading one ad from standard input: paste it, then press \
     Enter and Ctrl-D (Ctrl-Z and Enter on Windows). To classify files instead: cxtag FILE... \
     (cxtag --help for more)";

/// A counter of classified ads on standard error, for batches (folders or JSON Lines) on
/// a terminal; hidden otherwise, so pipes and logs never see it.
fn progress_bar(config: &Config) -> ProgressBar {
    let batch = config.input_format == InputFormat::Jsonl
        || config
            .inputs
            .iter()
            .any(|i| matches!(i, Input::Path(p) if p.is_dir()));
    if !(config.progress && batch) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {human_pos} ads classified ({rate}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} ads/s", state.per_sec());
                },
            ),
    );
    bar
}

/// The jobs of a run, produced lazily in input order.
fn jobs(config: &Config) -> Box<dyn Iterator<Item = Job> + '_> {
    Box::new(
        config
            .inputs
            .iter()
            .flat_map(move |input| -> Box<dyn Iterator<Item = Job>> {
                match (config.input_format, input) {
                    (InputFormat::Text, Input::Stdin) => Box::new(std::iter::once(Job::Stdin)),
                    (InputFormat::Text, Input::Path(p)) if p.is_dir() => {
                        let options = WalkOptions {
                            follow: config.follow,
                            skip: config.output_file,
                        };
                        let mut found = input::walk(p, options).peekable();
                        if found.peek().is_none() {
                            // A folder with nothing to classify is a mistake worth reporting.
                            Box::new(std::iter::once(Job::Failed(InputError::NoAds(p.clone()))))
                        } else {
                            Box::new(found.map(|r| r.map_or_else(Job::Failed, Job::File)))
                        }
                    }
                    (InputFormat::Text, Input::Path(p)) => {
                        Box::new(std::iter::once(Job::File(p.clone())))
                    }
                    (InputFormat::Jsonl, input) => jsonl_jobs(input, config.max_size),
                }
            }),
    )
}

/// One job per line of a JSON Lines input, or the reason it cannot be read.
fn jsonl_jobs(input: &Input, limit: u64) -> Box<dyn Iterator<Item = Job>> {
    match jsonl::Reader::open(input, limit) {
        Ok(lines) => Box::new(lines.map(|l| l.map_or_else(Job::Failed, Job::Line))),
        Err(e) => Box::new(std::iter::once(Job::Failed(e))),
    }
}

/// The JSON Lines fields a run reads.
fn fields(config: &Config) -> Fields<'_> {
    Fields {
        id: &config.id_field,
        text: &config.text_field,
        title: config.title_field.as_deref(),
    }
}

/// Reads, decodes and classifies one job; `None` when `only` rules it out.
fn process(
    config: &Config,
    classifier: &Classifier,
    only: Option<&HashSet<String>>,
    job: Job,
    scratch: &mut Scratch,
) -> Option<Outcome> {
    let ad = match job {
        Job::File(path) => input::read_file(&path, config.max_size),
        Job::Stdin => input::read_stdin(config.max_size),
        Job::Line(line) => jsonl::parse(line, fields(config), config.max_size),
        Job::Failed(e) => Err(e),
    };
    match ad {
        Ok(ad) if only.is_some_and(|set| !set.contains(&ad.id)) => None,
        Ok(ad) => {
            // The title given becomes the ad's first line, so that the report shows the
            // text the verdict's offsets refer to.
            let ad = match &config.title {
                Some(title) => ad.titled(title),
                None => ad,
            };
            let verdict = classify_ad(classifier, &ad, scratch);
            Some(Ok((ad, verdict)))
        }
        Err(e) => Some(Err(e)),
    }
}

/// Classifies `ad`: a title given beside it (`--title`, a JSON Lines title field) is its
/// title; otherwise one is looked for in its text.
pub fn classify_ad(classifier: &Classifier, ad: &Ad, scratch: &mut Scratch) -> Verdict {
    match &ad.title {
        Some(at) => classifier.classify_with_title(&ad.text, at.clone(), scratch),
        None => classifier.classify(&ad.text, scratch),
    }
}
