//! Interleaved measurement: implementations take turns, a short batch each, in a shuffled
//! order every round, so load that comes and goes on a shared machine hits them all alike;
//! each one's median over the rounds is what the binaries report (criterion measures one after
//! the other, seconds apart, which is why ratios come from here).

use std::time::Instant;

/// A named operation to measure.
pub type Op<'a> = (String, Box<dyn Fn() + 'a>);

/// Median nanoseconds per call of each op, over `rounds` shuffled rounds of `batch` calls.
pub fn measure(ops: &[Op<'_>], rounds: usize, batch: usize) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(rounds); ops.len()];
    let mut order: Vec<usize> = (0..ops.len()).collect();
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    for (_, f) in ops {
        f(); // warm up
    }
    for _ in 0..rounds {
        // Fisher-Yates with a xorshift generator.
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let start = Instant::now();
            for _ in 0..batch {
                (ops[i].1)();
            }
            samples[i].push(start.elapsed().as_nanos() as f64 / batch as f64);
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort_by(f64::total_cmp);
            s[s.len() / 2]
        })
        .collect()
}

/// Replaces what lies between the `(begin, end)` markers in the file at `path` with `table`,
/// so that a document's figures come from a run on the reader's machine.
///
/// # Panics
/// If the file cannot be read or written, or lacks the markers.
pub fn update(path: &str, (begin, end): (&str, &str), table: &str) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (Some(b), Some(e)) = (text.find(begin), text.find(end)) else {
        panic!("{path}: no {begin} ... {end} markers");
    };
    let updated = format!("{}{begin}\n{table}{}", &text[..b], &text[e..]);
    std::fs::write(path, updated).unwrap_or_else(|e| panic!("{path}: {e}"));
    println!("updated {path}");
}
