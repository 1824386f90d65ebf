//! A small-object allocator that mirrors CPython's pymalloc (Objects/obmalloc.c): arenas carved
//! into pools, each pool serving one size class, blocks handed out from a free list and then by
//! bumping `nextoffset`. Geometry follows the profile: 256 KiB arenas and 4 KiB pools before
//! 3.10, 1 MiB and 16 KiB since (64-bit); 16-byte alignment on 64-bit, 8 on 32-bit.
//! Arenas come from Rust's allocator with 4 KiB alignment, as mmap gives CPython pages, so the
//! pool-alignment loss at an arena's start is real here too.

use std::alloc::{alloc, dealloc, Layout};

use crate::model::Profile;

pub const SMALL_REQUEST_THRESHOLD: usize = 512;
const PAGE: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Geometry {
    pub arena: usize,
    pub pool: usize,
    pub align: usize,
    /// sizeof(struct pool_header) rounded up to the alignment.
    pub pool_overhead: usize,
}

impl Geometry {
    pub fn of(p: Profile) -> Geometry {
        let wide = !p.is_wasm32();
        let (arena, pool) = match (wide, p.minor() >= 10) {
            (true, true) => (1 << 20, 16 << 10),
            _ => (256 << 10, 4 << 10),
        };
        if wide {
            // 5 pointers-or-uints of 8 + 4 uints of 4 = 48
            Geometry {
                arena,
                pool,
                align: 16,
                pool_overhead: 48,
            }
        } else {
            Geometry {
                arena,
                pool,
                align: 8,
                pool_overhead: 32,
            }
        }
    }

    pub fn class_size(&self, idx: usize) -> usize {
        (idx + 1) * self.align
    }

    pub fn class_of(&self, nbytes: usize) -> usize {
        (nbytes - 1) / self.align
    }
}

struct Pool {
    base: usize,
    arena: u32,
    szidx: u32,
    /// Blocks in use (pool->ref.count).
    count: u32,
    /// Head of the in-block free list, 0 for none.
    freeblock: usize,
    nextoffset: usize,
    maxnextoffset: usize,
    /// Links in the used-pools ring of its size class (pool ids), or the free-pools list.
    next: u32,
    prev: u32,
}

struct Arena {
    base: usize,
    /// First pool-aligned address: [base, first_pool) is alignment loss.
    first_pool: usize,
    /// Pools not yet carved ("pool_address" bump), then emptied pools (by id).
    next_carve: usize,
    end: usize,
    free_pools: Vec<u32>,
    total_pools: u32,
    live_pools: u32,
}

const NONE: u32 = u32::MAX;

pub struct Pymalloc {
    pub g: Geometry,
    arenas: Vec<Option<Arena>>,
    /// Sorted (base, end, arena index) for address_in_range.
    ranges: Vec<(usize, usize, u32)>,
    pools: Vec<Pool>,
    /// Per size class: a pool with free blocks, head of a ring linked by next/prev.
    used: Vec<u32>,
    /// The arena of the last address lookup (frees come in runs from the same arena).
    last_range: std::cell::Cell<(usize, usize)>,
}

/// What pymalloc holds, like sys._debugmallocstats().
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PymallocStats {
    pub arenas: u64,
    pub arena_bytes: u64,
    pub blocks_in_use: u64,
    pub bytes_in_use: u64,
    pub free_block_bytes: u64,
    pub pool_header_bytes: u64,
    pub unused_pool_bytes: u64,
    pub arena_alignment_bytes: u64,
}

impl Pymalloc {
    pub fn new(g: Geometry) -> Pymalloc {
        let classes = SMALL_REQUEST_THRESHOLD / g.align;
        Pymalloc {
            g,
            arenas: Vec::new(),
            ranges: Vec::new(),
            pools: Vec::new(),
            used: vec![NONE; classes],
            last_range: std::cell::Cell::new((0, 0)),
        }
    }

    pub fn serves(&self, nbytes: usize) -> bool {
        (1..=SMALL_REQUEST_THRESHOLD).contains(&nbytes)
    }

    /// The block size of a pymalloc address, or None if the address is not in an arena.
    pub fn block_size(&self, p: usize) -> Option<usize> {
        self.pool_of(p)
            .map(|id| self.g.class_size(self.pools[id as usize].szidx as usize))
    }

    fn pool_of(&self, p: usize) -> Option<u32> {
        let (base, end) = self.last_range.get();
        if p < base || p >= end {
            let i = self.ranges.partition_point(|r| r.0 <= p);
            let (base, end, _) = *self.ranges.get(i.checked_sub(1)?)?;
            if p < base || p >= end {
                return None;
            }
            self.last_range.set((base, end));
        }
        let pool_base = p & !(self.g.pool - 1);
        // SAFETY: pool_base is inside a live arena, at a pool we initialised; its header
        // starts with our pool id (written by init_pool).
        let id = unsafe { (pool_base as *const u32).read() };
        Some(id)
    }

