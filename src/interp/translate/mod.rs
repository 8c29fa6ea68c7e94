//! Translation of a validated function body from wasm's stack machine to slot bytecode.
//!
//! A single pass over the operators keeps a *provider stack* mirroring wasm's operand stack:
//! each entry says where the value lives without copying it ([`Operand::Local`] for a
//! `local.get`, [`Operand::Const`] for a constant, [`Operand::Temp`] for a value computed into
//! the temporary slot of its stack height). Values are *materialised* into their temporary slot
//! only when something requires a fixed location (block boundaries, calls, a `local.set` that
//! would overwrite a lazily referenced local).
//!
//! Invariants the interpreter relies on (checked by construction here):
//! - every slot operand is `< frame_size`;
//! - every branch target is an instruction index inside the function;
//! - the code ends with a `Return`-class instruction on every path.

mod cond;
mod control;
mod encode;
mod fuse;
mod moves;
mod visit;

use wasmparser::{BinaryReader, FunctionBody};

use super::isa::{Instr, Slot};
use super::machine::{CompiledFunc, TranslateError};
use crate::module::ModuleInner;
use crate::types::{DefinedFuncIdx, FuncIdx};

/// Largest frame (in slots) a function may use.
const MAX_FRAME_SLOTS: u64 = 1 << 22;

/// Placeholder slots handed out for constants during the discovery pass (its code is
/// discarded).
const CONST_MARK: u32 = 0xC000_0000;

/// Most constants a function keeps in its frame; further constants are materialised.
const MAX_CONSTS: usize = 256;

/// Where a value of the wasm operand stack lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Operand {
    /// The current value of a local (not copied yet).
    Local(u32),
    /// The temporary slot of this stack position.
    Temp,
    /// A constant (raw cell bits).
    Const(u64),
}

/// What kind of construct a control frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CtrlKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// A control frame of the translation.
#[derive(Debug)]
pub(super) struct Ctrl {
    pub kind: CtrlKind,
    /// Operand stack height at entry, below the block parameters.
    pub height: u32,
    pub params: u32,
    pub results: u32,
    /// Loop head (instruction index) for `Loop`.
    pub head: usize,
    /// Forward branches to patch with the end position.
    pub patches: Vec<usize>,
    /// For `If`: the branch that skips to the else arm (or the end).
    pub else_patch: Option<usize>,
    /// Entered while the code was unreachable: everything inside is skipped.
    pub unreachable_entry: bool,
}

pub(super) struct Translator<'m> {
    pub module: &'m ModuleInner,
    pub code: Vec<Instr>,
    pub stack: Vec<Operand>,
    pub max_height: u32,
    pub ctrl: Vec<Ctrl>,
    /// Parameters plus declared locals.
    pub num_locals: u32,
    pub reachable: bool,
    /// Index of the instruction whose result is the top-of-stack temporary, if it was the last
    /// one emitted and no label sits in between (so it may be retargeted or fused).
    pub last_result: Option<usize>,
    /// Constant pool: values copied into the frame on entry, read by slot like locals.
    pub consts: Vec<u64>,
    pub const_index: std::collections::HashMap<u64, u32>,
    /// Slots reserved for the pool between the scratch slot and the temporaries; `None` during
    /// the discovery pass, when the pool is still growing.
    pub const_region: Option<u32>,
    /// Module byte offset of the operator being translated, and of each emitted instruction.
    pub cur_offset: u32,
    pub offsets: Vec<u32>,
}

/// Translate defined function `f` of `module`.
///
/// Frame layout: `[params | locals | scratch | constant pool | temporaries]`. Constants used as
/// operands are found by a first pass; if there are any, a second pass translates with the pool
/// placed (both passes make the same decisions, so the pool is the same).
pub(crate) fn translate(
    module: &ModuleInner,
    f: DefinedFuncIdx,
) -> Result<CompiledFunc, TranslateError> {
    translate_listing(module, f).map(|(code, _)| code)
}

