//! The lab's allocators and their log. `Heap` routes each request the way the profile's CPython
//! does: small PyObject/PyMem requests to the pymalloc mirror, everything else to a malloc-like
//! chunk heap (glibc's rules on 64-bit Linux, dlmalloc's on wasm32), or, in "rust" mode, all of
//! it to Rust's own allocator. Every allocation and free is recorded: address, size, requested
//! bytes and what it is.

use std::alloc::{alloc, dealloc, Layout};

pub use super::chunks::ChunkHeap;
pub use super::log::{Event, Log, What, FREED, KIND_SHIFT, WHAT_MASK};
use super::pymalloc::{Geometry, Pymalloc, PymallocStats};
use crate::error::{Error, Result};
use crate::model::alloc::Domain;
use crate::model::Profile;
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

impl BlkKind {
    /// What the chunk heap handed out: a mapping of its own, or a chunk of its heap.
    fn chunk(mapped: bool) -> BlkKind {
        if mapped {
            BlkKind::Mapped
        } else {
            BlkKind::Chunk
        }
    }
}

/// A live block: its user address, what was asked, and what the allocator set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Blk {
    pub addr: usize,
    pub requested: u64,
    pub size: u64,
    pub kind: BlkKind,
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
            kind: BlkKind::chunk(mapped),
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
                    kind: BlkKind::chunk(mapped),
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
