//! `cxtag [PATH]...`: load the rules, classify every ad through the batch engine
//! ([`crate::batch`]), hand verdicts to the report in input order, and say how the run
//! ended.
//!
//! `run` takes its writers as arguments so tests can drive it without a process. Exit
//! codes are a contract, kept in [`crate::exit_codes`].

use std::io::{self, Write};

use crate::batch::{Streamed, classify_stream, is_output_error, output_error};
use crate::classify::Classifier;
use crate::cli::{Config, InputFormat};
use crate::error::RuleErrors;
use crate::exit_codes::{EXIT_INPUT, EXIT_OK, EXIT_USAGE, EXIT_WRITE};
use crate::input::Input;
use crate::report::{self, ReportOptions};
use crate::rules::RuleSet;
use crate::terminal::{Newlines, for_terminal};

/// Loads the rules a run asks for.
pub fn load_rules(config: &Config) -> Result<RuleSet, RuleErrors> {
    config.rules.load()
}

/// Runs cxtag and returns the exit code. A failure to write to `out` gives
/// [`EXIT_WRITE`] and is not printed: the caller reports it.
pub fn run(config: &Config, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(problem) = title_problem(config) {
        let _ = writeln!(err, "cxtag: {}", for_terminal(&problem, Newlines::Escape));
        return EXIT_USAGE;
    }
    let rules = match load_rules(config) {
        Ok(r) => r,
        Err(e) => {
            let message = format!("the rules cannot be used:\n{e}");
            let _ = writeln!(err, "cxtag: {}", for_terminal(&message, Newlines::Keep));
            return EXIT_USAGE;
        }
    };
    let options = ReportOptions {
        explain: config.explain,
        fingerprint: rules.fingerprint.clone(),
        width: config.width,
        summary_only: config.summary_only,
        color: config.color,
        raw_csv: config.raw_csv,
        compact: config.compact,
        sort: config.sort,
        detail: config.detail,
    };
    let sorts = matches!(config.format, report::Format::Table | report::Format::Html);
    if config.sort != report::Sort::Input && !sorts {
        let _ = writeln!(
            err,
            "cxtag: --sort works with the table and the HTML report; machine formats keep \
             the input order (sort them with your tools, e.g. jq or sort)"
        );
        return EXIT_USAGE;
    }
    let classifier = Classifier::new(rules).keep_highlights(config.format == report::Format::Html);
    let mut report = report::for_format(config.format, options, &classifier.rules);
    let streamed = classify_stream(config, &classifier, None, err, &mut |outcome| {
        match outcome {
            // `--only` drops the other ads from every format, summary included.
            Ok((_, verdict)) if config.only.is_some_and(|only| !only.keeps(&verdict)) => Ok(()),
            Ok((ad, verdict)) => report.ad(out, &ad, &verdict),
            Err(e) => report.failure(out, &e),
        }
        .and_then(|()| {
            if config.line_buffered {
                out.flush()
            } else {
                Ok(())
            }
        })
        .map_err(output_error)
    })
    .and_then(|failed| report.finish(out).map_err(output_error).map(|()| failed));
    match streamed {
        // With --keep-going the failures are in the output, where a pipeline reads them;
        // the exit code is kept for what stops the whole run.
        Ok(Streamed { failed: true }) if !config.keep_going => EXIT_INPUT,
        Ok(_) => EXIT_OK,
        // The reader went away (`cxtag ... | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        // Not printed: the caller owns `out` and reports its failure once, however many
        // writes it failed.
        Err(e) if is_output_error(&e) => EXIT_WRITE,
        Err(e) => {
            let _ = writeln!(err, "cxtag: {e}");
            EXIT_USAGE
        }
    }
}

/// Why `--title` cannot be used as given, if it cannot: it is one ad's title, a line of
/// text, for the one ad read from a file or standard input.
fn title_problem(config: &Config) -> Option<String> {
    let title = config.title.as_deref()?;
    if title.is_empty() {
        return Some(
            "--title is empty: give the ad's job title, as in --title \"Customer Service Advisor\""
                .into(),
        );
    }
    if title.contains('\n') {
        return Some("--title holds a line break: a job title is one line".into());
    }
    if config.input_format == InputFormat::Jsonl {
        return Some(
            "--title is one ad's title, but JSON Lines input holds an ad per line, each with \
             its own title (see --title-field)"
                .into(),
        );
    }
    match config.inputs.as_slice() {
        [Input::Path(p)] if p.is_dir() => Some(format!(
            "--title is one ad's title, but {} is a folder of ads: name one file",
            p.display()
        )),
        [_] => None,
        inputs => Some(format!(
            "--title is one ad's title, but {} inputs were given: classify them one at a time",
            inputs.len()
        )),
    }
}
