//! Structured control flow: blocks, loops, ifs, branches, `br_table`, returns.

use wasmparser::BlockType;

use super::cond::Cond;
use super::moves::Src;
use super::{Ctrl, CtrlKind, Operand, Translator};
use crate::interp::isa::{Instr, Slot};
use crate::interp::machine::TranslateError;

impl Translator<'_> {
    /// (params, results) of a block type.
    pub fn block_arity(&self, bt: BlockType) -> Result<(u32, u32), TranslateError> {
        Ok(match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(t) => {
                let ty = self
                    .module
                    .types
                    .get(t as usize)
                    .ok_or_else(|| TranslateError("unknown type".into()))?;
                (ty.params().len() as u32, ty.results().len() as u32)
            }
        })
    }

    /// Open a block, loop or if (its condition already consumed).
    pub fn enter(&mut self, kind: CtrlKind, bt: BlockType) -> Result<(), TranslateError> {
        let (params, results) = self.block_arity(bt)?;
        if !self.reachable {
            self.ctrl.push(Ctrl {
                kind,
                height: self.stack.len() as u32,
                params,
                results,
                head: 0,
                patches: Vec::new(),
                else_patch: None,
                unreachable_entry: true,
            });
            return Ok(());
        }
        // Control flow may split or join here: give every value a fixed home first.
        self.preserve_all_locals();
        let height = self.stack.len() - params as usize;
        for k in height..self.stack.len() {
            self.materialize(k);
        }
        self.last_result = None;
        self.ctrl.push(Ctrl {
            kind,
            height: height as u32,
            params,
            results,
            head: self.code.len(),
            patches: Vec::new(),
            else_patch: None,
            unreachable_entry: false,
        });
        Ok(())
    }

    /// The condition for a branch on the top operand, fusing a just-emitted comparison.
    pub fn pop_cond(&mut self) -> Cond {
        let k = self.stack.len() - 1;
        if self.stack[k] == Operand::Temp
            && self.last_result.is_some_and(|i| i + 1 == self.code.len())
        {
            let last = *self
                .code
                .last()
                .expect("last_result points at an instruction");
            let mut probe = last;
            let writes_top = probe.result_slot_mut().is_some_and(|d| *d == self.temp(k));
            if writes_top && let Some(cond) = Cond::from_instr(&last) {
                self.pop_instr();
                self.last_result = None;
                self.stack.pop();
                return cond;
            }
        }
        let slot = self.pop_src();
        Cond::Nez {
            slot,
            negated: false,
            wide: false,
        }
    }

    /// `if`: branch to the else arm (or end) when the condition is false.
    pub fn visit_if(&mut self, bt: BlockType) -> Result<(), TranslateError> {
        if !self.reachable {
            return self.enter(super::CtrlKind::If, bt);
        }
        let cond = self.pop_cond();
        self.enter(CtrlKind::If, bt)?;
        let at = self.emit(cond.negate().branch(0));
        self.ctrl.last_mut().expect("just pushed").else_patch = Some(at);
        Ok(())
    }

    /// Label slots of control frame `depth` (0 = innermost) and how many values it takes.
    fn label(&self, depth: u32) -> (usize, u32, CtrlKind) {
        let idx = self.ctrl.len() - 1 - depth as usize;
        let f = &self.ctrl[idx];
        let arity = if f.kind == CtrlKind::Loop {
            f.params
        } else {
            f.results
        };
        (idx, arity, f.kind)
    }

    /// Moves carrying the branch values to frame `idx`'s label slots.
    fn branch_moves(&self, idx: usize, arity: u32) -> Vec<(Slot, Src)> {
        let base = self.ctrl[idx].height as usize;
        self.top_moves(arity as usize, |i| self.temp(base + i))
    }

    /// Emit the jump itself (values already in place) to frame `idx`.
    fn jump_to(&mut self, idx: usize) {
        let f = &self.ctrl[idx];
        match f.kind {
            CtrlKind::Loop => {
                let at = self.code.len();
                let offset = (f.head as i64 - at as i64) as i32;
                self.emit(Instr::Br { offset });
            }
            _ => {
                let at = self.emit(Instr::Br { offset: 0 });
                self.ctrl[idx].patches.push(at);
            }
        }
    }

    /// Unconditional branch (the values stay on the stack; the caller marks unreachable).
    pub fn emit_br(&mut self, depth: u32) {
        let (idx, arity, kind) = self.label(depth);
        if kind == CtrlKind::Func {
            self.emit_return(arity as usize);
            return;
        }
        let moves = self.branch_moves(idx, arity);
        self.emit_moves(moves);
        self.jump_to(idx);
    }

    /// Conditional branch on `cond`.
    pub fn emit_br_if(&mut self, depth: u32, cond: Cond) {
        let (idx, arity, kind) = self.label(depth);
        let moves = self.branch_moves(idx, arity);
        if kind != CtrlKind::Func && moves.is_empty() {
            let at = self.emit(cond.branch(0));
            match self.ctrl[idx].kind {
                CtrlKind::Loop => {
                    let head = self.ctrl[idx].head;
                    self.patch(at, head);
                }
                _ => self.ctrl[idx].patches.push(at),
            }
            return;
        }
        // Skip over the value moves and the jump when the condition does not hold.
        let skip = self.emit(cond.negate().branch(0));
        self.emit_br(depth);
        let here = self.code.len();
        self.patch(skip, here);
    }

    /// `br_table`: a jump table of `Br` entries; entries that need value moves go to stubs.
    pub fn emit_br_table(&mut self, index: Slot, targets: &[u32], default: u32) {
        let len = targets.len() as u32;
        self.emit(Instr::BrTable { index, len });
        let first = self.code.len();
        let all: Vec<u32> = targets.iter().copied().chain([default]).collect();
        for _ in &all {
            self.emit(Instr::Br { offset: 0 });
        }
        let mut stubs = Vec::new();
        for (i, &depth) in all.iter().enumerate() {
            let at = first + i;
            let (idx, arity, kind) = self.label(depth);
            if kind != CtrlKind::Func && self.branch_moves(idx, arity).is_empty() {
                match kind {
                    CtrlKind::Loop => {
                        let head = self.ctrl[idx].head;
                        self.patch(at, head);
                    }
                    _ => self.ctrl[idx].patches.push(at),
                }
            } else {
                stubs.push((at, depth));
            }
        }
        for (at, depth) in stubs {
            let here = self.code.len();
            self.patch(at, here);
            self.emit_br(depth);
        }
    }

    /// `else`: close the then arm and start the else arm.
    pub fn visit_else(&mut self) {
        let idx = self.ctrl.len() - 1;
        if self.reachable && !self.ctrl[idx].unreachable_entry {
            let results = self.ctrl[idx].results;
            let moves = self.branch_moves(idx, results);
            self.emit_moves(moves);
            self.jump_to(idx);
        }
        let f = &mut self.ctrl[idx];
        f.kind = CtrlKind::Else;
        let else_patch = f.else_patch.take();
        let (height, params, unreachable_entry) = (f.height, f.params, f.unreachable_entry);
        if let Some(at) = else_patch {
            let here = self.code.len();
            self.patch(at, here);
        }
        self.stack.truncate(height as usize);
        for _ in 0..params {
            self.push(Operand::Temp);
        }
        self.reachable = !unreachable_entry;
        self.last_result = None;
    }

    /// `end` of the innermost construct.
    pub fn visit_end(&mut self) {
        let idx = self.ctrl.len() - 1;
        if self.ctrl[idx].kind == CtrlKind::Func {
            if self.reachable {
                let n = self.ctrl[idx].results as usize;
                self.emit_return(n);
            }
            self.ctrl.pop();
            return;
        }
        if self.reachable && !self.ctrl[idx].unreachable_entry {
            let results = self.ctrl[idx].results;
            let moves = self.branch_moves(idx, results);
            self.emit_moves(moves);
        }
        let f = self.ctrl.pop().expect("frame exists");
        let here = self.code.len();
        let mut joined = !f.patches.is_empty();
        for &at in &f.patches {
            self.patch(at, here);
        }
        if let Some(at) = f.else_patch {
            // `if` without `else`: the false path arrives here with the params as results.
            self.patch(at, here);
            joined = true;
        }
        self.stack.truncate(f.height as usize);
        for _ in 0..f.results {
            self.push(Operand::Temp);
        }
        self.reachable = !f.unreachable_entry && (self.reachable || joined);
        self.last_result = None;
    }

    /// After an unconditional transfer: the rest of the block is unreachable.
    pub fn set_unreachable(&mut self) {
        let h = self.ctrl.last().map_or(0, |f| f.height as usize);
        self.stack.truncate(h);
        self.reachable = false;
        self.last_result = None;
    }
}
