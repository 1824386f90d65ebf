//! What the C allocators really reserve for a request, and what realloc does to a block.
//!
//! - pymalloc (Objects/obmalloc.c): requests of 1..=512 bytes through PyObject_Malloc or
//!   PyMem_Malloc get a block of the next 16-byte size class on 64-bit builds; a realloc that
//!   shrinks keeps the block while the new size is over 3/4 of it. Everything else falls through
//!   to the C library.
//! - glibc malloc (64-bit Linux): a chunk of request + 8 bytes rounded up to 16 (at least 32);
//!   from the mmap threshold up, whole 4 KiB pages (request + 16, page-rounded). The threshold
//!   starts at 128 KiB and rises to the size of any mapped chunk the program frees, up to 32 MiB
//!   (malloc/malloc.c: `free` adjusting `mp_.mmap_threshold`); `import numpy` raises it.
//!   A shrinking realloc splits the chunk only when at least 32 bytes come free.
//! - emscripten's dlmalloc (Pyodide, built `--without-pymalloc`): request + 4 rounded up to 8,
//!   at least 16; a shrinking realloc splits only when at least 16 bytes come free.

use super::profile::round_up;

pub const SMALL_REQUEST_THRESHOLD: u64 = 512;
/// glibc's DEFAULT_MMAP_THRESHOLD_MIN: the threshold a fresh process starts with.
pub const GLIBC_MMAP_THRESHOLD: u64 = 128 * 1024;
/// DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: freeing bigger mapped chunks does not raise it further.
pub const GLIBC_MMAP_THRESHOLD_MAX: u64 = 32 << 20;
pub const PAGE: u64 = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allocator {
    /// pymalloc in front of glibc (64-bit Linux CPython). Alignment 16. `mmap_threshold`: the
    /// chunk size from which glibc maps a request (see the module's notes).
    Pymalloc {
        arena: u64,
        pool: u64,
        mmap_threshold: u64,
    },
    /// Emscripten's dlmalloc only (CPython on wasm32 as Pyodide builds it).
    Dlmalloc32,
}

/// Which C API a request goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// PyObject_Malloc / PyMem_Malloc: pymalloc when small.
    Object,
    /// PyMem_RawMalloc and NumPy's data buffers: always the C library.
    Raw,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A block in a pymalloc pool.
    Small,
    /// A malloc chunk on the heap.
    Chunk,
    /// Whole pages mapped for one allocation.
    Mapped,
}

/// A live allocation: what was asked for, and what the allocator set aside for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub requested: u64,
    pub size: u64,
    pub kind: BlockKind,
}

impl Allocator {
    pub fn pymalloc_64(arena: u64, pool: u64) -> Self {
        Allocator::Pymalloc {
            arena,
            pool,
            mmap_threshold: GLIBC_MMAP_THRESHOLD,
        }
    }

    /// The same allocator with glibc's mmap threshold at `t` (no change for dlmalloc).
    pub fn with_mmap_threshold(self, t: u64) -> Self {
        match self {
            Allocator::Pymalloc { arena, pool, .. } => Allocator::Pymalloc {
                arena,
                pool,
                mmap_threshold: t,
            },
            other => other,
        }
    }

    pub fn mmap_threshold(self) -> Option<u64> {
        match self {
            Allocator::Pymalloc { mmap_threshold, .. } => Some(mmap_threshold),
            Allocator::Dlmalloc32 => None,
        }
    }

    /// After `free(b)`: glibc raises its threshold to a freed mapped chunk's size, up to 32 MiB.
    pub fn after_free(self, b: Block) -> Self {
        match self.mmap_threshold() {
            Some(t)
                if b.kind == BlockKind::Mapped
                    && b.size > t
                    && b.size <= GLIBC_MMAP_THRESHOLD_MAX =>
            {
                self.with_mmap_threshold(b.size)
            }
            _ => self,
        }
    }

    /// pymalloc's alignment (and size-class step); malloc's for dlmalloc.
    pub fn alignment(self) -> u64 {
        match self {
            Allocator::Pymalloc { .. } => 16,
            Allocator::Dlmalloc32 => 8,
        }
    }

    pub fn has_pymalloc(self) -> bool {
        matches!(self, Allocator::Pymalloc { .. })
    }

