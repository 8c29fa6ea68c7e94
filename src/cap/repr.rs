//! Representability models (capability-model.md §1.2, "Representability model").
//!
//! * [`ReprModel::Exact`] (default on x86): every bounds request is exact and
//!   every address is representable. Stronger than hardware.
//! * [`ReprModel::Cheri128`]: CHERI Concentrate compression as in the Sail
//!   model, parameterised for Morello (mantissa width `MW = 16`, maximum
//!   exponent 50). Lengths below `2^(MW-2)` are exact; above that the exponent
//!   `E` is chosen so the length fits in `MW - 1` mantissa bits, base and top are
//!   aligned to `2^(E+3)` (the internal exponent steals three bits of each),
//!   and `E` is bumped once more if rounding overflowed the mantissa. The
//!   representable window of a capability is `2^(E+MW)` bytes wide and starts
//!   `2^(E+MW-2)` bytes below its (aligned) base. Unlike hardware, the window
//!   does not wrap around the ends of the address space (strictly fewer
//!   addresses are representable, never more).
//!
//! The model is a property of the roots (the "hardware"): every capability
//! carries it and derivations inherit it. CI runs the suite under both models
//! (`CWAMR_CAP_MODEL=exact|cheri128`) so nothing silently depends on exact
//! bounds of large objects.
//!
//! All arithmetic is on `u128`/`i128`; no function here can panic.

#![forbid(unsafe_code)]

/// Morello mantissa width.
const MORELLO_MW: u32 = 16;
/// Morello maximum exponent required for a 64-bit address space (`64 - MW + 2`).
const MORELLO_MAX_E: u32 = 50;

/// How bounds and addresses are compressed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[repr(u8)]
pub enum ReprModel {
    /// Exact bounds, every address representable.
    #[default]
    Exact = 0,
    /// CHERI Concentrate 128-bit compression with Morello parameters.
    Cheri128 = 1,
}

/// Outward-rounded bounds `[base, top)` produced by a `set_bounds` request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Rounded {
    pub(crate) base: u128,
    pub(crate) top: u128,
}

impl ReprModel {
    /// The model named by the environment variable `CWAMR_CAP_MODEL`
    /// (`exact` or `cheri128`, case-insensitive); `Exact` when unset or unknown.
    pub fn from_env() -> ReprModel {
        match std::env::var("CWAMR_CAP_MODEL") {
            Ok(v) if v.eq_ignore_ascii_case("cheri128") => ReprModel::Cheri128,
            _ => ReprModel::Exact,
        }
    }

    /// `(mantissa width, max exponent)` of a compressed model.
    const fn params(self) -> Option<(u32, u32)> {
        match self {
            ReprModel::Exact => None,
            ReprModel::Cheri128 => Some((MORELLO_MW, MORELLO_MAX_E)),
        }
    }

    /// Outward rounding of the request `[base, base + len)`.
    pub(crate) fn round(self, base: u64, len: u64) -> Rounded {
        let base = u128::from(base);
        let top = base + u128::from(len);
        let Some((mw, max_e)) = self.params() else {
            return Rounded { base, top };
        };
        let Some(mut e) = initial_exponent(u128::from(len), mw) else {
            return Rounded { base, top };
        };
        loop {
            let align = 1u128 << (e + 3);
            let b = base & !(align - 1);
            let t = (top + align - 1) & !(align - 1);
            if t - b >= 1u128 << (e + mw - 1) && e < max_e {
                e += 1;
                continue;
            }
            return Rounded { base: b, top: t };
        }
    }

    /// Exponent in effect for an (already rounded) object of length `len`,
    /// `0` when the internal exponent is off.
    fn exponent_of(self, len: u64) -> u32 {
        let Some((mw, max_e)) = self.params() else {
            return 0;
        };
        match initial_exponent(u128::from(len), mw) {
            None => 0,
            Some(e) => {
                let align = 1u128 << (e + 3);
                let rounded = (u128::from(len) + align - 1) & !(align - 1);
                if rounded >= 1u128 << (e + mw - 1) && e < max_e {
                    e + 1
                } else {
                    e
                }
            }
        }
    }

    /// Alignment (a power of two) needed for an object of length `len` to have
    /// exact bounds; `1` when the internal exponent is off or in `Exact`.
    fn alignment(self, len: u64) -> u128 {
        match self.params() {
            None => 1,
            Some((mw, _)) if initial_exponent(u128::from(len), mw).is_none() => 1,
            Some(_) => 1u128 << (self.exponent_of(len) + 3),
        }
    }

    /// `CRAM`: mask that a base must be aligned with (`base & mask == base`)
    /// for `len` bytes to be exactly representable.
    pub fn representable_alignment_mask(self, len: u64) -> u64 {
        // alignment <= 2^53, so the cast is lossless.
        !((self.alignment(len) - 1) as u64)
    }

    /// `CRRL`: `len` rounded up to the next exactly representable length, or
    /// `None` if that would not fit in 64 bits.
    pub fn representable_length(self, len: u64) -> Option<u64> {
        let a = self.alignment(len);
        let rounded = (u128::from(len) + a - 1) & !(a - 1);
        u64::try_from(rounded).ok()
    }

