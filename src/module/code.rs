//! Engine-neutral storage for the code an engine makes from a module.
//!
//! A module is decoded and validated once; the code of its defined functions comes from an
//! engine (today the interpreter; next a JIT and an ahead-of-time loader). The module names no
//! engine: it keeps one type-erased [`ModuleCode`] object, made by the first engine that binds
//! it ([`ModuleCodeSlot::get_or_bind`]) and kept for the module's life. An engine's code object
//! usually holds [`LazySlots`], one slot per defined function, filled on the function's first
//! call, so a module costs nothing to load beyond validation.

use std::any::Any;
use std::fmt;
use std::sync::OnceLock;

use crate::types::DefinedFuncIdx;

/// The code one engine made for one module.
pub trait ModuleCode: Any + Send + Sync + fmt::Debug {
    /// The engine that made it ([`crate::runtime::Engine::name`]).
    fn engine_name(&self) -> &'static str;
    /// How many defined functions have code so far (lazy engines fill slots on first call).
    fn compiled_count(&self) -> usize;
    /// The object as `Any`, for the engine to recover its own type.
    fn as_any(&self) -> &dyn Any;
}

/// The module's code object, bound once to one engine.
#[derive(Debug, Default)]
pub struct ModuleCodeSlot(OnceLock<Box<dyn ModuleCode>>);

/// A module was bound to one engine and is now asked for by another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineMismatch {
    /// The engine the module's code belongs to.
    pub bound: &'static str,
    /// The engine that asked.
    pub wanted: &'static str,
}

impl fmt::Display for EngineMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the module's code belongs to the {} engine, not the {} engine",
            self.bound, self.wanted
        )
    }
}

impl ModuleCodeSlot {
    /// The code of engine `name`, made by `make` if the module has none yet.
    pub fn get_or_bind(
        &self,
        name: &'static str,
        make: impl FnOnce() -> Box<dyn ModuleCode>,
    ) -> Result<&dyn ModuleCode, EngineMismatch> {
        let code = &**self.0.get_or_init(make);
        if code.engine_name() != name {
            return Err(EngineMismatch {
                bound: code.engine_name(),
                wanted: name,
            });
        }
        Ok(code)
    }

    /// The code object, if an engine has bound the module.
    pub fn get(&self) -> Option<&dyn ModuleCode> {
        self.0.get().map(|c| &**c)
    }

    /// How many defined functions have code (0 before any engine bound the module).
    pub fn compiled_count(&self) -> usize {
        self.get().map_or(0, |c| c.compiled_count())
    }
}

/// One lazily filled slot per defined function.
#[derive(Debug)]
pub struct LazySlots<T> {
    slots: Box<[OnceLock<T>]>,
}

impl<T> LazySlots<T> {
    /// `n` empty slots.
    pub fn new(n: usize) -> LazySlots<T> {
        LazySlots {
            slots: (0..n).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Number of slots (defined functions).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True if the module defines no function.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The content of slot `f`, filling it with `fill` on first use; `None` if `f` is out of range.
    #[inline]
    pub fn get_or_fill(&self, f: DefinedFuncIdx, fill: impl FnOnce() -> T) -> Option<&T> {
        let slot = self.slots.get(f.index())?;
        Some(match slot.get() {
            Some(v) => v,
            None => slot.get_or_init(fill),
        })
    }

    /// The content of slot `f` if it is filled.
    #[inline(always)]
    pub fn get(&self, f: DefinedFuncIdx) -> Option<&T> {
        self.slots.get(f.index())?.get()
    }

    /// The filled slots, with their function index.
    pub fn filled(&self) -> impl Iterator<Item = (DefinedFuncIdx, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((DefinedFuncIdx(i as u32), s.get()?)))
    }

    /// Number of filled slots.
    pub fn filled_count(&self) -> usize {
        self.slots.iter().filter(|s| s.get().is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Fake(&'static str, LazySlots<u32>);
    impl ModuleCode for Fake {
        fn engine_name(&self) -> &'static str {
            self.0
        }
        fn compiled_count(&self) -> usize {
            self.1.filled_count()
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    #[test]
    fn slots_fill_once_and_report() {
        let s = LazySlots::<u32>::new(3);
        assert_eq!(s.get(DefinedFuncIdx(1)), None);
        assert_eq!(s.get_or_fill(DefinedFuncIdx(1), || 7), Some(&7));
        assert_eq!(s.get_or_fill(DefinedFuncIdx(1), || 9), Some(&7));
        assert_eq!(s.get_or_fill(DefinedFuncIdx(3), || 9), None);
        assert_eq!(s.filled_count(), 1);
        assert_eq!(
            s.filled().map(|(f, v)| (f.0, *v)).collect::<Vec<_>>(),
            [(1, 7)]
        );
    }

    #[test]
    fn a_module_binds_to_one_engine() {
        let slot = ModuleCodeSlot::default();
        assert_eq!(slot.compiled_count(), 0);
        let c = slot
            .get_or_bind("a", || Box::new(Fake("a", LazySlots::new(2))))
            .unwrap();
        assert!(c.as_any().downcast_ref::<Fake>().is_some());
        let e = slot
            .get_or_bind("b", || Box::new(Fake("b", LazySlots::new(2))))
            .unwrap_err();
        assert_eq!((e.bound, e.wanted), ("a", "b"));
        assert!(slot.get_or_bind("a", || panic!("bound twice")).is_ok());
    }
}
