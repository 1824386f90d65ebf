//! Building, reading and freeing real structures in linear memory: a list (or tuple) of
//! separately allocated int/float objects, an array.array-like or ndarray-like packed buffer.
//! The order of allocations follows CPython's (element first, then the resize that makes room).

use std::mem::size_of;

use super::heap::{Blk, Heap, Mode, What};
use super::shapes::{ArrayObject, GcHead, NdArray, PyFloat, PyList, PyLong, PyTuple, Word};
use crate::error::Result;
use crate::model::alloc::Domain;
use crate::model::containers::{self, ListBuild, Source, Step};
use crate::model::objects::{ElementSource, Make, Run, Shape, Value};
use crate::model::rules::{digits, is_small_int, DIGIT_BITS};
use crate::model::scenario::{Const, Container, Dtype, Scenario, Values};
use crate::model::Profile;

// Type objects live in static memory, as CPython's built-in types do; objects point at them.
static INT_TYPE: [u64; 2] = [0x696e74, 0];
static FLOAT_TYPE: [u64; 2] = [0x666c6f6174, 0];
static LIST_TYPE: [u64; 2] = [0x6c697374, 0];
static TUPLE_TYPE: [u64; 2] = [0x7475706c65, 0];
static ARRAY_TYPE: [u64; 2] = [0x6172726179, 0];
static NDARRAY_TYPE: [u64; 2] = [0x6e6461727261, 0];

/// The refcount marking objects that existed before x (CPython 3.12's immortal small ints).
const IMMORTAL: u64 = 0xffff_ffff;

fn type_addr(t: &'static [u64; 2]) -> u64 {
    t.as_ptr() as usize as u64
}

/// The C type of a packed item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Bool,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F16,
    F32,
    F64,
}

impl Item {
    pub fn of(s: &Scenario) -> Item {
        match s.container {
            Container::Array(tc) => match tc.0 {
                'b' => Item::I8,
                'B' => Item::U8,
                'h' => Item::I16,
                'H' => Item::U16,
                'i' => Item::I32,
                'I' => Item::U32,
                'l' if s.profile.c_long_bits() == 32 => Item::I32,
                'L' if s.profile.c_long_bits() == 32 => Item::U32,
                'l' | 'q' => Item::I64,
                'L' | 'Q' => Item::U64,
                'f' => Item::F32,
                _ => Item::F64,
            },
            Container::Ndarray(dt) => match dt {
                Dtype::Bool => Item::Bool,
                Dtype::Int8 => Item::I8,
                Dtype::Uint8 => Item::U8,
                Dtype::Int16 => Item::I16,
                Dtype::Uint16 => Item::U16,
                Dtype::Int32 => Item::I32,
                Dtype::Uint32 => Item::U32,
                Dtype::Int64 => Item::I64,
                Dtype::Uint64 => Item::U64,
                Dtype::Float16 => Item::F16,
                Dtype::Float32 => Item::F32,
                Dtype::Float64 => Item::F64,
            },
            // The packed counterpart of a boxed container: int64 or float64.
            _ if s.values.is_float() => Item::F64,
            _ => Item::I64,
        }
    }

    pub fn size(self) -> usize {
        match self {
            Item::Bool | Item::I8 | Item::U8 => 1,
            Item::I16 | Item::U16 | Item::F16 => 2,
            Item::I32 | Item::U32 | Item::F32 => 4,
            Item::I64 | Item::U64 | Item::F64 => 8,
        }
    }
}

/// f64 → IEEE half, round to nearest even (NumPy's float16 cast).
pub fn f16_bits(x: f64) -> u16 {
    let f = x as f32;
    let b = f.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let man = b & 0x7f_ffff;
    if exp == 0xff {
        return sign | 0x7c00 | if man != 0 { 0x200 } else { 0 };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        if e < -10 {
            return sign;
        }
        let m = man | 0x80_0000;
        let shift = (14 - e) as u32;
        let half = 1 << (shift - 1);
        let rounded = m + half - 1 + ((m >> shift) & 1);
        return sign | (rounded >> shift) as u16;
    }
    let rounded = man + 0xfff + ((man >> 13) & 1);
    if rounded & 0x80_0000 != 0 {
        let e = e + 1;
        if e >= 0x1f {
            return sign | 0x7c00;
        }
        return sign | ((e as u16) << 10);
    }
    sign | ((e as u16) << 10) | (rounded >> 13) as u16
}

