//! Random numbers for the authentications (RndA, RndB, TI), behind a trait so that tests and the simulator
//! can be deterministic while the encoder uses the operating system.

use super::DesfireError;

/// A source of random numbers.
pub trait Random {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), DesfireError>;
}

/// The operating system's generator (`getrandom`).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl Random for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), DesfireError> {
        getrandom::fill(buf).map_err(|e| DesfireError::Random(e.to_string()))
    }
}

/// A deterministic generator (SplitMix64) from a seed, for the simulator and tests. Not for keys or real
/// cards: its output is predictable by design.
#[derive(Debug, Clone)]
pub struct SeededRandom(u64);

impl SeededRandom {
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom(seed)
    }
}

impl Random for SeededRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), DesfireError> {
        for chunk in buf.chunks_mut(8) {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_be_bytes()[..chunk.len()]);
        }
        Ok(())
    }
}

/// Hands out given bytes in order, to replay a recorded transcript (fixed RndA or RndB); fails when empty.
#[derive(Debug, Clone, Default)]
pub struct ScriptedRandom {
    bytes: Vec<u8>,
    pos: usize,
}

impl ScriptedRandom {
    pub fn new(bytes: &[u8]) -> ScriptedRandom {
        ScriptedRandom {
            bytes: bytes.to_vec(),
            pos: 0,
        }
    }
}

impl Random for ScriptedRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), DesfireError> {
        let src = self
            .bytes
            .get(self.pos..self.pos + buf.len())
            .ok_or_else(|| DesfireError::Random("scripted random bytes exhausted".into()))?;
        buf.copy_from_slice(src);
        self.pos += buf.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_sources() {
        let (mut a, mut b) = (SeededRandom::new(42), SeededRandom::new(42));
        let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
        a.fill(&mut x).unwrap();
        b.fill(&mut y).unwrap();
        assert_eq!(x, y);
        a.fill(&mut y).unwrap();
        assert_ne!(x, y);
        let mut s = ScriptedRandom::new(&[1, 2, 3]);
        let mut two = [0u8; 2];
        s.fill(&mut two).unwrap();
        assert_eq!(two, [1, 2]);
        assert!(s.fill(&mut two).is_err());
        let mut os = [0u8; 32];
        OsRandom.fill(&mut os).unwrap();
        assert_ne!(os, [0u8; 32]);
    }
}
