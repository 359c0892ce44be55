//! The poller's queue of fetched updates, and how it is dropped.

use std::collections::VecDeque;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

#[cfg(doc)]
use super::PollItem;

/// The poller's queue. It is dropped through [`PollItem::discard`], so that the code
/// that drops updates is not compiled into each crate that polls (see
/// [`PollItem::enqueue`]). The function is kept rather than named through a bound, which
/// would have to be written on the poller and on everything that holds one.
#[derive(Clone)]
pub(super) struct Queue<U> {
    pub(super) items: ManuallyDrop<VecDeque<U>>,
    pub(super) discard: fn(VecDeque<U>),
}

impl<U> Drop for Queue<U> {
    fn drop(&mut self) {
        // Taking the deque leaves an empty one, which owns nothing, in the `ManuallyDrop`.
        (self.discard)(std::mem::take(&mut *self.items));
    }
}

impl<U> Deref for Queue<U> {
    type Target = VecDeque<U>;

    fn deref(&self) -> &VecDeque<U> {
        &self.items
    }
}

impl<U> DerefMut for Queue<U> {
    fn deref_mut(&mut self) -> &mut VecDeque<U> {
        &mut self.items
    }
}

impl<U: PartialEq> PartialEq for Queue<U> {
    fn eq(&self, other: &Self) -> bool {
        *self.items == *other.items
    }
}

impl<U: std::fmt::Debug> std::fmt::Debug for Queue<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.items.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use crate::poll::{PollItem, Poller};

    /// An item that counts its drops, to see what the poller's queue drops and when.
    #[derive(Debug, Clone, PartialEq)]
    struct Counted(i64, std::rc::Rc<std::cell::Cell<u32>>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.1.set(self.1.get() + 1);
        }
    }

    impl<'de> serde::Deserialize<'de> for Counted {
        fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
            Err(serde::de::Error::custom("not read"))
        }
    }

    impl PollItem for Counted {
        fn update_id(&self) -> Option<i64> {
            Some(self.0)
        }
    }

    /// Every item handed to the poller is dropped exactly once: one refused as a repeat at
    /// once, one taken by the caller, those still queued (in the poller and in a clone of
    /// it) when each is dropped.
    #[test]
    fn the_queue_drops_each_item_once() {
        let drops = std::rc::Rc::new(std::cell::Cell::new(0));
        let item = |id| Counted(id, drops.clone());
        let mut poller = Poller::<Counted>::with_items();
        poller.on_updates(vec![item(1), item(2), item(3)]);
        assert_eq!(drops.get(), 0);
        poller.on_updates(vec![item(3), item(4)]);
        assert_eq!(drops.get(), 1, "the repeat of 3 is dropped");
        let taken = poller.take().unwrap();
        assert_eq!(taken.0, 1);
        drop(taken);
        assert_eq!(drops.get(), 2);
        let copy = poller.clone();
        assert_eq!(copy, poller);
        assert_eq!(copy.queued(), 3);
        drop(poller);
        assert_eq!(drops.get(), 5, "2, 3 and 4 still queued");
        drop(copy);
        assert_eq!(drops.get(), 8, "and the clone's");
    }
}