pub fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let man = (h & 0x3ff) as f64;
    sign * match exp {
        0 => man * 2f64.powi(-24),
        0x1f => {
            if man == 0.0 {
                f64::INFINITY
            } else {
                f64::NAN
            }
        }
        e => (1.0 + man / 1024.0) * 2f64.powi(e - 15),
    }
}

/// Items from..to as `T`, one tight loop per kind of values (so it compiles to plain stores).
/// Ints fit in i64: the scenario keeps start + n within C long.
#[inline]
fn fill_range<T: Copy>(
    base: usize,
    from: u64,
    to: u64,
    src: &ElementSource,
    of_int: impl Fn(i64) -> T,
    of_float: impl Fn(f64) -> T,
) {
    let at = |j: u64| base + j as usize * size_of::<T>();
    // SAFETY (all loops): items from..to lie inside the data buffer.
    match src.values() {
        Values::IntRange { start } => {
            let s = start as i64;
            for j in from..to {
                unsafe { put(at(j), of_int(s.wrapping_add(j as i64))) };
            }
        }
        Values::FloatRange { start } => {
            let s = start as i64;
            for j in from..to {
                unsafe { put(at(j), of_float(s.wrapping_add(j as i64) as f64)) };
            }
        }
        Values::IntMod { k } => {
            for j in from..to {
                unsafe { put(at(j), of_int((j % k) as i64)) };
            }
        }
        Values::Constant(Const::Int(c)) => {
            let v = of_int(c as i64);
            for j in from..to {
                unsafe { put(at(j), v) };
            }
        }
        Values::Constant(Const::Float(f)) => {
            let v = of_float(f);
            for j in from..to {
                unsafe { put(at(j), v) };
            }
        }
    }
}

/// Where the shared objects live (allocated before measuring: they cost nothing).
pub struct Shared {
    /// -5..=256 at index v + 5.
    pub small_ints: Vec<Blk>,
    pub constant: Option<Blk>,
    pub range_start: Option<Blk>,
    pub empty_tuple: Option<Blk>,
    pub dims: Option<Blk>,
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

/// Where element pointers go: a list's pointer array or a tuple's inline items. It applies
/// CPython's resize steps as items arrive: item `next` is the one whose append reallocates.
pub struct Slots<'a> {
    steps: &'a [Step],
    si: usize,
    pub next: u64,
    /// Address of item 0 (the buffer's address plus `offset`).
    base: usize,
    offset: usize,
    pub buf: Option<Blk>,
    pub capacity: u64,
    bytes: &'a dyn Fn(u64) -> u64,
    what: What,
}

impl<'a> Slots<'a> {
    fn new(
        steps: &'a [Step],
        offset: usize,
        buf: Option<Blk>,
        bytes: &'a dyn Fn(u64) -> u64,
        what: What,
    ) -> Self {
        let mut s = Slots {
            steps,
            si: 0,
            next: u64::MAX,
            base: 0,
            offset,
            buf,
            capacity: 0,
            bytes,
            what,
        };
        s.sync();
        s
    }

    fn sync(&mut self) {
        self.next = self.steps.get(self.si).map_or(u64::MAX, |st| st.at);
        self.base = self.buf.map_or(0, |b| b.addr + self.offset);
    }

    /// Apply one step: realloc to its capacity, or (capacity 0 after items, tuples) let go.
    fn apply(&mut self, heap: &mut Heap) -> Result<()> {
        let st = self.steps[self.si];
        self.si += 1;
        if st.capacity == 0 && self.what == What::TupleObject {
            if let Some(b) = self.buf.take() {
                heap.free(b, self.what)?;
            }
        } else {
            self.buf = Some(heap.realloc(
                Domain::Object,
                self.buf,
                (self.bytes)(st.capacity),
                self.what,
            )?);
        }
        self.capacity = st.capacity;
        self.sync();
        Ok(())
    }

