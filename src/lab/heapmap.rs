//! The heap map: which bytes of the lab's memory hold what, as compact runs (never an object
//! per allocation). Live blocks come from replaying the allocation log; pool headers, arena
//! slack and free space come from the allocators themselves.

use super::build::{Builder, Built};
use super::heap::{Heap, FREED, KIND_SHIFT, WHAT_MASK};
use super::pymalloc::Region;
use crate::error::{Error, Result};
use crate::model::objects::{ElementSource, Value};
use crate::model::scenario::{Container, Scenario};

/// Cell kinds for regions that are not live blocks (live blocks use `What`, 1..=16).
pub fn region_code(r: Region) -> u8 {
    match r {
        Region::ArenaAlignment => 20,
        Region::PoolHeader => 21,
        Region::UnusedPool => 22,
        Region::FreeBlock => 23,
        Region::ChunkHeader => 24,
        Region::HeapTop => 25,
        Region::Frame(..) => 0,
    }
}

/// Runs of equal, back-to-back live blocks, plus allocator regions, sorted by address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeapRuns {
    /// Allocator regions painted under the blocks: start, length, kind code.
    pub region_start: Vec<usize>,
    pub region_len: Vec<usize>,
    pub region_kind: Vec<u8>,
    /// Block runs: first block's start, block size (the stride), block count, bytes requested
    /// per block, bytes of allocator header before the user data, and what the blocks hold.
    pub run_start: Vec<usize>,
    pub run_size: Vec<u32>,
    pub run_count: Vec<u32>,
    pub run_requested: Vec<u32>,
    pub run_lead: Vec<u8>,
    pub run_what: Vec<u8>,
    /// Live blocks described (sum of run counts).
    pub blocks: u64,
    /// The allocators' structure (arenas, pools, heap segments, mappings), by address: start,
    /// length, kind (`pymalloc::Frame`) and, for a pool, its size class's block size.
    pub frame_start: Vec<usize>,
    pub frame_len: Vec<usize>,
    pub frame_kind: Vec<u8>,
    pub frame_block: Vec<u32>,
    /// For a small structure (n up to [`LABEL_MAX`]): its own blocks and the element objects
    /// its slots point at (start, length with the allocator header, and a name such as
    /// "int 3 (PyLongObject), element 3"). The heap map opens on these.
    pub label_start: Vec<usize>,
    pub label_len: Vec<usize>,
    pub label_text: Vec<String>,
}

/// Structures up to this many elements have their blocks named one by one.
pub const LABEL_MAX: u64 = 64;

struct Live {
    start: usize,
    count: u32,
    size: u32,
    requested: u32,
    lead: u8,
    what: u8,
}

