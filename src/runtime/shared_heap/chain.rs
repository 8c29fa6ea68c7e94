//! Chains of shared heaps: [`chain`], [`unchain`], [`reset`] and the walk of a chain
//! ([`chain_of`]). All run under the registry's list lock, as WAMR's do under its
//! `shared_heap_list_lock`.
//!
//! A chain is acyclic by construction: [`chain`] refuses a head that is already a body or
//! already heads a chain, and a heap chained to itself; [`chain_of`] still stops at a heap it
//! has seen, so no walk can loop.

#![forbid(unsafe_code)]

use std::sync::Arc;

use super::{HEAP_OWNER, SharedHeap, TOP32, msg, registry};
use crate::runtime::app_heap::AppHeap;

/// `heap` and the heaps it is chained to, head first.
pub(super) fn chain_of(heap: &Arc<SharedHeap>) -> Vec<Arc<SharedHeap>> {
    let mut out = vec![heap.clone()];
    while let Some(n) = out.last().and_then(|h| h.next()) {
        if out.iter().any(|h| Arc::ptr_eq(h, &n)) {
            break;
        }
        out.push(n);
    }
    out
}

/// `wasm_runtime_chain_shared_heaps`: puts `head` directly below `body` (and whatever `body`
/// is chained to). False, with WAMR's warning, when either is attached, either is already the
/// body of a chain, `head` already heads one, or the chain would hold two runtime-managed
/// heaps. Chaining a heap to itself is refused as well (WAMR would build a cycle).
pub fn chain(head: &Arc<SharedHeap>, body: &Arc<SharedHeap>, warn: &dyn Fn(&str)) -> bool {
    if Arc::ptr_eq(head, body) {
        warn(msg::CHAIN_INVALID);
        return false;
    }
    let list = registry().list.lock();
    if head.attached() != 0 || body.attached() != 0 {
        warn(msg::CHAIN_ATTACHED);
        return false;
    }
    for cur in list.iter() {
        let next = cur.next();
        if next
            .as_ref()
            .is_some_and(|n| Arc::ptr_eq(n, body) || Arc::ptr_eq(n, head))
        {
            warn(msg::CHAIN_BODY_TAKEN);
            return false;
        }
        if Arc::ptr_eq(cur, head) && next.is_some() {
            warn(msg::CHAIN_HEAD_TAKEN);
            return false;
        }
    }
    let mut dynamic = head.is_managed();
    for cur in chain_of(body) {
        if cur.is_managed() && dynamic {
            warn(msg::CHAIN_TWO_DYNAMIC);
            return false;
        }
        dynamic |= cur.is_managed();
    }
    let Some(start) = body.start().checked_sub(head.size) else {
        warn(msg::CHAIN_INVALID);
        return false;
    };
    let mut l = head.links.lock();
    l.start = start;
    l.next = Some(body.clone());
    true
}

/// `wasm_runtime_unchain_shared_heaps`: detaches `head` from its body (or, with
/// `entire_chain`, takes the whole chain apart) and returns the heap that was its body (resp.
/// the last heap of the chain). Every heap taken off moves back to the top of the app range.
pub fn unchain(
    head: &Arc<SharedHeap>,
    entire_chain: bool,
    warn: &dyn Fn(&str),
) -> Option<Arc<SharedHeap>> {
    if head.next().is_none() {
        warn(msg::UNCHAIN_INVALID);
        return None;
    }
    let _list = registry().list.lock();
    if head.attached() != 0 {
        warn(msg::UNCHAIN_ATTACHED);
        return None;
    }
    let mut cur = head.clone();
    loop {
        let next = {
            let mut l = cur.links.lock();
            let Some(next) = l.next.take() else { break };
            l.start = TOP32 - cur.size;
            next
        };
        cur = next;
        if !entire_chain {
            break;
        }
    }
    Some(cur)
}

/// `wasm_runtime_reset_shared_heap_chain`: zeroes every heap of the chain and gives the
/// runtime-managed one a fresh, empty allocator. False while `heap` is attached.
pub fn reset(heap: &Arc<SharedHeap>) -> bool {
    let _list = registry().list.lock();
    if heap.attached() != 0 {
        return false;
    }
    for cur in chain_of(heap) {
        if cur.mem().fill(0, 0, cur.size).is_err() {
            return false;
        }
        if let Some(alloc) = &cur.backing.alloc {
            match AppHeap::new(cur.mem().clone(), 0, cur.size, HEAP_OWNER) {
                Ok(a) => *alloc.lock() = Arc::new(a),
                Err(_) => return false,
            }
        }
    }
    true
}
