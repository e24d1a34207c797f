//! The differential targets can fail: deliberately faulty implementations and a tampered
//! recorded reference, fed through the same decoding, steps and comparison as the fuzz targets,
//! are reported (and the same cases pass without the fault). Also: every primitive and group has
//! a target, and hand-made inputs decode as they were written.

use hybrid_kx::components::ecdh_nist::P256;
use hybrid_kx::components::mlkem::MlKem768;
use hybrid_kx::components::x25519::X25519;
use hybrid_kx::components::{Primitive, PrimitiveVisitor, table};
use hybrid_kx::{Backend, Error, NamedGroup};
use hybrid_kx_fuzz::differential::input::{Case, Edit, SeedSpec, ShareSpec};
use hybrid_kx_fuzz::differential::kx::{Generated, Kx, Run};
use hybrid_kx_fuzz::differential::ours::{GroupOn, PrimitiveOn};
use hybrid_kx_fuzz::differential::primitive::Side;
use hybrid_kx_fuzz::differential::verdict::{Reason, Reasons, Step, Transcript, Verdict};
use hybrid_kx_fuzz::differential::{Subject, TARGETS, Target};

/// A fault: rewrites a step's result, given the peer share the step received.
type Fault = Box<dyn Fn(&[u8], Result<Vec<u8>, Verdict>) -> Result<Vec<u8>, Verdict>>;

/// A real implementation with one fault: `fault` rewrites the result of `complete` (`Side::
/// Client`) or `respond` (`Side::Server`) given the peer share it received.
struct Faulty<K> {
    inner: K,
    side: Side,
    fault: Fault,
}

impl<K> Faulty<K> {
    /// `inner`, except that `side`'s step answers `to` where `inner` fails with `from`.
    fn replacing(inner: K, side: Side, from: Error, to: Result<Vec<u8>, Verdict>) -> Self {
        let fault: Fault = Box::new(move |_, result| match result {
            Err(Verdict::Error(e)) if e == from => to.clone(),
            other => other,
        });
        Self { inner, side, fault }
    }
}

impl<K: Kx> Kx for Faulty<K> {
    type State = K::State;

    fn name(&self) -> String {
        format!("faulty {}", self.inner.name())
    }

    fn keygen(&self, seed: &[u8]) -> Result<Generated<K::State>, Verdict> {
        self.inner.keygen(seed)
    }

    fn respond(&self, client_share: &[u8], seed: &[u8]) -> Result<(Vec<u8>, Vec<u8>), Verdict> {
        let result = self.inner.respond(client_share, seed);
        if self.side != Side::Server {
            return result;
        }
        let (share, secret) = match result {
            Ok((share, secret)) => (Some(share), Ok(secret)),
            Err(refused) => (None, Err(refused)),
        };
        let secret = (self.fault)(client_share, secret)?;
        Ok((share.unwrap_or_else(|| vec![0; 1]), secret))
    }

    fn complete(&self, state: K::State, server_share: &[u8]) -> Result<Vec<u8>, Verdict> {
        let result = self.inner.complete(state, server_share);
        if self.side == Side::Client {
            (self.fault)(server_share, result)
        } else {
            result
        }
    }
}

fn target(name: &str) -> &'static Target {
    Target::by_name(name).expect("a target")
}

fn seeds(target: &Target, side: Side, byte: u8) -> Vec<SeedSpec> {
    target
        .parts()
        .iter()
        .map(|p| SeedSpec::Raw(vec![byte; p.seed_len(side)]))
        .collect()
}

/// A case of `target` with fixed valid seeds and these fuzzed shares.
fn case(target: &Target, client_share: ShareSpec, server_share: ShareSpec) -> Vec<u8> {
    let case = Case {
        client_seeds: seeds(target, Side::Client, 0x11),
        server_seeds: seeds(target, Side::Server, 0x22),
        client_share,
        server_share,
    };
    let data = case.encode(&target.parts());
    assert_eq!(
        Case::decode(&target.parts(), &data),
        case,
        "the input decodes as written"
    );
    data
}

fn untouched() -> ShareSpec {
    ShareSpec::Edited(Vec::new())
}

