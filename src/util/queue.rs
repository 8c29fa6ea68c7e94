//! WAMR's message queue (`bh_queue`): a bounded FIFO of tagged messages with a blocking
//! receive and a message loop that another thread can stop.
//!
//! Semantics are WAMR's: capacity [`DEFAULT_QUEUE_LENGTH`] (50); posting to a full queue
//! drops the message (counted, freed) and fails; a message owns its body, freed by the
//! message's cleaner if it has one, else with `free` when the body is non-NULL and the length
//! non-zero (a zero length means the body is a plain value); `get` with a zero timeout never
//! waits, otherwise it waits once (until a post, `exit_loop_run`, or the timeout).
//!
//! One hardening over WAMR: a body the runtime itself owns (a pointer into a shared heap,
//! which WAMR's shared-heap sample posts with a length) is never handed to `free`; the
//! runtime registers that test with [`set_runtime_owned`]. WAMR passes such a pointer to
//! glibc's `free`, which survives or aborts depending on the bytes in front of it.
//!
//! Queues and messages are handed to C as addresses of Rust objects that are also kept in a
//! registry, so a stale or foreign pointer is refused instead of dereferenced.
//!
//! # Invariants
//! - Every registered message address is a leaked `Box<Message>`; it leaves the registry
//!   exactly when the box is reclaimed ([`free_msg`]).
//! - A message is in at most one queue (`queued`), so it is never reclaimed while queued.

use once_cell::sync::Lazy;
use parking_lot::{Condvar, Mutex};
use std::collections::{HashMap, HashSet, VecDeque};
use std::ffi::c_void;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// WAMR's `DEFAULT_QUEUE_LENGTH`.
pub const DEFAULT_QUEUE_LENGTH: usize = 50;
/// WAMR's `BHT_WAIT_FOREVER`.
pub const WAIT_FOREVER: u64 = u64::MAX;

/// A message cleaner (`bh_msg_cleaner`).
pub type Cleaner = unsafe extern "C" fn(*mut c_void);

/// One message (`struct bh_queue_node`).
pub struct Message {
    /// The message type (`bh_message_type`).
    pub tag: u16,
    /// The payload (`bh_message_payload`).
    pub body: *mut c_void,
    /// The payload length (`bh_message_payload_len`).
    pub len: u32,
    cleaner: Option<Cleaner>,
    queued: bool,
}

/// A message queue (`bh_queue`).
pub struct Queue {
    state: Mutex<State>,
    cond: Condvar,
    exit: AtomicBool,
}

struct State {
    msgs: VecDeque<usize>,
    drops: u64,
}

static QUEUES: Lazy<Mutex<HashMap<usize, Arc<Queue>>>> = Lazy::new(Default::default);
static MESSAGES: Lazy<Mutex<HashSet<usize>>> = Lazy::new(Default::default);

/// Create a queue; the address is its C handle.
pub fn create() -> usize {
    let q = Arc::new(Queue {
        state: Mutex::new(State {
            msgs: VecDeque::new(),
            drops: 0,
        }),
        cond: Condvar::new(),
        exit: AtomicBool::new(false),
    });
    let addr = Arc::as_ptr(&q) as usize;
    QUEUES.lock().insert(addr, q);
    addr
}

/// The live queue at `addr`.
pub fn queue(addr: usize) -> Option<Arc<Queue>> {
    QUEUES.lock().get(&addr).cloned()
}

/// Destroy the queue at `addr`, freeing the messages it still holds. False if unknown.
pub fn destroy(addr: usize) -> bool {
    let Some(q) = QUEUES.lock().remove(&addr) else {
        return false;
    };
    let left: Vec<usize> = q.state.lock().msgs.drain(..).collect();
    for m in left {
        set_queued(m, false);
        free_msg(m);
    }
    // wake a loop still waiting on it; it holds its own reference
    q.exit.store(true, Ordering::SeqCst);
    q.cond.notify_all();
    true
}

/// A new message (`bh_new_msg`); the address is its C handle.
pub fn new_msg(tag: u16, body: *mut c_void, len: u32, cleaner: Option<Cleaner>) -> usize {
    let m = Box::into_raw(Box::new(Message {
        tag,
        body,
        len,
        cleaner,
        queued: false,
    })) as usize;
    MESSAGES.lock().insert(m);
    m
}

/// Read a field of the live message at `addr`.
pub fn with_msg<R>(addr: usize, f: impl FnOnce(&Message) -> R) -> Option<R> {
    let live = MESSAGES.lock();
    if !live.contains(&addr) {
        return None;
    }
    // SAFETY: registered addresses are live boxes (module invariant); the registry lock keeps
    // `free_msg` from reclaiming it meanwhile.
    Some(f(unsafe { &*(addr as *const Message) }))
}

fn set_queued(addr: usize, q: bool) {
    let live = MESSAGES.lock();
    if live.contains(&addr) {
        // SAFETY: as in `with_msg`; mutation happens under the registry lock.
        unsafe { (*(addr as *mut Message)).queued = q };
    }
}

/// Whether `addr` is a live message.
pub fn is_msg(addr: usize) -> bool {
    MESSAGES.lock().contains(&addr)
}

/// The runtime's test for host addresses it owns (see the module docs).
static RUNTIME_OWNED: std::sync::OnceLock<fn(usize) -> bool> = std::sync::OnceLock::new();

/// Register the runtime's owned-address test (once; later calls are ignored).
pub fn set_runtime_owned(test: fn(usize) -> bool) {
    let _ = RUNTIME_OWNED.set(test);
}

fn runtime_owned(p: *mut c_void) -> bool {
    RUNTIME_OWNED.get().is_some_and(|t| t(p as usize))
}

