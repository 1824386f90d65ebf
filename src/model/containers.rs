//! How each container's own memory ends up after Python builds it: the object, and the buffer
//! it grew through CPython's resize calls, replayed in O(log n) steps (one per realloc).

use super::alloc::{Allocator, Block, Domain};
use super::profile::Profile;
use super::rules::{self, LIST_DEFAULT_HINT, TUPLE_DEFAULT_HINT};
use super::scenario::{Container, Scenario, Values};

/// How list() / tuple() learn the length of what they consume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// range: has __len__ (list preallocates exactly) and an exact length hint.
    Sized,
    /// itertools.repeat: no __len__, but an exact __length_hint__.
    Hinted,
    /// map / generator: nothing; the default guess is used.
    Unsized,
}

impl Source {
    pub fn of(values: Values) -> Source {
        match values {
            Values::IntRange { .. } => Source::Sized,
            Values::Constant(_) => Source::Hinted,
            Values::FloatRange { .. } | Values::IntMod { .. } => Source::Unsized,
        }
    }
}

/// The build path that decides a list's capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListBuild {
    /// `x = []` then append n times (also a list comprehension's LIST_APPEND).
    Append,
    /// `list(iterable)`: list___init__ + list_extend.
    FromIter(Source),
    /// `[v] * n`: exactly n slots.
    Repeat,
}

/// A growable buffer: slots (or items) it has room for, and the block that holds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffer {
    pub capacity: u64,
    pub block: Option<Block>,
    /// How many times the buffer was (re)allocated on the way.
    pub reallocs: u32,
}

impl Buffer {
    const EMPTY: Buffer = Buffer {
        capacity: 0,
        block: None,
        reallocs: 0,
    };

    fn resize(&mut self, alloc: Allocator, capacity: u64, item: u64) {
        self.block = Some(alloc.realloc(Domain::Object, self.block, capacity * item));
        self.capacity = capacity;
        self.reallocs += 1;
    }
}

pub fn list_build(s: &Scenario) -> ListBuild {
    match s.container {
        Container::ListRange => ListBuild::FromIter(Source::of(s.values)),
        Container::ListRepeat => ListBuild::Repeat,
        _ => ListBuild::Append,
    }
}

/// A list's ob_item array after `n` items went in the given way.
pub fn list_buffer(p: Profile, how: ListBuild, n: u64) -> Buffer {
    let (alloc, minor, ptr) = (p.allocator(), p.minor(), p.ptr());
    let mut buf = Buffer::EMPTY;
    // Appending from `size` until n items are in, reallocating whenever the list is full.
    let fill = |buf: &mut Buffer, mut size: u64| -> u64 {
        while size < n {
            if size == buf.capacity {
                if let Some(cap) = rules::list_resize(minor, buf.capacity, size, size + 1) {
                    buf.resize(alloc, cap, ptr);
                }
            }
            size = n.min(buf.capacity);
        }
        size
    };
    match how {
        ListBuild::Append => {
            fill(&mut buf, 0);
        }
        ListBuild::Repeat => {
            if n > 0 {
                buf.resize(alloc, n, ptr);
            }
        }
        ListBuild::FromIter(source) => {
            let hint = if source == Source::Unsized {
                LIST_DEFAULT_HINT
            } else {
                n
            };
            if minor >= 10 {
                // list_extend on an empty list: list_preallocate_exact(length hint).
                if hint > 0 {
                    buf.resize(alloc, rules::list_preallocate_exact(minor, hint), ptr);
                }
            } else {
                // list___init__ preallocates exactly for a sized iterable, then list_extend
                // grows to the length hint through list_resize.
                if source == Source::Sized && n > 0 {
                    buf.resize(alloc, rules::list_preallocate_exact(minor, n), ptr);
                }
                if let Some(cap) = rules::list_resize(minor, buf.capacity, 0, hint) {
                    buf.resize(alloc, cap, ptr);
                }
            }
            let size = fill(&mut buf, 0);
            // "Cut back result list if initial guess was too large."
            if size < buf.capacity {
                if let Some(cap) = rules::list_resize(minor, buf.capacity, size, size) {
                    buf.resize(alloc, cap, ptr);
                }
            }
        }
    }
    buf
}

