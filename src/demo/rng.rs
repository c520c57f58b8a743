//! A small deterministic pseudo-random generator (SplitMix64) and the sampling helpers the demo
//! generator needs. Not for cryptography: it only has to be fast and give the same sequence for the
//! same seed on every platform.

/// SplitMix64 (Steele, Lea, Flood 2014): one 64-bit state, full period, good statistical quality.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function, also useful on its own as a 64-bit mixer.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator for `seed`; `stream` separates independent sequences drawn from the same seed.
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng {
            state: mix64(seed ^ mix64(stream.wrapping_add(GOLDEN))),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A value in `0..n` (0 when `n` is 0), by Lemire's multiply-high reduction.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index in `0..len` (0 when `len` is 0).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// A value in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span) as i64)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A float in `[lo, hi)`.
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// One element of a non-empty slice (`None` for an empty one).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.index(items.len()))
    }

    /// `n` lower-case hexadecimal digits.
    pub fn hex(&mut self, n: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(n);
        let mut bits = 0u64;
        for i in 0..n {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(char::from(DIGITS[(bits & 0xF) as usize]));
            bits >>= 4;
        }
        out
    }

    /// A random (version 4 shaped) UUID in lower case: `c76a329b-5f1e-4b2a-9d3c-0e8f7a6b5c4d`.
    pub fn uuid(&mut self) -> String {
        let h = self.hex(32);
        let variant = ["8", "9", "a", "b"][self.index(4)];
        format!(
            "{}-{}-4{}-{}{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            variant,
            &h[17..20],
            &h[20..32]
        )
    }
}

/// Cumulative weights for sampling an index in proportion to its weight.
#[derive(Debug, Clone)]
pub struct Weighted {
    cumulative: Vec<u64>,
}

impl Weighted {
    pub fn new(weights: impl IntoIterator<Item = u64>) -> Weighted {
        let mut total = 0u64;
        let cumulative = weights
            .into_iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Weighted { cumulative }
    }

    /// An index drawn in proportion to its weight (0 when every weight is 0).
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let x = rng.below(total);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// A bijection of `0..10^digits` keyed by `salt`, so that consecutive counters give unique numbers
/// that look random: student numbers, INE, join keys. A keyed permutation of the smallest
/// power-of-two range that holds `10^digits`, applied again until the value falls in range
/// ("cycle walking"), which keeps it a bijection.
pub fn scatter(counter: u64, salt: u64, digits: u32) -> u64 {
    let modulus = 10u64.pow(digits.clamp(1, 18));
    let bits = 64 - (modulus - 1).leading_zeros();
    let mask = (1u64 << bits) - 1;
    let mut x = counter % modulus;
    loop {
        for round in 0..3u64 {
            // Each step is a bijection of `0..2^bits`: xor with a key, multiplication by an odd
            // number, xor with a right shift of itself.
            x ^= mix64(salt.wrapping_add(round)) & mask;
            x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) & mask;
            x ^= x >> (bits / 2 + 1);
        }
        if x < modulus {
            return x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(42, 1);
        let mut b = Rng::new(42, 1);
        let mut c = Rng::new(42, 2);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn bounded_helpers_stay_in_range() {
        let mut r = Rng::new(7, 0);
        for _ in 0..1000 {
            assert!(r.below(10) < 10);
            let v = r.range(-3, 3);
            assert!((-3..=3).contains(&v));
            let f = r.float(1.0, 2.0);
            assert!((1.0..2.0).contains(&f));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 1), 5);
        assert!(r.pick::<u8>(&[]).is_none());
        assert_eq!(r.hex(20).len(), 20);
        let u = r.uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn weighted_follows_weights() {
        let w = Weighted::new([0, 10, 0, 30]);
        let mut r = Rng::new(1, 0);
        let mut counts = [0; 4];
        for _ in 0..4000 {
            counts[w.sample(&mut r)] += 1;
        }
        assert_eq!(counts[0], 0);
        assert_eq!(counts[2], 0);
        assert!(counts[3] > 2 * counts[1]);
    }

    #[test]
    fn scatter_is_a_bijection() {
        let mut seen = std::collections::HashSet::new();
        for c in 0..10_000 {
            assert!(seen.insert(scatter(c, 3, 4)));
        }
        let mut seen = std::collections::HashSet::new();
        for c in 0..10_000 {
            assert!(seen.insert(scatter(c, 8, 4)));
        }
        assert_eq!(seen.len(), 10_000);
        let mut seen = std::collections::HashSet::new();
        for c in 0..100_000 {
            let v = scatter(c, 5, 10);
            assert!(v < 10_000_000_000);
            assert!(seen.insert(v));
        }
        // Neighbours are far apart.
        assert!(scatter(1, 5, 10).abs_diff(scatter(2, 5, 10)) > 1_000);
    }
}
