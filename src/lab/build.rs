//! Building, reading and freeing real structures in linear memory: a list (or tuple) of
//! separately allocated int/float objects, an array.array-like or ndarray-like packed buffer.
//! The order of allocations follows CPython's (element first, then the resize that makes room).

use super::heap::{Blk, Heap, What};
use super::packed::Item;
use super::shapes::{PyFloat, PyLong, Word};
use super::slots::Slots;
use crate::error::Result;
use crate::model::alloc::Domain;
use crate::model::layout::NUMPY_121_CACHE_BYTES;
use crate::model::objects::{is_literal_constants, ElementSource, Make, Run, Shape, Value};
use crate::model::rules::{digits, DIGIT_BITS, SMALL_INT_MIN};
use crate::model::scenario::{Const, Container, Numpy, Scenario, Values};
use crate::model::Profile;

// Type objects live in static memory, as CPython's built-in types do; objects point at them.
pub(super) static INT_TYPE: [u64; 2] = [0x696e74, 0];
pub(super) static FLOAT_TYPE: [u64; 2] = [0x666c6f6174, 0];
pub(super) static LIST_TYPE: [u64; 2] = [0x6c697374, 0];
pub(super) static TUPLE_TYPE: [u64; 2] = [0x7475706c65, 0];
pub(super) static ARRAY_TYPE: [u64; 2] = [0x6172726179, 0];
pub(super) static NDARRAY_TYPE: [u64; 2] = [0x6e6461727261, 0];

/// The refcount marking objects that existed before x (CPython 3.12's immortal small ints).
pub(super) const IMMORTAL: u64 = 0xffff_ffff;

pub(super) fn type_addr(t: &'static [u64; 2]) -> u64 {
    t.as_ptr() as usize as u64
}

/// Where the shared objects live (allocated before measuring: they cost nothing).
pub struct Shared {
    /// The small-int cache, -5 ..= the profile's small_int_max(), at index v + 5.
    pub small_ints: Vec<Blk>,
    pub constant: Option<Blk>,
    pub range_start: Option<Blk>,
    pub empty_tuple: Option<Blk>,
    /// A list literal's constants past the small-int cache, in order of first appearance
    /// (element i's is at [`literal_index`]).
    pub literal: Vec<Blk>,
    pub dims: Option<Blk>,
    /// The base a view (`base[::step]`) looks into: its object and data, made before x.
    pub view_base: Option<(Blk, Blk)>,
    /// NumPy 1.21's cached data buffer, for an ndarray of fewer than 1024 bytes: one freed
    /// earlier, which the array takes over without a new allocation.
    pub numpy_data: Option<Blk>,
}

/// The structure built in linear memory.
pub enum Built {
    /// A list or tuple: `obj` holds the header; the slots are in `items` (list) or inline.
    Boxed {
        obj: Option<Blk>,
        items: Option<Blk>,
        tuple: bool,
        n: u64,
        capacity: u64,
    },
    /// An array.array or ndarray (or a bare data buffer for the comparison).
    Packed {
        obj: Option<Blk>,
        data: Option<Blk>,
        item: Item,
        n: u64,
    },
}

pub struct Builder<'a> {
    pub heap: &'a mut Heap,
    pub p: Profile,
    /// Bytes in the simulated CPython's word: 8 on the 64-bit profiles, 4 on wasm32. A value,
    /// not a type parameter, so the builder is compiled once; only the struct writes dispatch.
    pub(super) word: usize,
}

/// Write a #[repr(C)] object whose word type follows the profile: `W` is u64 or u32 inside.
macro_rules! put_obj {
    ($word:expr, $addr:expr, |$W:ident| $value:expr) => {
        if $word == 8 {
            type $W = u64;
            // SAFETY (callers): the block at $addr is big enough for the object.
            unsafe { put($addr, $value) }
        } else {
            type $W = u32;
            // SAFETY: as above.
            unsafe { put($addr, $value) }
        }
    };
}
pub(super) use put_obj;

pub(super) unsafe fn put<T>(addr: usize, v: T) {
    // SAFETY (callers): `addr` lies inside a block this builder allocated, big enough for T.
    unsafe { (addr as *mut T).write_unaligned(v) }
}

pub(super) unsafe fn get<T: Copy>(addr: usize) -> T {
    // SAFETY (callers): `addr` lies inside a live block holding a T.
    unsafe { (addr as *const T).read_unaligned() }
}