/// Bytes of a tuple object with `items` slots, GC header included.
pub fn tuple_bytes(p: Profile, items: u64) -> u64 {
    p.gc_head() + p.tuple_basic() + items * p.ptr()
}

/// The tuple object itself (items are inline): None when Python returns the shared empty tuple.
pub fn tuple_object(p: Profile, source: Source, n: u64) -> Option<Buffer> {
    let alloc = p.allocator();
    let hint = match source {
        Source::Sized | Source::Hinted => n,
        Source::Unsized => TUPLE_DEFAULT_HINT,
    };
    if hint == 0 {
        return None;
    }
    let mut obj = Buffer::EMPTY;
    obj.block = Some(alloc.malloc(Domain::Object, tuple_bytes(p, hint)));
    obj.capacity = hint;
    obj.reallocs = 1;
    let mut j = 0;
    while j < n {
        if j >= obj.capacity {
            let grown = rules::tuple_grow(obj.capacity);
            obj.block = Some(alloc.realloc(Domain::Object, obj.block, tuple_bytes(p, grown)));
            obj.capacity = grown;
            obj.reallocs += 1;
        }
        j = n.min(obj.capacity);
    }
    if j < obj.capacity {
        if j == 0 {
            // _PyTuple_Resize(&t, 0) hands back the shared empty tuple.
            return None;
        }
        obj.block = Some(alloc.realloc(Domain::Object, obj.block, tuple_bytes(p, j)));
        obj.capacity = j;
        obj.reallocs += 1;
    }
    Some(obj)
}

/// An array.array's item buffer after n appends (array(typecode, iterable) always appends one
/// by one through ins1/array_resize: it never asks the iterable for its length).
pub fn array_buffer(p: Profile, itemsize: u64, n: u64) -> Buffer {
    let alloc = p.allocator();
    let mut buf = Buffer::EMPTY;
    let mut size = 0;
    while size < n {
        if size == buf.capacity {
            if let Some(cap) =
                rules::array_resize(buf.capacity, size, size + 1, buf.block.is_some())
            {
                buf.resize(alloc, cap, itemsize);
            }
        }
        size = n.min(buf.capacity);
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_capacities_match_recorded_getsizeof() {
        // sys.getsizeof(x) - 56, / 8, as printed by CPython for n = 10**6
        let cap = |p, how| list_buffer(p, how, 1_000_000).capacity;
        assert_eq!(cap(Profile::Py38, ListBuild::Append), 1_087_175);
        assert_eq!(cap(Profile::Py312, ListBuild::Append), 1_056_084);
        assert_eq!(
            cap(Profile::Py312, ListBuild::FromIter(Source::Sized)),
            1_000_000
        );
        assert_eq!(
            cap(Profile::Py38, ListBuild::FromIter(Source::Unsized)),
            1_031_263
        );
        assert_eq!(
            list_buffer(Profile::Py310, ListBuild::FromIter(Source::Sized), 3).capacity,
            4
        );
        assert_eq!(
            list_buffer(Profile::Py39, ListBuild::FromIter(Source::Sized), 3).capacity,
            3
        );
        assert_eq!(
            list_buffer(Profile::Py38, ListBuild::FromIter(Source::Unsized), 3).capacity,
            6
        );
        assert_eq!(
            list_buffer(Profile::Py39, ListBuild::FromIter(Source::Unsized), 3).capacity,
            8
        );
    }

    #[test]
    fn array_of_1000_has_1030_items() {
        assert_eq!(array_buffer(Profile::Py313, 8, 1000).capacity, 1030);
    }
}