    /// pymalloc_alloc: a block for `nbytes` (1..=512), or None when no arena can be had.
    pub fn malloc(&mut self, nbytes: usize) -> Option<usize> {
        let idx = self.g.class_of(nbytes);
        let size = self.g.class_size(idx);
        let pid = self.used[idx];
        if pid != NONE {
            let pool = &mut self.pools[pid as usize];
            pool.count += 1;
            let bp = pool.freeblock;
            // SAFETY: bp is a free block of this pool; its first word links the free list.
            let next = unsafe { (bp as *const usize).read() };
            pool.freeblock = next;
            if next == 0 {
                // pymalloc_pool_extend
                if pool.nextoffset <= pool.maxnextoffset {
                    let fb = pool.base + pool.nextoffset;
                    pool.nextoffset += size;
                    // SAFETY: fb is an untouched block inside the pool.
                    unsafe { (fb as *mut usize).write(0) };
                    pool.freeblock = fb;
                } else {
                    self.unlink_used(pid, idx);
                }
            }
            return Some(bp);
        }
        self.allocate_from_new_pool(idx, size)
    }

    /// Up to `max` consecutive blocks for `nbytes`: exactly the blocks `max` calls to `malloc`
    /// would return when they come from a pool's untouched tail, handed out at once.
    /// Returns (first block, count); count is 1 for a block from a free list or a new pool.
    pub fn malloc_bulk(&mut self, nbytes: usize, max: usize) -> Option<(usize, usize)> {
        let idx = self.g.class_of(nbytes);
        let size = self.g.class_size(idx);
        let pid = self.used[idx];
        if pid == NONE || max <= 1 {
            return self.malloc(nbytes).map(|a| (a, 1));
        }
        let pool = &mut self.pools[pid as usize];
        let bp = pool.freeblock;
        // SAFETY: bp is a free block of this pool; its first word links the free list.
        if unsafe { (bp as *const usize).read() } != 0 {
            return self.malloc(nbytes).map(|a| (a, 1));
        }
        // bp is the first untouched block; more follow up to maxnextoffset.
        let tail = if pool.nextoffset <= pool.maxnextoffset {
            (pool.maxnextoffset - pool.nextoffset) / size + 1
        } else {
            0
        };
        let k = max.min(1 + tail);
        pool.count += k as u32;
        if k == 1 + tail {
            pool.freeblock = 0;
            pool.nextoffset = pool.maxnextoffset + size;
            self.unlink_used(pid, idx);
        } else {
            let fb = bp + k * size;
            // SAFETY: fb is the next untouched block inside the pool.
            unsafe { (fb as *mut usize).write(0) };
            pool.freeblock = fb;
            pool.nextoffset = fb - pool.base + size;
        }
        Some((bp, k))
    }

    fn allocate_from_new_pool(&mut self, idx: usize, size: usize) -> Option<usize> {
        let (pid, pool_base) = self.take_pool()?;
        let g = self.g;
        let pool = &mut self.pools[pid as usize];
        pool.szidx = idx as u32;
        pool.count = 1;
        let bp = pool_base + g.pool_overhead;
        pool.nextoffset = g.pool_overhead + 2 * size;
        pool.maxnextoffset = g.pool - size;
        let fb = bp + size;
        pool.freeblock = fb;
        // SAFETY: the pool's header and its first two blocks lie inside the arena.
        unsafe {
            (pool_base as *mut u32).write(pid);
            (pool_base as *mut u32).add(1).write(idx as u32);
            (fb as *mut usize).write(0);
        }
        // Every class fits at least two blocks in a pool (512 * 2 + header < 4 KiB), so the
        // pool has a free block left and joins its class's used pools.
        self.link_used(pid, idx);
        Some(bp)
    }

