//! The `cxtag` binary: parse flags, run, map the outcome to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cxtag::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                cxtag::app::EXIT_USAGE
            } else {
                0
            });
        }
    };
    let config = cli.into_config();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = io::stderr().lock();
    let code = cxtag::app::run(&config, &mut out, &mut err);
    let flushed = out.flush();
    if let Err(e) = flushed
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "cxtag: cannot write output: {e}");
        return ExitCode::from(cxtag::app::EXIT_USAGE);
    }
    ExitCode::from(code)
}
