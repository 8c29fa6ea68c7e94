//! Locking an instance's store, with cross-thread deadlock detection.
//!
//! A call into an instance holds its store for the whole call (see `active`). A native of
//! instance A running on thread 1 may call into instance B (or query it) while thread 2, inside
//! B, calls into A: each thread then waits for a store the other one holds, forever. WAMR lets
//! calls run concurrently inside one instance, so programs written for it can do this; we must
//! not hang them.
//!
//! The uncontended path is a plain `try_lock`, with no bookkeeping. A thread that fails to get
//! a store *while it already holds one* (it is inside a call, the only way it can be part of a
//! cycle) publishes, in a global wait table, the instances whose stores it holds (its active
//! frames) and the one it wants, then follows the chain "wanted instance → the waiting thread
//! holding it → the instance that thread wants → …". A thread that holds a store but is not
//! waiting ends the chain: it is running and will let go. If the chain comes back to an
//! instance this thread holds, waiting would never end: the lock is refused with [`DEADLOCK`]
//! (a call traps with it, a query fails with WAMR's failure value), which unwinds this thread's
//! call and lets the other thread go on. The chain is re-examined every few milliseconds while
//! waiting, since the other thread may start waiting after the first look. Both threads may
//! detect the same cycle at once and both be refused; neither ever waits forever.
//!
//! # Invariants
//! The only unsafe code is `pthread_self`, which has no preconditions.

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::{Mutex, MutexGuard};

use super::active;
use crate::runtime::Store;

/// The message of a refused lock (the trap text of a refused call).
pub(crate) const DEADLOCK: &str =
    "instance is busy in another thread that is waiting for this one (deadlock refused)";

/// How long a waiting thread sleeps between looks at the wait chain.
const RECHECK: Duration = Duration::from_millis(2);

/// A locked store.
pub(crate) type StoreGuard<'a> = MutexGuard<'a, Store>;

/// One waiting thread: the instances whose stores it holds and the one it wants.
struct Wait {
    held: Vec<u64>,
    wants: u64,
}

/// The waiting threads, by thread token.
static WAITING: Mutex<Option<HashMap<u64, Wait>>> = Mutex::new(None);

/// A token for the calling thread, unique among live threads.
fn me() -> u64 {
    // SAFETY: pthread_self has no preconditions; on Linux it is the address of the thread's
    // descriptor, unique among live threads.
    unsafe { libc::pthread_self() as u64 }
}

/// Lock `store` of instance `inst_id`, refusing with [`DEADLOCK`] when waiting would close a
/// cycle of threads waiting for each other's stores.
pub(crate) fn lock(store: &Mutex<Store>, inst_id: u64) -> Result<StoreGuard<'_>, &'static str> {
    if let Some(g) = store.try_lock() {
        return Ok(g);
    }
    let held = active::held_instances();
    // Holding no store, this thread cannot be part of a cycle: plain wait.
    if held.is_empty() {
        return Ok(store.lock());
    }
    let me = me();
    // A process-lifetime map: never in a runtime pool.
    let _ = crate::os::alloc::outside(|| {
        WAITING.lock().get_or_insert_with(HashMap::new).insert(
            me,
            Wait {
                held,
                wants: inst_id,
            },
        )
    });
    let r = loop {
        if closes_cycle(me) {
            break Err(DEADLOCK);
        }
        if let Some(g) = store.try_lock_for(RECHECK) {
            break Ok(g);
        }
    };
    if let Some(w) = WAITING.lock().as_mut() {
        w.remove(&me);
    }
    r
}

/// True if the wait chain starting at what thread `me` wants leads back to a store `me` holds.
fn closes_cycle(me: u64) -> bool {
    let waiting = WAITING.lock();
    let Some(w) = waiting.as_ref() else {
        return false;
    };
    let Some(mine) = w.get(&me) else {
        return false;
    };
    let mut want = mine.wants;
    // Each step moves to another waiting thread; a longer chain repeats itself.
    for _ in 0..=w.len() {
        if mine.held.contains(&want) {
            return true;
        }
        match w.iter().find(|(t, x)| **t != me && x.held.contains(&want)) {
            Some((_, x)) => want = x.wants,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait(held: &[u64], wants: u64) -> Wait {
        Wait {
            held: held.to_vec(),
            wants,
        }
    }

    #[test]
    fn cycle_detection_follows_the_wait_chain() {
        let (t1, t2, t3) = (0x7000_0001, 0x7000_0002, 0x7000_0003);
        let set = |t: u64, x: Option<Wait>| {
            let mut g = WAITING.lock();
            let m = g.get_or_insert_with(HashMap::new);
            match x {
                Some(x) => m.insert(t, x),
                None => m.remove(&t),
            };
        };
        // t1 holds instance 1 and wants 2; t2 holds 2 and is running: no cycle.
        set(t1, Some(wait(&[1], 2)));
        assert!(!closes_cycle(t1));
        // t2 now waits for 1: cycle, seen from both sides.
        set(t2, Some(wait(&[2], 1)));
        assert!(closes_cycle(t1));
        assert!(closes_cycle(t2));
        // A longer ring: t2 wants 3 instead, held by waiting t3, which wants 1.
        set(t2, Some(wait(&[2], 3)));
        set(t3, Some(wait(&[3], 1)));
        assert!(closes_cycle(t1));
        // t3 stops waiting: the chain ends at a running thread.
        set(t3, None);
        assert!(!closes_cycle(t1));
        set(t1, None);
        set(t2, None);
    }
}
