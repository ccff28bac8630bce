//! Integration tests: run the real `cxtag` binary on files in `tests/` and `examples/`.

mod authoring;
mod batch;
mod ecosystem;
mod errors;
mod examples;
mod fit;
mod formats;
mod golden;
mod hard;
mod hostile;
mod html;
mod output;
mod pipelines;
mod rules;
mod title_flag;
mod titles;
mod verdicts;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project's root, where `examples/` and `tests/data/` live.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `cxtag` invocation: fixed working directory and table width, nothing from the
/// user's environment that could change the output.
pub struct Cxtag {
    cmd: Command,
    stdin: Option<Vec<u8>>,
    stdin_from: Option<Stdio>,
    stdout_to: Option<Stdio>,
}

impl Default for Cxtag {
    fn default() -> Self {
        Self::new()
    }
}

impl Cxtag {
    pub fn new() -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cxtag"));
        // No user settings file or colour preference may leak into a test.
        cmd.current_dir(root())
            .env_remove("COLUMNS")
            .env_remove("NO_COLOR")
            .env(
                "XDG_CONFIG_HOME",
                root().join("tests/data/no-such-config-home"),
            )
            .env("HOME", root().join("tests/data/no-such-home"));
        Cxtag {
            cmd,
            stdin: None,
            stdin_from: None,
            stdout_to: None,
        }
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn arg(mut self, a: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.arg(a);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(mut self, a: I) -> Self {
        self.cmd.args(a);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Standard input from elsewhere (another process's output, a file).
    pub fn stdin_from(mut self, from: impl Into<Stdio>) -> Self {
        self.stdin_from = Some(from.into());
        self
    }

    /// Standard output to elsewhere (a file, `/dev/full`); `Run::stdout` is then empty.
    pub fn stdout_to(mut self, to: impl Into<Stdio>) -> Self {
        self.stdout_to = Some(to.into());
        self
    }

    /// Runs with at most `memory` bytes of address space (RLIMIT_AS) and `cpu_seconds` of
    /// processor time (RLIMIT_CPU): a run that grows without bound fails to allocate and
    /// aborts, one that spins is killed by SIGXCPU, and `Run::code` then fails the test.
    pub fn limits(mut self, memory: u64, cpu_seconds: u64) -> Self {
        use std::os::unix::process::CommandExt;
        let set = |resource, value: u64| {
            let limit = libc::rlimit {
                rlim_cur: value as libc::rlim_t,
                rlim_max: value as libc::rlim_t,
            };
            // SAFETY: setrlimit only reads `limit`; it is async-signal-safe.
            if unsafe { libc::setrlimit(resource, &limit) } == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        // SAFETY: the closure only calls setrlimit, which is safe between fork and exec.
        unsafe {
            self.cmd.pre_exec(move || {
                set(libc::RLIMIT_AS, memory)?;
                set(libc::RLIMIT_CPU, cpu_seconds)
            });
        }
        self
    }

    /// Runs with standard output closed (`cxtag ... >&-`).
    pub fn stdout_closed(mut self) -> Self {
        use std::os::unix::process::CommandExt;
        // SAFETY: close is async-signal-safe; descriptor 1 is the child's own.
        unsafe {
            self.cmd.pre_exec(|| {
                libc::close(1);
                Ok(())
            });
        }
        self
    }

    pub fn run(mut self) -> Run {
        let started = std::time::Instant::now();
        self.cmd
            .stdin(match self.stdin_from.take() {
                Some(from) => from,
                None if self.stdin.is_some() => Stdio::piped(),
                None => Stdio::null(),
            })
            .stdout(self.stdout_to.take().unwrap_or_else(Stdio::piped))
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().expect("cxtag runs");
        if let Some(bytes) = self.stdin.take() {
            let mut pipe = child.stdin.take().unwrap();
            // cxtag may stop reading early; a broken pipe here is not the test's concern.
            let _ = pipe.write_all(&bytes);
        }
        let output = child.wait_with_output().expect("cxtag finishes");
        Run(output, started.elapsed())
    }
}

/// The result of one run, and how long it took.
pub struct Run(pub Output, pub std::time::Duration);

impl Run {
    pub fn code(&self) -> i32 {
        self.0
            .status
            .code()
            .expect("exited normally, not by a signal")
    }
    pub fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).expect("stdout is UTF-8")
    }
    pub fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).expect("stderr is UTF-8")
    }
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert_eq!(self.code(), 0, "stderr: {}", self.stderr());
        self.stdout()
    }
    /// The JSON Lines records printed.
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
            .collect()
    }
}

/// Writes `bytes` to a fresh file in a temporary folder and returns its path.
pub fn temp_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// A temporary folder removed at drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("cxtag-test-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
