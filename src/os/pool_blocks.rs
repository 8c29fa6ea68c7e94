//! The block layer of [`super`]: reading and writing block headers, the segregated free lists,
//! splitting and coalescing, all on a heap whose lock is held ([`Locked`]).
//!
//! # Invariants
//! Every access goes through [`Locked::rd`] / [`Locked::wr`], which check `offset + 4 <= size`
//! against the block area, with the heap's lock held (the `Locked` value).

use super::*;

impl Locked<'_> {
    pub(super) fn rd(&self, off: u32) -> Result<u32, Corrupt> {
        if off.checked_add(4).is_none_or(|e| e > self.h.size) {
            return Err(Corrupt);
        }
        // SAFETY: `off + 4 <= size`, inside the block area (module invariant); offsets are
        // multiples of 4 and `base % 4 == 0`, so the read is aligned.
        Ok(unsafe { self.base.add(off as usize).cast::<u32>().read() })
    }

    pub(super) fn wr(&mut self, off: u32, v: u32) -> Result<(), Corrupt> {
        if off.checked_add(4).is_none_or(|e| e > self.h.size) {
            return Err(Corrupt);
        }
        // SAFETY: as in `rd`; the lock gives exclusive access to the block area.
        unsafe { self.base.add(off as usize).cast::<u32>().write(v) };
        Ok(())
    }

    /// Size of the block at `o`, checked to be a sane block inside the heap.
    pub(super) fn bsize(&self, o: u32) -> Result<(u32, u32), Corrupt> {
        let hdr = self.rd(o)?;
        let sz = hdr & !FLAGS;
        if sz < MIN_BLOCK || o as u64 + sz as u64 > self.h.size as u64 {
            return Err(Corrupt);
        }
        Ok((hdr, sz))
    }

    pub(super) fn set_prev_used(&mut self, o: u32, used: bool) -> Result<(), Corrupt> {
        if o >= self.h.size {
            return Ok(());
        }
        let hdr = self.rd(o)?;
        self.wr(
            o,
            if used {
                hdr | PREV_USED
            } else {
                hdr & !PREV_USED
            },
        )
    }

    pub(super) fn insert(&mut self, o: u32, sz: u32, prev_used: bool) -> Result<(), Corrupt> {
        let c = class_of(sz);
        let next = self.h.heads[c];
        self.wr(o, sz | if prev_used { PREV_USED } else { 0 })?;
        self.wr(o + 4, next)?;
        self.wr(o + 8, NIL)?;
        self.wr(o + sz - 4, sz)?;
        if next != NIL {
            self.wr(next + 8, o)?;
        }
        self.h.heads[c] = o;
        self.h.nonempty |= 1 << c;
        Ok(())
    }

    pub(super) fn remove(&mut self, o: u32, sz: u32) -> Result<(), Corrupt> {
        let c = class_of(sz);
        let next = self.rd(o + 4)?;
        let prev = self.rd(o + 8)?;
        if self.rd(o + sz - 4)? != sz {
            return Err(Corrupt);
        }
        if prev == NIL {
            if self.h.heads[c] != o {
                return Err(Corrupt);
            }
            self.h.heads[c] = next;
        } else {
            if self.rd(prev + 4)? != o {
                return Err(Corrupt);
            }
            self.wr(prev + 4, next)?;
        }
        if next != NIL {
            if self.rd(next + 8)? != o {
                return Err(Corrupt);
            }
            self.wr(next + 8, prev)?;
        }
        if self.h.heads[c] == NIL {
            self.h.nonempty &= !(1 << c);
        }
        Ok(())
    }

    /// A free block of at least `need` bytes: `(offset, size)`.
    pub(super) fn find(&self, need: u32) -> Result<Option<(u32, u32)>, Corrupt> {
        let c = class_of(need);
        let mut o = self.h.heads[c];
        let mut steps = self.h.size / MIN_BLOCK + 1;
        while o != NIL {
            let (hdr, sz) = self.bsize(o)?;
            if hdr & USED != 0 || class_of(sz) != c || steps == 0 {
                return Err(Corrupt);
            }
            if sz >= need {
                return Ok(Some((o, sz)));
            }
            steps -= 1;
            o = self.rd(o + 4)?;
        }
        let higher = if c + 1 >= 64 {
            0
        } else {
            self.h.nonempty & !((1u64 << (c + 1)) - 1)
        };
        if higher == 0 {
            return Ok(None);
        }
        let hc = higher.trailing_zeros() as usize;
        let o = *self.h.heads.get(hc).ok_or(Corrupt)?;
        let (hdr, sz) = self.bsize(o)?;
        if hdr & USED != 0 || class_of(sz) != hc || sz < need {
            return Err(Corrupt);
        }
        Ok(Some((o, sz)))
    }

    pub(super) fn account_alloc(&mut self, n: u32) {
        self.h.free_total = self.h.free_total.saturating_sub(n);
        let used = self.h.size - self.h.free_total;
        self.h.highmark = self.h.highmark.max(used);
    }

    /// Turn the free block `(o, sz)` into a used block of `total` bytes (tail split off).
    pub(super) fn take(&mut self, o: u32, sz: u32, total: u32) -> Result<(), Corrupt> {
        let prev_flag = self.rd(o)? & PREV_USED;
        self.remove(o, sz)?;
        let given = if sz - total >= MIN_BLOCK {
            self.insert(o + total, sz - total, true)?;
            total
        } else {
            self.set_prev_used(o + sz, true)?;
            sz
        };
        self.wr(o, given | USED | prev_flag)?;
        self.account_alloc(given);
        Ok(())
    }

    pub(super) fn malloc(&mut self, total: u32) -> Result<Option<u32>, Corrupt> {
        match self.find(total)? {
            Some((o, sz)) => {
                self.take(o, sz, total)?;
                Ok(Some(o))
            }
            None => Ok(None),
        }
    }

    /// An aligned block: payload at a multiple of `align` (>= 16).
    pub(super) fn malloc_aligned(
        &mut self,
        total: u32,
        align: u32,
    ) -> Result<Option<u32>, Corrupt> {
        let Some(need) = total.checked_add(align + MIN_BLOCK) else {
            return Ok(None);
        };
        let Some((o, sz)) = self.find(need)? else {
            return Ok(None);
        };
        let abs = self.base as usize + o as usize;
        let payload = (abs + 4).next_multiple_of(align as usize);
        let mut gap = (payload - 4 - abs) as u32;
        if gap != 0 && gap < MIN_BLOCK {
            gap += align;
        }
        if gap == 0 {
            self.take(o, sz, total)?;
            return Ok(Some(o));
        }
        // Split the front off as its own free block, then allocate from the rest.
        let prev_flag = self.rd(o)? & PREV_USED != 0;
        self.remove(o, sz)?;
        let rest = o + gap;
        self.insert(o, gap, prev_flag)?;
        self.insert(rest, sz - gap, false)?;
        self.take(rest, sz - gap, total)?;
        Ok(Some(rest))
    }

    /// Check `ptr` names a live block: its offset and size.
    pub(super) fn live_block(&self, ptr: *mut u8) -> Result<Option<(u32, u32, u32)>, Corrupt> {
        let addr = ptr as usize;
        let base = self.base as usize;
        if addr < base + 4 || addr - base - 4 >= self.h.size as usize {
            return Ok(None);
        }
        let o = (addr - base - 4) as u32;
        if o % 8 != 0 || o as u64 + MIN_BLOCK as u64 > self.h.size as u64 {
            return Ok(None);
        }
        let Ok((hdr, sz)) = self.bsize(o) else {
            return Ok(None);
        };
        if hdr & USED == 0 {
            return Ok(None);
        }
        if o + sz < self.h.size && self.rd(o + sz)? & PREV_USED == 0 {
            return Err(Corrupt);
        }
        Ok(Some((o, sz, hdr)))
    }

    pub(super) fn free_block(&mut self, o: u32, sz: u32, hdr: u32) -> Result<(), Corrupt> {
        // Clear USED first: if this header ends up inside a merged block, a second free of the
        // same pointer finds a free header and is refused.
        self.wr(o, hdr & !USED)?;
        self.h.free_total = self.h.free_total.saturating_add(sz).min(self.h.size);
        let (mut start, mut len) = (o, sz);
        let mut prev_used = hdr & PREV_USED != 0;
        if !prev_used {
            if o < MIN_BLOCK {
                return Err(Corrupt);
            }
            let psz = self.rd(o - 4)?;
            if psz < MIN_BLOCK || psz > o || psz % 8 != 0 {
                return Err(Corrupt);
            }
            let p = o - psz;
            let (phdr, psz2) = self.bsize(p)?;
            if phdr & USED != 0 || psz2 != psz {
                return Err(Corrupt);
            }
            self.remove(p, psz)?;
            start = p;
            len += psz;
            prev_used = phdr & PREV_USED != 0;
        }
        let n = o + sz;
        if n < self.h.size {
            let (nhdr, nsz) = self.bsize(n)?;
            if nhdr & USED == 0 {
                self.remove(n, nsz)?;
                len += nsz;
            }
        }
        self.insert(start, len, prev_used)?;
        self.set_prev_used(start + len, false)
    }

    /// Shrink the used block `(o, sz)` to `total` bytes, giving the tail back.
    pub(super) fn shrink(&mut self, o: u32, sz: u32, hdr: u32, total: u32) -> Result<(), Corrupt> {
        if sz - total < MIN_BLOCK {
            return Ok(());
        }
        self.wr(o, total | USED | (hdr & PREV_USED))?;
        let rest = o + total;
        let mut rest_sz = sz - total;
        self.h.free_total = self.h.free_total.saturating_add(rest_sz);
        let n = o + sz;
        if n < self.h.size {
            let (nhdr, nsz) = self.bsize(n)?;
            if nhdr & USED == 0 {
                self.remove(n, nsz)?;
                rest_sz += nsz;
            }
        }
        self.insert(rest, rest_sz, true)?;
        self.set_prev_used(rest + rest_sz, false)
    }

    /// Grow the used block `(o, sz)` to `total` in place if its successor is free and large
    /// enough.
    pub(super) fn grow_in_place(
        &mut self,
        o: u32,
        sz: u32,
        hdr: u32,
        total: u32,
    ) -> Result<bool, Corrupt> {
        let n = o + sz;
        if n >= self.h.size {
            return Ok(false);
        }
        let (nhdr, nsz) = self.bsize(n)?;
        if nhdr & USED != 0 || u64::from(sz) + u64::from(nsz) < u64::from(total) {
            return Ok(false);
        }
        self.remove(n, nsz)?;
        let combined = sz + nsz;
        let given = if combined - total >= MIN_BLOCK {
            self.insert(o + total, combined - total, true)?;
            total
        } else {
            self.set_prev_used(o + combined, true)?;
            combined
        };
        self.wr(o, given | USED | (hdr & PREV_USED))?;
        self.account_alloc(given - sz);
        Ok(true)
    }

    /// Walk every block: sizes add up, flags agree, free lists hold exactly the free blocks.
    pub(super) fn check(&self) -> Result<(), Corrupt> {
        let (mut o, mut prev_used, mut free, mut nfree) = (0u32, true, 0u32, 0u32);
        while o < self.h.size {
            let (hdr, sz) = self.bsize(o)?;
            if (hdr & PREV_USED != 0) != prev_used {
                return Err(Corrupt);
            }
            let used = hdr & USED != 0;
            if !used {
                if !prev_used || self.rd(o + sz - 4)? != sz {
                    return Err(Corrupt);
                }
                free += sz;
                nfree += 1;
            }
            prev_used = used;
            o += sz;
        }
        if o != self.h.size || free != self.h.free_total {
            return Err(Corrupt);
        }
        let mut listed = 0u32;
        for (c, &head) in self.h.heads.iter().enumerate() {
            if (head != NIL) != (self.h.nonempty & (1 << c) != 0) {
                return Err(Corrupt);
            }
            let (mut b, mut prev) = (head, NIL);
            while b != NIL {
                let (hdr, sz) = self.bsize(b)?;
                if hdr & USED != 0 || class_of(sz) != c || self.rd(b + 8)? != prev {
                    return Err(Corrupt);
                }
                listed += 1;
                if listed > nfree {
                    return Err(Corrupt);
                }
                prev = b;
                b = self.rd(b + 4)?;
            }
        }
        if listed != nfree {
            return Err(Corrupt);
        }
        Ok(())
    }
}
