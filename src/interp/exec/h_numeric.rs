//! Handlers: integer and float arithmetic, comparisons, conversions.

use crate::error::TrapCode;
use crate::interp::num;

/// Typed slot reads and writes (i32 values use the low 32 bits of a cell).
macro_rules! get {
    (u32, $sp:ident, $s:expr) => {
        rd!($sp, $s) as u32
    };
    (i32, $sp:ident, $s:expr) => {
        rd!($sp, $s) as u32 as i32
    };
    (u64, $sp:ident, $s:expr) => {
        rd!($sp, $s)
    };
    (i64, $sp:ident, $s:expr) => {
        rd!($sp, $s) as i64
    };
    (f32, $sp:ident, $s:expr) => {
        f32::from_bits(rd!($sp, $s) as u32)
    };
    (f64, $sp:ident, $s:expr) => {
        f64::from_bits(rd!($sp, $s))
    };
}

macro_rules! put {
    (u32, $sp:ident, $s:expr, $v:expr) => {
        wr!($sp, $s, u64::from(($v) as u32))
    };
    (u64, $sp:ident, $s:expr, $v:expr) => {
        wr!($sp, $s, ($v) as u64)
    };
    (bool, $sp:ident, $s:expr, $v:expr) => {
        wr!($sp, $s, u64::from($v))
    };
    (f32, $sp:ident, $s:expr, $v:expr) => {
        wr!($sp, $s, u64::from(f32::to_bits($v)))
    };
    (f64, $sp:ident, $s:expr, $v:expr) => {
        wr!($sp, $s, f64::to_bits($v))
    };
}

/// `dst = f(lhs, rhs)` on slots.
macro_rules! binary {
    ($cx:ident, $op:ident; $($name:ident: $t:ident -> $r:ident, |$a:ident, $b:ident| $e:expr;)*) => {$(
        op_fn!($name, |$op, sp, mem, len, $cx| {
            let $a = get!($t, sp, $op.b);
            let $b = get!($t, sp, $op.c);
            put!($r, sp, $op.a, $e);
        });
    )*};
}

/// `dst = f(lhs, imm)`; the i32 immediate is sign-extended for 64-bit operations.
macro_rules! binary_imm {
    ($cx:ident, $op:ident; $($name:ident: $t:ident -> $r:ident, |$a:ident, $b:ident| $e:expr;)*) => {$(
        op_fn!($name, |$op, sp, mem, len, $cx| {
            let $a = get!($t, sp, $op.b);
            let $b = i64::from($op.c as i32) as $t;
            put!($r, sp, $op.a, $e);
        });
    )*};
}

/// `dst = f(src)`.
macro_rules! unary {
    ($cx:ident, $op:ident; $($name:ident: $t:ident -> $r:ident, |$a:ident| $e:expr;)*) => {$(
        op_fn!($name, |$op, sp, mem, len, $cx| {
            let $a = get!($t, sp, $op.b);
            put!($r, sp, $op.a, $e);
        });
    )*};
}

