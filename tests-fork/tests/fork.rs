//! The key-share pool across a real `fork()`.
//!
//! The parent fills a pool, forks, and the child takes a key pair and drops the pool. The child
//! reports over a pipe; the parent then takes every pair its own pool holds. The test fails if
//! - the child gets a pair the parent also hands out (the queue was copied, not wiped), or the
//!   child still sees queued pairs;
//! - the child gets no pair, or dropping the pool in the child does not return (joining the
//!   parent's thread, which the child does not have): an `alarm` kills the child after 20 s.
//!
//! A second test forks 200 times while another parent thread holds the queue's lock for much of
//! the time (a lock that is never released in the child): no child may hang.
//!
//! `unsafe` is needed for `fork`, `pipe`, `alarm`, `waitpid` and `_exit` (this crate is
//! dev-only; `hybrid-kx` itself forbids `unsafe`). The child only uses the pool, the pipe and
//! `_exit` (no test-harness output, no unwinding into the harness).

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::FromRawFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hybrid_kx::NamedGroup;
use hybrid_kx::pool::KeySharePool;

const CAPACITY: usize = 4;
const GROUP: NamedGroup = NamedGroup::X25519MLKEM768;

/// Child: take a pair, drop the pool, write `available | share | b"dropped"` to `out`.
fn child(pool: KeySharePool, mut out: File) -> i32 {
    let available = pool.available();
    let Ok((share, _state)) = pool.take() else {
        return 3;
    };
    let Ok(available_byte) = u8::try_from(available) else {
        return 4;
    };
    let mut report = vec![available_byte];
    report.extend_from_slice(share.as_bytes());
    if out.write_all(&report).is_err() {
        return 5;
    }
    drop(pool);
    if out.write_all(b"dropped").is_err() {
        return 6;
    }
    0
}

/// Forks; the child runs `child` with the write end of a pipe, under a 20 s `alarm`, and
/// `_exit`s with its result. Returns the child's wait status and everything it wrote.
fn fork_with_report(child: impl FnOnce(File) -> i32) -> (i32, Vec<u8>) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors `pipe` writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: the child runs only `child` (the pool's code) and `_exit`s without returning to
    // the harness; the parent continues normally.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // SAFETY: `fds[1]` is the pipe's write end, owned by this `File` from now on in the
        // child; `fds[0]` is closed here. `alarm` turns a hang into SIGALRM.
        let code = unsafe {
            libc::close(fds[0]);
            libc::alarm(20);
            let out = File::from_raw_fd(fds[1]);
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| child(out))).unwrap_or(2)
        };
        // SAFETY: ends the child at once, without running the harness's exit path.
        unsafe { libc::_exit(code) }
    }

    // SAFETY: the parent owns the read end from now on and closes the write end.
    let mut input = unsafe {
        libc::close(fds[1]);
        File::from_raw_fd(fds[0])
    };
    let mut report = Vec::new();
    input.read_to_end(&mut report).unwrap();
    let mut status = 0;
    // SAFETY: `pid` is our child; `status` is a valid out-pointer.
    assert_eq!(unsafe { libc::waitpid(pid, &raw mut status, 0) }, pid);
    (status, report)
}

fn assert_exited_cleanly(status: i32, which: &str) {
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{which}: the child failed or hung (wait status {status:#x}; SIGALRM = {})",
        libc::SIGALRM
    );
}

/// Sets the flag when dropped, also while a failed assertion unwinds, so that a thread waiting
/// for it ends and the scope around both can return the failure.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

fn wait_until_full(pool: &KeySharePool) {
    let start = Instant::now();
    while pool.available() < CAPACITY {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "pool never filled"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_forked_child_wipes_the_queue_generates_its_own_keys_and_drops_without_hanging() {
    // The child takes the pool out of `slot` (in its own copy of the memory) to drop it there;
    // the parent's `slot` is untouched, because the closure only ever runs in the child.
    let mut slot = Some(KeySharePool::new(GROUP, CAPACITY));
    wait_until_full(slot.as_ref().unwrap());
    let (status, report) = fork_with_report(|out| slot.take().map_or(7, |pool| child(pool, out)));
    let pool = slot.take().expect("the parent's pool");
    assert_exited_cleanly(status, "the child");
    let share_len = GROUP.client_share_len();
    assert_eq!(
        report.len(),
        1 + share_len + b"dropped".len(),
        "child report"
    );
    assert_eq!(
        report[0], 0,
        "the child still saw queued pairs after the fork"
    );
    let child_share = &report[1..=share_len];
    assert!(report.ends_with(b"dropped"));

    // The parent's queued pairs (taken before the thread refills) and some more.
    for _ in 0..3 * CAPACITY {
        let (share, _) = pool.take().unwrap();
        assert_ne!(
            share.as_bytes(),
            child_share,
            "parent and child handed out the same key pair"
        );
    }
    assert!(!pool.failed());
}

const FORKS: usize = 200;

/// A lock held at the `fork()` by another thread is never released in the child (that thread
/// does not exist there). Here a second parent thread reads `available()` without pause, so it
/// holds the queue's lock for much of the time, and the main thread forks 200 times: every child
/// must find the pool empty and failed, get a fresh pair from `take()` and end within 20 s. A
/// pool that waited for the lock in the child (rather than `try_lock`) hangs here (checked by
/// hand with that change; docs/verification.md has the runs).
#[test]
fn children_forked_while_another_thread_holds_the_queue_lock_never_hang() {
    let pool = KeySharePool::new(GROUP, CAPACITY);
    wait_until_full(&pool);
    let stop = AtomicBool::new(false);
    let mut shares = HashSet::new();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                std::hint::black_box(pool.available());
            }
        });
        let _stop_on_exit = SetOnDrop(&stop);
        for round in 0..FORKS {
            let (status, report) = fork_with_report(|mut out| {
                if pool.available() != 0 || pool.try_take().is_some() || !pool.failed() {
                    return 3;
                }
                let Ok((share, _state)) = pool.take() else {
                    return 4;
                };
                if out.write_all(share.as_bytes()).is_err() {
                    return 5;
                }
                0
            });
            assert_exited_cleanly(status, &format!("fork {round} of {FORKS}"));
            assert_eq!(report.len(), GROUP.client_share_len(), "fork {round}");
            assert!(shares.insert(report), "fork {round}: a share seen before");
        }
    });
    assert!(!pool.failed());
}
