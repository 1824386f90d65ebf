//! Where a boxed structure's element pointers go: a list's pointer array, grown by CPython's
//! resize steps as items arrive (`list_resize` in Objects/listobject.c), or a tuple's inline
//! items.

use super::build::{get, put};
use super::heap::{Blk, Heap, What};
use crate::error::Result;
use crate::model::alloc::Domain;
use crate::model::containers::Step;

/// Where element pointers go: a list's pointer array or a tuple's inline items. It applies
/// CPython's resize steps as items arrive: item `next` is the one whose append reallocates.
pub struct Slots<'a> {
    steps: &'a [Step],
    si: usize,
    pub next: u64,
    /// Address of item 0 (the buffer's address plus `offset`).
    base: usize,
    offset: usize,
    pub buf: Option<Blk>,
    pub capacity: u64,
    bytes: &'a dyn Fn(u64) -> u64,
    what: What,
}

impl<'a> Slots<'a> {
    pub(super) fn new(
        steps: &'a [Step],
        offset: usize,
        buf: Option<Blk>,
        bytes: &'a dyn Fn(u64) -> u64,
        what: What,
    ) -> Self {
        let mut s = Slots {
            steps,
            si: 0,
            next: u64::MAX,
            base: 0,
            offset,
            buf,
            capacity: 0,
            bytes,
            what,
        };
        s.sync();
        s
    }

    pub(super) fn sync(&mut self) {
        self.next = self.steps.get(self.si).map_or(u64::MAX, |st| st.at);
        self.base = self.buf.map_or(0, |b| b.addr + self.offset);
    }

    /// Apply one step: realloc to its capacity, or (capacity 0 after items, tuples) let go.
    pub(super) fn apply(&mut self, heap: &mut Heap) -> Result<()> {
        let st = self.steps[self.si];
        self.si += 1;
        if st.capacity == 0 && self.what == What::TupleObject {
            if let Some(b) = self.buf.take() {
                heap.free(b, self.what)?;
            }
        } else {
            self.buf = Some(heap.realloc(
                Domain::Object,
                self.buf,
                (self.bytes)(st.capacity),
                self.what,
            )?);
        }
        self.capacity = st.capacity;
        self.sync();
        Ok(())
    }

    /// Apply the steps due before any item (preallocation, a first guess).
    pub(super) fn apply_leading(&mut self, heap: &mut Heap) -> Result<()> {
        while self.next == 0 {
            self.apply(heap)?;
        }
        Ok(())
    }

    /// Apply what remains after the last item (the final trim).
    pub(super) fn finish(&mut self, heap: &mut Heap) -> Result<()> {
        while self.si < self.steps.len() {
            self.apply(heap)?;
        }
        Ok(())
    }

    /// The address stored in slot i (0 before it is stored).
    pub(super) fn load(&self, word: usize, i: u64) -> usize {
        // SAFETY: item i < capacity lies inside the buffer.
        unsafe {
            if word == 8 {
                get::<u64>(self.base + i as usize * 8) as usize
            } else {
                get::<u32>(self.base + i as usize * 4) as usize
            }
        }
    }

    #[inline(always)]
    pub(super) fn store(
        &mut self,
        heap: &mut Heap,
        word: usize,
        i: u64,
        addr: usize,
    ) -> Result<()> {
        if i == self.next {
            self.grow(heap, i)?;
        }
        // SAFETY: item i < capacity lies inside the buffer.
        unsafe {
            if word == 8 {
                put(self.base + i as usize * 8, addr as u64);
            } else {
                put(self.base + i as usize * 4, addr as u32);
            }
        }
        Ok(())
    }

    #[cold]
    pub(super) fn grow(&mut self, heap: &mut Heap, i: u64) -> Result<()> {
        while self.next == i {
            self.apply(heap)?;
        }
        Ok(())
    }
}
