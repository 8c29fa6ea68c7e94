//! WAMR's intrusive singly linked list (`bh_list.h`): the caller's elements start with a
//! `bh_list_link`; insertion is at the head; removal unlinks the element if it is found.
//! The `bh_list` struct and the links are the caller's memory, so the operations work on
//! them in place, exactly as WAMR's do.
//!
//! # Invariants
//! Every function takes a non-NULL `*mut List` the caller vouches for (initialised by
//! [`init`]) whose chain consists of live elements starting with a [`Link`].

/// `bh_list_link`.
#[repr(C)]
pub struct Link {
    /// The next element (NULL at the end).
    pub next: *mut Link,
}

/// `bh_list`.
#[repr(C)]
pub struct List {
    /// Sentinel; `head.next` is the first element.
    pub head: Link,
    /// Number of elements.
    pub len: u32,
}

/// `BH_LIST_SUCCESS`.
pub const SUCCESS: i32 = 0;
/// `BH_LIST_ERROR`.
pub const ERROR: i32 = -1;

/// `bh_list_init`.
///
/// # Safety
/// `l` points to a writable `List`.
pub unsafe fn init(l: *mut List) {
    // SAFETY: writable per the contract.
    unsafe {
        l.write(List {
            head: Link {
                next: std::ptr::null_mut(),
            },
            len: 0,
        })
    };
}

/// Whether `elem` is in the list.
///
/// # Safety
/// Module invariant.
pub unsafe fn contains(l: *mut List, elem: *mut Link) -> bool {
    // SAFETY: module invariant: the chain consists of live links.
    unsafe {
        let mut p = (*l).head.next;
        while !p.is_null() {
            if p == elem {
                return true;
            }
            p = (*p).next;
        }
    }
    false
}

/// `bh_list_insert`: put `elem` at the head. An element already in the list is refused
/// (`ERROR`) instead of making the chain a cycle (WAMR only asserts this in debug builds).
///
/// # Safety
/// Module invariant; `elem` is a live element starting with a `Link`.
pub unsafe fn insert(l: *mut List, elem: *mut Link) -> i32 {
    // SAFETY: module invariant and the contract on `elem`.
    unsafe {
        if contains(l, elem) {
            return ERROR;
        }
        (*elem).next = (*l).head.next;
        (*l).head.next = elem;
        (*l).len += 1;
    }
    SUCCESS
}

/// `bh_list_remove`: unlink `elem`; `ERROR` when it is not in the list.
///
/// # Safety
/// Module invariant.
pub unsafe fn remove(l: *mut List, elem: *mut Link) -> i32 {
    // SAFETY: module invariant.
    unsafe {
        let mut prev: *mut Link = &raw mut (*l).head;
        let mut cur = (*prev).next;
        while !cur.is_null() {
            if cur == elem {
                (*prev).next = (*cur).next;
                (*l).len -= 1;
                return SUCCESS;
            }
            prev = cur;
            cur = (*cur).next;
        }
    }
    ERROR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[repr(C)]
    struct Elem {
        link: Link,
        v: u32,
    }

    #[test]
    fn head_insertion_and_removal() {
        let mut l = List {
            head: Link {
                next: std::ptr::null_mut(),
            },
            len: 7,
        };
        let mut es: Vec<Elem> = (0..3)
            .map(|v| Elem {
                link: Link {
                    next: std::ptr::null_mut(),
                },
                v,
            })
            .collect();
        let lp = &raw mut l;
        // SAFETY: the list and elements live for the whole test.
        unsafe {
            init(lp);
            assert_eq!((*lp).len, 0);
            for e in es.iter_mut() {
                assert_eq!(insert(lp, (e as *mut Elem).cast()), SUCCESS);
            }
            assert_eq!(insert(lp, (&mut es[1] as *mut Elem).cast()), ERROR);
            let first = (*lp).head.next.cast::<Elem>();
            assert_eq!((*first).v, 2);
            assert_eq!(remove(lp, (&mut es[1] as *mut Elem).cast()), SUCCESS);
            assert_eq!(remove(lp, (&mut es[1] as *mut Elem).cast()), ERROR);
            assert_eq!((*lp).len, 2);
            assert_eq!((*(*first).link.next.cast::<Elem>()).v, 0);
        }
    }
}
