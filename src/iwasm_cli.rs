//! WAMR's "application" conventions shared by `iwasm` and `wasm_application_execute_func`:
//! parsing command-line strings into typed arguments and printing results
//! (`0x15:i32`, `%.7g:f64`, ...).

use crate::runtime::{FuncAddr, Instance, Val};
use crate::types::{FuncType, ValType};

/// Parse an unsigned/negative integer as C's `strtoull(s, &end, 0)` does (`0x` hex, leading `0`
/// octal, decimal, optional sign that wraps). Returns the value and the unparsed rest.
fn strtoull(s: &str) -> (u64, &str) {
    let t = s.trim_start();
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if t.len() > 2 && (t.starts_with("0x") || t.starts_with("0X")) {
        (16, &t[2..])
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 {
        // "0" followed by non-octal, or nothing parsed.
        return if radix == 8 { (0, digits) } else { (0, s) };
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for c in digits[..end].chars() {
        let d = u64::from(c.to_digit(radix).unwrap_or(0));
        match v
            .checked_mul(u64::from(radix))
            .and_then(|x| x.checked_add(d))
        {
            Some(n) => v = n,
            None => overflow = true,
        }
    }
    if overflow {
        v = u64::MAX;
    }
    (if neg { v.wrapping_neg() } else { v }, &digits[end..])
}

/// Parse a float as `strtod` does, including `inf`, `nan` and WAMR's `nan:0xPAYLOAD` form.
fn parse_float(s: &str, wide: bool) -> Option<u64> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let sign32 = if neg { 0x8000_0000u64 } else { 0 };
    let sign64 = if neg { 0x8000_0000_0000_0000u64 } else { 0 };
    if let Some(rest) = lower.strip_prefix("nan") {
        let payload = match rest.strip_prefix(':') {
            Some(p) => {
                let (v, tail) = strtoull(p);
                if !tail.is_empty() {
                    return None;
                }
                Some(v)
            }
            None if rest.is_empty() => None,
            None => return None,
        };
        return Some(if wide {
            sign64
                | 0x7ff0_0000_0000_0000
                | payload.unwrap_or(0x8_0000_0000_0000) & 0xf_ffff_ffff_ffff
        } else {
            sign32 | 0x7f80_0000 | payload.unwrap_or(0x40_0000) & 0x7f_ffff
        });
    }
    if lower == "inf" || lower == "infinity" {
        return Some(if wide {
            sign64 | 0x7ff0_0000_0000_0000
        } else {
            sign32 | 0x7f80_0000
        });
    }
    let v: f64 = if let Some(hex) = lower.strip_prefix("0x") {
        parse_hex_float(hex)?
    } else {
        body.parse::<f64>().ok()?
    };
    let v = if neg { -v } else { v };
    Some(if wide {
        v.to_bits()
    } else {
        u64::from((v as f32).to_bits())
    })
}

/// Hexadecimal float (`1.8p3`) as accepted by `strtod`.
fn parse_hex_float(s: &str) -> Option<f64> {
    let (mant, exp) = match s.find('p') {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + f64::from(c.to_digit(16)?);
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += f64::from(c.to_digit(16)?) * scale;
        scale /= 16.0;
    }
    Some(v * 2f64.powi(exp))
}

/// Convert command-line strings to arguments of `ty`, with WAMR's messages on failure
/// (`invalid input argument count`, `invalid input argument N: TEXT`). `funcref_of` turns a
/// function index into a funcref.
pub fn parse_args(
    ty: &FuncType,
    args: &[String],
    funcref_of: impl Fn(u32) -> Option<FuncAddr>,
) -> Result<Vec<Val>, String> {
    if args.len() != ty.params().len() {
        return Err("invalid input argument count".to_string());
    }
    let mut out = Vec::with_capacity(args.len());
    for (i, (t, a)) in ty.params().iter().zip(args).enumerate() {
        let bad = || format!("invalid input argument {i}: {a}");
        let int = |a: &str| {
            let (v, rest) = strtoull(a);
            if rest.is_empty() || rest.starts_with('_') {
                Ok(v)
            } else {
                Err(bad())
            }
        };
        let is_null = a.len() >= 4 && a[..4].eq_ignore_ascii_case("null");
        out.push(match t {
            ValType::I32 => Val::I32(int(a)? as u32 as i32),
            ValType::I64 => Val::I64(int(a)? as i64),
            ValType::F32 => Val::F32(parse_float(a, false).ok_or_else(bad)? as u32),
            ValType::F64 => Val::F64(parse_float(a, true).ok_or_else(bad)?),
            ValType::V128 => return Err(bad()),
            ValType::FuncRef if is_null => Val::FuncRef(None),
            ValType::FuncRef => Val::FuncRef(Some(funcref_of(int(a)? as u32).ok_or_else(bad)?)),
            ValType::ExternRef if is_null => Val::ExternRef(0),
            ValType::ExternRef => Val::ExternRef(int(a)?.wrapping_add(1)),
        });
    }
    Ok(out)
}

/// C's `printf("%.7g", v)` (glibc wording: `inf`, `-inf`, `nan`, `-nan`).
pub fn format_g7(v: f64) -> String {
    let mut buf = [0u8; 64];
    let fmt = c"%.7g";
    // SAFETY: `buf` is writable for its full length, `snprintf` writes at most that many bytes
    // and NUL-terminates; the format takes exactly one double.
    let n = unsafe { libc::snprintf(buf.as_mut_ptr().cast(), buf.len(), fmt.as_ptr(), v) };
    let n = (n.max(0) as usize).min(buf.len() - 1);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// One result in WAMR's format (a non-null funcref shows its store address; see
/// [`format_val_in`] for WAMR's function index).
pub fn format_val(v: &Val) -> String {
    format_val_with(v, |a| a.0)
}

/// One result in WAMR's format, a non-null funcref as its function index in `inst` (WAMR's
/// `N:ref.func`; a function `inst` does not index keeps its store address).
pub fn format_val_in(v: &Val, inst: &Instance) -> String {
    format_val_with(v, |a| {
        inst.funcs
            .iter()
            .position(|&f| f == a)
            .map_or(a.0, |i| i as u32)
    })
}

fn format_val_with(v: &Val, func_index: impl Fn(FuncAddr) -> u32) -> String {
    match *v {
        Val::I32(x) => format!("0x{:x}:i32", x as u32),
        Val::I64(x) => format!("0x{:x}:i64", x as u64),
        Val::F32(b) => format!("{}:f32", format_g7(f64::from(f32::from_bits(b)))),
        Val::F64(b) => format!("{}:f64", format_g7(f64::from_bits(b))),
        Val::V128(x) => format!("<0x{:016x} 0x{:016x}>:v128", x as u64, (x >> 64) as u64),
        Val::FuncRef(None) => "func:ref.null".to_string(),
        Val::FuncRef(Some(a)) => format!("{}:ref.func", func_index(a)),
        // WAMR prints the host value in hex; 0 (and its null, -1) print as null.
        Val::ExternRef(0 | 1) => "extern:ref.null".to_string(),
        Val::ExternRef(x) => format!("0x{:x}:ref.extern", x - 1),
    }
}

/// All results, comma separated (the caller adds the newline).
pub fn format_results(vals: &[Val]) -> String {
    vals.iter().map(format_val).collect::<Vec<_>>().join(",")
}

/// All results, funcrefs as function indices of `inst` ([`format_val_in`]).
pub fn format_results_in(vals: &[Val], inst: &Instance) -> String {
    vals.iter()
        .map(|v| format_val_in(v, inst))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_like_strtoul() {
        assert_eq!(strtoull("10"), (10, ""));
        assert_eq!(strtoull("0x1f"), (31, ""));
        assert_eq!(strtoull("-1").0 as u32, u32::MAX);
        assert_eq!(strtoull("017"), (15, ""));
        assert_eq!(strtoull("12ab"), (12, "ab"));
    }

    #[test]
    fn floats_and_nans() {
        assert_eq!(parse_float("1.5", true), Some(1.5f64.to_bits()));
        assert_eq!(parse_float("-inf", false), Some(0xff80_0000));
        assert_eq!(parse_float("nan", false), Some(0x7fc0_0000));
        assert_eq!(parse_float("-nan:0x200000", false), Some(0xffa0_0000));
        assert_eq!(parse_float("0x1p4", true), Some(16f64.to_bits()));
        assert_eq!(parse_float("x", true), None);
    }

    #[test]
    fn results_print_like_wamr() {
        assert_eq!(format_val(&Val::I32(21)), "0x15:i32");
        assert_eq!(format_val(&Val::I32(-1)), "0xffffffff:i32");
        assert_eq!(format_val(&Val::I64(1)), "0x1:i64");
        assert_eq!(format_val(&Val::f64(3.5)), "3.5:f64");
        assert_eq!(format_val(&Val::f32(0.1)), "0.1:f32");
        assert_eq!(format_val(&Val::F32(0xffc0_0000)), "-nan:f32");
        assert_eq!(format_val(&Val::f64(1e100)), "1e+100:f64");
        assert_eq!(
            format_results(&[Val::I32(1), Val::ExternRef(0)]),
            "0x1:i32,extern:ref.null"
        );
        // WAMR: `0x1:ref.extern`, `N:ref.func`, nulls as `extern:ref.null` / `func:ref.null`.
        assert_eq!(format_val(&Val::ExternRef(2)), "0x1:ref.extern");
        assert_eq!(format_val(&Val::ExternRef(0x100)), "0xff:ref.extern");
        assert_eq!(format_val(&Val::ExternRef(1)), "extern:ref.null");
        assert_eq!(format_val(&Val::FuncRef(Some(FuncAddr(3)))), "3:ref.func");
        assert_eq!(format_val(&Val::FuncRef(None)), "func:ref.null");
    }
}
