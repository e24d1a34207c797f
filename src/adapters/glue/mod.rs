//! What every rustls adapter shares, without a rustls type in it: the key exchange as rustls
//! runs it ([`exchange`]), the group policy and its ordering ([`policy`]), the key schedule as an
//! HKDF provider ([`hkdf`]), and the one-copy table of cipher suites ([`suites`]). The adapters
//! (`rustls` for 0.23, `rustls_0_24`) differ only where the rustls traits differ.

pub(crate) mod exchange;
pub(crate) mod hkdf;
pub(crate) mod policy;
pub(crate) mod suites;

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// The statics rustls users expect of a provider's groups, generated in a rustls adapter from
/// the rows of the group table (`group_table!(kx_group_statics, TRAIT, "VERSION")`): one
/// `&'static dyn SupportedKxGroup` per row (named as rustls names its own), `ALL_KX_GROUPS`,
/// `DEFAULT_KX_GROUPS` and `kx_group()`, all pointing into the shared `KX_GROUPS`. A macro
/// because each rustls version has its own trait-object type, and a static cannot be generic;
/// the one macro serves every adapter.
macro_rules! kx_group_statics {
    ([$supported:path, $version:literal] $($(#[$doc:meta])* $group:ident => $rustls:ident $row:tt)*) => {
        use $crate::adapters::glue::exchange::KX_GROUPS;
        use $crate::NamedGroup;

        $(
            #[doc = concat!(
                "[`", stringify!($group), "`](crate::", stringify!($group), ") as a rustls ",
                $version, " key-exchange group (with the reused classical share of RFC 9954 ",
                "section 3.2 for a hybrid).",
            )]
            pub static $rustls: &dyn $supported = &KX_GROUPS[NamedGroup::$group as usize];
        )*

        /// Every group this crate implements, in the preference order of
        /// [`NamedGroup::ALL`](crate::NamedGroup::ALL) (including the opt-in MLKEM512).
        pub static ALL_KX_GROUPS: &[&dyn $supported] = &{
            let mut out: [&'static dyn $supported; NamedGroup::ALL.len()] =
                [&KX_GROUPS[0]; NamedGroup::ALL.len()];
            let mut i = 0;
            while i < out.len() {
                out[i] = &KX_GROUPS[i];
                i += 1;
            }
            out
        };

        /// The groups a client offers unless told otherwise, in the order of
        /// [`NamedGroup::DEFAULT`](crate::NamedGroup::DEFAULT): [`ALL_KX_GROUPS`] without the
        /// opt-in MLKEM512.
        pub static DEFAULT_KX_GROUPS: &[&dyn $supported] = &{
            let mut out: [&'static dyn $supported; NamedGroup::DEFAULT.len()] =
                [&KX_GROUPS[0]; NamedGroup::DEFAULT.len()];
            let mut i = 0;
            while i < out.len() {
                out[i] = &KX_GROUPS[NamedGroup::DEFAULT[i] as usize];
                i += 1;
            }
            out
        };

        /// The rustls group for a core group.
        pub fn kx_group(group: NamedGroup) -> &'static dyn $supported {
            &KX_GROUPS[group as usize]
        }
    };
}

pub(crate) use kx_group_statics;
