//! One description of the CPU a figure or a report comes from: its model, its family, model and
//! stepping, its logical CPUs, and for each backend the CPU features it checks before it runs
//! ([`hybrid_kx::Backend::cpu_features`], the one list of them) with whether this CPU has each.
//! `hybrid-kx speed`, the `interleaved` benchmark and the KAT report print it, since ratios
//! between implementations and the backend that ran depend on it.

use std::fmt;

use hybrid_kx::Backend;

/// Written where a field cannot be read (no `/proc/cpuinfo`, or no such line in it).
pub const UNKNOWN: &str = "unknown";

/// The CPU this process runs on, as [`describe`] found it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Cpu {
    /// `model name` of `/proc/cpuinfo` (the marketing name), or [`UNKNOWN`].
    pub model_name: String,
    /// `cpu family` (decimal), or [`UNKNOWN`].
    pub family: String,
    /// `model` (decimal), or [`UNKNOWN`].
    pub model: String,
    /// `stepping`, or [`UNKNOWN`].
    pub stepping: String,
    /// Logical CPUs this process may use (`std::thread::available_parallelism`; 1 if unknown).
    pub logical_cpus: usize,
    /// Every backend of [`Backend::ALL`], in that order.
    pub backends: Vec<BackendCpu>,
}

/// One backend on this CPU.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct BackendCpu {
    /// Its name ([`Backend::name`]).
    pub backend: &'static str,
    /// Whether this build has it ([`Backend::is_compiled`]).
    pub compiled: bool,
    /// Whether it runs here ([`Backend::is_usable`]): compiled in, and the CPU check passed.
    pub usable: bool,
    /// The CPU features it checks before it runs ([`Backend::cpu_features`], in that order,
    /// spelled as `is_x86_feature_detected!` spells them).
    pub features: Vec<&'static str>,
    /// Those of [`features`](Self::features) this CPU lacks.
    pub missing: Vec<&'static str>,
}

/// The backends this CPU runs, in [`Backend::ALL`] order, after printing one `SKIPPED` line
/// (with the reason) on stderr for each backend that does not run here: a test or tool that
/// covers "every backend" says what it did not cover instead of dropping it silently.
pub fn usable_backends(context: &str) -> Vec<Backend> {
    Backend::ALL
        .iter()
        .copied()
        .filter(|backend| match backend.unusable_reason() {
            Some(reason) => {
                eprintln!("{context}: SKIPPED backend {backend}: {reason}");
                false
            }
            None => true,
        })
        .collect()
}

impl Cpu {
    /// The CPU without its backends: `MODEL (family F, model M, stepping S; N logical CPUs)`,
    /// short enough for a chart's title.
    pub fn summary(&self) -> String {
        let mut line = String::new();
        let _ = self.write_model(&mut line);
        line + ")"
    }

    /// `MODEL (family F, model M, stepping S; N logical CPUs`, the start of both forms.
    fn write_model(&self, f: &mut impl fmt::Write) -> fmt::Result {
        write!(
            f,
            "{} (family {}, model {}, stepping {}; {} logical CPUs",
            self.model_name, self.family, self.model, self.stepping, self.logical_cpus
        )
    }

    /// The features some backend checks that this CPU has, each once, in the order the
    /// backends list them.
    pub fn present_features(&self) -> Vec<&'static str> {
        let mut present = Vec::new();
        for backend in &self.backends {
            for feature in &backend.features {
                if !backend.missing.contains(feature) && !present.contains(feature) {
                    present.push(feature);
                }
            }
        }
        present
    }
}

/// Describes this CPU: `/proc/cpuinfo` on Linux ([`UNKNOWN`] fields elsewhere), the logical
/// CPU count, and each backend's features as this CPU reports them.
pub fn describe() -> Cpu {
    let info = cpuinfo();
    let field = |name: &str| first_value(&info, name).unwrap_or(UNKNOWN).to_owned();
    Cpu {
        model_name: field("model name"),
        family: field("cpu family"),
        model: field("model"),
        stepping: field("stepping"),
        logical_cpus: std::thread::available_parallelism().map_or(1, usize::from),
        backends: Backend::ALL
            .iter()
            .map(|&backend| BackendCpu {
                backend: backend.name(),
                compiled: backend.is_compiled(),
                usable: backend.is_usable(),
                features: backend.cpu_features().to_vec(),
                missing: backend
                    .cpu_features()
                    .iter()
                    .copied()
                    .filter(|feature| !detected(feature, &info))
                    .collect(),
            })
            .collect(),
    }
}

/// `/proc/cpuinfo`, or nothing where there is none.
fn cpuinfo() -> String {
    if cfg!(target_os = "linux") {
        std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default()
    } else {
        String::new()
    }
}

/// The value of the first `name : value` line (the first processor's).
fn first_value<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(key, _)| key.trim() == name)
        .map(|(_, value)| value.trim())
}

