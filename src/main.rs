//! The `cxtag` binary: parse flags, apply the settings file, run the command, map the
//! outcome to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use cxtag::app::EXIT_USAGE;
use cxtag::cli::{Cli, Command};

fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (mut cli, matches) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = io::stderr().lock();
    if let Err(e) = cxtag::config::apply(&mut cli, &matches) {
        let _ = writeln!(err, "cxtag: {e:#}");
        return ExitCode::from(EXIT_USAGE);
    }
    let code = match cli.command.take() {
        None => cxtag::app::run(&cli.into_config(), &mut out, &mut err),
        Some(Command::Eval(args)) => {
            cxtag::eval::run(args, &mut out, &mut err).unwrap_or_else(|e| {
                let _ = writeln!(err, "cxtag eval: {e:#}");
                EXIT_USAGE
            })
        }
        Some(Command::Rules { command }) => cxtag::rules_cmd::run(command, &mut out, &mut err)
            .unwrap_or_else(|e| {
                let _ = writeln!(err, "cxtag rules: {e:#}");
                EXIT_USAGE
            }),
        // Both are generated in memory (writing to a Vec cannot fail, and clap_complete
        // panics on a write error), then written like any output.
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cxtag", &mut script);
            write_out(&mut out, &mut err, &script)
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => write_out(&mut out, &mut err, &page),
                Err(e) => {
                    let _ = writeln!(err, "cxtag: cannot render the man page: {e}");
                    EXIT_USAGE
                }
            }
        }
    };
    let flushed = out.flush();
    if let Err(e) = flushed
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "cxtag: cannot write output: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    ExitCode::from(code)
}

/// Writes generated text; a closed pipe is not an error.
fn write_out(out: &mut dyn Write, err: &mut dyn Write, bytes: &[u8]) -> u8 {
    match out.write_all(bytes) {
        Ok(()) => cxtag::app::EXIT_OK,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => cxtag::app::EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "cxtag: cannot write output: {e}");
            EXIT_USAGE
        }
    }
}
