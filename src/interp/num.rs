//! Numeric semantics that differ from Rust's operators: float min/max/nearest, trapping and
//! saturating float-to-int conversions, integer division traps.

use crate::error::TrapCode;

macro_rules! float_minmax {
    ($min:ident, $max:ident, $t:ty) => {
        /// WebAssembly `min`: NaN if either is NaN, and -0 < +0.
        #[inline]
        pub fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return <$t>::NAN;
            }
            if a == b {
                return <$t>::from_bits(a.to_bits() | b.to_bits());
            }
            if a < b { a } else { b }
        }

        /// WebAssembly `max`: NaN if either is NaN, and +0 > -0.
        #[inline]
        pub fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                return <$t>::NAN;
            }
            if a == b {
                return <$t>::from_bits(a.to_bits() & b.to_bits());
            }
            if a > b { a } else { b }
        }
    };
}

float_minmax!(f32_min, f32_max, f32);
float_minmax!(f64_min, f64_max, f64);

/// Make a NaN result quiet (an "arithmetic NaN"); library rounding functions may return a
/// signalling NaN input unchanged, which WebAssembly does not allow.
#[inline]
pub fn f32_quiet(a: f32) -> f32 {
    if a.is_nan() {
        f32::from_bits(a.to_bits() | 0x0040_0000)
    } else {
        a
    }
}

/// Make a NaN result quiet (see [`f32_quiet`]).
#[inline]
pub fn f64_quiet(a: f64) -> f64 {
    if a.is_nan() {
        f64::from_bits(a.to_bits() | 0x0008_0000_0000_0000)
    } else {
        a
    }
}

/// Round to nearest, ties to even.
#[inline]
pub fn f32_nearest(a: f32) -> f32 {
    f32_quiet(a.round_ties_even())
}

/// Round to nearest, ties to even.
#[inline]
pub fn f64_nearest(a: f64) -> f64 {
    f64_quiet(a.round_ties_even())
}

/// Copy the sign of `b` onto `a` (bitwise, also for NaN).
#[inline]
pub fn f32_copysign(a: u32, b: u32) -> u32 {
    (a & 0x7fff_ffff) | (b & 0x8000_0000)
}

/// Copy the sign of `b` onto `a` (bitwise, also for NaN).
#[inline]
pub fn f64_copysign(a: u64, b: u64) -> u64 {
    (a & 0x7fff_ffff_ffff_ffff) | (b & 0x8000_0000_0000_0000)
}

macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        /// Trapping float-to-int conversion: NaN and out-of-range values trap.
        /// Valid iff `lo < x < hi` (both bounds exclusive, exactly representable).
        #[inline]
        pub fn $name(x: $f) -> Result<$i, TrapCode> {
            if x.is_nan() {
                return Err(TrapCode::InvalidConversionToInteger);
            }
            let x = f64::from(x);
            if x > $lo && x < $hi {
                Ok(x as $i)
            } else {
                Err(TrapCode::IntegerOverflow)
            }
        }
    };
}

// Bounds are the first values (beyond the range) that truncate out of range.
trunc!(i32_trunc_f32, f32, i32, -2147483649.0, 2147483648.0);
trunc!(u32_trunc_f32, f32, u32, -1.0, 4294967296.0);
trunc!(i32_trunc_f64, f64, i32, -2147483649.0, 2147483648.0);
trunc!(u32_trunc_f64, f64, u32, -1.0, 4294967296.0);
trunc!(u64_trunc_f32, f32, u64, -1.0, 18446744073709551616.0);
trunc!(u64_trunc_f64, f64, u64, -1.0, 18446744073709551616.0);

/// `i64.trunc_f32_s`, `i64.trunc_f64_s` (through f64, which is exact for f32 inputs).
#[inline]
pub fn i64_trunc_f64(x: f64) -> Result<i64, TrapCode> {
    if x.is_nan() {
        return Err(TrapCode::InvalidConversionToInteger);
    }
    // -2^63 is representable and valid; 2^63 is the first invalid value above.
    if (-9223372036854775808.0..9223372036854775808.0).contains(&x) {
        Ok(x as i64)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

/// `i64.trunc_f32_s`.
#[inline]
pub fn i64_trunc_f32(x: f32) -> Result<i64, TrapCode> {
    i64_trunc_f64(f64::from(x))
}

/// `i32.div_s` with WebAssembly's traps.
#[inline]
pub fn i32_div_s(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

/// `i64.div_s` with WebAssembly's traps.
#[inline]
pub fn i64_div_s(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        return Err(TrapCode::IntegerDivideByZero);
    }
    a.checked_div(b).ok_or(TrapCode::IntegerOverflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_zero_and_nan() {
        assert!(f32_min(-0.0, 0.0).is_sign_negative());
        assert!(f32_max(-0.0, 0.0).is_sign_positive());
        assert!(f64_min(f64::NAN, 1.0).is_nan());
        assert_eq!(f64_max(1.0, 2.0), 2.0);
    }

    #[test]
    fn trunc_bounds() {
        assert_eq!(i32_trunc_f32(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32(2147483648.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(i32_trunc_f64(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64(-2147483649.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(u32_trunc_f64(-0.9), Ok(0));
        assert_eq!(u32_trunc_f64(-1.0), Err(TrapCode::IntegerOverflow));
        assert_eq!(
            i64_trunc_f64(f64::NAN),
            Err(TrapCode::InvalidConversionToInteger)
        );
        assert_eq!(i64_trunc_f64(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(
            i64_trunc_f64(9223372036854775808.0),
            Err(TrapCode::IntegerOverflow)
        );
        assert_eq!(i32_div_s(i32::MIN, -1), Err(TrapCode::IntegerOverflow));
    }
}
