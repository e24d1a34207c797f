//! Interop test support for hybrid-kx (see tests/).
