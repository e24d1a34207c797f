//! The table of groups: one row per group, and the only place a group is declared.
//!
//! Everything else about a group is generated from its row by two consumers: `groups` (the
//! zero-sized group type and its [`Group`](super::Group) impl, the
//! [`HybridGroup`](super::HybridGroup) impl for key-share reuse, the
//! [`NamedGroup`](super::NamedGroup) variant and the [`AnyClientState`](super::AnyClientState)
//! variant) and each rustls adapter (the `SupportedKxGroup` static). Adding a group is one
//! component (if it is new) and one row here; the model is BoringSSL's `kNamedGroups` table.
//!
//! A row is `Name => RUSTLS_STATIC { codepoint, kx, classical, offered }`:
//! - `Name`: the group's type name, which is also its IANA `NamedGroup` name (TLS Supported
//!   Groups registry); `RUSTLS_STATIC`: the name of its rustls static (rustls spells constants in
//!   capitals);
//! - `codepoint`: its IANA codepoint (RFC 8446 section 4.2.7);
//! - `kx`: the component composition, in wire order ([`Hybrid<A, B>`](crate::components::hybrid)
//!   puts `A`'s bytes first in both shares and in the secret, RFC 10024 section 4);
//! - `classical`: for a hybrid, which half is a TLS group of its own and may be offered beside the
//!   hybrid share from the same key pair (RFC 9954 section 3.2): `[first P256]`,
//!   `[second X25519]`; `[]` for a pure ML-KEM group;
//! - `offered`: `default` when a client offers it unless told otherwise, `opt_in` when the user
//!   must ask for it (MLKEM512: draft-ietf-tls-mlkem is Informational and category 1 is the
//!   weakest level).
//!
//! Rows are in client preference order: the hybrids of RFC 10024 first (X25519MLKEM768, the most
//! widely deployed, leading), then the pure ML-KEM groups of draft-ietf-tls-mlkem.
//!
//! A macro, because each row must become types, enum variants and statics, which no trait or
//! generic can declare.

/// Invokes `$callback!` once with every row of the table, in preference order, after a
/// bracketed list of the extra tokens given (`[]` when there are none).
macro_rules! group_table {
    ($callback:path $(, $($extra:tt)*)?) => {
        $callback! {
            [$($($extra)*)?]
            /// X25519MLKEM768 (`0x11EC`, RFC 10024 section 4): ML-KEM-768 first, X25519 second,
            /// in the shares and in the secret (the only hybrid with the post-quantum part first,
            /// kept for FIPS compliance of the ML-KEM secret's position). The main post-quantum
            /// group of TLS 1.3.
            ///
            /// Client seed: `d ‖ z` (64) ‖ X25519 scalar (32). Server seed: `m` (32) ‖ X25519
            /// scalar (32).
            X25519MLKEM768 => X25519MLKEM768 {
                codepoint: 0x11EC,
                kx: Hybrid<MlKem768, X25519>,
                classical: [second X25519],
                offered: default,
            }
            /// SecP256r1MLKEM768 (`0x11EB`, RFC 10024 section 4): P-256 ECDHE first, ML-KEM-768
            /// second.
            ///
            /// Client seed: P-256 scalar (32) ‖ `d ‖ z` (64). Server seed: P-256 scalar (32) ‖
            /// `m` (32).
            SecP256r1MLKEM768 => SECP256R1MLKEM768 {
                codepoint: 0x11EB,
                kx: Hybrid<P256, MlKem768>,
                classical: [first P256],
                offered: default,
            }
            /// SecP384r1MLKEM1024 (`0x11ED`, RFC 10024 section 4): P-384 ECDHE first, ML-KEM-1024
            /// second.
            ///
            /// Client seed: P-384 scalar (48) ‖ `d ‖ z` (64). Server seed: P-384 scalar (48) ‖
            /// `m` (32).
            SecP384r1MLKEM1024 => SECP384R1MLKEM1024 {
                codepoint: 0x11ED,
                kx: Hybrid<P384, MlKem1024>,
                classical: [first P384],
                offered: default,
            }
            /// MLKEM768 (`0x0201`, draft-ietf-tls-mlkem section 3): pure ML-KEM-768.
            ///
            /// Client seed: `d ‖ z` (64). Server seed: `m` (32).
            MLKEM768 => MLKEM768 {
                codepoint: 0x0201,
                kx: MlKem768,
                classical: [],
                offered: default,
            }
            /// MLKEM1024 (`0x0202`, draft-ietf-tls-mlkem section 3): pure ML-KEM-1024.
            ///
            /// Client seed: `d ‖ z` (64). Server seed: `m` (32).
            MLKEM1024 => MLKEM1024 {
                codepoint: 0x0202,
                kx: MlKem1024,
                classical: [],
                offered: default,
            }
            /// MLKEM512 (`0x0200`, draft-ietf-tls-mlkem section 3): pure ML-KEM-512, NIST
            /// security category 1. Opt-in: not in [`NamedGroup::DEFAULT`](crate::NamedGroup::DEFAULT)
            /// nor in the rustls provider's default groups, since the draft is Informational and
            /// category 1 is the weakest level it registers.
            ///
            /// Client seed: `d ‖ z` (64). Server seed: `m` (32).
            MLKEM512 => MLKEM512 {
                codepoint: 0x0200,
                kx: MlKem512,
                classical: [],
                offered: opt_in,
            }
        }
    };
}

pub(crate) use group_table;