/// The real share with one edit.
fn edited(edit: Edit) -> ShareSpec {
    ShareSpec::Edited(vec![edit])
}

/// The first part's share replaced by the part's crafted value `kind` (parameter 0).
fn crafted(kind: u8) -> ShareSpec {
    edited(Edit::Craft {
        part: 0,
        kind,
        param: 0,
    })
}

/// `data` passes without `faulty` and is reported with it, naming the fault and `step`.
fn detected(target: &Target, data: &[u8], faulty: impl Run + 'static, step: Step) {
    let faulty: Box<dyn Run> = Box::new(faulty);
    let name = faulty.label();
    target
        .check(data, Vec::new(), None)
        .expect("the case passes without the fault");
    let divergence = target
        .check(data, vec![faulty], None)
        .expect_err("the fault is reported");
    let report = divergence.to_string();
    assert!(report.contains(&name), "{report}");
    assert!(report.contains(step.name()), "{report}");
    eprintln!("reported as expected: {report}");
}

#[test]
fn a_wrong_implicit_rejection_secret_is_reported() {
    let t = target("diff_mlkem768");
    let faulty = || Faulty {
        inner: PrimitiveOn::<MlKem768>::new(Backend::Portable),
        side: Side::Client,
        // One bit of K wrong whenever the ciphertext's first byte is odd.
        fault: Box::new(|ct, result| {
            result.map(|mut k| {
                k[0] ^= ct[0] & 1;
                k
            })
        }),
    };
    let garbage = |first: u8| {
        let mut ct = vec![0x5a; 1088];
        ct[0] = first;
        case(t, untouched(), ShareSpec::Raw(ct))
    };
    detected(t, &garbage(0x01), faulty(), Step::Complete);
    // Where the fault does not fire, nothing is reported.
    t.check(&garbage(0x02), vec![Box::new(faulty())], None)
        .expect("no fault, no report");
}

#[test]
fn accepting_a_low_order_x25519_point_is_reported() {
    let t = target("diff_x25519");
    // The client share replaced by u = 0 (order 1).
    let low_order = case(t, crafted(0), untouched());
    let faulty = Faulty::replacing(
        PrimitiveOn::<X25519>::new(Backend::Portable),
        Side::Server,
        Error::X25519ZeroSharedSecret,
        Ok(vec![0; 32]),
    );
    detected(t, &low_order, faulty, Step::RespondFuzzed);
}

#[test]
fn a_wrong_error_for_a_hybrid_form_point_is_reported() {
    let t = target("diff_p256");
    // The server share replaced by its hybrid form 06/07 ‖ X ‖ Y: the right length, the wrong
    // tag.
    let hybrid_form = case(t, untouched(), crafted(2));
    let faulty = Faulty::replacing(
        PrimitiveOn::<P256>::new(Backend::Portable),
        Side::Client,
        Error::EcPointNotUncompressed,
        Err(Verdict::Error(Error::EcPointNotOnCurve)),
    );
    detected(t, &hybrid_form, faulty, Step::Complete);
}

#[test]
fn a_wrong_error_for_a_modulus_failure_is_reported() {
    let t = target("diff_group_x25519mlkem768");
    let group = GroupOn {
        group: NamedGroup::X25519MLKEM768,
        backend: Backend::Portable,
    };
    let to = Err(Verdict::Error(Error::Decapsulation));
    let faulty = Faulty::replacing(group, Side::Server, Error::EncapsulationKeyModulus, to);
    // Coefficient 5 of the ML-KEM-768 key set to exactly q = 3329.
    let at_q = edited(Edit::Coefficient {
        part: 0,
        index: 5,
        value: 3329,
    });
    detected(t, &case(t, at_q, untouched()), faulty, Step::RespondFuzzed);
}

#[test]
fn an_error_with_the_wrong_alert_is_reported_at_the_group_layer() {
    // What a component answers to a slice of the wrong length: fine inside, but it must never
    // reach a TLS stack, which needs illegal_parameter for a bad length, not internal_error.
    let transcript = Transcript(vec![(Step::Keygen, Verdict::Error(Error::Internal))]);
    let named = [("a backend".to_owned(), transcript)];
    let divergence = hybrid_kx_fuzz::differential::compare("diff_group_mlkem768", true, &named)
        .expect_err("reported");
    assert!(divergence.to_string().contains("alert"), "{divergence}");
    hybrid_kx_fuzz::differential::compare("diff_mlkem768", false, &named)
        .expect("a component may answer a wrong length so");
}

