//! The lab's allocators and their log. `Heap` routes each request the way the profile's CPython
//! does: small PyObject/PyMem requests to the pymalloc mirror, everything else to a malloc-like
//! chunk heap (glibc's rules on 64-bit Linux, dlmalloc's on wasm32), or, in "rust" mode, all of
//! it to Rust's own allocator. Every allocation and free is recorded: address, size, requested
//! bytes and what it is.

use std::alloc::{alloc, dealloc, Layout};
use std::mem::size_of;

use super::pymalloc::{Geometry, Pymalloc, PymallocStats, Region};
use crate::error::{Error, Result};
use crate::model::alloc::{Domain, GLIBC_MMAP_THRESHOLD, PAGE};
use crate::model::Profile;

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

/// How the lab allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// As the profile's CPython does: pymalloc + glibc-like on 64-bit, dlmalloc-like on wasm32.
    CPython,
    /// Rust's global allocator for everything (its own rounding is not visible from outside).
    Rust,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlkKind {
    Small,
    Chunk,
    Mapped,
    Rust,
}

/// A live block: its user address, what was asked, and what the allocator set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blk {
    pub addr: usize,
    pub requested: u64,
    pub size: u64,
    pub kind: BlkKind,
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
    fn push(&mut self, b: &Blk, what: u8) -> Result<()> {
        self.push_run(b, 1, what)
    }

    /// Log `count` blocks like `b` back to back, merging with the previous entry when it is the
    /// same kind of event and ends where this one starts.
    fn push_run(&mut self, b: &Blk, count: u32, what: u8) -> Result<()> {
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

/// An allocation failed: linear memory could not grow. The caller fills in what was needed.
pub fn oom(needed: u64) -> Error {
    Error::OutOfMemory {
        needed,
        reached: memory_bytes(),
        limit: MEMORY_LIMIT,
    }
}

/// wasm32 linear memory cannot pass 4 GiB (65,536 pages of 64 KiB).
pub const MEMORY_LIMIT: u64 = 1 << 32;

/// Current linear memory size in bytes (0 natively).
pub fn memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

/// A malloc-like heap of chunks with in-memory size headers: glibc's rules (8-byte header,
/// 16-byte alignment, 32-byte minimum, mmap at 128 KiB) or emscripten dlmalloc's (4, 8, 16, none).
/// Freed chunks go to exact-size bins for reuse; there is no coalescing.
pub struct ChunkHeap {
    hdr: usize,
    align: usize,
    min: usize,
    mmap_threshold: Option<usize>,
    segments: Vec<Segment>,
    /// Free chunks by size (few distinct sizes: a short list, no hashing).
    bins: Vec<(usize, Vec<usize>)>,
    /// Live mappings: (user address, mapping base, mapping bytes). Few: the big buffers.
    mapped: Vec<(usize, usize, usize)>,
    /// Address space reserved for mappings, so the last one can grow in place as mremap lets
    /// glibc do (no copy). Mappings go elsewhere once it is full.
    area: Option<MapArea>,
}

struct MapArea {
    base: usize,
    len: usize,
    top: usize,
}

struct Segment {
    base: usize,
    len: usize,
    top: usize,
}

const SEGMENT: usize = 1 << 20;

impl ChunkHeap {
    pub fn glibc() -> ChunkHeap {
        ChunkHeap::with(8, 16, 32, Some(GLIBC_MMAP_THRESHOLD as usize))
    }

    pub fn dlmalloc32() -> ChunkHeap {
        ChunkHeap::with(4, 8, 16, None)
    }

    fn with(hdr: usize, align: usize, min: usize, mmap_threshold: Option<usize>) -> ChunkHeap {
        ChunkHeap {
            hdr,
            align,
            min,
            mmap_threshold,
            segments: vec![],
            bins: Vec::new(),
            mapped: Vec::new(),
            area: None,
        }
    }

    fn bin_push(&mut self, nb: usize, chunk: usize) {
        match self.bins.iter_mut().find(|b| b.0 == nb) {
            Some(b) => b.1.push(chunk),
            None => self.bins.push((nb, vec![chunk])),
        }
    }

    fn bin_pop(&mut self, nb: usize) -> Option<usize> {
        self.bins
            .iter_mut()
            .find(|b| b.0 == nb)
            .and_then(|b| b.1.pop())
    }

    fn bin_has(&self, nb: usize) -> bool {
        self.bins.iter().any(|b| b.0 == nb && !b.1.is_empty())
    }

    /// The mapping holding user address `user`: (base, bytes).
    pub fn mapping(&self, user: usize) -> Option<(usize, usize)> {
        self.mapped.iter().find(|m| m.0 == user).map(|m| (m.1, m.2))
    }

    fn set_mapping(&mut self, user: usize, base: usize, bytes: usize) {
        match self.mapped.iter_mut().find(|m| m.0 == user) {
            Some(m) => *m = (user, base, bytes),
            None => self.mapped.push((user, base, bytes)),
        }
    }

    fn remove_mapping(&mut self, user: usize) -> Option<(usize, usize)> {
        let i = self.mapped.iter().position(|m| m.0 == user)?;
        let m = self.mapped.swap_remove(i);
        Some((m.1, m.2))
    }

    /// Reserve `bytes` of address space for mappings (a no-op without an mmap threshold).
    pub fn reserve_map_area(&mut self, bytes: usize) -> bool {
        if self.mmap_threshold.is_none() || bytes == 0 {
            return true;
        }
        let Ok(layout) = Layout::from_size_align(bytes, self.align) else {
            return false;
        };
        // SAFETY: non-zero size; null is handled.
        let base = unsafe { alloc(layout) } as usize;
        if base == 0 {
            return false;
        }
        self.area = Some(MapArea {
            base,
            len: bytes,
            top: base,
        });
        true
    }

    fn in_area(&self, base: usize) -> bool {
        self.area
            .as_ref()
            .is_some_and(|a| (a.base..a.base + a.len).contains(&base))
    }

    /// Memory for a mapping: from the reserved area if it fits, else from Rust's allocator.
    fn map(&mut self, bytes: usize) -> Option<usize> {
        if let Some(a) = self.area.as_mut() {
            if a.top + bytes <= a.base + a.len {
                let base = a.top;
                a.top += bytes;
                return Some(base);
            }
        }
        let layout = Layout::from_size_align(bytes, self.align).ok()?;
        // SAFETY: non-zero size; null is handled.
        let base = unsafe { alloc(layout) } as usize;
        (base != 0).then_some(base)
    }

    fn unmap(&mut self, base: usize, bytes: usize) {
        if self.in_area(base) {
            if let Some(a) = self.area.as_mut().filter(|a| base + bytes == a.top) {
                a.top = base;
            }
            return;
        }
        if let Ok(layout) = Layout::from_size_align(bytes, self.align) {
            // SAFETY: base came from alloc with this layout.
            unsafe { dealloc(base as *mut u8, layout) };
        }
    }

    pub fn chunk_size(&self, requested: usize) -> usize {
        ((requested.max(1) + self.hdr).div_ceil(self.align) * self.align).max(self.min)
    }

    pub fn is_mapped_size(&self, nb: usize) -> bool {
        self.mmap_threshold.is_some_and(|t| nb >= t)
    }

    /// A mapping's size: whole pages, as mmap gives. (Its alignment here is only the chunk
    /// alignment, so growing it can stay in place the way mremap does, instead of copying.)
    fn mapped_bytes(&self, nb: usize) -> usize {
        (nb + self.hdr).div_ceil(PAGE as usize) * PAGE as usize
    }

    /// Returns (user address, chunk bytes, mapped?).
    pub fn malloc(&mut self, requested: usize) -> Option<(usize, usize, bool)> {
        let nb = self.chunk_size(requested);
        if self.is_mapped_size(nb) {
            let bytes = self.mapped_bytes(nb);
            let base = self.map(bytes)?;
            // glibc: the chunk header sits at the mapping's start, the user block 16 bytes in.
            let user = base + 2 * self.hdr;
            self.write_header(base + self.hdr, bytes);
            self.mapped.try_reserve(1).ok()?;
            self.set_mapping(user, base, bytes);
            return Some((user, bytes, true));
        }
        if let Some(c) = self.bin_pop(nb) {
            return Some((c + self.hdr, nb, false));
        }
        let c = self.carve(nb)?;
        self.write_header(c, nb);
        Some((c + self.hdr, nb, false))
    }

    /// Up to `max` chunks of a small size carved back to back from the top of the heap (the
    /// same chunks `max` calls to `malloc` would return). Returns (first user address, count,
    /// whether their size headers are still to be written): with several, the caller writes
    /// each header (`put_header`) as it writes the object, one pass over the memory, not two.
    pub fn malloc_bulk(&mut self, requested: usize, max: usize) -> Option<(usize, usize, bool)> {
        let nb = self.chunk_size(requested);
        let reuse = self.bin_has(nb);
        if max <= 1 || self.is_mapped_size(nb) || reuse {
            return self.malloc(requested).map(|(u, _, _)| (u, 1, false));
        }
        let room = self
            .segments
            .last()
            .map_or(0, |s| (s.base + s.len - s.top) / nb);
        if room == 0 {
            return self.malloc(requested).map(|(u, _, _)| (u, 1, false));
        }
        let k = max.min(room);
        let seg = self.segments.last_mut()?;
        let first = seg.top;
        seg.top += k * nb;
        Some((first + self.hdr, k, true))
    }

    /// Write the size header of the chunk whose user address is `user` (see `malloc_bulk`).
    #[inline(always)]
    pub fn put_header(&self, user: usize, nb: usize) {
        self.write_header(user - self.hdr, nb);
    }

    fn carve(&mut self, nb: usize) -> Option<usize> {
        if let Some(s) = self.segments.last_mut() {
            if s.top + nb <= s.base + s.len {
                let c = s.top;
                s.top += nb;
                return Some(c);
            }
            // The rest of the segment becomes a free chunk, as glibc's old top does.
            let rest = s.base + s.len - s.top;
            if rest >= self.min {
                let c = s.top;
                s.top = s.base + s.len;
                self.write_header(c, rest);
                self.bin_push(rest, c);
            }
        }
        let len = (nb + 2 * self.align).max(SEGMENT);
        let layout = Layout::from_size_align(len, self.align).ok()?;
        // SAFETY: non-zero size; null is handled.
        let base = unsafe { alloc(layout) } as usize;
        if base == 0 {
            return None;
        }
        // Chunks start hdr bytes before an aligned user address.
        let first = (base + self.hdr).div_ceil(self.align) * self.align - self.hdr;
        self.segments.try_reserve(1).ok()?;
        self.segments.push(Segment {
            base,
            len,
            top: first + nb,
        });
        Some(first)
    }

    fn write_header(&self, chunk: usize, bytes: usize) {
        // SAFETY: `chunk` is the start of a chunk we own; the header is its first hdr bytes.
        unsafe {
            if self.hdr == 8 {
                (chunk as *mut u64).write_unaligned(bytes as u64);
            } else {
                (chunk as *mut u32).write_unaligned(bytes as u32);
            }
        }
    }

    fn read_header(&self, chunk: usize) -> usize {
        // SAFETY: as in write_header.
        unsafe {
            if self.hdr == 8 {
                (chunk as *const u64).read_unaligned() as usize
            } else {
                (chunk as *const u32).read_unaligned() as usize
            }
        }
    }

    pub fn size_of(&self, user: usize) -> usize {
        match self.mapping(user) {
            Some((_, bytes)) => bytes,
            None => self.read_header(user - self.hdr),
        }
    }

    pub fn free(&mut self, user: usize) {
        if let Some((base, bytes)) = self.remove_mapping(user) {
            self.unmap(base, bytes);
            return;
        }
        let c = user - self.hdr;
        let nb = self.read_header(c);
        self.bin_push(nb, c);
    }

    /// realloc with glibc's (or dlmalloc's) rules: shrink in place, splitting off the rest when
    /// it is a whole chunk; grow in place at the top of the heap, else move.
    pub fn realloc(
        &mut self,
        user: usize,
        old_requested: usize,
        requested: usize,
    ) -> Option<(usize, usize, bool)> {
        let nb = self.chunk_size(requested);
        if let Some((base, bytes)) = self.mapping(user) {
            let want = self.mapped_bytes(nb);
            if want == bytes {
                return Some((user, bytes, true));
            }
            // mremap: the last mapping of the area grows or shrinks where it is.
            if let Some(a) = self
                .area
                .as_mut()
                .filter(|a| base + bytes == a.top && base + want <= a.base + a.len)
            {
                a.top = base + want;
                self.set_mapping(user, base, want);
                self.write_header(base + self.hdr, want);
                return Some((user, want, true));
            }
            let nbase = self.map(want)?;
            // SAFETY: two live, distinct mappings; copy what the old one held.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    user as *const u8,
                    (nbase + 2 * self.hdr) as *mut u8,
                    old_requested.min(requested),
                )
            };
            self.remove_mapping(user);
            self.unmap(base, bytes);
            let nuser = nbase + 2 * self.hdr;
            self.write_header(nbase + self.hdr, want);
            self.set_mapping(nuser, nbase, want);
            return Some((nuser, want, true));
        }
        let c = user - self.hdr;
        let old = self.read_header(c);
        if nb <= old {
            if old - nb >= self.min {
                self.write_header(c, nb);
                self.write_header(c + nb, old - nb);
                self.bin_push(old - nb, c + nb);
                return Some((user, nb, false));
            }
            return Some((user, old, false));
        }
        if !self.is_mapped_size(nb) {
            if let Some(s) = self.segments.last_mut() {
                if c + old == s.top && c + nb <= s.base + s.len {
                    s.top = c + nb;
                    self.write_header(c, nb);
                    return Some((user, nb, false));
                }
            }
        }
        let (nuser, nbytes, mapped) = self.malloc(requested)?;
        // SAFETY: both blocks are live and distinct; copy what the old one held.
        unsafe {
            std::ptr::copy_nonoverlapping(
                user as *const u8,
                nuser as *mut u8,
                old_requested.min(requested),
            )
        };
        self.free(user);
        Some((nuser, nbytes, mapped))
    }

    /// Bytes held from the system: heap segments and live mappings (the reserved area counts
    /// only where mappings occupy it, as untouched address space costs nothing).
    pub fn held(&self) -> u64 {
        (self.segments.iter().map(|s| s.len).sum::<usize>()
            + self.mapped.iter().map(|m| m.2).sum::<usize>()) as u64
    }

    pub fn regions(&self, out: &mut Vec<(usize, usize, Region)>) {
        for s in &self.segments {
            out.push((s.base, s.len, Region::HeapTop));
        }
        for &(user, base, _) in &self.mapped {
            out.push((base, user - base, Region::ChunkHeader));
        }
    }

    pub fn header_bytes(&self) -> usize {
        self.hdr
    }

    pub fn release_all(&mut self) {
        for s in self.segments.drain(..) {
            if let Ok(layout) = Layout::from_size_align(s.len, self.align) {
                // SAFETY: the segment came from alloc with this layout.
                unsafe { dealloc(s.base as *mut u8, layout) };
            }
        }
        let mapped: Vec<(usize, usize)> = self.mapped.drain(..).map(|m| (m.1, m.2)).collect();
        for (base, bytes) in mapped {
            self.unmap(base, bytes);
        }
        if let Some(a) = self.area.take() {
            if let Ok(layout) = Layout::from_size_align(a.len, self.align) {
                // SAFETY: the area came from alloc with this layout.
                unsafe { dealloc(a.base as *mut u8, layout) };
            }
        }
        self.bins.clear();
    }
}

