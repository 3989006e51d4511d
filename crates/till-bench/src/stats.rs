//! Samples and their percentiles.

use std::time::Duration;

use serde::Serialize;

/// A measured quantity: its samples summarised.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// What was measured.
    pub name: String,
    /// How many samples.
    pub samples: usize,
    /// Median, in milliseconds.
    pub median_ms: f64,
    /// 95th percentile, in milliseconds.
    pub p95_ms: f64,
    /// 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// Largest sample, in milliseconds.
    pub max_ms: f64,
}

/// The nearest-rank percentile `q` (0 < q <= 1) of sorted `v`.
fn rank(v: &[Duration], q: f64) -> Duration {
    let n = v.len();
    let i = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    v[i]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0
}

/// Summarises `samples` (at least one).
pub fn summarise(name: &str, mut samples: Vec<Duration>) -> Summary {
    assert!(!samples.is_empty(), "{name}: no samples");
    samples.sort();
    Summary {
        name: name.to_owned(),
        samples: samples.len(),
        median_ms: ms(rank(&samples, 0.5)),
        p95_ms: ms(rank(&samples, 0.95)),
        p99_ms: ms(rank(&samples, 0.99)),
        max_ms: ms(samples[samples.len() - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let s = summarise("x", v);
        assert_eq!(
            (s.median_ms, s.p95_ms, s.p99_ms, s.max_ms),
            (50.0, 95.0, 99.0, 100.0)
        );
        let one = summarise("y", vec![Duration::from_micros(1500)]);
        assert_eq!((one.median_ms, one.p99_ms), (1.5, 1.5));
    }
}
