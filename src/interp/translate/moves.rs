//! Parallel moves: placing several values into fixed slots at once (branch and block results,
//! function returns) without overwriting a source before it is read.

use super::{Operand, Translator};
use crate::interp::isa::{Instr, Slot};

/// The source of one move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Src {
    Slot(Slot),
    Const(u64),
}

impl Translator<'_> {
    /// The source of stack entry `k` without materialising it.
    pub fn src_of(&self, k: usize) -> Src {
        match self.stack[k] {
            Operand::Local(i) => Src::Slot(i),
            Operand::Temp => Src::Slot(self.temp(k)),
            Operand::Const(v) => Src::Const(v),
        }
    }

    /// Moves that put the top `n` stack values into `dst(0)..dst(n-1)`.
    pub fn top_moves(&self, n: usize, dst: impl Fn(usize) -> Slot) -> Vec<(Slot, Src)> {
        let start = self.stack.len() - n;
        (0..n)
            .map(|i| (dst(i), self.src_of(start + i)))
            .filter(|(d, s)| *s != Src::Slot(*d))
            .collect()
    }

    /// Emit `moves` as a sequence of copies with the same effect as doing them simultaneously.
    pub fn emit_moves(&mut self, mut moves: Vec<(Slot, Src)>) {
        while !moves.is_empty() {
            // A move is ready when no other pending move still reads its destination.
            let ready = (0..moves.len()).find(|&i| {
                let d = moves[i].0;
                !moves
                    .iter()
                    .enumerate()
                    .any(|(j, m)| j != i && m.1 == Src::Slot(d))
            });
            match ready {
                Some(i) => {
                    let (dst, src) = moves.swap_remove(i);
                    match src {
                        Src::Slot(s) => self.emit(Instr::Copy { dst, src: s }),
                        Src::Const(val) => self.emit(Instr::Const { dst, val }),
                    };
                }
                None => {
                    // Every destination is still needed as a source, so some moves form a cycle.
                    // Park a source that is also a destination in the scratch slot. The cycle
                    // then unwinds completely before the scratch slot could be needed again.
                    let s = moves
                        .iter()
                        .find_map(|m| match m.1 {
                            Src::Slot(s) if moves.iter().any(|n| n.0 == s) => Some(s),
                            _ => None,
                        })
                        .expect("a blocked set of moves contains a cycle");
                    let scratch = self.scratch();
                    self.emit(Instr::Copy {
                        dst: scratch,
                        src: s,
                    });
                    for m in moves.iter_mut() {
                        if m.1 == Src::Slot(s) {
                            m.1 = Src::Slot(scratch);
                        }
                    }
                }
            }
        }
    }

    /// Emit the function return: results (the top `n` values) into slots `0..n`, then return.
    pub fn emit_return(&mut self, n: usize) {
        if n == 1 {
            match self.src_of(self.stack.len() - 1) {
                Src::Slot(s) => {
                    self.emit(Instr::ReturnSlot { src: s });
                }
                Src::Const(val) => {
                    self.emit(Instr::Const { dst: 0, val });
                    self.emit(Instr::Return {});
                }
            }
            return;
        }
        let moves = self.top_moves(n, |i| i as Slot);
        self.emit_moves(moves);
        self.emit(Instr::Return {});
    }
}