impl Drop for ChunkHeap {
    fn drop(&mut self) {
        self.release_all();
    }
}

/// Everything the lab allocates goes through here.
pub struct Heap {
    pub mode: Mode,
    pub align: usize,
    pub small: Option<Pymalloc>,
    pub chunks: ChunkHeap,
    pub log: Log,
    /// Live requested / allocated bytes and allocation calls, from the last `mark()`.
    pub requested: i64,
    pub allocated: i64,
    pub allocations: u64,
    pub frees: u64,
}

impl Heap {
    pub fn new(p: Profile, mode: Mode) -> Heap {
        let small = (mode == Mode::CPython && p.allocator().has_pymalloc())
            .then(|| Pymalloc::new(Geometry::of(p)));
        let chunks = if p.is_wasm32() {
            ChunkHeap::dlmalloc32()
        } else {
            ChunkHeap::glibc()
        };
        Heap {
            mode,
            align: if p.is_wasm32() { 8 } else { 16 },
            small,
            chunks,
            log: Log::default(),
            requested: 0,
            allocated: 0,
            allocations: 0,
            frees: 0,
        }
    }

    /// Start counting from here (what existed before costs nothing).
    pub fn mark(&mut self) {
        self.requested = 0;
        self.allocated = 0;
        self.allocations = 0;
        self.frees = 0;
    }

