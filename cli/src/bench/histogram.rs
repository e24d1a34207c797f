//! Latency percentiles in bounded memory, whatever the number of handshakes: a log-linear
//! histogram (as HdrHistogram's) of nanoseconds, 128 buckets per power of two, so that any
//! percentile is within 0.4 % of the exact one; the maximum is exact. A `--duration` run of
//! an hour keeps the same 60 KiB as a run of ten handshakes.

use std::time::Duration;

/// Buckets per power of two (and the values below this are counted exactly).
const SUB_BUCKETS: u64 = 128;
/// log2 of [`SUB_BUCKETS`].
const SUB_BITS: u32 = 7;
/// Enough buckets for every `u64` of nanoseconds.
const BUCKETS: usize = (SUB_BUCKETS as usize) * (64 - SUB_BITS as usize + 1);

/// Handshake latencies: counts per bucket, the count, the exact maximum.
#[derive(Clone, Debug)]
pub(crate) struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
    max_ns: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            counts: vec![0; BUCKETS],
            total: 0,
            max_ns: 0,
        }
    }
}

/// The bucket of `ns`: exact below [`SUB_BUCKETS`], then [`SUB_BUCKETS`] per power of two.
fn bucket(ns: u64) -> usize {
    if ns < SUB_BUCKETS {
        return usize::try_from(ns).unwrap_or(0);
    }
    let exponent = 63 - ns.leading_zeros(); // at least SUB_BITS
    let shift = exponent - SUB_BITS;
    let sub = (ns >> shift) - SUB_BUCKETS;
    let index = SUB_BUCKETS * u64::from(shift + 1) + sub;
    usize::try_from(index).unwrap_or(BUCKETS - 1)
}

/// The middle of bucket `index` (the value a percentile in it is reported as).
fn middle(index: usize) -> u64 {
    let index = index as u64;
    if index < SUB_BUCKETS {
        return index;
    }
    let shift = index / SUB_BUCKETS - 1;
    let sub = index % SUB_BUCKETS;
    let low = (SUB_BUCKETS + sub) << shift;
    low + ((1u64 << shift) >> 1)
}

impl LatencyHistogram {
    /// Counts one latency.
    pub(crate) fn record(&mut self, latency: Duration) {
        let ns = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
        self.counts[bucket(ns)] += 1;
        self.total += 1;
        self.max_ns = self.max_ns.max(ns);
    }

    /// Adds `other`'s counts (another worker's, another round's).
    pub(crate) fn merge(&mut self, other: &Self) {
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        self.total += other.total;
        self.max_ns = self.max_ns.max(other.max_ns);
    }

    /// Latencies counted.
    pub(crate) fn count(&self) -> u64 {
        self.total
    }

    /// The exact largest latency, if any was counted.
    pub(crate) fn max(&self) -> Option<Duration> {
        (self.total > 0).then(|| Duration::from_nanos(self.max_ns))
    }

    /// The `percent` percentile (nearest rank: the smallest latency that at least `percent`
    /// of them do not exceed), within 0.4 %, never above [`max`](Self::max); `None` if
    /// nothing was counted.
    pub(crate) fn percentile(&self, percent: u32) -> Option<Duration> {
        if self.total == 0 {
            return None;
        }
        let rank = (u128::from(self.total) * u128::from(percent.min(100)))
            .div_ceil(100)
            .max(1);
        let mut seen = 0u128;
        for (index, &count) in self.counts.iter().enumerate() {
            seen += u128::from(count);
            if seen >= rank {
                return Some(Duration::from_nanos(middle(index).min(self.max_ns)));
            }
        }
        self.max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value falls in a bucket whose middle is within 0.4 % of it.
    #[test]
    fn buckets_are_within_four_per_mille() {
        for ns in (0..5_000u64)
            .chain((0..60).map(|shift| 1u64 << shift))
            .chain((1..60).map(|shift| (1u64 << shift) - 1))
            .chain([123_456_789, 987_654_321_012, u64::MAX])
        {
            let mid = middle(bucket(ns));
            let error = mid.abs_diff(ns) as f64 / ns.max(1) as f64;
            assert!(error <= 0.004, "{ns} -> bucket {} middle {mid}", bucket(ns));
        }
    }

    #[test]
    fn percentiles_of_one_to_a_thousand_microseconds() {
        let mut histogram = LatencyHistogram::default();
        // Recorded in reverse: the order does not matter.
        for us in (1..=1000u64).rev() {
            histogram.record(Duration::from_micros(us));
        }
        assert_eq!(histogram.count(), 1000);
        assert_eq!(histogram.max(), Some(Duration::from_micros(1000)));
        for (percent, exact) in [(50, 500.0), (90, 900.0), (99, 990.0), (100, 1000.0)] {
            let got = histogram.percentile(percent).unwrap().as_secs_f64() * 1e6;
            assert!((got - exact).abs() / exact <= 0.004, "p{percent}: {got} µs");
        }
        assert!(histogram.percentile(99).unwrap() <= histogram.max().unwrap());
    }

    #[test]
    fn merging_is_recording_everything_in_one() {
        let mut a = LatencyHistogram::default();
        let mut b = LatencyHistogram::default();
        let mut all = LatencyHistogram::default();
        for (i, us) in [5u64, 70, 300, 4, 9_000, 12, 12, 800].iter().enumerate() {
            let latency = Duration::from_micros(*us);
            if i % 2 == 0 {
                a.record(latency);
            } else {
                b.record(latency);
            }
            all.record(latency);
        }
        a.merge(&b);
        for percent in [1, 50, 90, 99, 100] {
            assert_eq!(a.percentile(percent), all.percentile(percent), "p{percent}");
        }
        assert_eq!(a.max(), Some(Duration::from_micros(9_000)));
        assert_eq!(a.count(), 8);
    }

    #[test]
    fn an_empty_histogram_has_no_percentiles() {
        let histogram = LatencyHistogram::default();
        assert_eq!(histogram.percentile(50), None);
        assert_eq!(histogram.max(), None);
    }
}