    /// A fresh or emptied pool, from the fullest usable arena, or a new arena.
    fn take_pool(&mut self) -> Option<(u32, usize)> {
        let g = self.g;
        let arena = self
            .arenas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.as_ref().map(|a| (i, a)))
            .filter(|(_, a)| !a.free_pools.is_empty() || a.next_carve + g.pool <= a.end)
            .min_by_key(|(_, a)| a.total_pools - a.live_pools)
            .map(|(i, _)| i);
        let ai = match arena {
            Some(i) => i,
            None => self.new_arena()?,
        };
        let a = self.arenas[ai].as_mut()?;
        a.live_pools += 1;
        if let Some(pid) = a.free_pools.pop() {
            let base = self.pools[pid as usize].base;
            return Some((pid, base));
        }
        let base = a.next_carve;
        a.next_carve += g.pool;
        let pid = self.pools.len() as u32;
        if self.pools.try_reserve(1).is_err() {
            return None;
        }
        self.pools.push(Pool {
            base,
            arena: ai as u32,
            szidx: 0,
            count: 0,
            freeblock: 0,
            nextoffset: 0,
            maxnextoffset: 0,
            next: NONE,
            prev: NONE,
        });
        Some((pid, base))
    }

    fn new_arena(&mut self) -> Option<usize> {
        let g = self.g;
        let layout = Layout::from_size_align(g.arena, PAGE).ok()?;
        // SAFETY: non-zero size; a null return (memory full) is handled.
        let base = unsafe { alloc(layout) } as usize;
        if base == 0 {
            return None;
        }
        let first_pool = (base + g.pool - 1) & !(g.pool - 1);
        let total = ((base + g.arena - first_pool) / g.pool) as u32;
        self.arenas.try_reserve(1).ok()?;
        self.ranges.try_reserve(1).ok()?;
        let ai = self.arenas.len();
        self.arenas.push(Some(Arena {
            base,
            first_pool,
            next_carve: first_pool,
            end: first_pool + total as usize * g.pool,
            free_pools: Vec::new(),
            total_pools: total,
            live_pools: 0,
        }));
        let at = self.ranges.partition_point(|r| r.0 < base);
        self.ranges.insert(at, (base, base + g.arena, ai as u32));
        Some(ai)
    }

    fn link_used(&mut self, pid: u32, idx: usize) {
        let head = self.used[idx];
        if head == NONE {
            let p = &mut self.pools[pid as usize];
            p.next = pid;
            p.prev = pid;
            self.used[idx] = pid;
        } else {
            // Insert at the head, as insert_to_usedpool does.
            let tail = self.pools[head as usize].prev;
            self.pools[pid as usize].next = head;
            self.pools[pid as usize].prev = tail;
            self.pools[tail as usize].next = pid;
            self.pools[head as usize].prev = pid;
            self.used[idx] = pid;
        }
    }

    fn unlink_used(&mut self, pid: u32, idx: usize) {
        let (next, prev) = (self.pools[pid as usize].next, self.pools[pid as usize].prev);
        if next == pid {
            self.used[idx] = NONE;
        } else {
            self.pools[prev as usize].next = next;
            self.pools[next as usize].prev = prev;
            if self.used[idx] == pid {
                self.used[idx] = next;
            }
        }
        self.pools[pid as usize].next = NONE;
        self.pools[pid as usize].prev = NONE;
    }

    /// pymalloc_free. Returns false if `p` is not a pymalloc block.
    pub fn free(&mut self, p: usize) -> bool {
        self.free_sized(p).is_some()
    }

    /// pymalloc_free, returning the freed block's size (None: not a pymalloc block).
    pub fn free_sized(&mut self, p: usize) -> Option<usize> {
        let pid = self.pool_of(p)?;
        let idx = self.pools[pid as usize].szidx as usize;
        let size = self.g.class_size(idx);
        let pool = &mut self.pools[pid as usize];
        let lastfree = pool.freeblock;
        // SAFETY: p is a block of this pool being freed; its first word becomes the link.
        unsafe { (p as *mut usize).write(lastfree) };
        pool.freeblock = p;
        pool.count -= 1;
        let empty = pool.count == 0;
        if lastfree == 0 {
            // The pool was full: it has a free block again.
            if empty {
                self.release_pool(pid);
            } else {
                self.link_used(pid, idx);
            }
            return Some(size);
        }
        if empty {
            self.unlink_used(pid, idx);
            self.release_pool(pid);
        }
        Some(size)
    }

    fn release_pool(&mut self, pid: u32) {
        let ai = self.pools[pid as usize].arena as usize;
        let Some(a) = self.arenas[ai].as_mut() else {
            return;
        };
        a.free_pools.push(pid);
        a.live_pools -= 1;
        if a.live_pools == 0 {
            // The whole arena is free: give it back, as CPython does.
            let base = a.base;
            self.arenas[ai] = None;
            self.ranges.retain(|r| r.0 != base);
            self.last_range.set((0, 0));
            if let Ok(layout) = Layout::from_size_align(self.g.arena, PAGE) {
                // SAFETY: base came from alloc with this very layout.
                unsafe { dealloc(base as *mut u8, layout) };
            }
        }
    }

    /// Free every arena (the end of an experiment).
    pub fn release_all(&mut self) {
        for a in self.arenas.drain(..).flatten() {
            if let Ok(layout) = Layout::from_size_align(self.g.arena, PAGE) {
                // SAFETY: as in release_pool.
                unsafe { dealloc(a.base as *mut u8, layout) };
            }
        }
        self.ranges.clear();
        self.last_range.set((0, 0));
        self.pools.clear();
        self.used.iter_mut().for_each(|u| *u = NONE);
    }

    pub fn stats(&self) -> PymallocStats {
        let g = self.g;
        let mut s = PymallocStats::default();
        for a in self.arenas.iter().flatten() {
            s.arenas += 1;
            s.arena_bytes += g.arena as u64;
            s.arena_alignment_bytes += (a.first_pool - a.base + (a.base + g.arena - a.end)) as u64;
            let carved = (a.next_carve - a.first_pool) / g.pool;
            let never = a.total_pools as usize - carved;
            s.unused_pool_bytes += ((never + a.free_pools.len()) * g.pool) as u64;
        }
        for p in &self.pools {
            let alive = self
                .arenas
                .get(p.arena as usize)
                .is_some_and(|a| a.is_some());
            if !alive || p.count == 0 {
                continue;
            }
            let size = g.class_size(p.szidx as usize) as u64;
            s.blocks_in_use += p.count as u64;
            s.bytes_in_use += p.count as u64 * size;
            s.pool_header_bytes += g.pool_overhead as u64;
            s.free_block_bytes += (g.pool - g.pool_overhead) as u64 - p.count as u64 * size;
        }
        s
    }

    /// Regions for the heap map: (start, len, region kind) of arena slack, pool headers, free
    /// space inside pools, and untouched pools.
    pub fn regions(&self, out: &mut Vec<(usize, usize, Region)>) {
        let g = self.g;
        for a in self.arenas.iter().flatten() {
            if a.first_pool > a.base {
                out.push((a.base, a.first_pool - a.base, Region::ArenaAlignment));
            }
            if a.base + g.arena > a.end {
                out.push((a.end, a.base + g.arena - a.end, Region::ArenaAlignment));
            }
            if a.end > a.next_carve {
                out.push((a.next_carve, a.end - a.next_carve, Region::UnusedPool));
            }
        }
        for p in &self.pools {
            let alive = self
                .arenas
                .get(p.arena as usize)
                .is_some_and(|a| a.is_some());
            if !alive {
                continue;
            }
            if p.count == 0 {
                out.push((p.base, g.pool, Region::UnusedPool));
                continue;
            }
            out.push((p.base, g.pool_overhead, Region::PoolHeader));
            // Free space between blocks is whatever the live blocks do not cover; the heap map
            // paints the pool's body as free and live blocks over it.
            out.push((
                p.base + g.pool_overhead,
                g.pool - g.pool_overhead,
                Region::FreeBlock,
            ));
        }
    }
}