    pub fn malloc(&mut self, domain: Domain, requested: u64, what: What) -> Result<Blk> {
        let b = self
            .raw_malloc(domain, requested)
            .ok_or_else(|| oom(requested))?;
        self.requested += b.requested as i64;
        self.allocated += b.size as i64;
        self.allocations += 1;
        self.log.push(&b, what as u8)?;
        Ok(b)
    }

    /// Up to `max` blocks for `requested` bytes each, back to back: (first block, count, whether
    /// the caller must write each chunk's size header: see `ChunkHeap::malloc_bulk`). Every one
    /// is an allocation as `malloc` would make it, counted and logged as such.
    pub fn malloc_bulk(
        &mut self,
        domain: Domain,
        requested: u64,
        max: u64,
        what: What,
    ) -> Result<(Blk, u64, bool)> {
        let r = requested as usize;
        let mut unheaded = false;
        let bulk = match self.mode {
            Mode::Rust => None,
            Mode::CPython => match self
                .small
                .as_mut()
                .filter(|pm| domain == Domain::Object && pm.serves(r))
            {
                Some(pm) => pm.malloc_bulk(r, max as usize).map(|(addr, k)| {
                    (
                        Blk {
                            addr,
                            requested,
                            size: pm.g.class_size(pm.g.class_of(r)) as u64,
                            kind: BlkKind::Small,
                        },
                        k,
                    )
                }),
                None if !self.chunks.is_mapped_size(self.chunks.chunk_size(r)) => self
                    .chunks
                    .malloc_bulk(r, max as usize)
                    .map(|(addr, k, todo)| {
                        unheaded = todo;
                        (
                            Blk {
                                addr,
                                requested,
                                size: self.chunks.chunk_size(r) as u64,
                                kind: BlkKind::Chunk,
                            },
                            k,
                        )
                    }),
                None => None,
            },
        };
        let Some((b, k)) = bulk else {
            return self.malloc(domain, requested, what).map(|b| (b, 1, false));
        };
        self.requested += (b.requested * k as u64) as i64;
        self.allocated += (b.size * k as u64) as i64;
        self.allocations += k as u64;
        self.log.push_run(&b, k as u32, what as u8)?;
        Ok((b, k as u64, unheaded))
    }

