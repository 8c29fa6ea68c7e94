//! Tables of references.
//!
//! Elements are raw reference cells: a funcref is `FuncAddr + 1` inside the owning store
//! (0 is null), an externref is an opaque non-zero host value (0 is null).

use crate::error::{Trap, TrapCode};
use crate::types::{MAX_TABLE_ELEMS, TableType};

/// A table instance.
#[derive(Debug, Clone)]
pub struct Table {
    ty: TableType,
    elems: Vec<u64>,
    max: u64,
}

fn oob() -> Trap {
    Trap::Code(TrapCode::TableOutOfBounds)
}

impl Table {
    /// A table of `ty.limits.min` elements, all `init`.
    pub fn new(ty: TableType, init: u64) -> Result<Table, String> {
        let max = ty
            .limits
            .max
            .unwrap_or(u64::from(u32::MAX))
            .min(MAX_TABLE_ELEMS);
        if ty.limits.min > max {
            return Err("table size too large".to_string());
        }
        Ok(Table {
            ty,
            elems: vec![init; ty.limits.min as usize],
            max,
        })
    }

    /// The table type with the current size as minimum.
    pub fn ty(&self) -> TableType {
        let mut t = self.ty;
        t.limits.min = self.elems.len() as u64;
        t
    }

    /// Current number of elements.
    pub fn size(&self) -> u32 {
        self.elems.len() as u32
    }

    /// Maximum number of elements.
    pub fn max(&self) -> u64 {
        self.max
    }

    /// Element `i`.
    #[inline]
    pub fn get(&self, i: u32) -> Result<u64, Trap> {
        self.elems.get(i as usize).copied().ok_or_else(oob)
    }

    /// Set element `i`.
    pub fn set(&mut self, i: u32, v: u64) -> Result<(), Trap> {
        *self.elems.get_mut(i as usize).ok_or_else(oob)? = v;
        Ok(())
    }

    /// All elements.
    pub fn elems(&self) -> &[u64] {
        &self.elems
    }

    /// Grow by `delta`, filling with `init`. Returns the old size or `None`.
    pub fn grow(&mut self, delta: u32, init: u64) -> Option<u32> {
        let old = self.elems.len() as u64;
        let new = old + u64::from(delta);
        if new > self.max {
            return None;
        }
        self.elems.try_reserve(delta as usize).ok()?;
        self.elems.resize(new as usize, init);
        Some(old as u32)
    }

    /// `table.fill`.
    pub fn fill(&mut self, at: u32, v: u64, len: u32) -> Result<(), Trap> {
        let end = u64::from(at) + u64::from(len);
        if end > self.elems.len() as u64 {
            return Err(oob());
        }
        self.elems[at as usize..end as usize].fill(v);
        Ok(())
    }

    /// Copy within this table (overlap allowed).
    pub fn copy_within(&mut self, dst: u32, src: u32, len: u32) -> Result<(), Trap> {
        let n = self.elems.len() as u64;
        if u64::from(dst) + u64::from(len) > n || u64::from(src) + u64::from(len) > n {
            return Err(oob());
        }
        let (d, s, l) = (dst as usize, src as usize, len as usize);
        self.elems.copy_within(s..s + l, d);
        Ok(())
    }

    /// Write `items[src .. src + len]` at `dst` (`table.init` and table-to-table copies).
    pub fn init(&mut self, dst: u32, items: &[u64], src: u32, len: u32) -> Result<(), Trap> {
        let (d, s, l) = (u64::from(dst), u64::from(src), u64::from(len));
        if d + l > self.elems.len() as u64 || s + l > items.len() as u64 {
            return Err(oob());
        }
        self.elems[d as usize..(d + l) as usize]
            .copy_from_slice(&items[s as usize..(s + l) as usize]);
        Ok(())
    }
}
