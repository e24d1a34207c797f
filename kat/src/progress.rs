//! The progress bar of a long suite: shown on standard error only when enabled
//! ([`crate::Options::progress`]), only when standard error is a terminal, and only once the suite has run for more than a second, so short suites and logs stay quiet.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a suite runs before its bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Whether bars may be drawn at all ([`crate::Options::progress`]); off unless a front end
/// turns it on, so tests and libraries never draw.
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Allows (or forbids) progress bars for the suites started from now on.
pub fn set_enabled(enabled: bool) {
    ENABLED.store(enabled, Ordering::Relaxed);
}

/// Counts work done in one suite and draws a bar once the suite turns out to be long.
pub struct Progress {
    label: String,
    total: u64,
    done: u64,
    start: Instant,
    terminal: bool,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A counter for `total` steps of the suite named `label`.
    pub fn new(label: &str, total: u64) -> Self {
        Self {
            label: label.to_owned(),
            total,
            done: 0,
            start: Instant::now(),
            terminal: ENABLED.load(Ordering::Relaxed) && std::io::stderr().is_terminal(),
            bar: None,
        }
    }

    /// Raises the expected number of steps (for suites that learn their size as they go).
    pub fn add_total(&mut self, steps: u64) {
        self.total = self.total.saturating_add(steps);
        if let Some(bar) = &self.bar {
            bar.set_length(self.total);
        }
    }

    /// Records `steps` more steps done.
    pub fn inc(&mut self, steps: u64) {
        self.done = self.done.saturating_add(steps);
        if self.done > self.total {
            // Never show more done than expected.
            self.total = self.done;
            if let Some(bar) = &self.bar {
                bar.set_length(self.total);
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done);
        } else if self.terminal && self.start.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::with_draw_target(Some(self.total), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} (eta {eta})",
            ) {
                bar.set_style(style);
            }
            bar.set_message(self.label.clone());
            bar.set_position(self.done);
            self.bar = Some(bar);
        }
    }

    /// Removes the bar, if one was drawn.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