    fn raw_malloc(&mut self, domain: Domain, requested: u64) -> Option<Blk> {
        let r = requested as usize;
        if self.mode == Mode::Rust {
            let layout = Layout::from_size_align(r.max(1), self.align).ok()?;
            // SAFETY: non-zero size; null is handled.
            let addr = unsafe { alloc(layout) } as usize;
            return (addr != 0).then_some(Blk {
                addr,
                requested,
                size: requested,
                kind: BlkKind::Rust,
            });
        }
        if domain == Domain::Object {
            if let Some(pm) = self.small.as_mut().filter(|pm| pm.serves(r)) {
                let addr = pm.malloc(r)?;
                let size = pm.g.class_size(pm.g.class_of(r)) as u64;
                return Some(Blk {
                    addr,
                    requested,
                    size,
                    kind: BlkKind::Small,
                });
            }
        }
        let (addr, size, mapped) = self.chunks.malloc(r)?;
        Some(Blk {
            addr,
            requested,
            size: size as u64,
            kind: if mapped {
                BlkKind::Mapped
            } else {
                BlkKind::Chunk
            },
        })
    }

    pub fn free(&mut self, b: Blk, what: What) -> Result<()> {
        match b.kind {
            BlkKind::Rust => {
                if let Ok(layout) =
                    Layout::from_size_align((b.requested as usize).max(1), self.align)
                {
                    // SAFETY: the block came from alloc with this layout.
                    unsafe { dealloc(b.addr as *mut u8, layout) };
                }
            }
            BlkKind::Small => {
                if let Some(pm) = self.small.as_mut() {
                    pm.free(b.addr);
                }
            }
            BlkKind::Chunk | BlkKind::Mapped => self.chunks.free(b.addr),
        }
        self.requested -= b.requested as i64;
        self.allocated -= b.size as i64;
        self.frees += 1;
        self.log.push(&b, what as u8 | FREED)
    }