binary! {
    cx, op;
    I32Eq: u32 -> bool, |a, b| a == b;
    I32Ne: u32 -> bool, |a, b| a != b;
    I32LtS: i32 -> bool, |a, b| a < b;
    I32LtU: u32 -> bool, |a, b| a < b;
    I32GtS: i32 -> bool, |a, b| a > b;
    I32GtU: u32 -> bool, |a, b| a > b;
    I32LeS: i32 -> bool, |a, b| a <= b;
    I32LeU: u32 -> bool, |a, b| a <= b;
    I32GeS: i32 -> bool, |a, b| a >= b;
    I32GeU: u32 -> bool, |a, b| a >= b;
    I32Add: u32 -> u32, |a, b| a.wrapping_add(b);
    I32Sub: u32 -> u32, |a, b| a.wrapping_sub(b);
    I32Mul: u32 -> u32, |a, b| a.wrapping_mul(b);
    I32DivS: i32 -> u32, |a, b| tryc!(cx, op, num::i32_div_s(a, b));
    I32DivU: u32 -> u32, |a, b| tryc!(cx, op, a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero));
    I32RemS: i32 -> u32, |a, b| if b == 0 { trap!(cx, op, TrapCode::IntegerDivideByZero) } else { a.wrapping_rem(b) };
    I32RemU: u32 -> u32, |a, b| tryc!(cx, op, a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero));
    I32And: u32 -> u32, |a, b| a & b;
    I32Or: u32 -> u32, |a, b| a | b;
    I32Xor: u32 -> u32, |a, b| a ^ b;
    I32Shl: u32 -> u32, |a, b| a.wrapping_shl(b);
    I32ShrS: i32 -> u32, |a, b| a.wrapping_shr(b as u32);
    I32ShrU: u32 -> u32, |a, b| a.wrapping_shr(b);
    I32Rotl: u32 -> u32, |a, b| a.rotate_left(b);
    I32Rotr: u32 -> u32, |a, b| a.rotate_right(b);
    I64Eq: u64 -> bool, |a, b| a == b;
    I64Ne: u64 -> bool, |a, b| a != b;
    I64LtS: i64 -> bool, |a, b| a < b;
    I64LtU: u64 -> bool, |a, b| a < b;
    I64GtS: i64 -> bool, |a, b| a > b;
    I64GtU: u64 -> bool, |a, b| a > b;
    I64LeS: i64 -> bool, |a, b| a <= b;
    I64LeU: u64 -> bool, |a, b| a <= b;
    I64GeS: i64 -> bool, |a, b| a >= b;
    I64GeU: u64 -> bool, |a, b| a >= b;
    I64Add: u64 -> u64, |a, b| a.wrapping_add(b);
    I64Sub: u64 -> u64, |a, b| a.wrapping_sub(b);
    I64Mul: u64 -> u64, |a, b| a.wrapping_mul(b);
    I64DivS: i64 -> u64, |a, b| tryc!(cx, op, num::i64_div_s(a, b));
    I64DivU: u64 -> u64, |a, b| tryc!(cx, op, a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero));
    I64RemS: i64 -> u64, |a, b| if b == 0 { trap!(cx, op, TrapCode::IntegerDivideByZero) } else { a.wrapping_rem(b) };
    I64RemU: u64 -> u64, |a, b| tryc!(cx, op, a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero));
    I64And: u64 -> u64, |a, b| a & b;
    I64Or: u64 -> u64, |a, b| a | b;
    I64Xor: u64 -> u64, |a, b| a ^ b;
    I64Shl: u64 -> u64, |a, b| a.wrapping_shl(b as u32);
    I64ShrS: i64 -> u64, |a, b| a.wrapping_shr(b as u32);
    I64ShrU: u64 -> u64, |a, b| a.wrapping_shr(b as u32);
    I64Rotl: u64 -> u64, |a, b| a.rotate_left((b & 63) as u32);
    I64Rotr: u64 -> u64, |a, b| a.rotate_right((b & 63) as u32);
    F32Eq: f32 -> bool, |a, b| a == b;
    F32Ne: f32 -> bool, |a, b| a != b;
    F32Lt: f32 -> bool, |a, b| a < b;
    F32Gt: f32 -> bool, |a, b| a > b;
    F32Le: f32 -> bool, |a, b| a <= b;
    F32Ge: f32 -> bool, |a, b| a >= b;
    F32Add: f32 -> f32, |a, b| a + b;
    F32Sub: f32 -> f32, |a, b| a - b;
    F32Mul: f32 -> f32, |a, b| a * b;
    F32Div: f32 -> f32, |a, b| a / b;
    F32Min: f32 -> f32, |a, b| num::f32_min(a, b);
    F32Max: f32 -> f32, |a, b| num::f32_max(a, b);
    F32Copysign: u32 -> u32, |a, b| num::f32_copysign(a, b);
    F64Eq: f64 -> bool, |a, b| a == b;
    F64Ne: f64 -> bool, |a, b| a != b;
    F64Lt: f64 -> bool, |a, b| a < b;
    F64Gt: f64 -> bool, |a, b| a > b;
    F64Le: f64 -> bool, |a, b| a <= b;
    F64Ge: f64 -> bool, |a, b| a >= b;
    F64Add: f64 -> f64, |a, b| a + b;
    F64Sub: f64 -> f64, |a, b| a - b;
    F64Mul: f64 -> f64, |a, b| a * b;
    F64Div: f64 -> f64, |a, b| a / b;
    F64Min: f64 -> f64, |a, b| num::f64_min(a, b);
    F64Max: f64 -> f64, |a, b| num::f64_max(a, b);
    F64Copysign: u64 -> u64, |a, b| num::f64_copysign(a, b);
}

