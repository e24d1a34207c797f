//! One implementation of a key exchange in KEM shape ([`Kx`]: client key generation, the
//! server's one step, client completion; RFC 8446 section 4.2.8), and the one sequence of steps
//! every implementation runs on a case ([`Run::run`]), whatever it is: one of this crate's
//! backends, the reference, or a deliberately faulty one in the tests.

use super::input::Case;
use super::primitive::{Prim, Side};
use super::verdict::{Digest, Step, Transcript, Verdict};

/// What client key generation gives: the share, any exported private form (an ML-KEM key's
/// FIPS 203 expanded form, compared too; empty otherwise), the state.
pub type Generated<S> = (Vec<u8>, Vec<u8>, S);

/// A key exchange whose failures are [`Verdict`]s (this crate's `Error`, the reference's
/// reasons).
pub trait Kx {
    /// The client's private state between its share and the server's.
    type State;

    /// Who this is (`ML-KEM-768 on libcrux`, `OpenSSL`), for reports.
    fn name(&self) -> String;

    /// Client key generation from `seed`.
    ///
    /// # Errors
    ///
    /// The refusal, as a verdict.
    fn keygen(&self, seed: &[u8]) -> Result<Generated<Self::State>, Verdict>;

    /// The server step on `client_share` with `seed`: the server share and the secret.
    ///
    /// # Errors
    ///
    /// The refusal, as a verdict.
    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict>;

    /// Client completion with `server_share`: the secret.
    ///
    /// # Errors
    ///
    /// The refusal, as a verdict.
    fn complete(&self, state: Self::State, server_share: &[u8]) -> Result<Vec<u8>, Verdict>;
}

/// What the comparison needs of an implementation: its name and its transcript of a case.
pub trait Run {
    /// Who this is ([`Kx::name`]).
    fn label(&self) -> String;

    /// The transcript of `case` for the key exchange made of `parts`.
    ///
    /// # Errors
    ///
    /// An inconsistency within this one implementation: its client and server disagree on
    /// the secret of an untouched exchange, or it refuses its own honest shares.
    fn run(&self, parts: &[Prim], case: &Case) -> Result<Transcript, String>;
}

impl<K: Kx> Run for K {
    fn label(&self) -> String {
        self.name()
    }

    fn run(&self, parts: &[Prim], case: &Case) -> Result<Transcript, String> {
        let mut steps = Vec::with_capacity(5);
        let client_seed = case.seed(parts, Side::Client);
        let server_seed = case.seed(parts, Side::Server);
        let (share, exported, state) = match self.keygen(&client_seed) {
            Ok(generated) => generated,
            Err(refused) => {
                steps.push((Step::Keygen, refused));
                return Ok(Transcript(steps));
            }
        };
        steps.push((
            Step::Keygen,
            Verdict::Accepted(Digest::of(&[&share, &exported])),
        ));

        let honest = self.respond(&share, &server_seed);
        steps.push((
            Step::Respond,
            verdict(&honest, |(s, k)| Digest::of(&[s, k])),
        ));
        let fuzzed = case.client_share.apply(parts, Side::Client, Some(&share));
        let fuzzed_response = match fuzzed {
            Some(client_share) if client_share != share => {
                let response = self.respond(&client_share, &server_seed);
                verdict(&response, |(s, k)| Digest::of(&[s, k]))
            }
            _ => Verdict::Skipped,
        };
        steps.push((Step::RespondFuzzed, fuzzed_response));

        let own = honest.as_ref().ok().map(|(s, _)| s.as_slice());
        let Some(server_share) = case.server_share.apply(parts, Side::Server, own) else {
            steps.push((Step::Complete, Verdict::Skipped));
            return Ok(Transcript(steps));
        };
        let secret = self.complete(state, &server_share);
        let step = match &honest {
            Ok((own, server_secret)) if *own == server_share => {
                match &secret {
                    Ok(client_secret) if client_secret == server_secret => {}
                    Ok(_) => {
                        return Err(
                            "client and server secrets differ on an untouched exchange".into()
                        );
                    }
                    Err(refused) => {
                        return Err(format!("refused its own server share: {refused:?}"));
                    }
                }
                Step::CompleteHonest
            }
            _ => Step::Complete,
        };
        steps.push((step, verdict(&secret, |k| Digest::of(&[k]))));
        Ok(Transcript(steps))
    }
}

/// The verdict of a step's result.
fn verdict<T>(result: &Result<T, Verdict>, digest: impl Fn(&T) -> Digest) -> Verdict {
    match result {
        Ok(output) => Verdict::Accepted(digest(output)),
        Err(refused) => *refused,
    }
}