    /// Free an object found through a pointer: pymalloc knows its block by address; otherwise
    /// it is a chunk (or, in "rust" mode, `requested` rebuilds its layout).
    pub fn free_object(&mut self, addr: usize, requested: u64, what: What) -> Result<()> {
        if self.mode != Mode::Rust {
            if let Some(size) = self.small.as_mut().and_then(|pm| pm.free_sized(addr)) {
                self.allocated -= size as i64;
                self.frees += 1;
                let b = Blk {
                    addr,
                    requested: 0,
                    size: size as u64,
                    kind: BlkKind::Small,
                };
                return self.log.push(&b, what as u8 | FREED);
            }
        }
        let b = self.blk_at(addr, requested);
        self.free(b, what)
    }

    /// A block given back by address only (an element object found through a pointer).
    pub fn blk_at(&self, addr: usize, requested: u64) -> Blk {
        if self.mode == Mode::Rust {
            return Blk {
                addr,
                requested,
                size: requested,
                kind: BlkKind::Rust,
            };
        }
        if let Some(size) = self.small.as_ref().and_then(|pm| pm.block_size(addr)) {
            return Blk {
                addr,
                requested,
                size: size as u64,
                kind: BlkKind::Small,
            };
        }
        let size = self.chunks.size_of(addr) as u64;
        let kind = if self.chunks.mapping(addr).is_some() {
            BlkKind::Mapped
        } else {
            BlkKind::Chunk
        };
        Blk {
            addr,
            requested,
            size,
            kind,
        }
    }

