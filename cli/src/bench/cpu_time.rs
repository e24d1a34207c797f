//! CPU time of the calling thread, to report the client's CPU cost per handshake apart from
//! the server's (which, on loopback, shares the machine): each worker thread reads its own at
//! the start and end of a batch. On Linux, the first field of `/proc/thread-self/schedstat`
//! (the scheduler's run time, in nanoseconds: what `CLOCK_THREAD_CPUTIME_ID` reports), read
//! without `unsafe`; elsewhere, not measured.

use std::time::Duration;

/// The calling thread's CPU time so far, or `None` where it cannot be read.
pub(crate) fn thread_cpu_time() -> Option<Duration> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

#[cfg(test)]
mod tests {
    use std::hint::black_box;
    use std::time::Instant;

    use super::*;

    /// A thread that spins for 50 ms of wall time has run for most of it (it may be preempted
    /// on a busy machine, hence the margin) and for no more than it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_spinning_thread_accumulates_cpu_time_up_to_its_wall_time() {
        let (cpu_start, wall_start) = (thread_cpu_time().unwrap(), Instant::now());
        let mut x = 0u64;
        while wall_start.elapsed() < Duration::from_millis(50) {
            x = black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
        let cpu = thread_cpu_time().unwrap() - cpu_start;
        let wall = wall_start.elapsed();
        assert!(cpu <= wall, "cpu {cpu:?} > wall {wall:?}");
        assert!(cpu >= Duration::from_millis(5), "cpu {cpu:?} over {wall:?}");
    }
}
