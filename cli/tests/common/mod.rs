//! What the CLI's tests that run `hybrid-kx serve` and a client against it share: the binary,
//! a `serve` process on a port the kernel chose (read back from its first line), killed when
//! the test ends however it ends, its per-connection lines collected, and the `key=value`
//! fields of an output line.

#![allow(dead_code)] // each test file uses its own part

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// `hybrid-kx ARGS`, run to completion.
pub fn hybrid_kx<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
        .args(args)
        .output()
        .expect("run hybrid-kx")
}

/// Standard output and error of `output`, for assertion messages.
pub fn show(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The `key=value` fields of an output line after its first word (`handshake`, `serve`,
/// `bench`); a quoted value with spaces (the subject, last) keeps only its first word here:
/// see [`quoted`].
pub fn fields(line: &str) -> HashMap<&str, &str> {
    line.split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

/// The quoted value of `key` in `line` (`subject="CN=a b"` gives `CN=a b`).
pub fn quoted<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let start = line.find(&format!(" {key}=\""))? + key.len() + 3;
    line[start..].split('"').next()
}

/// A running `hybrid-kx serve`, killed on drop.
pub struct Serve {
    child: Child,
    /// The address it listens on, as it printed it.
    pub address: String,
    /// Its second line on standard error (`certificate key=... subject="..."`).
    pub certificate_line: String,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// `hybrid-kx serve --listen 127.0.0.1:0 ARGS`, once it listens.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hybrid-kx"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start hybrid-kx serve");
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let Some(address) = first.trim().strip_prefix("serving TLS 1.3 on ") else {
            let _ = child.kill();
            panic!("serve {args:?} did not start: {first}");
        };
        let address = address.to_owned();
        let mut certificate_line = String::new();
        stderr.read_line(&mut certificate_line).unwrap();
        // Drained so that serve never blocks on a full pipe, however many connections.
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            address,
            certificate_line,
            lines,
        }
    }

    /// The per-connection lines printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits (at most 10 s) until at least `n` connections were reported, and returns the
    /// lines: a connection's line comes after the client is done with it.
    pub fn wait_for_lines(&self, n: usize) -> Vec<String> {
        let start = Instant::now();
        while self.lines().len() < n && start.elapsed() < Duration::from_secs(10) {
            thread::sleep(Duration::from_millis(10));
        }
        self.lines()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `handshake` line of a `hybrid-kx handshake` run that must succeed.
pub fn handshake_line(args: &[&str]) -> String {
    let mut all = vec!["handshake"];
    all.extend_from_slice(args);
    let out = hybrid_kx(&all);
    assert!(out.status.success(), "{all:?}: {}", show(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout.lines().next().unwrap_or_default().to_owned();
    assert!(line.starts_with("handshake "), "{line}");
    line
}

/// Runs the system's `openssl` with `args` (split at white space) in `dir`; it must succeed.
pub fn openssl(dir: &std::path::Path, args: &str) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args.split_whitespace())
        .output()
        .expect("the system's openssl (apt-get install openssl)");
    assert!(out.status.success(), "openssl {args:?}: {}", show(&out));
}
