//! The `cxtag` binary: parse flags, apply the settings file, run the command, map the
//! outcome to an exit code.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::builder::styling::Styles;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};
use cxtag::cli::{Cli, Command, InputArgs, RulesCommand};
use cxtag::exit_codes::{EXIT_OK, EXIT_USAGE, EXIT_WRITE};
use cxtag::terminal::{Newlines, for_terminal};

fn main() -> ExitCode {
    let (mut cli, matches) = match parse(Cli::command()) {
        Ok(p) => p,
        // --help, --version
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(EXIT_OK);
        }
        Err(e) => {
            let _ = write!(io::stderr(), "{}", rejected(&e));
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut out = Output::new(io::BufWriter::with_capacity(1 << 16, io::stdout().lock()));
    let mut err = io::stderr().lock();
    if let Some(problem) = flags_before_command(&matches) {
        let _ = writeln!(err, "cxtag: {}", for_terminal(&problem, Newlines::Escape));
        return ExitCode::from(EXIT_USAGE);
    }
    if let Err(e) = cxtag::config::apply(&mut cli, &mut err) {
        let _ = writeln!(
            err,
            "cxtag: {}",
            for_terminal(&format!("{e:#}"), Newlines::Keep)
        );
        return ExitCode::from(EXIT_USAGE);
    }
    if let Some(input) = input_args(&mut cli)
        && let Some(warning) = input.cap_threads()
    {
        let _ = writeln!(err, "cxtag: warning: {warning}");
    }
    let code = match cli.command.take() {
        None => cxtag::commands::classify::run(&cli.into_config(), &mut out, &mut err),
        Some(Command::Eval(args)) => cxtag::commands::eval::run(args, &mut out, &mut err)
            .unwrap_or_else(|e| command_failed("cxtag eval", &e, &out, &mut err)),
        Some(Command::Rules { command }) => {
            cxtag::commands::rules::run(command, &mut out, &mut err)
                .unwrap_or_else(|e| command_failed("cxtag rules", &e, &out, &mut err))
        }
        // Both are generated in memory (writing to a Vec cannot fail, and clap_complete
        // panics on a write error), then written like any output; `out` remembers a
        // failure.
        Some(Command::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "cxtag", &mut script);
            let _ = out.write_all(&script);
            EXIT_OK
        }
        Some(Command::Man) => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => {
                    let _ = out.write_all(&page);
                    EXIT_OK
                }
                Err(e) => {
                    let _ = writeln!(err, "cxtag: cannot render the man page: {e}");
                    EXIT_USAGE
                }
            }
        }
    };
    let _ = out.flush();
    // Reported here, once, however many writes failed and whichever command made them.
    if let Some(e) = &out.failure {
        let _ = writeln!(err, "cxtag: cannot write output: {e}");
        return ExitCode::from(EXIT_WRITE);
    }
    ExitCode::from(code)
}

/// The flags and command of the command line, as `command` reads them.
fn parse(command: clap::Command) -> Result<(Cli, ArgMatches), clap::Error> {
    command
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)))
}

/// clap's message for a command line it rejected, safe for a terminal. The message quotes
/// what was typed (`invalid value '...' for '--format'`), and clap writes an escape
/// sequence in it as it is to a terminal, or drops it unseen into a pipe along with its
/// own colours. Parsed again without styles, every character of the message is text, and
/// control characters are shown as escapes, as everywhere else.
fn rejected(e: &clap::Error) -> String {
    let plain = match parse(Cli::command().styles(Styles::plain())) {
        Err(plain) => plain.render().ansi().to_string(),
        // The same command line parses the same way; were it not so, clap's own styles
        // are stripped (and with them any escape sequence typed).
        Ok(_) => e.render().to_string(),
    };
    for_terminal(&plain, Newlines::Keep).into_owned()
}

/// Prints a command's error, unless it is the failed write that `out` reports itself.
fn command_failed(
    command: &str,
    e: &anyhow::Error,
    out: &Output<impl Write>,
    err: &mut dyn Write,
) -> u8 {
    if out.failure.is_none() {
        let message = for_terminal(&format!("{e:#}"), Newlines::Keep).into_owned();
        let _ = writeln!(err, "{command}: {message}");
    }
    EXIT_USAGE
}

/// The input flags of the command, if it reads ads.
fn input_args(cli: &mut Cli) -> Option<&mut InputArgs> {
    match &mut cli.command {
        None => Some(&mut cli.input),
        Some(Command::Eval(args)) => Some(&mut args.input),
        Some(Command::Rules {
            command: RulesCommand::Stats { input, .. },
        }) => Some(input),
        Some(_) => None,
    }
}

/// What is wrong when flags of the classifying command (or paths) come before another
/// command: `cxtag --format json rules list` would drop `--format` unseen. Global flags
/// (`--config`, `--no-config`, `--verbose`) may stand anywhere.
fn flags_before_command(matches: &ArgMatches) -> Option<String> {
    let (command, _) = matches.subcommand()?;
    let cli = Cli::command();
    let given: Vec<String> = cli
        .get_arguments()
        .filter(|a| !a.is_global_set())
        .filter(|a| matches.value_source(a.get_id().as_str()) == Some(ValueSource::CommandLine))
        .map(|a| match a.get_long() {
            Some(long) => format!("--{long}"),
            None => "a PATH".to_string(),
        })
        .collect();
    (!given.is_empty()).then(|| {
        format!(
            "{} cannot come before the `{command}` command (only --config, --no-config and \
             --verbose can; to classify a file named `{command}`, write ./{command})",
            given.join(", ")
        )
    })
}

/// Standard output, remembering the first write that failed. A pipe closed by its reader
/// is not a failure (`cxtag ... | head -1` ends quietly).
struct Output<W> {
    inner: W,
    failure: Option<io::Error>,
}

impl<W: Write> Output<W> {
    fn new(inner: W) -> Self {
        let failure =
            closed_stdout::at_start().then(|| io::Error::other("standard output is closed"));
        Output { inner, failure }
    }

    fn record<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() != io::ErrorKind::BrokenPipe
            && self.failure.is_none()
        {
            self.failure = Some(io::Error::new(e.kind(), e.to_string()));
        }
        result
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = &self.failure {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let written = self.inner.write(buf);
        self.record(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = &self.failure {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let flushed = self.inner.flush();
        self.record(flushed)
    }
}

/// Whether standard output was closed when cxtag started (`cxtag ads/ >&-`).
///
/// The Rust runtime opens /dev/null on a closed descriptor 1 before `main`, after which
/// every write "succeeds" and the output is lost without a word. So the descriptor is
/// looked at earlier, by a function in the `.init_array` section, which the C runtime
/// calls before the Rust runtime starts.
#[cfg(target_os = "linux")]
mod closed_stdout {
    use std::sync::atomic::{AtomicBool, Ordering};

    static CLOSED: AtomicBool = AtomicBool::new(false);

    extern "C" fn check() {
        // SAFETY: F_GETFD only reads the flags of a descriptor; -1 means there is none.
        if unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) } == -1 {
            CLOSED.store(true, Ordering::Relaxed);
        }
    }

    #[used]
    #[unsafe(link_section = ".init_array")]
    static CHECK: extern "C" fn() = check;

    pub fn at_start() -> bool {
        CLOSED.load(Ordering::Relaxed)
    }
}

#[cfg(not(target_os = "linux"))]
mod closed_stdout {
    pub fn at_start() -> bool {
        false
    }
}
