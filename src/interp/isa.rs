//! The interpreter's instruction set: a register (slot) machine.
//!
//! Every instruction is 16 bytes: a discriminant and up to three 32-bit operands (or one 64-bit
//! constant). Operands name *slots* of the current frame, relative to the frame base:
//!
//! ```text
//! [ params | declared locals | scratch | operand-stack temporaries ... ]
//!   0 ..                      num_locals  num_locals+1 ..
//! ```
//!
//! `local.get` emits nothing (instructions read the local's slot directly), immediates are folded
//! into `*Imm` variants, comparisons feeding `br_if`/`if` fuse into compare-and-branch
//! instructions, and a result followed by `local.set` is written straight into the local.
//! Loads and stores come in two forms: `offset` adds the memarg offset without wrapping (the
//! wasm rule), the `*W` forms add a displacement with 32-bit wrapping (`i32.add` of a constant
//! fused into the access: `(addr + disp) mod 2^32`).
//! Branch offsets are relative to the branch instruction's own index. A few instructions need
//! a fourth operand; it follows in a [`Instr::Meta`] word that the handler reads and skips.

use crate::error::TrapCode;

/// A frame-relative slot index.
pub type Slot = u32;

/// Invoke `$m!` with the op table: the single list of every interpreter op.
///
/// Each row is one group of ops sharing an operand shape:
///
/// ```text
/// <handler file> [<ops>] { <field>: <type> => <operand>, ... } (<role>);
/// ```
///
/// - the ops are the [`Instr`] variants, each executed by the handler of the same name in
///   `exec/h_<handler file>.rs`;
/// - the fields are the variant's operands, in order, and `=> a`/`b`/`c` says which 32-bit
///   operand of the executable op carries each (`cd`: a 64-bit value in `c` (low) and `d`);
/// - the role names the field the translator may retarget: `result dst` (the op writes one
///   result that a following `local.set` can take over), `branch offset` (a branch whose
///   offset is patched), or nothing.
///
/// Generated from it: the [`Instr`] enum with its role accessors (below), the encoder and
/// handler table (`translate/encode.rs`) and, through the enum's `Debug`, the listing
/// (`code::disassemble`). Superinstructions are not ops of their own: `translate/fuse.rs`
/// picks their handlers for adjacent pairs of these ops.
macro_rules! for_each_op {
    // Flatten the groups: `$m!` receives one row per op,
    // `<doc> <handler file> <name> { <fields> } (<role>);`.
    (@flat $m:ident; $(
        $file:ident [$($(#[$doc:meta])* $name:ident),* $(,)?] $fields:tt $role:tt;
    )*) => {
        $m! { $($($(#[$doc])* $file $name $fields $role;)*)* }
    };
    ($m:ident) => {
        $crate::interp::isa::for_each_op! { @flat $m;
            control [
                /// Extra operands of the preceding instruction; never executed on its own.
                Meta
            ] { a: u32 => a, b: u32 => b, c: u32 => c } ();
            control [Unreachable] {} ();
            control [
                /// Raise a trap.
                Trap
            ] { code: TrapCode => a } ();
            control [Br] { offset: i32 => a } (branch offset);
            control [
                /// Branch if `cond` (i32) is non-zero.
                BrIfNez,
                /// Branch if `cond` (i32) is zero.
                BrIfEqz,
                /// Branch if `cond` (i64) is zero.
                BrIfI64Eqz,
                /// Branch if `cond` (i64) is non-zero.
                BrIfI64Nez
            ] { cond: Slot => a, offset: i32 => b } (branch offset);
            control [
                /// Jump to the `min(index, len)`-th of the following `len + 1` `Br` entries.
                BrTable
            ] { index: Slot => a, len: u32 => b } ();
            calls [
                /// Return from the function; results are already in slots `0..n`.
                Return
            ] {} ();
            calls [
                /// Copy `src` into slot 0 and return.
                ReturnSlot
            ] { src: Slot => a } ();
            calls [
                /// Call a function defined in the current module; arguments start at `base`.
                CallInternal,
                /// Call through the instance's function index space (imports, other instances).
                CallImport
            ] { func: u32 => a, base: Slot => b } ();
            calls [
                /// `call_indirect`: `Meta { a: table }` follows.
                CallIndirect
            ] { type_idx: u32 => a, index: Slot => b, base: Slot => c } ();
            control [Copy] { dst: Slot => a, src: Slot => b } ();
            control [
                /// Two independent copies.
                Copy2
            ] { dst: Slot => a, src0: Slot => b, src1: Slot => c } ();
            control [Const] { dst: Slot => a, val: u64 => cd } ();
            control [RefFunc] { dst: Slot => a, func: u32 => b } (result dst);
            control [
                /// `dst = cond ? a : b`; `Meta { a: cond }` follows.
                Select
            ] { dst: Slot => a, a: Slot => b, b: Slot => c } ();
            control [
                GlobalGet,
                /// `global.get` of an imported externref global (capability guard, §8).
                GlobalGetGuarded
            ] { dst: Slot => a, idx: u32 => b } (result dst);
            control [
                GlobalSet,
                /// `global.set` of an imported externref global (capability guard, §8).
                GlobalSetGuarded
            ] { src: Slot => a, idx: u32 => b } ();
            memory [MemorySize] { dst: Slot => a } (result dst);
            memory [MemoryGrow] { dst: Slot => a, delta: Slot => b } ();
            memory [MemoryFill] { dst: Slot => a, val: Slot => b, len: Slot => c } ();
            memory [
                MemoryCopy,
                /// `Meta { a: data segment }` follows.
                MemoryInit
            ] { dst: Slot => a, src: Slot => b, len: Slot => c } ();
            memory [DataDrop] { seg: u32 => a } ();
            table [TableGet] { dst: Slot => a, index: Slot => b, table: u32 => c } (result dst);
            table [TableSet] { index: Slot => a, val: Slot => b, table: u32 => c } ();
            table [TableSize] { dst: Slot => a, table: u32 => b } (result dst);
            table [
                /// `Meta { a: table }` follows.
                TableGrow
            ] { dst: Slot => a, init: Slot => b, delta: Slot => c } ();
            table [
                /// `Meta { a: table }` follows.
                TableFill
            ] { index: Slot => a, val: Slot => b, len: Slot => c } ();
            table [
                /// `Meta { a: dst table, b: src table }` follows.
                TableCopy,
                /// `Meta { a: table, b: elem segment }` follows.
                TableInit
            ] { dst: Slot => a, src: Slot => b, len: Slot => c } ();
            table [ElemDrop] { seg: u32 => a } ();
            numeric [
                I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
                I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU, I32And, I32Or, I32Xor,
                I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr, I64Eq, I64Ne, I64LtS, I64LtU, I64GtS,
                I64GtU, I64LeS, I64LeU, I64GeS, I64GeU, I64Add, I64Sub, I64Mul, I64DivS, I64DivU,
                I64RemS, I64RemU, I64And, I64Or, I64Xor, I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
                F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge, F32Add, F32Sub, F32Mul, F32Div, F32Min,
                F32Max, F32Copysign, F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge, F64Add, F64Sub,
                F64Mul, F64Div, F64Min, F64Max, F64Copysign
            ] { dst: Slot => a, lhs: Slot => b, rhs: Slot => c } (result dst);
            numeric [
                I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm, I32LeSImm,
                I32LeUImm, I32GeSImm, I32GeUImm, I32AddImm, I32SubImm, I32MulImm, I32DivSImm,
                I32DivUImm, I32RemSImm, I32RemUImm, I32AndImm, I32OrImm, I32XorImm, I32ShlImm,
                I32ShrSImm, I32ShrUImm, I32RotlImm, I32RotrImm, I64EqImm, I64NeImm, I64LtSImm,
                I64LtUImm, I64GtSImm, I64GtUImm, I64LeSImm, I64LeUImm, I64GeSImm, I64GeUImm,
                I64AddImm, I64SubImm, I64MulImm, I64DivSImm, I64DivUImm, I64RemSImm, I64RemUImm,
                I64AndImm, I64OrImm, I64XorImm, I64ShlImm, I64ShrSImm, I64ShrUImm, I64RotlImm,
                I64RotrImm
            ] { dst: Slot => a, lhs: Slot => b, imm: i32 => c } (result dst);
            numeric [
                I32Eqz, I32Clz, I32Ctz, I32Popcnt, I64Eqz, I64Clz, I64Ctz, I64Popcnt, F32Abs,
                F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt, F64Abs, F64Neg, F64Ceil,
                F64Floor, F64Trunc, F64Nearest, F64Sqrt, I32WrapI64, I32TruncF32S, I32TruncF32U,
                I32TruncF64S, I32TruncF64U, I64ExtendI32S, I64ExtendI32U, I64TruncF32S,
                I64TruncF32U, I64TruncF64S, I64TruncF64U, F32ConvertI32S, F32ConvertI32U,
                F32ConvertI64S, F32ConvertI64U, F32DemoteF64, F64ConvertI32S, F64ConvertI32U,
                F64ConvertI64S, F64ConvertI64U, F64PromoteF32, I32Extend8S, I32Extend16S,
                I64Extend8S, I64Extend16S, I64Extend32S, I32TruncSatF32S, I32TruncSatF32U,
                I32TruncSatF64S, I32TruncSatF64U, I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S,
                I64TruncSatF64U, RefIsNull
            ] { dst: Slot => a, src: Slot => b } (result dst);
            control [
                BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU,
                BrI32GeS, BrI32GeU, BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU,
                BrI64LeS, BrI64LeU, BrI64GeS, BrI64GeU
            ] { lhs: Slot => a, rhs: Slot => b, offset: i32 => c } (branch offset);
            control [
                BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
                BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm, BrI64EqImm, BrI64NeImm,
                BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm, BrI64LeSImm, BrI64LeUImm,
                BrI64GeSImm, BrI64GeUImm
            ] { lhs: Slot => a, imm: i32 => b, offset: i32 => c } (branch offset);
            // Loads at `addr + offset` (33-bit, no wrap: the wasm rule).
            memory [
                I32Load, I64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U, I64Load8S,
                I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U
            ] { dst: Slot => a, addr: Slot => b, offset: u32 => c } (result dst);
            // Stores at `addr + offset` (33-bit, no wrap).
            memory [
                I32Store, I64Store, I32Store8, I32Store16, I64Store32
            ] { addr: Slot => a, src: Slot => b, offset: u32 => c } ();
            // Loads at `(addr + disp) mod 2^32` (an `i32.add` of a constant folded in).
            memory [
                I32LoadW, I64LoadW, I32Load8SW, I32Load8UW, I32Load16SW, I32Load16UW
            ] { dst: Slot => a, addr: Slot => b, disp: u32 => c } (result dst);
            // Stores at `(addr + disp) mod 2^32`.
            memory [
                I32StoreW, I64StoreW, I32Store8W, I32Store16W
            ] { addr: Slot => a, src: Slot => b, disp: u32 => c } ();
        }
    };
}
pub(crate) use for_each_op;

/// The pattern of an arm of a role accessor: binds the role field when the op's role is the
/// one asked for (`$want`), else matches the op whatever its operands.
macro_rules! role_pat {
    (result, $n:ident, result $r:ident) => {
        Instr::$n { $r, .. }
    };
    (branch, $n:ident, branch $r:ident) => {
        Instr::$n { $r, .. }
    };
    ($want:ident, $n:ident, $($role:tt)*) => {
        Instr::$n { .. }
    };
}

/// The value of that arm: the bound role field, or `None`.
macro_rules! role_val {
    (result, result $r:ident) => {
        Some($r)
    };
    (branch, branch $r:ident) => {
        Some($r)
    };
    ($want:ident, $($role:tt)*) => {
        None
    };
}

macro_rules! define_instr {
    ($(
        $(#[$doc:meta])* $file:ident $name:ident
        { $($f:ident: $t:ty => $pos:ident),* } ($($role:tt)*);
    )*) => {
        /// One interpreter instruction (16 bytes).
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[allow(missing_docs)]
        pub enum Instr {
            $($(#[$doc])* $name { $($f: $t),* },)*
        }

        impl Instr {
            /// The slot this instruction writes its single result to, if it has one and may be
            /// retargeted (used to fuse `op; local.set x`).
            pub fn result_slot_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $(role_pat!(result, $name, $($role)*) => role_val!(result, $($role)*),)*
                }
            }

            /// The branch offset field, for patching forward branches.
            pub fn branch_offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    $(role_pat!(branch, $name, $($role)*) => role_val!(branch, $($role)*),)*
                }
            }

            /// The op's name (the variant's).
            pub fn name(&self) -> &'static str {
                match self {
                    $(Instr::$name { .. } => stringify!($name),)*
                }
            }
        }
    };
}

for_each_op!(define_instr);

const _: () = assert!(std::mem::size_of::<Instr>() == 16);

/// An operand field's value as the 32 bits the executable op carries.
pub(crate) trait OperandBits: Copy {
    /// The bits (slots and indices as they are, immediates and offsets two's complement).
    fn bits(self) -> u32;
}

impl OperandBits for u32 {
    #[inline(always)]
    fn bits(self) -> u32 {
        self
    }
}

impl OperandBits for i32 {
    #[inline(always)]
    fn bits(self) -> u32 {
        self as u32
    }
}

impl OperandBits for TrapCode {
    #[inline(always)]
    fn bits(self) -> u32 {
        self as u32
    }
}