/// Free a message and its body (`bh_free_msg`). False if `addr` is not a live message or is
/// still queued.
pub fn free_msg(addr: usize) -> bool {
    let m = {
        let mut live = MESSAGES.lock();
        if !live.contains(&addr) {
            return false;
        }
        // SAFETY: a live registered box (module invariant), read under the lock.
        if unsafe { (*(addr as *const Message)).queued } {
            return false;
        }
        live.remove(&addr);
        // SAFETY: removed from the registry, so this is the only reclamation (invariant).
        unsafe { Box::from_raw(addr as *mut Message) }
    };
    match m.cleaner {
        // SAFETY: the poster supplied the cleaner for this body.
        Some(c) => unsafe { c(m.body) },
        None if !m.body.is_null() && m.len != 0 && !runtime_owned(m.body) => {
            // SAFETY: WAMR's contract: a body with a length was allocated with malloc
            // (BH_MALLOC) and is owned by the message.
            unsafe { libc::free(m.body) }
        }
        None => {}
    }
    true
}

impl Queue {
    /// Append `msg` (`bh_post_msg2`); on a full queue the message is dropped and freed.
    /// False if the queue is full or `msg` is not a free-standing live message.
    pub fn post(&self, msg: usize) -> bool {
        {
            let live = MESSAGES.lock();
            // SAFETY: checked live under the registry lock (module invariant).
            if !live.contains(&msg) || unsafe { (*(msg as *const Message)).queued } {
                return false;
            }
        }
        let mut st = self.state.lock();
        if st.msgs.len() >= DEFAULT_QUEUE_LENGTH {
            st.drops += 1;
            drop(st);
            free_msg(msg);
            return false;
        }
        set_queued(msg, true);
        st.msgs.push_back(msg);
        drop(st);
        self.cond.notify_one();
        true
    }

    /// Count a message that could not even be created (`bh_post_msg` out of memory).
    pub fn count_drop(&self) {
        self.state.lock().drops += 1;
    }

    /// Messages dropped so far.
    pub fn drops(&self) -> u64 {
        self.state.lock().drops
    }

    /// Messages waiting.
    pub fn len(&self) -> usize {
        self.state.lock().msgs.len()
    }

    /// Whether no message waits.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pop the head (`bh_get_msg`): with an empty queue, `timeout_us == 0` returns at once,
    /// otherwise one wait ([`WAIT_FOREVER`]: until signalled). `loop_wait` also stops waiting
    /// once the loop was told to exit (checked under the lock, so no wake-up is lost).
    fn get(&self, timeout_us: u64, loop_wait: bool) -> Option<usize> {
        let mut st = self.state.lock();
        if st.msgs.is_empty() {
            if timeout_us == 0 || (loop_wait && self.exit.load(Ordering::SeqCst)) {
                return None;
            }
            if timeout_us == WAIT_FOREVER {
                self.cond.wait(&mut st);
            } else {
                self.cond
                    .wait_for(&mut st, Duration::from_micros(timeout_us));
            }
        }
        let m = st.msgs.pop_front()?;
        drop(st);
        set_queued(m, false);
        Some(m)
    }

    /// `bh_get_msg`.
    pub fn get_msg(&self, timeout_us: u64) -> Option<usize> {
        self.get(timeout_us, false)
    }

    /// Run the message loop until [`Queue::exit_loop`]: each message is handed to `handle`,
    /// then freed.
    pub fn run_loop(&self, mut handle: impl FnMut(usize)) {
        while !self.exit.load(Ordering::SeqCst) {
            if let Some(m) = self.get(WAIT_FOREVER, true) {
                handle(m);
                free_msg(m);
            }
        }
    }

    /// Tell the loop to stop (`bh_queue_exit_loop_run`) and wake it.
    pub fn exit_loop(&self) {
        let _st = self.state.lock();
        self.exit.store(true, Ordering::SeqCst);
        self.cond.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifo_overflow_and_timeouts() {
        let a = create();
        let q = queue(a).unwrap();
        assert_eq!(q.get_msg(0), None);
        assert_eq!(q.get_msg(1000), None);
        for i in 0..DEFAULT_QUEUE_LENGTH {
            assert!(q.post(new_msg(i as u16, std::ptr::null_mut(), 0, None)));
        }
        let extra = new_msg(99, std::ptr::null_mut(), 0, None);
        assert!(!q.post(extra));
        assert!(!is_msg(extra), "a dropped message is freed");
        assert_eq!(q.drops(), 1);
        let first = q.get_msg(0).unwrap();
        assert_eq!(with_msg(first, |m| m.tag), Some(0));
        assert!(free_msg(first));
        assert!(!free_msg(first), "double free refused");
        let second = q.get_msg(WAIT_FOREVER).unwrap();
        assert_eq!(with_msg(second, |m| m.tag), Some(1));
        assert!(q.post(second), "a message taken out may be posted again");
        assert!(!q.post(second), "but not while it is queued");
        assert!(destroy(a));
        assert!(!destroy(a));
        assert!(queue(a).is_none());
    }

    #[test]
    fn loop_exits_from_another_thread() {
        let a = create();
        let q = queue(a).unwrap();
        let q2 = q.clone();
        let t = std::thread::spawn(move || {
            let mut seen = Vec::new();
            q2.run_loop(|m| seen.push(with_msg(m, |m| m.tag).unwrap()));
            seen
        });
        for i in 0..3 {
            assert!(q.post(new_msg(i, std::ptr::null_mut(), 0, None)));
        }
        while !q.is_empty() {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(5));
        q.exit_loop();
        assert_eq!(t.join().unwrap(), vec![0, 1, 2]);
        destroy(a);
    }
}