    /// True if `[base, base + len)` is exactly representable.
    pub fn is_exact(self, base: u64, len: u64) -> bool {
        let r = self.round(base, len);
        r.base == u128::from(base) && r.top == u128::from(base) + u128::from(len)
    }

    /// True if a capability with bounds `[base, base + len)` may hold address
    /// `addr` without losing its tag.
    pub fn addr_representable(self, base: u64, len: u64, addr: u64) -> bool {
        let Some((mw, _)) = self.params() else {
            return true;
        };
        let e = self.exponent_of(len);
        let window_bits = e + mw;
        if window_bits >= 64 {
            return true;
        }
        let aligned_base = i128::from(base) & !((1i128 << e) - 1);
        let lo = aligned_base - (1i128 << (window_bits - 2));
        let hi = lo + (1i128 << window_bits);
        let a = i128::from(addr);
        lo <= a && a < hi
    }
}

/// Exponent chosen for an unrounded length: `None` while `len < 2^(MW-2)`
/// (internal exponent off, always exact), else the smallest `E` with
/// `len < 2^(E+MW-1)`.
fn initial_exponent(len: u128, mw: u32) -> Option<u32> {
    if len < 1u128 << (mw - 2) {
        return None;
    }
    let bitlen = 128 - len.leading_zeros();
    Some(bitlen.saturating_sub(mw - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: ReprModel = ReprModel::Cheri128;

    #[test]
    fn exact_model_is_identity() {
        let e = ReprModel::Exact;
        for &(b, l) in &[(0u64, 0u64), (1, u64::MAX - 1), (12345, 987_654_321)] {
            assert!(e.is_exact(b, l));
            assert_eq!(e.representable_length(l), Some(l));
            assert_eq!(e.representable_alignment_mask(l), u64::MAX);
            assert!(e.addr_representable(b, l, u64::MAX));
        }
    }

    #[test]
    fn small_lengths_are_exact_in_cheri128() {
        // MW = 16: everything below 16 KiB is exact at any base.
        for len in [0u64, 1, 7, 4095, 4096, 16383] {
            assert_eq!(M.representable_length(len), Some(len));
            assert_eq!(M.representable_alignment_mask(len), u64::MAX);
            assert!(M.is_exact(0x1234_5671, len));
        }
    }

    #[test]
    fn large_lengths_round_to_alignment() {
        // 16 KiB ..< 32 KiB: E = 0, alignment 8.
        assert_eq!(M.representable_alignment_mask(16384), !7);
        assert_eq!(M.representable_length(16385), Some(16392));
        // 32 KiB ..< 64 KiB: E = 1, alignment 16.
        assert_eq!(M.representable_alignment_mask(40000), !15);
        // Rounding overflow bumps the exponent: just below 32 KiB rounds to 32 KiB.
        assert_eq!(M.representable_length(32767), Some(32768));
        assert_eq!(M.representable_alignment_mask(32767), !15);
        // Powers of two are always exact.
        for k in 14..63 {
            assert!(M.is_exact(0, 1u64 << k), "2^{k}");
            assert!(M.is_exact(1u64 << k, 1u64 << k), "2^{k} aligned");
        }
        assert_eq!(M.representable_length(u64::MAX), None);
        // A 65535-page Wasm memory is not exactly representable.
        let len = 65535u64 * 65536;
        assert!(!M.is_exact(0, len));
        assert_eq!(M.representable_length(len), Some(1u64 << 32));
    }

    #[test]
    fn rounding_contains_request_and_is_representable() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let base = x >> (x % 64);
            let len = (x.rotate_left(17) >> (x % 61)).min(u64::MAX - base);
            let r = M.round(base, len);
            assert!(r.base <= u128::from(base));
            assert!(r.top >= u128::from(base) + u128::from(len));
            let rl = (r.top - r.base) as u64;
            if r.top <= u128::from(u64::MAX) {
                assert!(M.is_exact(r.base as u64, rl), "{base:#x}+{len:#x} -> {r:?}");
            }
            assert!(M.addr_representable(base, len, base));
        }
    }

    #[test]
    fn representable_window() {
        // Small object: window 2^16 starting 2^14 below base.
        let base = 0x10_0000u64;
        assert!(M.addr_representable(base, 64, base - 0x4000));
        assert!(!M.addr_representable(base, 64, base - 0x4001));
        assert!(M.addr_representable(base, 64, base + 0xBFFF));
        assert!(!M.addr_representable(base, 64, base + 0xC000));
        // Huge object: everything representable.
        assert!(M.addr_representable(0, 1u64 << 63, u64::MAX));
        // The window does not wrap around the address space (stricter than hardware).
        assert!(!M.addr_representable(0, 1u64 << 60, u64::MAX));
    }

    #[test]
    fn env_default_is_exact() {
        // The variable is not set by the test harness; only assert the parse.
        let m = ReprModel::from_env();
        assert!(m == ReprModel::Exact || m == ReprModel::Cheri128);
    }
}
