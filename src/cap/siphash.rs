//! SipHash-2-4 (Aumasson & Bernstein, "SipHash: a fast short-input PRF",
//! 2012), used as the MAC of sealed handles (capability-model.md §3).
//!
//! Conventions follow the reference implementation: the 128-bit key is two
//! little-endian 64-bit words `k0 = key[0..8]`, `k1 = key[8..16]`; the message
//! is absorbed in little-endian 8-byte words, the last word carrying the
//! message length in its top byte; the tag is `v0 ^ v1 ^ v2 ^ v3`.

#![forbid(unsafe_code)]

/// A 128-bit SipHash key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SipKey {
    k0: u64,
    k1: u64,
}

impl SipKey {
    /// Key from its two little-endian halves.
    pub const fn new(k0: u64, k1: u64) -> SipKey {
        SipKey { k0, k1 }
    }

    /// Key from 16 bytes (reference byte order).
    pub fn from_bytes(bytes: &[u8; 16]) -> SipKey {
        let mut lo = [0u8; 8];
        let mut hi = [0u8; 8];
        lo.copy_from_slice(&bytes[..8]);
        hi.copy_from_slice(&bytes[8..]);
        SipKey::new(u64::from_le_bytes(lo), u64::from_le_bytes(hi))
    }
}

impl core::fmt::Debug for SipKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material.
        f.write_str("SipKey(..)")
    }
}

/// The four-word SipHash state.
#[derive(Clone, Copy)]
struct State {
    v0: u64,
    v1: u64,
    v2: u64,
    v3: u64,
}

impl State {
    #[inline(always)]
    fn new(key: SipKey) -> State {
        State {
            v0: key.k0 ^ 0x736f_6d65_7073_6575,
            v1: key.k1 ^ 0x646f_7261_6e64_6f6d,
            v2: key.k0 ^ 0x6c79_6765_6e65_7261,
            v3: key.k1 ^ 0x7465_6462_7974_6573,
        }
    }

    /// One SipRound (paper §2, Fig. 2.1).
    #[inline(always)]
    fn round(&mut self) {
        self.v0 = self.v0.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(13);
        self.v1 ^= self.v0;
        self.v0 = self.v0.rotate_left(32);
        self.v2 = self.v2.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(16);
        self.v3 ^= self.v2;
        self.v0 = self.v0.wrapping_add(self.v3);
        self.v3 = self.v3.rotate_left(21);
        self.v3 ^= self.v0;
        self.v2 = self.v2.wrapping_add(self.v1);
        self.v1 = self.v1.rotate_left(17);
        self.v1 ^= self.v2;
        self.v2 = self.v2.rotate_left(32);
    }

    /// Absorbs one message word with c = 2 compression rounds.
    #[inline(always)]
    fn compress(&mut self, m: u64) {
        self.v3 ^= m;
        self.round();
        self.round();
        self.v0 ^= m;
    }

    /// d = 4 finalization rounds.
    #[inline(always)]
    fn finish(mut self) -> u64 {
        self.v2 ^= 0xff;
        self.round();
        self.round();
        self.round();
        self.round();
        self.v0 ^ self.v1 ^ self.v2 ^ self.v3
    }
}

/// SipHash-2-4 of `msg` under `key`.
pub fn siphash24(key: SipKey, msg: &[u8]) -> u64 {
    let mut st = State::new(key);
    let mut words = msg.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        st.compress(u64::from_le_bytes(b));
    }
    let mut last = [0u8; 8];
    let rest = words.remainder();
    last[..rest.len()].copy_from_slice(rest);
    // The length byte is the message length mod 256 (reference behaviour).
    last[7] = msg.len() as u8;
    st.compress(u64::from_le_bytes(last));
    st.finish()
}