binary_imm! {
    cx, op;
    I32EqImm: u32 -> bool, |a, b| a == b;
    I32NeImm: u32 -> bool, |a, b| a != b;
    I32LtSImm: i32 -> bool, |a, b| a < b;
    I32LtUImm: u32 -> bool, |a, b| a < b;
    I32GtSImm: i32 -> bool, |a, b| a > b;
    I32GtUImm: u32 -> bool, |a, b| a > b;
    I32LeSImm: i32 -> bool, |a, b| a <= b;
    I32LeUImm: u32 -> bool, |a, b| a <= b;
    I32GeSImm: i32 -> bool, |a, b| a >= b;
    I32GeUImm: u32 -> bool, |a, b| a >= b;
    I32AddImm: u32 -> u32, |a, b| a.wrapping_add(b);
    I32SubImm: u32 -> u32, |a, b| a.wrapping_sub(b);
    I32MulImm: u32 -> u32, |a, b| a.wrapping_mul(b);
    I32DivSImm: i32 -> u32, |a, b| tryc!(cx, op, num::i32_div_s(a, b));
    I32DivUImm: u32 -> u32, |a, b| tryc!(cx, op, a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero));
    I32RemSImm: i32 -> u32, |a, b| if b == 0 { trap!(cx, op, TrapCode::IntegerDivideByZero) } else { a.wrapping_rem(b) };
    I32RemUImm: u32 -> u32, |a, b| tryc!(cx, op, a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero));
    I32AndImm: u32 -> u32, |a, b| a & b;
    I32OrImm: u32 -> u32, |a, b| a | b;
    I32XorImm: u32 -> u32, |a, b| a ^ b;
    I32ShlImm: u32 -> u32, |a, b| a.wrapping_shl(b);
    I32ShrSImm: i32 -> u32, |a, b| a.wrapping_shr(b as u32);
    I32ShrUImm: u32 -> u32, |a, b| a.wrapping_shr(b);
    I32RotlImm: u32 -> u32, |a, b| a.rotate_left(b);
    I32RotrImm: u32 -> u32, |a, b| a.rotate_right(b);
    I64EqImm: u64 -> bool, |a, b| a == b;
    I64NeImm: u64 -> bool, |a, b| a != b;
    I64LtSImm: i64 -> bool, |a, b| a < b;
    I64LtUImm: u64 -> bool, |a, b| a < b;
    I64GtSImm: i64 -> bool, |a, b| a > b;
    I64GtUImm: u64 -> bool, |a, b| a > b;
    I64LeSImm: i64 -> bool, |a, b| a <= b;
    I64LeUImm: u64 -> bool, |a, b| a <= b;
    I64GeSImm: i64 -> bool, |a, b| a >= b;
    I64GeUImm: u64 -> bool, |a, b| a >= b;
    I64AddImm: u64 -> u64, |a, b| a.wrapping_add(b);
    I64SubImm: u64 -> u64, |a, b| a.wrapping_sub(b);
    I64MulImm: u64 -> u64, |a, b| a.wrapping_mul(b);
    I64DivSImm: i64 -> u64, |a, b| tryc!(cx, op, num::i64_div_s(a, b));
    I64DivUImm: u64 -> u64, |a, b| tryc!(cx, op, a.checked_div(b).ok_or(TrapCode::IntegerDivideByZero));
    I64RemSImm: i64 -> u64, |a, b| if b == 0 { trap!(cx, op, TrapCode::IntegerDivideByZero) } else { a.wrapping_rem(b) };
    I64RemUImm: u64 -> u64, |a, b| tryc!(cx, op, a.checked_rem(b).ok_or(TrapCode::IntegerDivideByZero));
    I64AndImm: u64 -> u64, |a, b| a & b;
    I64OrImm: u64 -> u64, |a, b| a | b;
    I64XorImm: u64 -> u64, |a, b| a ^ b;
    I64ShlImm: u64 -> u64, |a, b| a.wrapping_shl(b as u32);
    I64ShrSImm: i64 -> u64, |a, b| a.wrapping_shr(b as u32);
    I64ShrUImm: u64 -> u64, |a, b| a.wrapping_shr(b as u32);
    I64RotlImm: u64 -> u64, |a, b| a.rotate_left((b & 63) as u32);
    I64RotrImm: u64 -> u64, |a, b| a.rotate_right((b & 63) as u32);
}