/// Build the runs from the first `upto` events of the heap's log.
pub fn runs(heap: &Heap, upto: usize) -> Result<HeapRuns> {
    let events = &heap.log.events[..upto.min(heap.log.len())];
    // Frees during a build are few (resized buffers, logged one by one): a sorted list of their
    // addresses decides which allocations may have died, and only those are tracked.
    let mut freed: Vec<usize> = events
        .iter()
        .filter(|e| e.what & FREED != 0)
        .map(|e| e.addr)
        .collect();
    freed.sort_unstable();
    freed.dedup();
    let (lo, hi) = (
        freed.first().copied().unwrap_or(1),
        freed.last().copied().unwrap_or(0),
    );
    let mut dead = Vec::new();
    dead.try_reserve_exact(events.len())
        .map_err(|_| super::heap::oom(events.len() as u64))?;
    dead.resize(events.len(), false);
    // The latest allocation at each freed address (a short list: one per resized buffer).
    let mut last: Vec<(usize, usize)> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if e.addr < lo || e.addr > hi || freed.binary_search(&e.addr).is_err() {
            continue;
        }
        let at = last.iter().position(|l| l.0 == e.addr);
        if e.what & FREED != 0 {
            if let Some(k) = at {
                dead[last.swap_remove(k).1] = true;
            }
        } else {
            match at {
                Some(k) => last[k].1 = i,
                None => last.push((e.addr, i)),
            }
        }
    }
    let mut live: Vec<Live> = Vec::new();
    live.try_reserve(events.len())
        .map_err(|_| super::heap::oom(events.len() as u64 * 16))?;
    let hdr = heap.chunks.header_bytes();
    for (i, e) in events.iter().enumerate() {
        if dead[i] || e.what & FREED != 0 {
            continue;
        }
        let lead = match e.what >> KIND_SHIFT & 3 {
            1 => hdr,
            2 => 2 * hdr,
            _ => 0,
        };
        live.push(Live {
            start: e.addr - lead,
            count: e.count,
            size: e.size,
            requested: e.requested,
            lead: lead as u8,
            what: e.what & WHAT_MASK,
        });
    }
    drop(dead);
    // Runs, not blocks: a few thousand entries for a million objects.
    live.sort_unstable_by_key(|b| b.start);
    let mut out = HeapRuns::default();
    for b in &live {
        out.blocks += b.count as u64;
        if let (Some(&s), Some(&sz), Some(c), Some(&rq), Some(&ld), Some(&wh)) = (
            out.run_start.last(),
            out.run_size.last(),
            out.run_count.last_mut(),
            out.run_requested.last(),
            out.run_lead.last(),
            out.run_what.last(),
        ) {
            if sz == b.size
                && rq == b.requested
                && ld == b.lead
                && wh == b.what
                && s + sz as usize * *c as usize == b.start
            {
                *c += b.count;
                continue;
            }
        }
        out.run_start.push(b.start);
        out.run_size.push(b.size);
        out.run_count.push(b.count);
        out.run_requested.push(b.requested);
        out.run_lead.push(b.lead);
        out.run_what.push(b.what);
    }
    let mut regions = Vec::new();
    if let Some(pm) = heap.small.as_ref() {
        pm.regions(&mut regions);
        pm.frames(&mut regions);
    }
    heap.chunks.regions(&mut regions);
    heap.chunks.frames(&mut regions);
    // One sort for the regions and the frames (each sort of a new type costs the wasm ~2 KB).
    regions.sort_unstable_by_key(|r| r.0);
    for (start, len, kind) in regions {
        if let Region::Frame(frame, block) = kind {
            out.frame_start.push(start);
            out.frame_len.push(len);
            out.frame_kind.push(frame as u8);
            out.frame_block.push(block);
        } else {
            out.region_start.push(start);
            out.region_len.push(len);
            out.region_kind.push(region_code(kind));
        }
    }
    if out.run_start.len() > u32::MAX as usize {
        return Err(Error::invalid("n", "too many blocks for a heap map"));
    }
    Ok(out)
}

impl HeapRuns {
    /// The live block holding `addr`: (start, size), allocator header included.
    fn block_at(&self, addr: usize) -> Option<(usize, usize)> {
        let i = self
            .run_start
            .partition_point(|&s| s <= addr)
            .checked_sub(1)?;
        let (start, size) = (self.run_start[i], self.run_size[i].max(1) as usize);
        let k = (addr - start) / size;
        (k < self.run_count[i] as usize).then_some((start + k * size, size))
    }

    fn label(&mut self, addr: usize, text: String) {
        if let Some((start, len)) = self.block_at(addr) {
            if !self.label_start.contains(&start) {
                self.label_start.push(start);
                self.label_len.push(len);
                self.label_text.push(text);
            }
        }
    }
}

/// Name the blocks of a small structure (see [`HeapRuns::label_start`]): its container, its
/// buffer, and the objects its first [`LABEL_MAX`] slots point at, by value and element index.
pub fn label_blocks(b: &Builder, built: &Built, s: &Scenario, out: &mut HeapRuns) {
    if s.n > LABEL_MAX {
        return;
    }
    match *built {
        Built::Boxed {
            obj, items, tuple, ..
        } => {
            let container = if tuple {
                "tuple object (PyTupleObject, items inline)"
            } else {
                "list object (PyListObject)"
            };
            if let Some(o) = obj {
                out.label(o.addr, container.to_owned());
            }
            if let Some(i) = items {
                out.label(i.addr, "pointer array (the list's ob_item)".to_owned());
            }
            let src = ElementSource::new(s);
            for (k, addr) in b.slot_targets(built).into_iter().enumerate() {
                let text = match src.value(k as u64) {
                    Value::Int(v) => format!("int {v} (PyLongObject), element {k}"),
                    Value::Float(f) => format!("float {f:?} (PyFloatObject), element {k}"),
                };
                out.label(addr, text);
            }
        }
        Built::Packed { obj, data, .. } => {
            let (object, buffer) = match s.container {
                Container::Ndarray(_) => ("ndarray object (PyArrayObject)", "ndarray data buffer"),
                _ => (
                    "array.array object (arrayobject)",
                    "array.array data buffer (ob_item)",
                ),
            };
            if let Some(o) = obj {
                out.label(o.addr, object.to_owned());
            }
            if let Some(d) = data {
                out.label(d.addr, format!("{buffer}: {} values", s.n));
            }
        }
    }
}
