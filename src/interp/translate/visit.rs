//! Per-operator translation.

use wasmparser::Operator as O;

use super::{CtrlKind, Operand, Translator};
use crate::interp::isa::{Instr, Slot};
use crate::interp::machine::TranslateError;

/// Constant operand usable as an `i32` immediate.
fn imm_of(op: Operand, wide: bool) -> Option<i32> {
    match op {
        Operand::Const(v) if !wide => Some(v as u32 as i32),
        Operand::Const(v) if (v as i64) == i64::from(v as i64 as i32) => Some(v as i64 as i32),
        _ => None,
    }
}

impl Translator<'_> {
    /// A binary operator; `imm` builds the immediate form (`commutative` allows swapping a
    /// constant left operand to the right).
    fn binary(
        &mut self,
        wide: bool,
        commutative: bool,
        reg: impl Fn(Slot, Slot, Slot) -> Instr,
        imm: Option<&dyn Fn(Slot, Slot, i32) -> Instr>,
    ) {
        let n = self.stack.len();
        let (lhs, rhs) = (self.stack[n - 2], self.stack[n - 1]);
        let dst = self.temp(n - 2);
        if let Some(imm) = imm {
            if let Some(c) = imm_of(rhs, wide) {
                self.stack.pop();
                let l = self.pop_src();
                self.emit_result(imm(dst, l, c));
                return;
            }
            if commutative && let Some(c) = imm_of(lhs, wide) {
                let r = self.pop_src();
                self.stack.pop();
                self.emit_result(imm(dst, r, c));
                return;
            }
        }
        let r = self.pop_src();
        let l = self.pop_src();
        self.emit_result(reg(dst, l, r));
    }

    fn unary(&mut self, make: impl Fn(Slot, Slot) -> Instr) {
        let dst = self.temp(self.stack.len() - 1);
        let src = self.pop_src();
        self.emit_result(make(dst, src));
    }

    /// If stack entry `k` was computed by the last instruction as `x + imm` (i32), return
    /// `(x, imm)`: a zero-offset access can then fold the addition (with 32-bit wrapping).
    fn fusable_add(&self, k: usize) -> Option<(Slot, i32)> {
        if self.stack.get(k) != Some(&Operand::Temp)
            || self.last_result.is_none_or(|i| i + 1 != self.code.len())
        {
            return None;
        }
        match *self.code.last()? {
            Instr::I32AddImm { dst, lhs, imm } if dst == self.temp(k) => Some((lhs, imm)),
            _ => None,
        }
    }

    fn load(
        &mut self,
        offset: u64,
        make: impl Fn(Slot, Slot, u32) -> Instr,
        wrap: Option<&dyn Fn(Slot, Slot, u32) -> Instr>,
    ) {
        let k = self.stack.len() - 1;
        let dst = self.temp(k);
        if offset == 0
            && let Some(wrap) = wrap
            && let Some((base, disp)) = self.fusable_add(k)
        {
            self.pop_instr();
            self.stack.pop();
            self.emit_result(wrap(dst, base, disp as u32));
            return;
        }
        let (addr, offset) = self.pop_address(offset);
        self.emit_result(make(dst, addr, offset));
    }

    /// Pop an address operand. A constant address is folded into the offset (the effective
    /// address `c + offset` is computed without wrapping in both forms) and read from a zero
    /// in the constant pool, so no instruction materialises it.
    fn pop_address(&mut self, offset: u64) -> (Slot, u32) {
        if let Some(&Operand::Const(c)) = self.stack.last() {
            let ea = u64::from(c as u32) + offset;
            if let (Ok(ea), Some(zero)) = (u32::try_from(ea), self.const_slot(0)) {
                self.stack.pop();
                return (zero, ea);
            }
        }
        (self.pop_src(), offset as u32)
    }

    fn store(
        &mut self,
        offset: u64,
        make: impl Fn(Slot, Slot, u32) -> Instr,
        wrap: Option<&dyn Fn(Slot, Slot, u32) -> Instr>,
    ) {
        let addr_k = self.stack.len() - 2;
        let fuse = if offset == 0 && wrap.is_some() {
            self.fusable_add(addr_k).map(|f| (f, self.code.len()))
        } else {
            None
        };
        let src = self.pop_src();
        if let (Some(((base, disp), len)), Some(wrap)) = (fuse, wrap)
            && len == self.code.len()
        {
            self.pop_instr();
            self.stack.pop();
            self.emit(wrap(base, src, disp as u32));
            return;
        }
        let (addr, offset) = self.pop_address(offset);
        self.emit(make(addr, src, offset));
    }

    /// `local.set` / `local.tee`.
    fn local_set(&mut self, x: u32, tee: bool) {
        let top = self.stack.len() - 1;
        let v = self.stack[top];
        if v == Operand::Local(x) {
            if !tee {
                self.stack.pop();
            }
            return;
        }
        let referenced_below = self.stack[..top].contains(&Operand::Local(x));
        // Fuse: retarget the instruction that produced the top value straight into the local.
        if v == Operand::Temp && !referenced_below {
            let tmp = self.temp(top);
            if let Some(i) = self.last_result.filter(|&i| i + 1 == self.code.len())
                && let Some(dst) = self.code[i].result_slot_mut()
                && *dst == tmp
            {
                *dst = x;
                self.last_result = None;
                self.stack.pop();
                if tee {
                    self.push(Operand::Local(x));
                }
                return;
            }
        }
        for k in 0..top {
            if self.stack[k] == Operand::Local(x) {
                self.materialize(k);
            }
        }
        match v {
            Operand::Local(i) => self.emit(Instr::Copy { dst: x, src: i }),
            Operand::Temp => self.emit(Instr::Copy {
                dst: x,
                src: self.temp(top),
            }),
            Operand::Const(val) => self.emit(Instr::Const { dst: x, val }),
        };
        self.stack.pop();
        if tee {
            self.push(match v {
                Operand::Const(c) => Operand::Const(c),
                _ => Operand::Local(x),
            });
        }
    }

    fn call(&mut self, callee: u32) -> Result<(), TranslateError> {
        let m = self.module;
        let ty = m
            .types
            .get(
                m.funcs
                    .get(callee as usize)
                    .ok_or_else(|| TranslateError("unknown function".into()))?
                    .index(),
            )
            .ok_or_else(|| TranslateError("unknown type".into()))?
            .clone();
        let base = self.pop_args(ty.params().len());
        if let Some(def) = callee.checked_sub(m.num_imported_funcs) {
            self.emit(Instr::CallInternal { func: def, base });
        } else {
            self.emit(Instr::CallImport { func: callee, base });
        }
        for _ in ty.results() {
            self.push(Operand::Temp);
        }
        Ok(())
    }

    fn call_indirect(&mut self, type_idx: u32, table: u32) -> Result<(), TranslateError> {
        let ty = self
            .module
            .types
            .get(type_idx as usize)
            .ok_or_else(|| TranslateError("unknown type".into()))?
            .clone();
        let index = self.pop_src();
        let base = self.pop_args(ty.params().len());
        self.emit(Instr::CallIndirect {
            type_idx,
            index,
            base,
        });
        self.emit(Instr::Meta {
            a: table,
            b: 0,
            c: 0,
        });
        for _ in ty.results() {
            self.push(Operand::Temp);
        }
        Ok(())
    }

    /// Pop three operands (bulk operations): returns (first, second, third) in push order.
    fn pop3(&mut self) -> (Slot, Slot, Slot) {
        let c = self.pop_src();
        let b = self.pop_src();
        let a = self.pop_src();
        (a, b, c)
    }

    fn meta(&mut self, a: u32, b: u32) {
        self.emit(Instr::Meta { a, b, c: 0 });
    }

    /// Translate one operator.
    pub fn visit(&mut self, op: O<'_>) -> Result<(), TranslateError> {
        if !self.reachable {
            match op {
                O::Block { blockty } => self.enter(CtrlKind::Block, blockty)?,
                O::Loop { blockty } => self.enter(CtrlKind::Loop, blockty)?,
                O::If { blockty } => self.enter(CtrlKind::If, blockty)?,
                O::Else => self.visit_else(),
                O::End => self.visit_end(),
                _ => {}
            }
            return Ok(());
        }
        macro_rules! bin {
            ($wide:expr, $comm:expr, $reg:ident, $imm:ident) => {
                self.binary(
                    $wide,
                    $comm,
                    |dst, lhs, rhs| Instr::$reg { dst, lhs, rhs },
                    Some(&|dst, lhs, imm| Instr::$imm { dst, lhs, imm }),
                )
            };
            ($reg:ident) => {
                self.binary(
                    false,
                    false,
                    |dst, lhs, rhs| Instr::$reg { dst, lhs, rhs },
                    None,
                )
            };
        }
        macro_rules! un {
            ($v:ident) => {
                self.unary(|dst, src| Instr::$v { dst, src })
            };
        }
        macro_rules! ld {
            ($m:expr, $v:ident) => {
                self.load(
                    $m.offset,
                    |dst, addr, offset| Instr::$v { dst, addr, offset },
                    None,
                )
            };
            ($m:expr, $v:ident, $w:ident) => {
                self.load(
                    $m.offset,
                    |dst, addr, offset| Instr::$v { dst, addr, offset },
                    Some(&|dst, addr, disp| Instr::$w { dst, addr, disp }),
                )
            };
        }
        macro_rules! st {
            ($m:expr, $v:ident) => {
                self.store(
                    $m.offset,
                    |addr, src, offset| Instr::$v { addr, src, offset },
                    None,
                )
            };
            ($m:expr, $v:ident, $w:ident) => {
                self.store(
                    $m.offset,
                    |addr, src, offset| Instr::$v { addr, src, offset },
                    Some(&|addr, src, disp| Instr::$w { addr, src, disp }),
                )
            };
        }
        match op {
            O::Nop => {}
            O::Unreachable => {
                self.emit(Instr::Unreachable {});
                self.set_unreachable();
            }
            O::Block { blockty } => self.enter(CtrlKind::Block, blockty)?,
            O::Loop { blockty } => self.enter(CtrlKind::Loop, blockty)?,
            O::If { blockty } => self.visit_if(blockty)?,
            O::Else => self.visit_else(),
            O::End => self.visit_end(),
            O::Br { relative_depth } => {
                self.emit_br(relative_depth);
                self.set_unreachable();
            }
            O::BrIf { relative_depth } => {
                let cond = self.pop_cond();
                self.emit_br_if(relative_depth, cond);
            }
            O::BrTable { targets } => {
                let index = self.pop_src();
                let default = targets.default();
                let list = targets
                    .targets()
                    .collect::<Result<Vec<u32>, _>>()
                    .map_err(|e| TranslateError(e.message().to_string()))?;
                self.emit_br_table(index, &list, default);
                self.set_unreachable();
            }
            O::Return => {
                let n = self.ctrl[0].results as usize;
                self.emit_return(n);
                self.set_unreachable();
            }
            O::Call { function_index } => self.call(function_index)?,
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index)?,
            O::Drop => {
                self.stack.pop();
            }
            O::Select | O::TypedSelect { .. } | O::TypedSelectMulti { .. } => {
                let cond = self.pop_src();
                let b = self.pop_src();
                let dst = self.temp(self.stack.len() - 1);
                let a = self.pop_src();
                self.emit(Instr::Select { dst, a, b });
                self.meta(cond, 0);
                self.push(Operand::Temp);
            }
            O::LocalGet { local_index } => self.push(Operand::Local(local_index)),
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => {
                let dst = self.temp(self.stack.len());
                let idx = global_index;
                self.emit_result(if self.guarded_global(idx) {
                    Instr::GlobalGetGuarded { dst, idx }
                } else {
                    Instr::GlobalGet { dst, idx }
                });
            }
            O::GlobalSet { global_index } => {
                let src = self.pop_src();
                let idx = global_index;
                self.emit(if self.guarded_global(idx) {
                    Instr::GlobalSetGuarded { src, idx }
                } else {
                    Instr::GlobalSet { src, idx }
                });
            }
            O::I32Load { memarg } | O::F32Load { memarg } => ld!(memarg, I32Load, I32LoadW),
            O::I64Load { memarg } | O::F64Load { memarg } => ld!(memarg, I64Load, I64LoadW),
            O::I32Load8S { memarg } => ld!(memarg, I32Load8S, I32Load8SW),
            O::I32Load8U { memarg } => ld!(memarg, I32Load8U, I32Load8UW),
            O::I32Load16S { memarg } => ld!(memarg, I32Load16S, I32Load16SW),
            O::I32Load16U { memarg } => ld!(memarg, I32Load16U, I32Load16UW),
            O::I64Load8S { memarg } => ld!(memarg, I64Load8S),
            O::I64Load8U { memarg } => ld!(memarg, I64Load8U),
            O::I64Load16S { memarg } => ld!(memarg, I64Load16S),
            O::I64Load16U { memarg } => ld!(memarg, I64Load16U),
            O::I64Load32S { memarg } => ld!(memarg, I64Load32S),
            O::I64Load32U { memarg } => ld!(memarg, I64Load32U),
            O::I32Store { memarg } | O::F32Store { memarg } => st!(memarg, I32Store, I32StoreW),
            O::I64Store { memarg } | O::F64Store { memarg } => st!(memarg, I64Store, I64StoreW),
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                st!(memarg, I32Store8, I32Store8W)
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                st!(memarg, I32Store16, I32Store16W)
            }
            O::I64Store32 { memarg } => st!(memarg, I64Store32),
            O::MemorySize { .. } => {
                let dst = self.temp(self.stack.len());
                self.emit_result(Instr::MemorySize { dst });
            }
            O::MemoryGrow { .. } => {
                let dst = self.temp(self.stack.len() - 1);
                let delta = self.pop_src();
                self.emit(Instr::MemoryGrow { dst, delta });
                self.push(Operand::Temp);
            }
            O::MemoryFill { .. } => {
                let (dst, val, len) = self.pop3();
                self.emit(Instr::MemoryFill { dst, val, len });
            }
            O::MemoryCopy { .. } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::MemoryCopy { dst, src, len });
            }
            O::MemoryInit { data_index, .. } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::MemoryInit { dst, src, len });
                self.meta(data_index, 0);
            }
            O::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { seg: data_index });
            }
            O::TableGet { table } => {
                let dst = self.temp(self.stack.len() - 1);
                let index = self.pop_src();
                self.emit_result(Instr::TableGet { dst, index, table });
            }
            O::TableSet { table } => {
                let val = self.pop_src();
                let index = self.pop_src();
                self.emit(Instr::TableSet { index, val, table });
            }
            O::TableSize { table } => {
                let dst = self.temp(self.stack.len());
                self.emit_result(Instr::TableSize { dst, table });
            }
            O::TableGrow { table } => {
                let dst = self.temp(self.stack.len() - 2);
                let delta = self.pop_src();
                let init = self.pop_src();
                self.emit(Instr::TableGrow { dst, init, delta });
                self.meta(table, 0);
                self.push(Operand::Temp);
            }
            O::TableFill { table } => {
                let (index, val, len) = self.pop3();
                self.emit(Instr::TableFill { index, val, len });
                self.meta(table, 0);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::TableCopy { dst, src, len });
                self.meta(dst_table, src_table);
            }
            O::TableInit { elem_index, table } => {
                let (dst, src, len) = self.pop3();
                self.emit(Instr::TableInit { dst, src, len });
                self.meta(table, elem_index);
            }
            O::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { seg: elem_index });
            }
            O::I32Const { value } => self.push(Operand::Const(u64::from(value as u32))),
            O::I64Const { value } => self.push(Operand::Const(value as u64)),
            O::F32Const { value } => self.push(Operand::Const(u64::from(value.bits()))),
            O::F64Const { value } => self.push(Operand::Const(value.bits())),
            O::RefNull { .. } => self.push(Operand::Const(0)),
            O::RefIsNull => un!(RefIsNull),
            O::RefFunc { function_index } => {
                let dst = self.temp(self.stack.len());
                self.emit_result(Instr::RefFunc {
                    dst,
                    func: function_index,
                });
            }
            O::I32Eqz => un!(I32Eqz),
            O::I32Eq => bin!(false, true, I32Eq, I32EqImm),
            O::I32Ne => bin!(false, true, I32Ne, I32NeImm),
            O::I32LtS => bin!(false, false, I32LtS, I32LtSImm),
            O::I32LtU => bin!(false, false, I32LtU, I32LtUImm),
            O::I32GtS => bin!(false, false, I32GtS, I32GtSImm),
            O::I32GtU => bin!(false, false, I32GtU, I32GtUImm),
            O::I32LeS => bin!(false, false, I32LeS, I32LeSImm),
            O::I32LeU => bin!(false, false, I32LeU, I32LeUImm),
            O::I32GeS => bin!(false, false, I32GeS, I32GeSImm),
            O::I32GeU => bin!(false, false, I32GeU, I32GeUImm),
            O::I64Eqz => un!(I64Eqz),
            O::I64Eq => bin!(true, true, I64Eq, I64EqImm),
            O::I64Ne => bin!(true, true, I64Ne, I64NeImm),
            O::I64LtS => bin!(true, false, I64LtS, I64LtSImm),
            O::I64LtU => bin!(true, false, I64LtU, I64LtUImm),
            O::I64GtS => bin!(true, false, I64GtS, I64GtSImm),
            O::I64GtU => bin!(true, false, I64GtU, I64GtUImm),
            O::I64LeS => bin!(true, false, I64LeS, I64LeSImm),
            O::I64LeU => bin!(true, false, I64LeU, I64LeUImm),
            O::I64GeS => bin!(true, false, I64GeS, I64GeSImm),
            O::I64GeU => bin!(true, false, I64GeU, I64GeUImm),
            O::F32Eq => bin!(F32Eq),
            O::F32Ne => bin!(F32Ne),
            O::F32Lt => bin!(F32Lt),
            O::F32Gt => bin!(F32Gt),
            O::F32Le => bin!(F32Le),
            O::F32Ge => bin!(F32Ge),
            O::F64Eq => bin!(F64Eq),
            O::F64Ne => bin!(F64Ne),
            O::F64Lt => bin!(F64Lt),
            O::F64Gt => bin!(F64Gt),
            O::F64Le => bin!(F64Le),
            O::F64Ge => bin!(F64Ge),
            O::I32Clz => un!(I32Clz),
            O::I32Ctz => un!(I32Ctz),
            O::I32Popcnt => un!(I32Popcnt),
            O::I32Add => bin!(false, true, I32Add, I32AddImm),
            O::I32Sub => bin!(false, false, I32Sub, I32SubImm),
            O::I32Mul => bin!(false, true, I32Mul, I32MulImm),
            O::I32DivS => bin!(false, false, I32DivS, I32DivSImm),
            O::I32DivU => bin!(false, false, I32DivU, I32DivUImm),
            O::I32RemS => bin!(false, false, I32RemS, I32RemSImm),
            O::I32RemU => bin!(false, false, I32RemU, I32RemUImm),
            O::I32And => bin!(false, true, I32And, I32AndImm),
            O::I32Or => bin!(false, true, I32Or, I32OrImm),
            O::I32Xor => bin!(false, true, I32Xor, I32XorImm),
            O::I32Shl => bin!(false, false, I32Shl, I32ShlImm),
            O::I32ShrS => bin!(false, false, I32ShrS, I32ShrSImm),
            O::I32ShrU => bin!(false, false, I32ShrU, I32ShrUImm),
            O::I32Rotl => bin!(false, false, I32Rotl, I32RotlImm),
            O::I32Rotr => bin!(false, false, I32Rotr, I32RotrImm),
            O::I64Clz => un!(I64Clz),
            O::I64Ctz => un!(I64Ctz),
            O::I64Popcnt => un!(I64Popcnt),
            O::I64Add => bin!(true, true, I64Add, I64AddImm),
            O::I64Sub => bin!(true, false, I64Sub, I64SubImm),
            O::I64Mul => bin!(true, true, I64Mul, I64MulImm),
            O::I64DivS => bin!(true, false, I64DivS, I64DivSImm),
            O::I64DivU => bin!(true, false, I64DivU, I64DivUImm),
            O::I64RemS => bin!(true, false, I64RemS, I64RemSImm),
            O::I64RemU => bin!(true, false, I64RemU, I64RemUImm),
            O::I64And => bin!(true, true, I64And, I64AndImm),
            O::I64Or => bin!(true, true, I64Or, I64OrImm),
            O::I64Xor => bin!(true, true, I64Xor, I64XorImm),
            O::I64Shl => bin!(true, false, I64Shl, I64ShlImm),
            O::I64ShrS => bin!(true, false, I64ShrS, I64ShrSImm),
            O::I64ShrU => bin!(true, false, I64ShrU, I64ShrUImm),
            O::I64Rotl => bin!(true, false, I64Rotl, I64RotlImm),
            O::I64Rotr => bin!(true, false, I64Rotr, I64RotrImm),
            O::F32Abs => un!(F32Abs),
            O::F32Neg => un!(F32Neg),
            O::F32Ceil => un!(F32Ceil),
            O::F32Floor => un!(F32Floor),
            O::F32Trunc => un!(F32Trunc),
            O::F32Nearest => un!(F32Nearest),
            O::F32Sqrt => un!(F32Sqrt),
            O::F32Add => bin!(F32Add),
            O::F32Sub => bin!(F32Sub),
            O::F32Mul => bin!(F32Mul),
            O::F32Div => bin!(F32Div),
            O::F32Min => bin!(F32Min),
            O::F32Max => bin!(F32Max),
            O::F32Copysign => bin!(F32Copysign),
            O::F64Abs => un!(F64Abs),
            O::F64Neg => un!(F64Neg),
            O::F64Ceil => un!(F64Ceil),
            O::F64Floor => un!(F64Floor),
            O::F64Trunc => un!(F64Trunc),
            O::F64Nearest => un!(F64Nearest),
            O::F64Sqrt => un!(F64Sqrt),
            O::F64Add => bin!(F64Add),
            O::F64Sub => bin!(F64Sub),
            O::F64Mul => bin!(F64Mul),
            O::F64Div => bin!(F64Div),
            O::F64Min => bin!(F64Min),
            O::F64Max => bin!(F64Max),
            O::F64Copysign => bin!(F64Copysign),
            // i32 readers use only the low 32 bits, so wrapping is free. Reinterpretations
            // keep the same bits in the cell.
            O::I32WrapI64
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64 => {}
            O::I32TruncF32S => un!(I32TruncF32S),
            O::I32TruncF32U => un!(I32TruncF32U),
            O::I32TruncF64S => un!(I32TruncF64S),
            O::I32TruncF64U => un!(I32TruncF64U),
            O::I64ExtendI32S => un!(I64ExtendI32S),
            O::I64ExtendI32U => un!(I64ExtendI32U),
            O::I64TruncF32S => un!(I64TruncF32S),
            O::I64TruncF32U => un!(I64TruncF32U),
            O::I64TruncF64S => un!(I64TruncF64S),
            O::I64TruncF64U => un!(I64TruncF64U),
            O::F32ConvertI32S => un!(F32ConvertI32S),
            O::F32ConvertI32U => un!(F32ConvertI32U),
            O::F32ConvertI64S => un!(F32ConvertI64S),
            O::F32ConvertI64U => un!(F32ConvertI64U),
            O::F32DemoteF64 => un!(F32DemoteF64),
            O::F64ConvertI32S => un!(F64ConvertI32S),
            O::F64ConvertI32U => un!(F64ConvertI32U),
            O::F64ConvertI64S => un!(F64ConvertI64S),
            O::F64ConvertI64U => un!(F64ConvertI64U),
            O::F64PromoteF32 => un!(F64PromoteF32),
            O::I32Extend8S => un!(I32Extend8S),
            O::I32Extend16S => un!(I32Extend16S),
            O::I64Extend8S => un!(I64Extend8S),
            O::I64Extend16S => un!(I64Extend16S),
            O::I64Extend32S => un!(I64Extend32S),
            O::I32TruncSatF32S => un!(I32TruncSatF32S),
            O::I32TruncSatF32U => un!(I32TruncSatF32U),
            O::I32TruncSatF64S => un!(I32TruncSatF64S),
            O::I32TruncSatF64U => un!(I32TruncSatF64U),
            O::I64TruncSatF32S => un!(I64TruncSatF32S),
            O::I64TruncSatF32U => un!(I64TruncSatF32U),
            O::I64TruncSatF64S => un!(I64TruncSatF64S),
            O::I64TruncSatF64U => un!(I64TruncSatF64U),
            // Validation admits nothing else (WebAssembly 2.0 without SIMD). The operator is not
            // printed, which keeps wasmparser's large `Debug` implementation out of the binary.
            _ => return Err(TranslateError("unsupported operator".into())),
        }
        Ok(())
    }
}