    pub fn name(self) -> &'static str {
        match self {
            Allocator::Pymalloc { .. } => "pymalloc + glibc malloc",
            Allocator::Dlmalloc32 => "dlmalloc (emscripten)",
        }
    }

    /// The chunk the C library's malloc carves for `requested` bytes.
    pub fn c_malloc(self, requested: u64) -> Block {
        match self {
            Allocator::Pymalloc { mmap_threshold, .. } => {
                let nb = glibc_chunk(requested);
                if nb >= mmap_threshold {
                    Block {
                        requested,
                        size: glibc_mapped(nb),
                        kind: BlockKind::Mapped,
                    }
                } else {
                    Block {
                        requested,
                        size: nb,
                        kind: BlockKind::Chunk,
                    }
                }
            }
            Allocator::Dlmalloc32 => Block {
                requested,
                size: dl_chunk(requested),
                kind: BlockKind::Chunk,
            },
        }
    }

    pub fn malloc(self, domain: Domain, requested: u64) -> Block {
        match (self, domain) {
            (Allocator::Pymalloc { .. }, Domain::Object)
                if (1..=SMALL_REQUEST_THRESHOLD).contains(&requested) =>
            {
                Block {
                    requested,
                    size: round_up(requested, 16),
                    kind: BlockKind::Small,
                }
            }
            // malloc(0) is served as malloc(1) (PyMem_RawMalloc), which is still a minimum chunk.
            _ => self.c_malloc(requested),
        }
    }

    /// realloc: the block the data lives in afterwards. `old == None` is a fresh malloc.
    pub fn realloc(self, domain: Domain, old: Option<Block>, requested: u64) -> Block {
        let Some(old) = old else {
            return self.malloc(domain, requested);
        };
        match old.kind {
            BlockKind::Small => {
                // pymalloc_realloc: keep the block if it shrinks by less than a quarter.
                if requested <= old.size && 4 * requested > 3 * old.size {
                    Block { requested, ..old }
                } else {
                    self.malloc(domain, requested)
                }
            }
            BlockKind::Mapped => {
                // mremap_chunk: still mapped, page-rounded to the new size.
                let nb = glibc_chunk(requested);
                Block {
                    requested,
                    size: glibc_mapped(nb),
                    kind: BlockKind::Mapped,
                }
            }
            BlockKind::Chunk => {
                let (nb, min) = match self {
                    Allocator::Pymalloc { .. } => (glibc_chunk(requested), 32),
                    Allocator::Dlmalloc32 => (dl_chunk(requested), 16),
                };
                if nb <= old.size {
                    let size = if old.size - nb >= min { nb } else { old.size };
                    Block {
                        requested,
                        size,
                        kind: BlockKind::Chunk,
                    }
                } else {
                    self.c_malloc(requested)
                }
            }
        }
    }
}

/// glibc request2size: request + SIZE_SZ, aligned to 16, at least MINSIZE (32).
pub fn glibc_chunk(requested: u64) -> u64 {
    round_up(requested.max(1) + 8, 16).max(32)
}

/// sysmalloc's mmap path: the chunk plus SIZE_SZ, rounded up to whole pages.
pub fn glibc_mapped(chunk: u64) -> u64 {
    round_up(chunk + 8, PAGE)
}

/// dlmalloc pad_request with 4-byte size_t and 8-byte alignment, at least MIN_CHUNK_SIZE (16).
pub fn dl_chunk(requested: u64) -> u64 {
    round_up(requested + 4, 8).max(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pymalloc_classes() {
        let a = Allocator::pymalloc_64(1 << 20, 16 << 10);
        assert_eq!(a.malloc(Domain::Object, 28).size, 32);
        assert_eq!(a.malloc(Domain::Object, 56).size, 64);
        assert_eq!(a.malloc(Domain::Object, 512).size, 512);
        assert_eq!(a.malloc(Domain::Object, 513).kind, BlockKind::Chunk);
        assert_eq!(a.malloc(Domain::Object, 513).size, 528);
        assert_eq!(a.malloc(Domain::Raw, 16).size, 32);
        let big = a.malloc(Domain::Object, 8_000_000);
        assert_eq!(big.kind, BlockKind::Mapped);
        assert_eq!(big.size % 4096, 0);
        assert!(big.size >= 8_000_016);
    }

    #[test]
    fn pymalloc_realloc_keeps_block_when_shrinking_a_little() {
        let a = Allocator::pymalloc_64(1 << 20, 16 << 10);
        let b = a.malloc(Domain::Object, 120);
        assert_eq!(b.size, 128);
        assert_eq!(a.realloc(Domain::Object, Some(b), 112).size, 128);
        assert_eq!(a.realloc(Domain::Object, Some(b), 64).size, 64);
    }

    #[test]
    fn dlmalloc_chunks() {
        let a = Allocator::Dlmalloc32;
        assert_eq!(a.malloc(Domain::Object, 16).size, 24);
        assert_eq!(a.malloc(Domain::Object, 0).size, 16);
        assert_eq!(a.malloc(Domain::Object, 28).size, 32);
    }
}
