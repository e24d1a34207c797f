//! The comparison rules: when two transcripts of one case agree, and the report when they do
//! not.
//!
//! - Two of this crate's backends: every step the same, to the byte (equal digests) or to the
//!   error (`Error` equality, so the same alert too).
//! - A backend and the reference: equal digests where both accept; where both refuse, the
//!   backend's error must be of a class the reference found ([`Reason::of`]); accepting where
//!   the other refuses, or running other steps, is a divergence.
//! - The reference live and as recorded: identical.
//! - At the group layer every error must also carry the alert its class requires
//!   ([`Reason::alert_code`], from RFC 8446 section 6.2 and RFC 10024 section 5).

use std::fmt;

use super::verdict::{Reason, Transcript, Verdict};

/// Two implementations that disagree on a case, or one that disagrees with itself.
#[derive(Debug)]
pub struct Divergence(pub String);

impl fmt::Display for Divergence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether two verdicts on the same step agree (the rules above).
pub fn agree(a: &Verdict, b: &Verdict) -> bool {
    match (a, b) {
        (Verdict::Accepted(x), Verdict::Accepted(y)) => x == y,
        (Verdict::Error(e), Verdict::Error(f)) => e == f,
        (Verdict::Error(e), Verdict::Refused(reasons))
        | (Verdict::Refused(reasons), Verdict::Error(e)) => {
            Reason::of(e).is_some_and(|r| reasons.contains(r))
        }
        (Verdict::Refused(r), Verdict::Refused(s)) => r == s,
        (Verdict::Skipped, Verdict::Skipped) => true,
        _ => false,
    }
}

/// Checks every pair of `transcripts` (named by their implementations) of one case of
/// `target`; `group_level` adds the alert rule.
///
/// # Errors
///
/// The first disagreement, named: target, implementations, step, both verdicts.
pub fn compare(
    target: &str,
    group_level: bool,
    transcripts: &[(String, Transcript)],
) -> Result<(), Divergence> {
    for (i, (a, ta)) in transcripts.iter().enumerate() {
        if group_level {
            alerts(target, a, ta)?;
        }
        for (b, tb) in &transcripts[i + 1..] {
            let steps = |t: &Transcript| t.0.iter().map(|(s, _)| *s).collect::<Vec<_>>();
            if steps(ta) != steps(tb) {
                return Err(Divergence(format!(
                    "{target}: {a} and {b} ran different steps: {:?} vs {:?}",
                    ta.0, tb.0
                )));
            }
            for ((step, va), (_, vb)) in ta.0.iter().zip(&tb.0) {
                if !agree(va, vb) {
                    return Err(Divergence(format!(
                        "{target}: {a} and {b} diverge at {}: {va:?} vs {vb:?}",
                        step.name()
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The alert rule on one transcript.
fn alerts(target: &str, name: &str, transcript: &Transcript) -> Result<(), Divergence> {
    for (step, verdict) in &transcript.0 {
        if let Verdict::Error(e) = verdict {
            let required = Reason::of(e).map(Reason::alert_code);
            if required != Some(e.alert().code()) {
                return Err(Divergence(format!(
                    "{target}: {name} at {}: {e:?} raises alert {} where {required:?} is required",
                    step.name(),
                    e.alert()
                )));
            }
        }
    }
    Ok(())
}
