//! Decoded values owned across a step that may still fail.
//!
//! rustc compiles a type's drop glue into every codegen unit that drops the type. Each
//! generic decoding step that holds a value while it reads on (a struct filled in its box,
//! a document checked for trailing text, an object checked for its closing brace) used to
//! drop that value on its error path and in its unwinding path, so the whole drop tree of
//! `Message` was compiled into a dozen codegen units of this crate. [`Held`] sends those
//! drops to [`discard`], which is never inlined: one instance per type, one copy of its
//! glue, and the steps themselves keep no drop code at all.

use std::mem::ManuallyDrop;

/// Drops `value` out of line.
#[cold]
#[inline(never)]
pub(crate) fn discard<T>(value: T) {
    drop(value);
}

/// Owns a value until [`Held::into_inner`] hands it on; dropped before that (an error
/// returned with `?`, or a panic unwinding through), it passes the value to [`discard`].
// `ManuallyDrop` keeps the compiler from dropping the `Option` after `drop` has run: it
// could not prove the slot empty by then (the value was lent to the reader), and would
// compile the drop glue of `T` right here again.
pub(crate) struct Held<T>(ManuallyDrop<Option<T>>);

impl<T> Held<T> {
    #[inline(always)]
    pub(crate) fn new(value: T) -> Self {
        Held(ManuallyDrop::new(Some(value)))
    }

    /// A guard that holds nothing yet.
    #[inline(always)]
    pub(crate) fn empty() -> Self {
        Held(ManuallyDrop::new(None))
    }

    /// The slot itself, to fill or to empty.
    #[inline(always)]
    pub(crate) fn slot(&mut self) -> &mut Option<T> {
        &mut self.0
    }

    /// Hands on what the slot holds, if anything.
    #[inline(always)]
    pub(crate) fn take(mut self) -> Option<T> {
        self.0.take()
    }

    /// The value, to fill in place.
    #[inline(always)]
    pub(crate) fn get_mut(&mut self) -> &mut T {
        match &mut *self.0 {
            Some(value) => value,
            None => unreachable!("a Held value is present until it is handed on"),
        }
    }

    /// Hands the value on; nothing is dropped.
    #[inline(always)]
    pub(crate) fn into_inner(mut self) -> T {
        match self.0.take() {
            Some(value) => value,
            None => unreachable!("a Held value is handed on once"),
        }
    }
}

impl<T> Drop for Held<T> {
    #[inline(always)]
    fn drop(&mut self) {
        // Tested at compile time: for a value with nothing to drop (the `()` of a struct
        // filled in place) the guard compiles to nothing, and its caller keeps no
        // unwinding path for it.
        if std::mem::needs_drop::<T>()
            && let Some(value) = self.0.take()
        {
            discard(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use super::Held;

    /// Counts its drops.
    struct Counted(Rc<Cell<u32>>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn a_value_handed_on_is_not_dropped_by_the_guard() {
        let drops = Rc::new(Cell::new(0));
        let held = Held::new(Counted(drops.clone()));
        let value = held.into_inner();
        assert_eq!(drops.get(), 0);
        drop(value);
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn a_value_left_in_the_guard_is_dropped_once() {
        let drops = Rc::new(Cell::new(0));
        let mut held = Held::new(Counted(drops.clone()));
        let _ = held.get_mut();
        drop(held);
        assert_eq!(drops.get(), 1);
    }

    #[test]
    fn a_panic_drops_the_held_value() {
        let drops = Rc::new(Cell::new(0));
        let inner = drops.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let _held = Held::new(Counted(inner));
            panic!("unwind through the guard");
        }));
        assert!(result.is_err());
        assert_eq!(drops.get(), 1);
    }
}