/// A client whose completion disagrees with its own server on an untouched exchange.
fn disagreeing_client() -> Faulty<PrimitiveOn<X25519>> {
    Faulty {
        inner: PrimitiveOn::<X25519>::new(Backend::Portable),
        side: Side::Client,
        fault: Box::new(|_, result| {
            result.map(|mut k| {
                k[31] ^= 0x80;
                k
            })
        }),
    }
}

#[test]
fn an_implementation_that_disagrees_with_itself_is_reported() {
    let t = target("diff_x25519");
    let data = case(t, untouched(), untouched());
    let divergence = t
        .check(&data, vec![Box::new(disagreeing_client())], None)
        .expect_err("reported");
    assert!(
        divergence.to_string().contains("secrets differ"),
        "{divergence}"
    );
}

#[test]
fn a_wrong_recorded_reference_is_reported() {
    let t = target("diff_mlkem1024");
    let mut ek_at_q = vec![0x33; 1568];
    ek_at_q[0] = 0x01;
    ek_at_q[1] = 0x0d; // coefficient 0 = 0xd01 = 3329 = q
    let data = case(t, ShareSpec::Raw(ek_at_q), untouched());
    // A recorded transcript in the reference's terms, made from the portable backend's.
    let ours = t.check(&data, Vec::new(), None).expect("passes");
    let as_recorded = Transcript(
        ours[0]
            .1
            .0
            .iter()
            .map(|&(step, verdict)| match verdict {
                Verdict::Error(e) => (
                    step,
                    Verdict::Refused(Reasons::one(Reason::of(&e).unwrap())),
                ),
                other => (step, other),
            })
            .collect(),
    );
    let line = as_recorded.encode().expect("encodes");
    assert_eq!(
        Transcript::decode(&line),
        Some(as_recorded.clone()),
        "{line}"
    );
    t.check(&data, Vec::new(), Some(&as_recorded))
        .expect("the faithful record passes");
    assert!(line.contains("respond-fuzzed=no:modulus"), "{line}");

    let mut tampered = as_recorded.clone();
    for (step, verdict) in &mut tampered.0 {
        if let (Step::Respond, Verdict::Accepted(digest)) = (*step, verdict) {
            digest.0[0] ^= 1;
        }
    }
    let divergence = t
        .check(&data, Vec::new(), Some(&tampered))
        .expect_err("reported");
    assert!(
        divergence.to_string().contains("recorded reference"),
        "{divergence}"
    );
    let mut refusal_dropped = as_recorded;
    for (step, verdict) in &mut refusal_dropped.0 {
        if *step == Step::RespondFuzzed {
            *verdict = Verdict::Refused(Reasons::one(Reason::Length));
        }
    }
    t.check(&data, Vec::new(), Some(&refusal_dropped))
        .expect_err("a refusal of another class");
}

/// The names of the component table's primitives.
#[derive(Clone)]
struct Name;

impl PrimitiveVisitor for Name {
    type Output = &'static str;
    fn visit<P: Primitive>(self) -> &'static str {
        P::NAME
    }
}

#[test]
fn every_primitive_and_every_group_has_a_target() {
    for name in table::for_each(Name) {
        assert!(
            TARGETS
                .iter()
                .any(|t| matches!(t.subject, Subject::Primitive(n) if n == name)),
            "no differential target for {name}"
        );
    }
    for &group in NamedGroup::ALL {
        assert!(
            TARGETS
                .iter()
                .any(|t| matches!(t.subject, Subject::Group(g) if g == group)),
            "no differential target for {group}"
        );
    }
    for t in TARGETS {
        assert!(!t.ours().is_empty(), "{}: no backend runs here", t.name);
        assert!(
            t.ours()[0].label().ends_with("on portable"),
            "{}: the reference first",
            t.name
        );
    }
}
