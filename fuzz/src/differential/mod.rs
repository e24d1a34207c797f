//! Differential fuzz targets: every backend of this crate that runs here, and OpenSSL as the
//! independent reference, on the same fuzzed case, one target per primitive (ML-KEM-512/768/1024,
//! X25519, P-256, P-384, through the `components` API) and one per group (end to end through
//! `NamedGroup`'s `_on` entry points). A case (`input`) is a client seed, a server seed, and a
//! fuzzed client and server share (the real share edited, or raw bytes); every implementation
//! runs the same steps on it (`kx`) and their transcripts (`verdict`) must agree (`compare`).
//!
//! OpenSSL is linked with the feature `reference` (the fuzz binaries require it); without it the
//! corpus replay compares with the reference's recorded transcripts (`recorded`).

mod compare;
pub mod input;
pub mod kx;
#[cfg(feature = "reference")]
pub mod openssl;
pub mod ours;
pub mod primitive;
pub mod recorded;
pub mod verdict;

use hybrid_kx::NamedGroup;
use hybrid_kx::components::{Primitive, PrimitiveVisitor, table};

pub use compare::{Divergence, agree, compare};
use input::Case;
use kx::Run;
use ours::{GroupOn, PrimitiveOn};
use primitive::Prim;
use verdict::Transcript;

/// What a target compares.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    /// A primitive of the component table, by its name (`ML-KEM-768`).
    Primitive(&'static str),
    /// A group, end to end.
    Group(NamedGroup),
}

/// A differential fuzz target.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Its cargo-fuzz name (`diff_mlkem768`), also its corpus folder.
    pub name: &'static str,
    /// What it compares.
    pub subject: Subject,
}

/// Every differential target: one per primitive of the component table, one per group
/// (`tests/differential.rs` checks that none is missing).
pub const TARGETS: &[Target] = &[
    target("diff_mlkem512", Subject::Primitive("ML-KEM-512")),
    target("diff_mlkem768", Subject::Primitive("ML-KEM-768")),
    target("diff_mlkem1024", Subject::Primitive("ML-KEM-1024")),
    target("diff_x25519", Subject::Primitive("X25519")),
    target("diff_p256", Subject::Primitive("P-256")),
    target("diff_p384", Subject::Primitive("P-384")),
    target(
        "diff_group_x25519mlkem768",
        Subject::Group(NamedGroup::X25519MLKEM768),
    ),
    target(
        "diff_group_secp256r1mlkem768",
        Subject::Group(NamedGroup::SecP256r1MLKEM768),
    ),
    target(
        "diff_group_secp384r1mlkem1024",
        Subject::Group(NamedGroup::SecP384r1MLKEM1024),
    ),
    target("diff_group_mlkem768", Subject::Group(NamedGroup::MLKEM768)),
    target(
        "diff_group_mlkem1024",
        Subject::Group(NamedGroup::MLKEM1024),
    ),
    target("diff_group_mlkem512", Subject::Group(NamedGroup::MLKEM512)),
];

const fn target(name: &'static str, subject: Subject) -> Target {
    Target { name, subject }
}

/// This crate's implementations of a primitive, found by name in the component table.
#[derive(Clone)]
struct Backends(&'static str);

impl PrimitiveVisitor for Backends {
    type Output = Option<Vec<Box<dyn Run>>>;
    fn visit<P: Primitive>(self) -> Self::Output {
        (P::NAME == self.0).then(|| {
            PrimitiveOn::<P>::all()
                .into_iter()
                .map(|p| Box::new(p) as Box<dyn Run>)
                .collect()
        })
    }
}

impl Target {
    /// The target named `name`.
    pub fn by_name(name: &str) -> Option<&'static Self> {
        TARGETS.iter().find(|t| t.name == name)
    }

    /// The primitives it is made of, in wire order.
    ///
    /// # Panics
    ///
    /// For a primitive the harness does not know (a new one needs its `Prim`).
    pub fn parts(&self) -> Vec<Prim> {
        let names = match self.subject {
            Subject::Primitive(name) => vec![name],
            Subject::Group(group) => group.parts().to_vec(),
        };
        names
            .into_iter()
            .map(|n| Prim::from_name(n).unwrap_or_else(|| panic!("no harness for primitive {n}")))
            .collect()
    }

    /// Its committed corpus folder, `fuzz/corpus/<name>`.
    pub fn corpus(&self) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(self.name)
    }

    /// Whether it runs a whole group (the alert rule applies).
    pub fn is_group(&self) -> bool {
        matches!(self.subject, Subject::Group(_))
    }

    /// This crate on every backend that runs the subject here, the portable reference first.
    ///
    /// # Panics
    ///
    /// For a primitive name that is not in the component table.
    pub fn ours(&self) -> Vec<Box<dyn Run>> {
        match self.subject {
            Subject::Primitive(name) => table::for_each(Backends(name))
                .flatten()
                .next()
                .unwrap_or_else(|| panic!("{name} is not in the component table")),
            Subject::Group(group) => GroupOn::all(group)
                .into_iter()
                .map(|g| Box::new(g) as Box<dyn Run>)
                .collect(),
        }
    }

    /// OpenSSL, on the subject.
    #[cfg(feature = "reference")]
    pub fn reference(&self) -> Box<dyn Run> {
        match self.subject {
            Subject::Primitive(_) => Box::new(openssl::OpenSsl(self.parts()[0])),
            Subject::Group(_) => Box::new(openssl::OpenSslGroup(self.parts())),
        }
    }

    /// Runs the case of `data` on this crate's backends and on `others` (the live reference,
    /// a faulty implementation in the tests), adds `recorded` (the reference's recorded
    /// transcript) and compares them all; returns the transcripts, named.
    ///
    /// # Errors
    ///
    /// The first divergence.
    pub fn check(
        &self,
        data: &[u8],
        others: Vec<Box<dyn Run>>,
        recorded: Option<&Transcript>,
    ) -> Result<Vec<(String, Transcript)>, Divergence> {
        let parts = self.parts();
        let case = Case::decode(&parts, data);
        let mut transcripts = Vec::new();
        for implementation in self.ours().into_iter().chain(others) {
            let name = implementation.label();
            let transcript = implementation
                .run(&parts, &case)
                .map_err(|why| Divergence(format!("{}: {name}: {why}", self.name)))?;
            transcripts.push((name, transcript));
        }
        if let Some(recorded) = recorded {
            transcripts.push(("the recorded reference".to_owned(), recorded.clone()));
        }
        compare::compare(self.name, self.is_group(), &transcripts)?;
        Ok(transcripts)
    }
}

/// The body of fuzz target `name`: this crate's backends and OpenSSL must agree on `data`.
///
/// # Panics
///
/// On a divergence (libFuzzer keeps the input), or for an unknown target name.
#[cfg(feature = "reference")]
pub fn fuzz(name: &str, data: &[u8]) {
    let target = Target::by_name(name).unwrap_or_else(|| panic!("no target {name}"));
    if let Err(divergence) = target.check(data, vec![target.reference()], None) {
        panic!("{divergence}");
    }
}