unary! {
    cx, op;
    I32Eqz: u32 -> bool, |a| a == 0;
    I32Clz: u32 -> u32, |a| a.leading_zeros();
    I32Ctz: u32 -> u32, |a| a.trailing_zeros();
    I32Popcnt: u32 -> u32, |a| a.count_ones();
    I64Eqz: u64 -> bool, |a| a == 0;
    I64Clz: u64 -> u64, |a| a.leading_zeros();
    I64Ctz: u64 -> u64, |a| a.trailing_zeros();
    I64Popcnt: u64 -> u64, |a| a.count_ones();
    F32Abs: u32 -> u32, |a| a & 0x7fff_ffff;
    F32Neg: u32 -> u32, |a| a ^ 0x8000_0000;
    F32Ceil: f32 -> f32, |a| num::f32_quiet(a.ceil());
    F32Floor: f32 -> f32, |a| num::f32_quiet(a.floor());
    F32Trunc: f32 -> f32, |a| num::f32_quiet(a.trunc());
    F32Nearest: f32 -> f32, |a| num::f32_nearest(a);
    F32Sqrt: f32 -> f32, |a| a.sqrt();
    F64Abs: u64 -> u64, |a| a & 0x7fff_ffff_ffff_ffff;
    F64Neg: u64 -> u64, |a| a ^ 0x8000_0000_0000_0000;
    F64Ceil: f64 -> f64, |a| num::f64_quiet(a.ceil());
    F64Floor: f64 -> f64, |a| num::f64_quiet(a.floor());
    F64Trunc: f64 -> f64, |a| num::f64_quiet(a.trunc());
    F64Nearest: f64 -> f64, |a| num::f64_nearest(a);
    F64Sqrt: f64 -> f64, |a| a.sqrt();
    I32WrapI64: u64 -> u32, |a| a;
    I32TruncF32S: f32 -> u32, |a| tryc!(cx, op, num::i32_trunc_f32(a));
    I32TruncF32U: f32 -> u32, |a| tryc!(cx, op, num::u32_trunc_f32(a));
    I32TruncF64S: f64 -> u32, |a| tryc!(cx, op, num::i32_trunc_f64(a));
    I32TruncF64U: f64 -> u32, |a| tryc!(cx, op, num::u32_trunc_f64(a));
    I64ExtendI32S: i32 -> u64, |a| i64::from(a);
    I64ExtendI32U: u32 -> u64, |a| u64::from(a);
    I64TruncF32S: f32 -> u64, |a| tryc!(cx, op, num::i64_trunc_f32(a));
    I64TruncF32U: f32 -> u64, |a| tryc!(cx, op, num::u64_trunc_f32(a));
    I64TruncF64S: f64 -> u64, |a| tryc!(cx, op, num::i64_trunc_f64(a));
    I64TruncF64U: f64 -> u64, |a| tryc!(cx, op, num::u64_trunc_f64(a));
    F32ConvertI32S: i32 -> f32, |a| a as f32;
    F32ConvertI32U: u32 -> f32, |a| a as f32;
    F32ConvertI64S: i64 -> f32, |a| a as f32;
    F32ConvertI64U: u64 -> f32, |a| a as f32;
    F32DemoteF64: f64 -> f32, |a| a as f32;
    F64ConvertI32S: i32 -> f64, |a| f64::from(a);
    F64ConvertI32U: u32 -> f64, |a| f64::from(a);
    F64ConvertI64S: i64 -> f64, |a| a as f64;
    F64ConvertI64U: u64 -> f64, |a| a as f64;
    F64PromoteF32: f32 -> f64, |a| f64::from(a);
    I32Extend8S: u64 -> u32, |a| i32::from(a as i8);
    I32Extend16S: u64 -> u32, |a| i32::from(a as i16);
    I64Extend8S: u64 -> u64, |a| i64::from(a as i8);
    I64Extend16S: u64 -> u64, |a| i64::from(a as i16);
    I64Extend32S: u64 -> u64, |a| i64::from(a as i32);
    I32TruncSatF32S: f32 -> u32, |a| a as i32;
    I32TruncSatF32U: f32 -> u32, |a| a as u32;
    I32TruncSatF64S: f64 -> u32, |a| a as i32;
    I32TruncSatF64U: f64 -> u32, |a| a as u32;
    I64TruncSatF32S: f32 -> u64, |a| a as i64;
    I64TruncSatF32U: f32 -> u64, |a| a as u64;
    I64TruncSatF64S: f64 -> u64, |a| a as i64;
    I64TruncSatF64U: f64 -> u64, |a| a as u64;
    RefIsNull: u64 -> bool, |a| a == 0;
}