    /// realloc with the allocator's own rules (pymalloc keeps a block that shrinks by less than
    /// a quarter; a pymalloc block that must move goes through malloc, so possibly to chunks).
    pub fn realloc(
        &mut self,
        domain: Domain,
        old: Option<Blk>,
        requested: u64,
        what: What,
    ) -> Result<Blk> {
        let Some(old) = old else {
            return self.malloc(domain, requested, what);
        };
        let r = requested as usize;
        let moved = match old.kind {
            BlkKind::Small => {
                let size = old.size as usize;
                if r <= size && 4 * r > 3 * size {
                    None
                } else {
                    Some(())
                }
            }
            BlkKind::Rust => Some(()),
            BlkKind::Chunk | BlkKind::Mapped => {
                let (addr, size, mapped) = self
                    .chunks
                    .realloc(old.addr, old.requested as usize, r)
                    .ok_or_else(|| oom(requested))?;
                let b = Blk {
                    addr,
                    requested,
                    size: size as u64,
                    kind: if mapped {
                        BlkKind::Mapped
                    } else {
                        BlkKind::Chunk
                    },
                };
                self.account_realloc(&old, &b, what)?;
                return Ok(b);
            }
        };
        if moved.is_none() {
            let b = Blk { requested, ..old };
            self.account_realloc(&old, &b, what)?;
            return Ok(b);
        }
        let nb = self
            .raw_malloc(domain, requested)
            .ok_or_else(|| oom(requested))?;
        // SAFETY: distinct live blocks; copy the bytes the old block held.
        unsafe {
            std::ptr::copy_nonoverlapping(
                old.addr as *const u8,
                nb.addr as *mut u8,
                old.requested.min(requested) as usize,
            )
        };
        match old.kind {
            BlkKind::Rust => {
                if let Ok(layout) =
                    Layout::from_size_align((old.requested as usize).max(1), self.align)
                {
                    // SAFETY: the block came from alloc with this layout.
                    unsafe { dealloc(old.addr as *mut u8, layout) };
                }
            }
            _ => {
                if let Some(pm) = self.small.as_mut() {
                    pm.free(old.addr);
                }
            }
        }
        self.account_realloc(&old, &nb, what)?;
        Ok(nb)
    }

    fn account_realloc(&mut self, old: &Blk, new: &Blk, what: What) -> Result<()> {
        self.requested += new.requested as i64 - old.requested as i64;
        self.allocated += new.size as i64 - old.size as i64;
        self.allocations += 1;
        self.log.push(old, what as u8 | FREED)?;
        self.log.push(new, what as u8)
    }

    pub fn pymalloc_stats(&self) -> PymallocStats {
        self.small.as_ref().map(Pymalloc::stats).unwrap_or_default()
    }

    /// Bytes the allocators hold from the system: arenas, heap segments, mappings.
    pub fn held(&self) -> u64 {
        self.pymalloc_stats().arena_bytes + self.chunks.held()
    }
}