    /// Apply the steps due before any item (preallocation, a first guess).
    fn apply_leading(&mut self, heap: &mut Heap) -> Result<()> {
        while self.next == 0 {
            self.apply(heap)?;
        }
        Ok(())
    }

    /// Apply what remains after the last item (the final trim).
    fn finish(&mut self, heap: &mut Heap) -> Result<()> {
        while self.si < self.steps.len() {
            self.apply(heap)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn store(&mut self, heap: &mut Heap, word: usize, i: u64, addr: usize) -> Result<()> {
        if i == self.next {
            self.grow(heap, i)?;
        }
        // SAFETY: item i < capacity lies inside the buffer.
        unsafe {
            if word == 8 {
                put(self.base + i as usize * 8, addr as u64);
            } else {
                put(self.base + i as usize * 4, addr as u32);
            }
        }
        Ok(())
    }

    #[cold]
    fn grow(&mut self, heap: &mut Heap, i: u64) -> Result<()> {
        while self.next == i {
            self.apply(heap)?;
        }
        Ok(())
    }
}

pub struct Builder<'a> {
    pub heap: &'a mut Heap,
    pub p: Profile,
    /// Bytes in the simulated CPython's word: 8 on the 64-bit profiles, 4 on wasm32. A value,
    /// not a type parameter, so the builder is compiled once; only the struct writes dispatch.
    word: usize,
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

unsafe fn put<T>(addr: usize, v: T) {
    // SAFETY (callers): `addr` lies inside a block this builder allocated, big enough for T.
    unsafe { (addr as *mut T).write_unaligned(v) }
}

unsafe fn get<T: Copy>(addr: usize) -> T {
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

    fn w(&self) -> usize {
        self.word
    }

    #[inline(always)]
    fn put_word(&self, addr: usize, v: u64) {
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
    fn get_word(&self, addr: usize) -> u64 {
        // SAFETY (callers): `addr` is a word inside a live block.
        unsafe {
            if self.word == 8 {
                get::<u64>(addr)
            } else {
                get::<u32>(addr) as u64
            }
        }
    }

    /// Write an int object: header, then |v| in `nd` 30-bit digits (CPython's encoding of the
    /// size or, from 3.12, lv_tag = digits << 3 | sign with 0 positive, 1 zero, 2 negative).
    #[inline]
    fn write_int(&self, addr: usize, v: i128, nd: u64) {
        let tag: u64 = if self.p.minor() >= 12 {
            let sign = if v > 0 {
                0
            } else if v == 0 {
                1
            } else {
                2
            };
            (nd << 3) | sign
        } else if v < 0 {
            (nd as i64).wrapping_neg() as u64
        } else {
            nd
        };
        put_obj!(self.word, addr, |W| PyLong::<W> {
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&INT_TYPE)),
            size_or_tag: W::from_u64(tag),
        });
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

    fn write_float(&self, addr: usize, f: f64) {
        put_obj!(self.word, addr, |W| PyFloat::<W> {
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&FLOAT_TYPE)),
            ob_fval: f,
        });
    }

