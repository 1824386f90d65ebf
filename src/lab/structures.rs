//! Building whole structures: a list by its construction path (append, list(), comprehension,
//! repeat), a tuple, and a packed array.array or ndarray buffer, in CPython's order of
//! allocations (the element first, then the resize that makes room for it).

use super::build::{
    put, put_obj, type_addr, Builder, Built, Shared, ARRAY_TYPE, LIST_TYPE, NDARRAY_TYPE,
    TUPLE_TYPE,
};
use super::heap::{Blk, What};
use super::packed::{f16_bits, fill_range, Item};
use super::shapes::{ArrayObject, GcHead, NdArray, NdArray121, PyList, PyTuple, Word};
use super::slots::Slots;
use crate::error::Result;
use crate::model::alloc::Domain;
use crate::model::containers::{self, ListBuild};
use crate::model::objects::ElementSource;
use crate::model::scenario::{Container, Numpy, Scenario};

impl Builder<'_> {
    /// Build the scenario's own structure (measured against the model).
    pub fn build(
        &mut self,
        s: &Scenario,
        shared: &Shared,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        match s.container {
            Container::Tuple => self.build_tuple(s, shared, tick),
            Container::Array(_) | Container::Ndarray(_) => self.build_packed(
                s,
                Item::of(s),
                false,
                (shared.numpy_data, shared.view_base),
                tick,
            ),
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

    pub(super) fn build_tuple(
        &mut self,
        s: &Scenario,
        shared: &Shared,
        tick: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Built> {
        let (p, w) = (self.p, self.w());
        let steps = containers::tuple_steps(containers::source_of(s), s.n);
        let bytes = |c: u64| containers::tuple_bytes(p, c);
        // Items start after the GC head and tp_basicsize (with 3.14's ob_hash).
        let items_at = (p.gc_head() + p.tuple_basic()) as usize;
        let mut slots = Slots::new(&steps, items_at, None, &bytes, What::TupleObject);
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
                if items_at > 5 * w {
                    // ob_hash: -1, not computed yet.
                    self.put_word(b.addr + 5 * w, u64::MAX);
                }
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

    /// An array.array (appended one by one), an ndarray (one exact buffer, or `cached_data`,
    /// NumPy 1.21's reused one) or, for `comparison`, a bare malloc'd buffer of int64/float64
    /// values.
    pub fn build_packed(
        &mut self,
        s: &Scenario,
        item: Item,
        comparison: bool,
        (cached_data, view_base): (Option<Blk>, Option<(Blk, Blk)>),
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
                let steps = containers::array_steps_for(s);
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
            _ if s.form.view_step.is_some() => {
                // x = base[::step]: one new header over the base's data (made before x).
                let (_, data) = view_base.ok_or(crate::error::Error::invalid(
                    "view",
                    "the lab has no base array to view",
                ))?;
                let obj = self.ndarray_header(s, data.addr as u64)?;
                self.fill(data.addr, item, 0, n, &src, tick)?;
                Ok(Built::Packed {
                    obj: Some(obj),
                    data: Some(data),
                    item,
                    n,
                })
            }
            _ => {
                let obj = self.heap.malloc(
                    Domain::Object,
                    p.ndarray_basic(s.numpy),
                    What::NdarrayObject,
                )?;
                let data = match cached_data {
                    Some(b) => b,
                    None => self
                        .heap
                        .malloc(Domain::Raw, (n * isz).max(1), What::NdarrayData)?,
                };
                self.write_ndarray(obj, data.addr as u64, 1, s.numpy);
                self.fill(data.addr, item, 0, n, &src, tick)?;
                // np.arange(…).reshape(shape): a view over the array just made (x.base).
                let obj = if s.form.shape.is_some() {
                    self.ndarray_header(s, data.addr as u64)?
                } else {
                    obj
                };
                Ok(Built::Packed {
                    obj: Some(obj),
                    data: Some(data),
                    item,
                    n,
                })
            }
        }
    }

    /// A view's PyArrayObject over `data_ptr` (its shape and strides come from NumPy's cache).
    fn ndarray_header(&mut self, s: &Scenario, data_ptr: u64) -> Result<Blk> {
        let obj = self.heap.malloc(
            Domain::Object,
            self.p.ndarray_basic(s.numpy),
            What::NdarrayObject,
        )?;
        let nd = s.form.shape.map_or(1, |d| d.nd as i32);
        self.write_ndarray(obj, data_ptr, nd, s.numpy);
        Ok(obj)
    }

    /// Write a PyArrayObject's header (NumPy 2's layout or 1.21's) into `obj`.
    fn write_ndarray(&self, obj: Blk, data_ptr: u64, nd: i32, numpy: Numpy) {
        let ob_type = type_addr(&NDARRAY_TYPE);
        match numpy {
            Numpy::V2 => put_obj!(self.word, obj.addr, |W| NdArray::<W> {
                ob_refcnt: W::from_u64(1),
                ob_type: W::from_u64(ob_type),
                data: W::from_u64(data_ptr),
                nd,
                ..Default::default()
            }),
            Numpy::V121 => put_obj!(self.word, obj.addr, |W| NdArray121::<W> {
                ob_refcnt: W::from_u64(1),
                ob_type: W::from_u64(ob_type),
                data: W::from_u64(data_ptr),
                nd,
                ..Default::default()
            }),
        }
    }

    /// Write items from..to of the values into a packed buffer, in chunks between progress ticks.
    pub(super) fn fill(
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
}