/// Whether this CPU has `feature`: what the standard library detects (cpuid, and the operating
/// system's support for the wider registers) for the names it knows on this architecture,
/// otherwise the `flags` line of `/proc/cpuinfo` (x86 only: other architectures name theirs
/// differently, under `Features`).
fn detected(feature: &str, info: &str) -> bool {
    if let Some(present) = std_detected(feature) {
        return present;
    }
    first_value(info, "flags").is_some_and(|flags| flags.split_whitespace().any(|f| f == feature))
}

/// What `is_x86_feature_detected!` says of `feature`, or `None` for a name not listed here.
#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn std_detected(feature: &str) -> Option<bool> {
    macro_rules! known {
        ($($name:tt),*) => {
            match feature {
                $($name => Some(std::is_x86_feature_detected!($name)),)*
                _ => None,
            }
        };
    }
    known!(
        "aes",
        "pclmulqdq",
        "bmi1",
        "bmi2",
        "adx",
        "avx",
        "avx2",
        "avx512f"
    )
}

/// No x86 feature is present on another architecture.
#[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
fn std_detected(_feature: &str) -> Option<bool> {
    Some(false)
}

/// One line: `MODEL (family F, model M, stepping S; N logical CPUs; portable: usable; ...;
/// graviola: aes pclmulqdq ... avx2, usable)`, a feature this CPU lacks written `-name`.
impl fmt::Display for Cpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_model(f)?;
        for backend in &self.backends {
            write!(f, "; {}: ", backend.backend)?;
            for feature in &backend.features {
                let sign = if backend.missing.contains(feature) {
                    "-"
                } else {
                    ""
                };
                write!(f, "{sign}{feature} ")?;
            }
            let state = match (backend.compiled, backend.usable) {
                (_, true) => "usable",
                (false, false) => "not compiled in",
                (true, false) => "not usable on this CPU",
            };
            if backend.features.is_empty() {
                f.write_str(state)?;
            } else {
                write!(f, "({state})")?;
            }
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every feature a backend checks is one the standard library detects here, not a guess
    /// from `/proc/cpuinfo`: a new name in `Backend::cpu_features` must be added to the match.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn every_backend_feature_is_detected_by_the_standard_library() {
        for backend in Backend::ALL {
            for feature in backend.cpu_features() {
                assert!(
                    std_detected(feature).is_some(),
                    "{backend}: {feature} is not in std_detected's list"
                );
            }
        }
    }

    /// A usable backend has every feature it checks (graviola's ADX check may be waived under
    /// valgrind, `VALGRIND_BUG_494162`, which this test does not run under).
    #[test]
    fn a_usable_backend_has_its_features() {
        let cpu = describe();
        assert_eq!(cpu.backends.len(), Backend::ALL.len());
        for backend in &cpu.backends {
            if backend.usable {
                assert!(backend.compiled, "{}", backend.backend);
                assert!(backend.missing.is_empty(), "{}: {cpu}", backend.backend);
            }
        }
    }

    #[test]
    fn first_value_reads_the_first_processor_and_the_exact_key() {
        let info = "processor\t: 0\nmodel\t\t: 207\nmodel name\t: Example CPU\nflags\t\t: aes avx2\n\
                    processor\t: 1\nmodel\t\t: 1\n";
        assert_eq!(first_value(info, "model"), Some("207"));
        assert_eq!(first_value(info, "model name"), Some("Example CPU"));
        assert_eq!(first_value(info, "stepping"), None);
    }

    /// A name the standard library's list does not have is looked up, as a whole word, in the
    /// `flags` line.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn other_names_are_read_from_the_flags_line() {
        let info = "processor\t: 0\nflags\t\t: fpu aes sha_ni avx2\n";
        assert_eq!(std_detected("sha_ni"), None);
        assert!(detected("sha_ni", info));
        assert!(!detected("sha", info));
        assert!(!detected("sha_ni", "processor\t: 0\n"));
    }

    #[test]
    fn the_line_names_each_backend_and_marks_missing_features() {
        let cpu = Cpu {
            model_name: "Example CPU".to_owned(),
            family: "6".to_owned(),
            model: "207".to_owned(),
            stepping: "2".to_owned(),
            logical_cpus: 2,
            backends: vec![
                BackendCpu {
                    backend: "portable",
                    compiled: true,
                    usable: true,
                    features: vec![],
                    missing: vec![],
                },
                BackendCpu {
                    backend: "graviola",
                    compiled: true,
                    usable: false,
                    features: vec!["aes", "adx"],
                    missing: vec!["adx"],
                },
            ],
        };
        assert_eq!(
            cpu.to_string(),
            "Example CPU (family 6, model 207, stepping 2; 2 logical CPUs; portable: usable; \
             graviola: aes -adx (not usable on this CPU))"
        );
        assert_eq!(cpu.present_features(), ["aes"]);
        assert_eq!(
            cpu.summary(),
            "Example CPU (family 6, model 207, stepping 2; 2 logical CPUs)"
        );
    }
}
