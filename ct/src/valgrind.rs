//! Valgrind memcheck client requests, from a tiny inline-assembly shim.
//!
//! This is the only `unsafe` of the project; it lives in this test-only member so that the crate
//! itself keeps `#![forbid(unsafe_code)]`. Outside valgrind the magic instruction sequence is a
//! no-op and every request returns its default value (0).
//!
//! Method (ctgrind, Adam Langley 2010; used by BoringSSL and AWS-LC): memory holding secrets is
//! marked *undefined*; memcheck then reports every conditional branch and every memory address
//! computed from it ("Conditional jump or move depends on uninitialised value(s)", "Use of
//! uninitialised value of size 8"). Public outputs are marked *defined* again once the
//! specification makes them public.

/// `VG_USERREQ__MAKE_MEM_UNDEFINED` (memcheck.h: `VG_USERREQ_TOOL_BASE('M','C') + 1`).
const MAKE_MEM_UNDEFINED: u64 = 0x4d43_0001;
/// `VG_USERREQ__MAKE_MEM_DEFINED`.
const MAKE_MEM_DEFINED: u64 = 0x4d43_0002;
/// `VG_USERREQ__RUNNING_ON_VALGRIND` (valgrind.h: core request 0x1001).
const RUNNING_ON_VALGRIND: u64 = 0x1001;

#[cfg(target_arch = "x86_64")]
fn client_request(default: u64, request: u64, a1: u64, a2: u64) -> u64 {
    let args: [u64; 6] = [request, a1, a2, 0, 0, 0];
    let mut result = default;
    // SAFETY: the "special instruction" preamble of valgrind.h for amd64: four rotations of rdi
    // that cancel out (3+13+61+51 = 128) followed by `xchg rbx, rbx`, a no-op on real hardware.
    // Under valgrind it reads the argument block at rax and writes the result to rdx. No memory
    // is written by the sequence itself; `args` outlives it.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") result,
            in("rax") args.as_ptr(),
            out("rdi") _,
            options(nostack),
        );
    }
    result
}

#[cfg(not(target_arch = "x86_64"))]
fn client_request(default: u64, _request: u64, _a1: u64, _a2: u64) -> u64 {
    default
}

/// Marks `bytes` secret: memcheck reports any branch or address that depends on them.
pub fn secret<T: ?Sized>(value: &T) {
    let (ptr, len) = (core::ptr::from_ref(value).cast::<u8>(), size_of_val(value));
    client_request(0, MAKE_MEM_UNDEFINED, ptr as u64, len as u64);
}

/// Marks `bytes` public again (declassification).
pub fn public<T: ?Sized>(value: &T) {
    let (ptr, len) = (core::ptr::from_ref(value).cast::<u8>(), size_of_val(value));
    client_request(0, MAKE_MEM_DEFINED, ptr as u64, len as u64);
}

/// Whether the process runs under valgrind (0 outside).
pub fn running_on_valgrind() -> bool {
    client_request(0, RUNNING_ON_VALGRIND, 0, 0) != 0
}
