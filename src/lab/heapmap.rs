//! The heap map: which bytes of the lab's memory hold what, as compact runs (never an object
//! per allocation). Live blocks come from replaying the allocation log; pool headers, arena
//! slack and free space come from the allocators themselves.

use super::heap::{Heap, FREED, KIND_SHIFT, WHAT_MASK};
use super::pymalloc::Region;
use crate::error::{Error, Result};

/// Cell kinds for regions that are not live blocks (live blocks use `What`, 1..=16).
pub fn region_code(r: Region) -> u8 {
    match r {
        Region::ArenaAlignment => 20,
        Region::PoolHeader => 21,
        Region::UnusedPool => 22,
        Region::FreeBlock => 23,
        Region::ChunkHeader => 24,
        Region::HeapTop => 25,
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
}

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
    }
    heap.chunks.regions(&mut regions);
    regions.sort_unstable_by_key(|r| r.0);
    for (start, len, kind) in regions {
        out.region_start.push(start);
        out.region_len.push(len);
        out.region_kind.push(region_code(kind));
    }
    if out.run_start.len() > u32::MAX as usize {
        return Err(Error::invalid("n", "too many blocks for a heap map"));
    }
    Ok(out)
}