impl<'a> Builder<'a> {
    pub fn new(heap: &'a mut Heap, p: Profile) -> Self {
        Builder {
            heap,
            p,
            word: p.ptr() as usize,
        }
    }

    pub(super) fn w(&self) -> usize {
        self.word
    }

    #[inline(always)]
    pub(super) fn put_word(&self, addr: usize, v: u64) {
        // SAFETY (callers): `addr` is a word inside a block this builder allocated.
        unsafe {
            if self.word == 8 {
                put(addr, v);
            } else {
                put(addr, v as u32);
            }
        }
    }

    #[inline(always)]
    pub(super) fn get_word(&self, addr: usize) -> u64 {
        // SAFETY (callers): `addr` is a word inside a live block.
        unsafe {
            if self.word == 8 {
                get::<u64>(addr)
            } else {
                get::<u32>(addr) as u64
            }
        }
    }

    /// An int object's header: refcount, type, and the size in digits, negative for negative
    /// ints; from 3.12 lv_tag = digits << 3 | sign (0 positive, 1 zero, 2 negative).
    #[inline(always)]
    pub(super) fn write_int_header(&self, addr: usize, sign: i8, nd: u64, minor12: bool) {
        let tag: u64 = if minor12 {
            (nd << 3) | (1 - sign as i64) as u64
        } else if sign < 0 {
            (nd as i64).wrapping_neg() as u64
        } else {
            nd
        };
        put_obj!(self.word, addr, |W| PyLong::<W> {
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&INT_TYPE)),
            size_or_tag: W::from_u64(tag),
        });
    }

    /// Write an int object: header, then |v| in `nd` 30-bit digits (CPython's encoding of the
    /// size or, from 3.12, lv_tag = digits << 3 | sign with 0 positive, 1 zero, 2 negative).
    #[inline]
    pub(super) fn write_int(&self, addr: usize, v: i128, nd: u64) {
        self.write_int_header(addr, v.signum() as i8, nd, self.p.minor() >= 12);
        let at = addr + 3 * self.word;
        // SAFETY: the block holds the header and at least max(nd, 1) digits (the request).
        unsafe {
            if nd <= 1 {
                put(at, v.unsigned_abs() as u32);
            } else {
                let mut m = v.unsigned_abs();
                for i in 0..nd as usize {
                    put(at + 4 * i, (m & ((1 << DIGIT_BITS) - 1)) as u32);
                    m >>= DIGIT_BITS;
                }
            }
        }
    }

    pub(super) fn write_float(&self, addr: usize, f: f64) {
        put_obj!(self.word, addr, |W| PyFloat::<W> {
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&FLOAT_TYPE)),
            ob_fval: f,
        });
    }

    /// An object for a value, outside the measurement (shared objects). Its refcount is set
    /// to an immortal value, as 3.12+ does for the small ints, which is how `free` skips it.
    pub(super) fn shared_object(&mut self, v: Value, what: What) -> Result<Blk> {
        let req = match v {
            Value::Int(i) => self.p.var_head() + 4 * digits(i).max(1),
            Value::Float(_) => self.p.float_size(),
        };
        let b = self.heap.malloc(Domain::Object, req, what)?;
        match v {
            Value::Int(i) => self.write_int(b.addr, i, digits(i)),
            Value::Float(f) => self.write_float(b.addr, f),
        }
        // ob_refcnt is the object's first word.
        self.put_word(b.addr, IMMORTAL);
        Ok(b)
    }

    /// What the interpreter already has before x is built.
    ///
    /// (A list literal's constants: see [`literal_distinct`].)
    pub fn prelude(&mut self, s: &Scenario) -> Result<Shared> {
        let mut small_ints = Vec::new();
        let count = (self.p.small_int_max() - SMALL_INT_MIN + 1) as usize;
        small_ints
            .try_reserve(count)
            .map_err(|_| super::heap::oom(count as u64))?;
        for v in SMALL_INT_MIN..=self.p.small_int_max() {
            small_ints.push(self.shared_object(Value::Int(v), What::SmallInt)?);
        }
        let constant = match s.values {
            Values::Constant(Const::Int(i)) if self.p.is_small_int(i) => None,
            Values::Constant(Const::Int(i)) => {
                Some(self.shared_object(Value::Int(i), What::Constant)?)
            }
            Values::Constant(Const::Float(f)) => {
                Some(self.shared_object(Value::Float(f), What::Constant)?)
            }
            _ => None,
        };
        let first_shared = ElementSource::new(s)
            .runs()
            .first()
            .is_some_and(|r| r.make == Make::Shared);
        let range_start = match s.values {
            Values::IntRange { start } if first_shared && !self.p.is_small_int(start) => {
                Some(self.shared_object(Value::Int(start), What::RangeStart)?)
            }
            _ => None,
        };
        // A list literal's values are constants of the code, made when it was compiled; a
        // container built from a list points at that list's objects, made before it.
        let mut literal = Vec::new();
        let from_list = s.form.from_list && s.container.is_boxed();
        if from_list || (is_literal_constants(s) && !matches!(s.values, Values::Constant(_))) {
            let src = ElementSource::new(s);
            let distinct = literal_distinct(s);
            literal
                .try_reserve(distinct as usize)
                .map_err(|_| super::heap::oom(distinct))?;
            for i in 0..distinct {
                let v = src.value(i);
                // The small ints come from the cache; their slot here is never read.
                let b = match v {
                    Value::Int(x) if self.p.is_small_int(x) => {
                        small_ints[(x - SMALL_INT_MIN) as usize]
                    }
                    _ => self.shared_object(v, What::Constant)?,
                };
                literal.push(b);
            }
        }
        let empty_tuple = match s.container {
            Container::Tuple => Some(self.heap.malloc(
                Domain::Object,
                self.p.gc_head() + self.p.tuple_basic(),
                What::EmptyTuple,
            )?),
            _ => None,
        };
        let dims = match s.container {
            Container::Ndarray(_) => Some(self.heap.malloc(
                Domain::Raw,
                2 * self.p.ptr(),
                What::NdarrayDims,
            )?),
            _ => None,
        };
        let numpy_data = match s.container {
            Container::Ndarray(dt)
                if s.numpy == Numpy::V121 && s.n * dt.itemsize() < NUMPY_121_CACHE_BYTES =>
            {
                Some(self.heap.malloc(
                    Domain::Raw,
                    (s.n * dt.itemsize()).max(1),
                    What::NdarrayData,
                )?)
            }
            _ => None,
        };
        let view_base = match (s.container, s.form.view_step) {
            (Container::Ndarray(dt), Some(_)) => {
                let obj = self.heap.malloc(
                    Domain::Object,
                    self.p.ndarray_basic(s.numpy),
                    What::NdarrayObject,
                )?;
                let data = self.heap.malloc(
                    Domain::Raw,
                    (s.n * dt.itemsize()).max(1),
                    What::NdarrayData,
                )?;
                Some((obj, data))
            }
            _ => None,
        };
        Ok(Shared {
            small_ints,
            constant,
            range_start,
            empty_tuple,
            literal,
            view_base,
            dims,
            numpy_data,
        })
    }

    /// Write a one-to-three-digit int (|v| < 2**63) from an i64: the hot path of the build.
    #[inline(always)]
    pub(super) fn write_small_int(&self, addr: usize, v: i64, nd: u64, minor12: bool) {
        self.write_int_header(addr, v.signum() as i8, nd, minor12);
        let m = v.unsigned_abs();
        let at = addr + 3 * self.word;
        // SAFETY: the block holds the header and nd digits (the model's request size).
        unsafe {
            put(at, (m & 0x3fff_ffff) as u32);
            if nd > 1 {
                put(at + 4, ((m >> 30) & 0x3fff_ffff) as u32);
            }
            if nd > 2 {
                put(at + 8, (m >> 60) as u32);
            }
        }
    }

    /// Allocate and write fresh objects for items from..to, as many at a time as the pool (or
    /// heap top) gives in a row, never past the item whose append resizes the slots.
    #[inline(always)]
    pub(super) fn fresh(
        &mut self,
        (from, to, requested, what): (u64, u64, u64, What),
        slots: &mut Slots,
        tick: &mut dyn FnMut(u64) -> Result<()>,
        write: impl Fn(&Self, usize, u64),
    ) -> Result<()> {
        let word = self.word;
        let mut i = from;
        // Progress is checked every 64 Ki items: reading the clock costs a call into JS.
        let mut next_tick = (i | 0xffff) + 1;
        while i < to {
            let limit = to.min(slots.next.saturating_add(1));
            let (first, k, unheaded) =
                self.heap
                    .malloc_bulk(Domain::Object, requested, limit - i, what)?;
            let stride = first.size as usize;
            let mut addr = first.addr;
            for _ in 0..k {
                if unheaded {
                    self.heap.chunks.put_header(addr, stride);
                }
                write(self, addr, i);
                slots.store(self.heap, word, i, addr)?;
                addr += stride;
                i += 1;
            }
            if i >= next_tick {
                tick(i)?;
                next_tick = (i | 0xffff) + 1;
            }
        }
        Ok(())
    }

    /// Make every element in order and store its address in `slots`: shared objects are looked
    /// up, fresh ones allocated and written, one specialised loop per run of values.
    pub(super) fn elements(
        &mut self,
        s: &Scenario,
        shared: &Shared,
        slots: &mut Slots,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<()> {
        let src = ElementSource::new(s);
        let other = shared.constant.or(shared.range_start).map_or(0, |b| b.addr);
        let minor12 = self.p.minor() >= 12;
        let word = self.word;
        for Run { from, to, make } in src.runs() {
            match (make, src.values()) {
                (Make::Repeat, _) => {
                    // One object, referenced n times: its refcount says so (free follows it).
                    let first = slots.load(word, 0);
                    for i in from..to {
                        slots.store(self.heap, word, i, first)?;
                        if i & 0xffff == 0xffff {
                            tick(i)?;
                        }
                    }
                    if first != 0 && self.get_word(first) != IMMORTAL {
                        self.put_word(first, self.get_word(first) + (to - from));
                    }
                }
                (Make::Shared, _) => {
                    for i in from..to {
                        let addr = match src.value(i) {
                            Value::Int(x) if self.p.is_small_int(x) => {
                                shared.small_ints[(x - SMALL_INT_MIN) as usize].addr
                            }
                            _ if !shared.literal.is_empty() => {
                                shared.literal[literal_index(s, i) as usize].addr
                            }
                            _ => other,
                        };
                        slots.store(self.heap, word, i, addr)?;
                        if i & 0xffff == 0xffff {
                            tick(i)?;
                        }
                    }
                }
                (
                    Make::Fresh {
                        shape: Shape::Int { digits, .. },
                        requested,
                    },
                    Values::IntRange { start },
                ) => {
                    let s0 = start as i64;
                    self.fresh(
                        (from, to, requested, What::Int),
                        slots,
                        tick,
                        |b, addr, i| {
                            b.write_small_int(addr, s0.wrapping_add(i as i64), digits, minor12)
                        },
                    )?;
                }
                (
                    Make::Fresh {
                        shape: Shape::Int { digits, .. },
                        requested,
                    },
                    Values::IntMod { k },
                ) => {
                    self.fresh(
                        (from, to, requested, What::Int),
                        slots,
                        tick,
                        |b, addr, i| b.write_small_int(addr, (i % k) as i64, digits, minor12),
                    )?;
                }
                (
                    Make::Fresh {
                        shape: Shape::Int { digits, .. },
                        requested,
                    },
                    Values::IntOffset { .. },
                ) => {
                    self.fresh(
                        (from, to, requested, What::Int),
                        slots,
                        tick,
                        |b, addr, i| {
                            if let Value::Int(x) = src.value(i) {
                                b.write_int(addr, x, digits)
                            }
                        },
                    )?;
                }
                (Make::Fresh { requested, .. }, _) => {
                    self.fresh(
                        (from, to, requested, What::Float),
                        slots,
                        tick,
                        |b, addr, i| match src.value(i) {
                            Value::Float(f) => b.write_float(addr, f),
                            Value::Int(x) => b.write_int(addr, x, digits(x)),
                        },
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// How many distinct constants a list literal of these values has (equal constants are one
/// object): n, or k for `i % k`, or 1 for a constant.
/// (From a list: one object per element, as the list's builder made them, but a constant.)
pub(super) fn literal_distinct(s: &Scenario) -> u64 {
    match s.values {
        Values::IntMod { k } if !s.form.from_list => s.n.min(k),
        Values::Constant(_) => s.n.min(1),
        _ => s.n,
    }
}

/// Which of the literal's (or the source list's) objects element i is.
fn literal_index(s: &Scenario, i: u64) -> u64 {
    match s.values {
        Values::IntMod { k } if !s.form.from_list => i % k,
        Values::Constant(_) => 0,
        _ => i,
    }
}
