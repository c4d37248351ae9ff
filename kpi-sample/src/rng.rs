//! Seeded random streams. Every part of the generator draws from its own
//! stream, derived from the user's seed, a purpose tag and an index, so that
//! changing one part (say, the number of survey respondents) does not shift
//! the values of another (the school enrolments).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, StandardNormal};

/// The generator used everywhere in the sample module.
pub(crate) type SampleRng = ChaCha8Rng;

/// Purpose tags of the streams (any distinct constants would do).
pub(crate) mod purpose {
    pub const PLAN: u64 = 1;
    pub const NAMES: u64 = 2;
    pub const PRESCHOOL: u64 = 3;
    pub const SCHOOL: u64 = 4;
    pub const TERTIARY: u64 = 5;
    pub const SURVEY: u64 = 6;
    pub const GAPS: u64 = 7;
    pub const SELECT: u64 = 8;
    pub const PROGRAMMES: u64 = 9;
    pub const DEFECTS: u64 = 10;
}

/// SplitMix64 finaliser: a bijective mix of 64 bits.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent stream for `(seed, purpose, index)`.
pub(crate) fn stream(seed: u64, purpose: u64, index: u64) -> SampleRng {
    let s = splitmix64(splitmix64(splitmix64(seed) ^ purpose) ^ index);
    ChaCha8Rng::seed_from_u64(s)
}

/// Convenience draws on any RNG.
pub(crate) trait Draw: Rng {
    /// A uniform number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        self.random::<f64>()
    }

    /// `true` with probability `p` (clamped to 0–1).
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniform number in `[lo, hi)`.
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A normal draw.
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let z: f64 = self.sample(StandardNormal);
        mean + sd * z
    }

    /// A log-normal draw with the given arithmetic mean and log-scale spread.
    fn lognormal_mean(&mut self, mean: f64, sigma: f64) -> f64 {
        let z: f64 = self.sample(StandardNormal);
        mean * (sigma * z - sigma * sigma / 2.0).exp()
    }

    /// A binomial count: how many of `n` trials succeed with probability `p`
    /// (`p` is clamped to 0–1; a non-finite `p` counts as 0).
    fn binomial(&mut self, n: u32, p: f64) -> u32 {
        if n == 0 || !p.is_finite() || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        match Binomial::new(u64::from(n), p) {
            Ok(b) => b.sample(self) as u32,
            Err(_) => 0,
        }
    }

    /// An integer in `lo..=hi`.
    fn int_in(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.random_range(lo..=hi)
        }
    }

    /// One element of a non-empty slice (the first one for an empty-safe fallback).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = if items.len() > 1 {
            self.random_range(0..items.len())
        } else {
            0
        };
        &items[i]
    }
}

impl<R: Rng + ?Sized> Draw for R {}

/// Shuffles a slice in place (Fisher–Yates with the crate's own draws, so the
/// order depends only on the stream).
pub(crate) fn shuffle<T>(rng: &mut SampleRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Splits `total` into integer parts proportional to `weights` (largest
/// remainder), giving every part at least `min` when `total` allows it.
pub(crate) fn apportion(total: u32, weights: &[f64], min: u32) -> Vec<u32> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let floor_total = min.saturating_mul(n as u32);
    let (base, rest) = if floor_total <= total {
        (min, total - floor_total)
    } else {
        (0, total)
    };
    let sum: f64 = weights.iter().sum();
    let quotas: Vec<f64> = weights
        .iter()
        .map(|w| {
            if sum > 0.0 {
                f64::from(rest) * w / sum
            } else {
                0.0
            }
        })
        .collect();
    let mut parts: Vec<u32> = quotas.iter().map(|q| q.floor() as u32).collect();
    let assigned: u32 = parts.iter().sum();
    let mut order: Vec<usize> = (0..n).collect();
    // Largest remainder first; ties by position, so the result is deterministic.
    order.sort_by(|&a, &b| {
        let ra = quotas[a] - quotas[a].floor();
        let rb = quotas[b] - quotas[b].floor();
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take((rest - assigned) as usize) {
        parts[i] += 1;
    }
    parts.iter().map(|p| p + base).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u32> = (0..4).map(|_| stream(1, 2, 3).random()).collect();
        let b: Vec<u32> = (0..4).map(|_| stream(1, 2, 3).random()).collect();
        assert_eq!(a, b);
        let x: u64 = stream(1, 2, 3).random();
        let y: u64 = stream(1, 2, 4).random();
        let z: u64 = stream(2, 2, 3).random();
        assert_ne!(x, y);
        assert_ne!(x, z);
    }

    #[test]
    fn apportion_by_largest_remainder() {
        // 10 split 1:1:1 → quotas 3.33 each → 3,3,3 and the first remainder tie gets the extra one.
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0], 0), vec![4, 3, 3]);
        // 7 split 5:3:2 → quotas 3.5, 2.1, 1.4 → floors 3,2,1 (6), largest remainder .5 → 4,2,1.
        assert_eq!(apportion(7, &[5.0, 3.0, 2.0], 0), vec![4, 2, 1]);
        // With min 1: 3 reserved, 4 left split 8:1:1 → 3.2, 0.4, 0.4 → 3,0,0 + remainder to
        // index 1 (tie with 2 broken by position) → 1+3, 1+1, 1+0.
        assert_eq!(apportion(7, &[8.0, 1.0, 1.0], 1), vec![4, 2, 1]);
        assert_eq!(apportion(5, &[1.0, 2.0], 0).iter().sum::<u32>(), 5);
    }

    #[test]
    fn binomial_edges() {
        let mut r = stream(9, 9, 9);
        assert_eq!(r.binomial(0, 0.5), 0);
        assert_eq!(r.binomial(10, 0.0), 0);
        assert_eq!(r.binomial(10, 1.0), 10);
        assert_eq!(r.binomial(10, f64::NAN), 0);
        let k = r.binomial(1000, 0.3);
        assert!(k <= 1000);
    }
}
