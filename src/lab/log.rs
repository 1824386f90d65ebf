//! The allocation log: what each block holds ([`What`]), and every allocation and free in
//! order, as runs of equal back-to-back blocks (a million ints make a few thousand entries).
//! The heap map is replayed from it.

use std::mem::size_of;

use super::heap::{oom, Blk, BlkKind};
use crate::error::Result;

/// What a block holds, for the log and the heap map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum What {
    TypeObject = 1,
    SmallInt = 2,
    Constant = 3,
    ListObject = 4,
    PointerArray = 5,
    TupleObject = 6,
    ArrayObject = 7,
    ArrayBuffer = 8,
    NdarrayObject = 9,
    NdarrayDims = 10,
    NdarrayData = 11,
    Int = 12,
    Float = 13,
    RangeStart = 14,
    EmptyTuple = 15,
    /// The other side of the comparison (a packed buffer next to a boxed primary, or the
    /// reverse), built after the measurement.
    Comparison = 16,
}

impl What {
    pub const ALL: [What; 16] = [
        What::TypeObject,
        What::SmallInt,
        What::Constant,
        What::ListObject,
        What::PointerArray,
        What::TupleObject,
        What::ArrayObject,
        What::ArrayBuffer,
        What::NdarrayObject,
        What::NdarrayDims,
        What::NdarrayData,
        What::Int,
        What::Float,
        What::RangeStart,
        What::EmptyTuple,
        What::Comparison,
    ];

    pub fn from_u8(b: u8) -> Option<What> {
        What::ALL.into_iter().find(|w| *w as u8 == b)
    }
}

/// `count` allocations (or frees) of equal blocks laid back to back from `addr`: one entry for
/// a run, so logging a million ints costs a few thousand entries, not a million.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Event {
    pub addr: usize,
    pub size: u32,
    pub requested: u32,
    pub count: u32,
    /// `What as u8`, the block kind in bits 5-6 (`KIND_*`), and `FREED` for a free.
    pub what: u8,
}

pub const FREED: u8 = 0x80;
pub const KIND_SHIFT: u8 = 5;
pub const WHAT_MASK: u8 = 0x1f;

/// The allocation log: every allocation and free, in order.
#[derive(Default)]
pub struct Log {
    pub events: Vec<Event>,
}

impl Log {
    pub fn reserve(&mut self, events: usize) -> Result<()> {
        self.events
            .try_reserve(events)
            .map_err(|_| oom(events as u64 * size_of::<Event>() as u64))
    }

    #[inline]
    pub(super) fn push(&mut self, b: &Blk, what: u8) -> Result<()> {
        self.push_run(b, 1, what)
    }

    /// Log `count` blocks like `b` back to back, merging with the previous entry when it is the
    /// same kind of event and ends where this one starts.
    pub(super) fn push_run(&mut self, b: &Blk, count: u32, what: u8) -> Result<()> {
        let kind = match b.kind {
            BlkKind::Small => 0,
            BlkKind::Chunk => 1,
            BlkKind::Mapped => 2,
            BlkKind::Rust => 3,
        };
        let what = what | kind << KIND_SHIFT;
        if let Some(last) = self.events.last_mut() {
            if last.what == what
                && last.size as u64 == b.size
                && last.requested as u64 == b.requested
                && last.addr + last.size as usize * last.count as usize == b.addr
            {
                last.count += count;
                return Ok(());
            }
        }
        if self.events.len() == self.events.capacity() {
            self.reserve(self.events.len().max(1024))?;
        }
        self.events.push(Event {
            addr: b.addr,
            size: b.size as u32,
            requested: b.requested as u32,
            count,
            what,
        });
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}
