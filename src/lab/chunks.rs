//! A malloc-shaped heap of chunks in linear memory, with glibc's rules on 64-bit Linux
//! (malloc/malloc.c: 8-byte size header, 16-byte alignment, 32-byte minimum chunk, mmap from
//! 128 KiB) or emscripten dlmalloc's on wasm32.

use std::alloc::{alloc, dealloc, Layout};

use super::pymalloc::{Frame, Region};
use crate::model::alloc::{GLIBC_MMAP_THRESHOLD, PAGE};

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

    /// Start glibc's mmap threshold where the scenario's program has it (after `import numpy`,
    /// say: see `model::layout::allocator`). No effect on dlmalloc, which never maps.
    pub fn set_mmap_threshold(&mut self, bytes: u64) {
        if self.mmap_threshold.is_some() {
            self.mmap_threshold = Some(bytes.min(usize::MAX as u64) as usize);
        }
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

    /// The heap's structure for the map: its segments and its own mappings.
    pub fn frames(&self, out: &mut Vec<(usize, usize, Region)>) {
        for s in &self.segments {
            out.push((s.base, s.len, Region::Frame(Frame::HeapSegment, 0)));
        }
        for &(_, base, bytes) in &self.mapped {
            out.push((base, bytes, Region::Frame(Frame::Mapped, 0)));
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
