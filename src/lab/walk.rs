//! Reading a built structure back and taking it down: sums through the pointers (in order and
//! shuffled) and through the packed buffer, then frees in the order CPython's deallocators use.

use std::mem::size_of;

use super::build::{get, type_addr, Builder, Built, FLOAT_TYPE, IMMORTAL, INT_TYPE};
use super::heap::{Mode, What};
use super::packed::{f16_to_f64, Item};
use crate::error::Result;
use crate::model::objects::{ElementSource, Value};
use crate::model::rules::DIGIT_BITS;
use crate::model::scenario::Scenario;

impl Builder<'_> {
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
                    obj.map(|o| o.addr + (self.p.gc_head() + self.p.tuple_basic()) as usize)
                } else {
                    items.map(|i| i.addr)
                };
                base.map(|b| (b, n))
            }
            Built::Packed { .. } => None,
        }
    }

    /// The object each slot of a boxed structure points at, in slot order.
    pub fn slot_targets(&self, b: &Built) -> Vec<usize> {
        let w = self.w();
        self.slots(b).map_or_else(Vec::new, |(base, n)| {
            (0..n as usize)
                .map(|i| self.get_word(base + i * w) as usize)
                .collect()
        })
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
                // Referenced from more slots ([b + 5] * n): Py_DECREF, freed with the last.
                if refcnt > 1 {
                    self.put_word(obj, refcnt - 1);
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