/// Translate, also returning the instruction listing (for disassembly).
pub(crate) fn translate_listing(
    module: &ModuleInner,
    f: DefinedFuncIdx,
) -> Result<(CompiledFunc, Vec<Instr>), TranslateError> {
    let first = translate_pass(module, f, None)?;
    if first.0.consts.is_empty() {
        return Ok(first);
    }
    translate_pass(module, f, Some(first.0.consts.into_vec()))
}

fn translate_pass(
    module: &ModuleInner,
    f: DefinedFuncIdx,
    pool: Option<Vec<u64>>,
) -> Result<(CompiledFunc, Vec<Instr>), TranslateError> {
    let body_range = module
        .bodies
        .get(f.index())
        .ok_or_else(|| TranslateError("invalid function index".into()))?
        .range
        .clone();
    let func_idx = FuncIdx(module.num_imported_funcs + f.0);
    let sig = module.func_sig(func_idx).clone();
    let bytes = &module.bytes[body_range.clone()];
    let body = FunctionBody::new(BinaryReader::new(bytes, body_range.start as u64));
    let terr = |e: wasmparser::BinaryReaderError| TranslateError(e.message().to_string());

    let num_params = sig.params().len() as u32;
    let mut declared: u64 = 0;
    for local in body.get_locals_reader().map_err(terr)? {
        let (count, _ty) = local.map_err(terr)?;
        declared += u64::from(count);
    }
    if u64::from(num_params) + declared > MAX_FRAME_SLOTS {
        return Err(TranslateError("function has too many locals".into()));
    }
    let (consts, const_index, const_region) = match pool {
        None => (Vec::new(), std::collections::HashMap::new(), None),
        Some(p) => {
            let index = p.iter().enumerate().map(|(k, &v)| (v, k as u32)).collect();
            let n = p.len() as u32;
            (p, index, Some(n))
        }
    };
    let mut t = Translator {
        module,
        code: Vec::with_capacity(bytes.len() / 2 + 4),
        stack: Vec::new(),
        max_height: 0,
        ctrl: Vec::new(),
        num_locals: num_params + declared as u32,
        reachable: true,
        last_result: None,
        consts,
        const_index,
        const_region,
        cur_offset: body_range.start as u32,
        offsets: Vec::with_capacity(bytes.len() / 2 + 4),
    };
    t.ctrl.push(Ctrl {
        kind: CtrlKind::Func,
        height: 0,
        params: 0,
        results: sig.results().len() as u32,
        head: 0,
        patches: Vec::new(),
        else_patch: None,
        unreachable_entry: false,
    });
    let mut ops = body.get_operators_reader().map_err(terr)?;
    while !t.ctrl.is_empty() {
        let (op, offset) = ops.read_with_offset().map_err(terr)?;
        t.cur_offset = offset as u32;
        t.visit(op)?;
    }
    let const_base = t.num_locals + 1;
    let frame_size = u64::from(t.temp(0)) + u64::from(t.max_height);
    if frame_size > MAX_FRAME_SLOTS {
        return Err(TranslateError("function frame too large".into()));
    }
    let compiled = CompiledFunc {
        ops: encode::encode(&t.code),
        offsets: t.offsets.into_boxed_slice(),
        num_params,
        num_locals: declared as u32,
        frame_size: frame_size as u32,
        const_base,
        consts: t.consts.into_boxed_slice(),
    };
    Ok((compiled, t.code))
}

