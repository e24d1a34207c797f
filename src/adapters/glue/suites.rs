//! rustls cipher suites are `&'static`: a suite with this crate's HKDF in place of the base's is
//! made once per base suite and kept for the life of the process.

use alloc::boxed::Box;
use alloc::vec::Vec;
use std::sync::Mutex;

/// Copies made so far: (address of the base suite, the copy).
pub(crate) type Copies<T> = Mutex<Vec<(usize, &'static T)>>;

/// The copy of `base` in `table`, made by `make` the first time `base` is seen (a few hundred
/// bytes per distinct base suite for the whole process).
pub(crate) fn copy_once<T: Sync + 'static>(
    table: &Copies<T>,
    base: &'static T,
    make: impl FnOnce() -> T,
) -> &'static T {
    let key = core::ptr::from_ref(base) as usize;
    let mut table = table
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, copy)) = table.iter().find(|(base, _)| *base == key) {
        return copy;
    }
    let copy: &'static T = Box::leak(Box::new(make()));
    table.push((key, copy));
    copy
}