    /// An object for a value, outside the measurement (shared objects). Its refcount is set
    /// to an immortal value, as 3.12+ does for the small ints, which is how `free` skips it.
    fn shared_object(&mut self, v: Value, what: What) -> Result<Blk> {
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
    pub fn prelude(&mut self, s: &Scenario) -> Result<Shared> {
        let mut small_ints = Vec::new();
        small_ints
            .try_reserve(262)
            .map_err(|_| super::heap::oom(262))?;
        for v in -5..=256 {
            small_ints.push(self.shared_object(Value::Int(v), What::SmallInt)?);
        }
        let constant = match s.values {
            Values::Constant(Const::Int(i)) if is_small_int(i) => None,
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
            Values::IntRange { start } if first_shared && !is_small_int(start) => {
                Some(self.shared_object(Value::Int(start), What::RangeStart)?)
            }
            _ => None,
        };
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
        Ok(Shared {
            small_ints,
            constant,
            range_start,
            empty_tuple,
            dims,
        })
    }

    /// Write a one-to-three-digit int (|v| < 2**63) from an i64: the hot path of the build.
    #[inline(always)]
    fn write_small_int(&self, addr: usize, v: i64, nd: u64, minor12: bool) {
        let tag: u64 = if minor12 {
            let sign = if v > 0 {
                0
            } else if v == 0 {
                1
            } else {
                2
            };
            (nd << 3) | sign
        } else if v < 0 {
            (nd as i64).wrapping_neg() as u64
        } else {
            nd
        };
        put_obj!(self.word, addr, |W| PyLong::<W> {
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&INT_TYPE)),
            size_or_tag: W::from_u64(tag),
        });
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
    fn fresh(
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
    fn elements(
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
                (Make::Shared, _) => {
                    for i in from..to {
                        let addr = match src.value(i) {
                            Value::Int(x) if is_small_int(x) => {
                                shared.small_ints[(x + 5) as usize].addr
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

    /// Build the scenario's own structure (measured against the model).
    pub fn build(
        &mut self,
        s: &Scenario,
        shared: &Shared,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        match s.container {
            Container::Tuple => self.build_tuple(s, shared, tick),
            Container::Array(_) | Container::Ndarray(_) => {
                self.build_packed(s, Item::of(s), false, tick)
            }
            _ => self.build_list(s, containers::list_build(s), shared, What::ListObject, tick),
        }
    }

    pub fn build_list(
        &mut self,
        s: &Scenario,
        how: ListBuild,
        shared: &Shared,
        what: What,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        let (p, w) = (self.p, self.w());
        let obj = self
            .heap
            .malloc(Domain::Object, p.gc_head() + p.list_basic(), what)?;
        put_obj!(self.word, obj.addr, |W| PyList::<W> {
            gc: GcHead::default(),
            ob_refcnt: W::from_u64(1),
            ob_type: W::from_u64(type_addr(&LIST_TYPE)),
            ..Default::default()
        });
        let steps = containers::list_steps(p, how, s.n);
        let buffer_what = if what == What::Comparison {
            What::Comparison
        } else {
            What::PointerArray
        };
        let bytes = |c: u64| c * w as u64;
        let mut slots = Slots::new(&steps, 0, None, &bytes, buffer_what);
        // list(iterable) preallocates before the first item; append resizes after making it.
        if how != ListBuild::Append {
            slots.apply_leading(self.heap)?;
        }
        self.elements(s, shared, &mut slots, tick)?;
        slots.finish(self.heap)?;
        let (items, capacity) = (slots.buf, slots.capacity);
        // ob_size, ob_item, allocated, after the GC head, ob_refcnt and ob_type.
        let header_at = obj.addr + 2 * w;
        self.put_word(header_at + 2 * w, s.n);
        self.put_word(header_at + 3 * w, items.map_or(0, |b| b.addr as u64));
        self.put_word(header_at + 4 * w, capacity);
        Ok(Built::Boxed {
            obj: Some(obj),
            items,
            tuple: false,
            n: s.n,
            capacity,
        })
    }

    fn build_tuple(
        &mut self,
        s: &Scenario,
        shared: &Shared,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        let (p, w) = (self.p, self.w());
        let steps = containers::tuple_steps(Source::of(s.values), s.n);
        let bytes = |c: u64| containers::tuple_bytes(p, c);
        let mut slots = Slots::new(&steps, 5 * w, None, &bytes, What::TupleObject);
        // PyTuple_New(guess) comes first: the header is written once, realloc carries it along.
        if let Some(first) = steps.first().filter(|st| st.capacity > 0) {
            slots.apply_leading(self.heap)?;
            if let Some(b) = slots.buf {
                put_obj!(w, b.addr, |W| PyTuple::<W> {
                    gc: GcHead::default(),
                    ob_refcnt: W::from_u64(1),
                    ob_type: W::from_u64(type_addr(&TUPLE_TYPE)),
                    ob_size: W::from_u64(first.capacity),
                });
            }
        }
        self.elements(s, shared, &mut slots, tick)?;
        slots.finish(self.heap)?;
        if let Some(b) = slots.buf {
            // ob_size, after the GC head, ob_refcnt and ob_type
            self.put_word(b.addr + 4 * w, s.n);
        }
        Ok(Built::Boxed {
            obj: slots.buf,
            items: None,
            tuple: true,
            n: s.n,
            capacity: s.n,
        })
    }

    /// An array.array (appended one by one), an ndarray (one exact buffer) or, for
    /// `comparison`, a bare malloc'd buffer of int64/float64 values.
    pub fn build_packed(
        &mut self,
        s: &Scenario,
        item: Item,
        comparison: bool,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        let p = self.p;
        let n = s.n;
        let src = ElementSource::new(s);
        let isz = item.size() as u64;
        if comparison {
            let data = self
                .heap
                .malloc(Domain::Raw, (n * isz).max(1), What::Comparison)?;
            self.fill(data.addr, item, 0, n, &src, tick)?;
            return Ok(Built::Packed {
                obj: None,
                data: Some(data),
                item,
                n,
            });
        }
        match s.container {
            Container::Array(_) => {
                let gc = if p.array_is_gc() { p.gc_head() } else { 0 };
                let obj =
                    self.heap
                        .malloc(Domain::Object, gc + p.array_basic(), What::ArrayObject)?;
                if gc > 0 {
                    put_obj!(self.word, obj.addr, |W| GcHead::<W>::default());
                }
                put_obj!(self.word, obj.addr + gc as usize, |W| ArrayObject::<W> {
                    ob_refcnt: W::from_u64(1),
                    ob_type: W::from_u64(type_addr(&ARRAY_TYPE)),
                    ..Default::default()
                });
                let steps = containers::array_steps(n);
                let mut data: Option<Blk> = None;
                let mut si = 0;
                let mut done = 0;
                while done < n {
                    // Items go in one at a time; between resizes they are plain stores.
                    while si < steps.len() && steps[si].at == done {
                        data = Some(self.heap.realloc(
                            Domain::Object,
                            data,
                            steps[si].capacity * isz,
                            What::ArrayBuffer,
                        )?);
                        si += 1;
                    }
                    let upto = steps.get(si).map_or(n, |st| st.at.min(n));
                    let base = data.map_or(0, |b| b.addr);
                    self.fill(base, item, done, upto, &src, tick)?;
                    done = upto;
                }
                let w = self.w();
                let at = obj.addr + gc as usize;
                // ob_size, ob_item, allocated
                self.put_word(at + 2 * w, n);
                self.put_word(at + 3 * w, data.map_or(0, |b| b.addr as u64));
                self.put_word(at + 4 * w, steps.last().map_or(0, |s| s.capacity));
                Ok(Built::Packed {
                    obj: Some(obj),
                    data,
                    item,
                    n,
                })
            }
            _ => {
                let obj =
                    self.heap
                        .malloc(Domain::Object, p.ndarray_basic(), What::NdarrayObject)?;
                let data = self
                    .heap
                    .malloc(Domain::Raw, (n * isz).max(1), What::NdarrayData)?;
                put_obj!(self.word, obj.addr, |W| NdArray::<W> {
                    ob_refcnt: W::from_u64(1),
                    ob_type: W::from_u64(type_addr(&NDARRAY_TYPE)),
                    data: W::from_u64(data.addr as u64),
                    nd: 1,
                    ..Default::default()
                });
                self.fill(data.addr, item, 0, n, &src, tick)?;
                Ok(Built::Packed {
                    obj: Some(obj),
                    data: Some(data),
                    item,
                    n,
                })
            }
        }
    }

    /// Write items from..to of the values into a packed buffer, in chunks between progress ticks.
    fn fill(
        &self,
        base: usize,
        item: Item,
        from: u64,
        to: u64,
        src: &ElementSource,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<()> {
        let mut i = from;
        while i < to {
            let end = to.min((i | 0xf_ffff) + 1);
            match item {
                Item::Bool => fill_range(
                    base,
                    i,
                    end,
                    src,
                    |x: i64| (x != 0) as u8,
                    |f| (f != 0.0) as u8,
                ),
                Item::I8 | Item::U8 => {
                    fill_range(base, i, end, src, |x| x as u8, |f| f as i64 as u8)
                }
                Item::I16 | Item::U16 => {
                    fill_range(base, i, end, src, |x| x as u16, |f| f as i64 as u16)
                }
                Item::I32 | Item::U32 => {
                    fill_range(base, i, end, src, |x| x as u32, |f| f as i64 as u32)
                }
                Item::I64 | Item::U64 => {
                    fill_range(base, i, end, src, |x| x as u64, |f| f as i64 as u64)
                }
                Item::F16 => fill_range(base, i, end, src, |x| f16_bits(x as f64), f16_bits),
                Item::F32 => fill_range(base, i, end, src, |x| x as f32, |f| f as f32),
                Item::F64 => fill_range(base, i, end, src, |x| x as f64, |f| f),
            }
            i = end;
            tick(i)?;
        }
        Ok(())
    }

    /// Addresses of the slots of a boxed structure: (first slot, count).
    fn slots(&self, b: &Built) -> Option<(usize, u64)> {
        match *b {
            Built::Boxed {
                obj,
                items,
                tuple,
                n,
                ..
            } => {
                let base = if tuple {
                    obj.map(|o| o.addr + 5 * self.word)
                } else {
                    items.map(|i| i.addr)
                };
                base.map(|b| (b, n))
            }
            Built::Packed { .. } => None,
        }
    }

    /// Add one object's value to the sums: check its type through ob_type, decode it.
    #[inline(always)]
    fn add_object(&self, obj: usize, sums: &mut (i64, f64)) {
        let ty = self.get_word(obj + self.word);
        if ty == type_addr(&INT_TYPE) {
            sums.0 = sums.0.wrapping_add(self.read_int(obj) as i64);
        } else if ty == type_addr(&FLOAT_TYPE) {
            // SAFETY: a live float object; ob_fval follows two words.
            sums.1 += unsafe { get::<f64>(obj + 2 * self.word) };
        }
    }

    /// Sum every element by following the pointers in slot order. Returns (ints wrapping,
    /// floats). `tick` hears every 64 Ki items.
    pub fn sum_boxed(
        &self,
        b: &Built,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<(i64, f64)> {
        let mut sums = (0i64, 0f64);
        let Some((base, n)) = self.slots(b) else {
            return Ok(sums);
        };
        let w = self.w();
        for chunk in (0..n as usize).step_by(1 << 16) {
            for i in chunk..(chunk + (1 << 16)).min(n as usize) {
                let obj = self.get_word(base + i * w) as usize;
                self.add_object(obj, &mut sums);
            }
            tick(chunk as u64)?;
        }
        Ok(sums)
    }

    pub fn sum_packed(&self, b: &Built) -> (i64, f64) {
        let Built::Packed {
            data: Some(data),
            item,
            n,
            ..
        } = *b
        else {
            return (0, 0.0);
        };
        let base = data.addr;
        let (mut si, mut sf) = (0i64, 0f64);
        // SAFETY: the data buffer holds n items of this type.
        unsafe {
            macro_rules! ints {
                ($t:ty) => {
                    for i in 0..n as usize {
                        si = si.wrapping_add(get::<$t>(base + i * size_of::<$t>()) as i64);
                    }
                };
            }
            match item {
                Item::Bool | Item::U8 => ints!(u8),
                Item::I8 => ints!(i8),
                Item::I16 => ints!(i16),
                Item::U16 => ints!(u16),
                Item::I32 => ints!(i32),
                Item::U32 => ints!(u32),
                Item::I64 => ints!(i64),
                Item::U64 => ints!(u64),
                Item::F16 => {
                    for i in 0..n as usize {
                        sf += f16_to_f64(get::<u16>(base + 2 * i));
                    }
                }
                Item::F32 => {
                    for i in 0..n as usize {
                        sf += get::<f32>(base + 4 * i) as f64;
                    }
                }
                Item::F64 => {
                    for i in 0..n as usize {
                        sf += get::<f64>(base + 8 * i);
                    }
                }
            }
        }
        (si, sf)
    }

    /// The slot contents in a shuffled order (Fisher-Yates, fixed seed), outside the measured
    /// heap: following them jumps around memory, while the list itself stays as built.
    pub fn shuffled_slots(
        &self,
        b: &Built,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Vec<usize>> {
        let Some((base, n)) = self.slots(b) else {
            return Ok(Vec::new());
        };
        let w = self.w();
        let mut out = Vec::new();
        out.try_reserve_exact(n as usize)
            .map_err(|_| super::heap::oom(n * size_of::<usize>() as u64))?;
        out.extend((0..n as usize).map(|i| self.get_word(base + i * w) as usize));
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for i in (1..out.len()).rev() {
            if i & 0xffff == 0 {
                tick((out.len() - i) as u64)?;
            }
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            out.swap(i, (x % (i as u64 + 1)) as usize);
        }
        Ok(out)
    }

    /// Sum through a list of object addresses (the shuffled traversal).
    pub fn sum_objects(
        &self,
        addrs: &[usize],
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<(i64, f64)> {
        let mut sums = (0i64, 0f64);
        for (k, chunk) in addrs.chunks(1 << 16).enumerate() {
            for &obj in chunk {
                self.add_object(obj, &mut sums);
            }
            tick((k << 16) as u64)?;
        }
        Ok(sums)
    }

    /// Free every object of a structure (elements first, as list_dealloc does, then the buffer
    /// and the object). Shared objects are left alone.
    pub fn free(
        &mut self,
        b: Built,
        s: &Scenario,
        element_what: Option<What>,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<()> {
        let src = ElementSource::new(s);
        let runs = src.runs();
        let w = self.w();
        if let Some((base, n)) = self.slots(&b) {
            let (int_t, float_t) = (type_addr(&INT_TYPE), type_addr(&FLOAT_TYPE));
            for i in 0..n as usize {
                if i & 0xffff == 0xffff {
                    tick(i as u64)?;
                }
                let obj = self.get_word(base + i * w) as usize;
                let (refcnt, ty) = (self.get_word(obj), self.get_word(obj + w));
                if refcnt == IMMORTAL {
                    continue;
                }
                if ty != int_t && ty != float_t {
                    continue;
                }
                let what =
                    element_what.unwrap_or(if ty == int_t { What::Int } else { What::Float });
                // Only Rust's allocator needs the size back; CPython's find it from the address.
                let requested = if self.heap.mode == Mode::Rust {
                    let value = if ty == int_t {
                        Value::Int(self.read_int(obj))
                    } else {
                        // SAFETY: a live float object.
                        Value::Float(unsafe { get::<f64>(obj + 2 * w) })
                    };
                    src.requested_for(&runs, value)
                } else {
                    0
                };
                self.heap.free_object(obj, requested, what)?;
            }
        }
        match b {
            Built::Boxed {
                obj, items, tuple, ..
            } => {
                if let Some(i) = items {
                    self.heap.free(i, What::PointerArray)?;
                }
                if let Some(o) = obj {
                    self.heap.free(
                        o,
                        if tuple {
                            What::TupleObject
                        } else {
                            What::ListObject
                        },
                    )?;
                }
            }
            Built::Packed { obj, data, .. } => {
                if let Some(d) = data {
                    self.heap.free(d, What::NdarrayData)?;
                }
                if let Some(o) = obj {
                    self.heap.free(o, What::NdarrayObject)?;
                }
            }
        }
        Ok(())
    }

    fn read_int(&self, obj: usize) -> i128 {
        let w = self.w();
        // SAFETY: a live int object.
        unsafe {
            let tag = self.get_word(obj + 2 * w);
            let (nd, neg) = if self.p.minor() >= 12 {
                ((tag >> 3) as usize, tag & 3 == 2)
            } else {
                let t = if w == 4 {
                    tag as u32 as i32 as i64
                } else {
                    tag as i64
                };
                (t.unsigned_abs() as usize, t < 0)
            };
            let mut m: u128 = 0;
            for d in (0..nd).rev() {
                m = (m << DIGIT_BITS) | get::<u32>(obj + 3 * w + 4 * d) as u128;
            }
            if neg {
                -(m as i128)
            } else {
                m as i128
            }
        }
    }
}