impl Translator<'_> {
    /// The scratch slot used to break move cycles.
    #[inline]
    pub fn scratch(&self) -> Slot {
        self.num_locals
    }

    /// The temporary slot of stack position `height`.
    #[inline]
    pub fn temp(&self, height: usize) -> Slot {
        self.num_locals + 1 + self.const_region.unwrap_or(0) + height as u32
    }

    /// Emit an instruction that is not a fusable result producer.
    pub fn emit(&mut self, i: Instr) -> usize {
        self.code.push(i);
        self.offsets.push(self.cur_offset);
        self.last_result = None;
        self.code.len() - 1
    }

    /// Emit an instruction whose result is the new top-of-stack temporary.
    pub fn emit_result(&mut self, i: Instr) {
        self.code.push(i);
        self.offsets.push(self.cur_offset);
        self.last_result = Some(self.code.len() - 1);
        self.push(Operand::Temp);
    }

    pub fn push(&mut self, o: Operand) {
        self.stack.push(o);
        self.max_height = self.max_height.max(self.stack.len() as u32);
    }

    /// Remove the last emitted instruction (it is being fused into the next one).
    pub fn pop_instr(&mut self) {
        self.code.pop();
        self.offsets.pop();
    }

    /// Copy stack entry `k` into its temporary slot, if it is not there already.
    pub fn materialize(&mut self, k: usize) {
        let dst = self.temp(k);
        match self.stack[k] {
            Operand::Temp => return,
            Operand::Local(i) => self.emit(Instr::Copy { dst, src: i }),
            Operand::Const(val) => self.emit(Instr::Const { dst, val }),
        };
        self.stack[k] = Operand::Temp;
    }

    /// Materialise every lazily referenced local on the stack (before control flow splits).
    pub fn preserve_all_locals(&mut self) {
        for k in 0..self.stack.len() {
            if matches!(self.stack[k], Operand::Local(_)) {
                self.materialize(k);
            }
        }
    }

    /// Pop the top operand and return a slot holding it (constants are materialised).
    pub fn pop_slot(&mut self) -> Slot {
        let k = self.stack.len().saturating_sub(1);
        let slot = match self.stack.get(k).copied().unwrap_or(Operand::Temp) {
            Operand::Local(i) => i,
            Operand::Temp => self.temp(k),
            Operand::Const(val) => {
                let dst = self.temp(k);
                self.emit(Instr::Const { dst, val });
                dst
            }
        };
        self.stack.pop();
        slot
    }

    /// The constant-pool slot (placeholder) holding `val`, if the pool has room.
    pub fn const_slot(&mut self, val: u64) -> Option<Slot> {
        let k = self.const_index.get(&val).copied();
        if self.const_region.is_some() {
            // Final pass: the pool is fixed and sits right after the scratch slot.
            return k.map(|k| self.num_locals + 1 + k);
        }
        if let Some(k) = k {
            return Some(CONST_MARK + k);
        }
        if self.consts.len() >= MAX_CONSTS {
            return None;
        }
        let k = self.consts.len() as u32;
        self.consts.push(val);
        self.const_index.insert(val, k);
        Some(CONST_MARK + k)
    }

    /// Pop the top operand as a *source* slot: like [`Self::pop_slot`], but a constant may be
    /// read from the constant pool instead of being materialised.
    pub fn pop_src(&mut self) -> Slot {
        if let Some(&Operand::Const(v)) = self.stack.last()
            && let Some(s) = self.const_slot(v)
        {
            self.stack.pop();
            return s;
        }
        self.pop_slot()
    }

    /// True if global `idx` is an imported externref global, whose accesses the capability
    /// core guards (it is state two compartments may share, like an imported table).
    pub fn guarded_global(&self, idx: u32) -> bool {
        idx < self.module.num_imported_globals
            && self
                .module
                .globals
                .get(idx as usize)
                .is_some_and(|g| g.content == crate::types::ValType::ExternRef)
    }

    /// Pop `n` operands that must become consecutive slots (call arguments); returns the first.
    pub fn pop_args(&mut self, n: usize) -> Slot {
        let start = self.stack.len() - n;
        for k in start..self.stack.len() {
            self.materialize(k);
        }
        self.stack.truncate(start);
        self.temp(start)
    }

    /// Patch the branch at `at` to jump to `target`.
    pub fn patch(&mut self, at: usize, target: usize) {
        if let Some(off) = self.code[at].branch_offset_mut() {
            *off = (target as i64 - at as i64) as i32;
        }
    }
}