impl Pymalloc {
    /// The allocator's structure for the heap map: (start, len, kind, block size) of each live
    /// arena and of each pool carved from it (with its size class's block size; 0 for an empty
    /// pool).
    pub fn frames(&self, out: &mut Vec<(usize, usize, Region)>) {
        let g = self.g;
        for a in self.arenas.iter().flatten() {
            out.push((a.base, g.arena, Region::Frame(Frame::Arena, 0)));
        }
        for p in &self.pools {
            if self
                .arenas
                .get(p.arena as usize)
                .is_some_and(|a| a.is_some())
            {
                let block = if p.count == 0 {
                    0
                } else {
                    g.class_size(p.szidx as usize) as u32
                };
                out.push((p.base, g.pool, Region::Frame(Frame::Pool, block)));
            }
        }
    }
}

/// The allocators' structure, drawn as outlines under the heap map's blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Frame {
    /// A pymalloc arena (256 KiB before 3.10, 1 MiB from 3.10 on 64-bit).
    Arena = 1,
    /// A pymalloc pool (4 KiB before 3.10, 16 KiB after), all of one size class.
    Pool = 2,
    /// A segment of the malloc-like chunk heap (glibc's main heap, grown by brk).
    HeapSegment = 3,
    /// A chunk of its own mapping (glibc's mmap for 128 KiB and more).
    Mapped = 4,
}

/// Allocator-owned memory that is not a live block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    ArenaAlignment,
    PoolHeader,
    UnusedPool,
    FreeBlock,
    ChunkHeader,
    HeapTop,
    /// Not memory of its own: the outline of an arena, pool, segment or mapping (with a
    /// pool's block size). It travels with the regions so that one sort orders both.
    Frame(Frame, u32),
}

impl Drop for Pymalloc {
    fn drop(&mut self) {
        self.release_all();
    }
}