/// SipHash-2-4 of the 16-byte message `w0.to_le_bytes() ‖ w1.to_le_bytes()`,
/// without going through a byte slice (the handle-MAC fast path).
#[inline]
pub fn siphash24_2words(key: SipKey, w0: u64, w1: u64) -> u64 {
    let mut st = State::new(key);
    st.compress(w0);
    st.compress(w1);
    st.compress(16u64 << 56);
    st.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Key `00 01 .. 0f` of the paper and the reference `test.c`.
    fn ref_key() -> SipKey {
        let mut k = [0u8; 16];
        for (i, b) in k.iter_mut().enumerate() {
            *b = i as u8;
        }
        SipKey::from_bytes(&k)
    }

    /// Reference vectors (`vectors_sip64`): message `00 01 .. (n-1)`, n = 0..64.
    #[rustfmt::skip]
    const VECTORS: [u64; 64] = [
        0x726fdb47dd0e0e31, 0x74f839c593dc67fd, 0x0d6c8009d9a94f5a, 0x85676696d7fb7e2d,
        0xcf2794e0277187b7, 0x18765564cd99a68d, 0xcbc9466e58fee3ce, 0xab0200f58b01d137,
        0x93f5f5799a932462, 0x9e0082df0ba9e4b0, 0x7a5dbbc594ddb9f3, 0xf4b32f46226bada7,
        0x751e8fbc860ee5fb, 0x14ea5627c0843d90, 0xf723ca908e7af2ee, 0xa129ca6149be45e5,
        0x3f2acc7f57c29bdb, 0x699ae9f52cbe4794, 0x4bc1b3f0968dd39c, 0xbb6dc91da77961bd,
        0xbed65cf21aa2ee98, 0xd0f2cbb02e3b67c7, 0x93536795e3a33e88, 0xa80c038ccd5ccec8,
        0xb8ad50c6f649af94, 0xbce192de8a85b8ea, 0x17d835b85bbb15f3, 0x2f2e6163076bcfad,
        0xde4daaaca71dc9a5, 0xa6a2506687956571, 0xad87a3535c49ef28, 0x32d892fad841c342,
        0x7127512f72f27cce, 0xa7f32346f95978e3, 0x12e0b01abb051238, 0x15e034d40fa197ae,
        0x314dffbe0815a3b4, 0x027990f029623981, 0xcadcd4e59ef40c4d, 0x9abfd8766a33735c,
        0x0e3ea96b5304a7d0, 0xad0c42d6fc585992, 0x187306c89bc215a9, 0xd4a60abcf3792b95,
        0xf935451de4f21df2, 0xa9538f0419755787, 0xdb9acddff56ca510, 0xd06c98cd5c0975eb,
        0xe612a3cb9ecba951, 0xc766e62cfcadaf96, 0xee64435a9752fe72, 0xa192d576b245165a,
        0x0a8787bf8ecb74b2, 0x81b3e73d20b49b6f, 0x7fa8220ba3b2ecea, 0x245731c13ca42499,
        0xb78dbfaf3a8d83bd, 0xea1ad565322a1a0b, 0x60e61c23a3795013, 0x6606d7e446282b93,
        0x6ca4ecb15c5f91e1, 0x9f626da15c9625f3, 0xe51b38608ef25f57, 0x958a324ceb064572,
    ];

    #[test]
    fn paper_appendix_example() {
        // Appendix A: 15-byte message 00..0e.
        let msg: Vec<u8> = (0u8..15).collect();
        assert_eq!(siphash24(ref_key(), &msg), 0xa129ca6149be45e5);
    }

    #[test]
    fn reference_vectors_all_lengths() {
        let input: Vec<u8> = (0u8..64).collect();
        for (n, &want) in VECTORS.iter().enumerate() {
            assert_eq!(siphash24(ref_key(), &input[..n]), want, "length {n}");
        }
    }

    #[test]
    fn two_word_fast_path_matches_byte_version() {
        let key = SipKey::new(0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210);
        let mut x = 0x1234_5678_9abc_def0u64;
        for _ in 0..1000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (w0, w1) = (x, x.rotate_left(29) ^ 0x5555);
            let mut msg = [0u8; 16];
            msg[..8].copy_from_slice(&w0.to_le_bytes());
            msg[8..].copy_from_slice(&w1.to_le_bytes());
            assert_eq!(siphash24_2words(key, w0, w1), siphash24(key, &msg));
        }
        // And on the reference key/message of length 16.
        assert_eq!(
            siphash24_2words(ref_key(), 0x0706050403020100, 0x0f0e0d0c0b0a0908),
            VECTORS[16]
        );
    }

    #[test]
    fn key_debug_hides_material() {
        assert_eq!(format!("{:?}", ref_key()), "SipKey(..)");
    }
}
