//! Objects shaped like CPython's, as #[repr(C)] structs generic over the word size: `u64` for the
//! 64-bit profiles (addresses stored widened, as a 64-bit CPython stores them) and `u32` for
//! wasm32. The lab writes them into blocks its allocators handed out, then reads them back by
//! following pointers.

use std::mem::{offset_of, size_of};

/// A machine word of the simulated CPython: its pointer and Py_ssize_t.
pub trait Word: Copy + Default + 'static {
    const BYTES: usize;
    fn from_u64(v: u64) -> Self;
    fn to_u64(self) -> u64;
}

impl Word for u64 {
    const BYTES: usize = 8;
    fn from_u64(v: u64) -> Self {
        v
    }
    fn to_u64(self) -> u64 {
        self
    }
}

impl Word for u32 {
    const BYTES: usize = 4;
    fn from_u64(v: u64) -> Self {
        v as u32
    }
    fn to_u64(self) -> u64 {
        self as u64
    }
}

/// PyGC_Head: the cyclic GC's links, in front of GC-tracked objects.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct GcHead<W: Word> {
    pub gc_next: W,
    pub gc_prev: W,
}

/// PyLongObject's fixed part; `digit ob_digit[]` follows (30 bits in each u32).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct PyLong<W: Word> {
    pub ob_refcnt: W,
    pub ob_type: W,
    /// ob_size (signed digit count) before 3.12; lv_tag (count << 3 | sign) since.
    pub size_or_tag: W,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct PyFloat<W: Word> {
    pub ob_refcnt: W,
    pub ob_type: W,
    pub ob_fval: f64,
}

/// PyListObject, allocated with its GC head in front.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct PyList<W: Word> {
    pub gc: GcHead<W>,
    pub ob_refcnt: W,
    pub ob_type: W,
    pub ob_size: W,
    pub ob_item: W,
    pub allocated: W,
}

/// PyTupleObject's fixed part (with GC head); `PyObject *ob_item[]` follows inline.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct PyTuple<W: Word> {
    pub gc: GcHead<W>,
    pub ob_refcnt: W,
    pub ob_type: W,
    pub ob_size: W,
}

/// arrayobject (Modules/arraymodule.c). From 3.10 a GC head precedes it.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct ArrayObject<W: Word> {
    pub ob_refcnt: W,
    pub ob_type: W,
    pub ob_size: W,
    pub ob_item: W,
    pub allocated: W,
    pub ob_descr: W,
    pub weakreflist: W,
    pub ob_exports: W,
}

/// PyArrayObject_fields (NumPy >= 1.22).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct NdArray<W: Word> {
    pub ob_refcnt: W,
    pub ob_type: W,
    pub data: W,
    pub nd: i32,
    pub dimensions: W,
    pub strides: W,
    pub base: W,
    pub descr: W,
    pub flags: i32,
    pub weakreflist: W,
    pub buffer_info: W,
    pub mem_handler: W,
}

/// NumPy 1.21's PyArrayObject_fields: the same without `mem_handler` (added by NEP 49 in 1.22).
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct NdArray121<W: Word> {
    pub ob_refcnt: W,
    pub ob_type: W,
    pub data: W,
    pub nd: i32,
    pub dimensions: W,
    pub strides: W,
    pub base: W,
    pub descr: W,
    pub flags: i32,
    pub weakreflist: W,
    pub buffer_info: W,
}

/// A named field of an object, for the heap map's hover: (name, offset, bytes).
pub type Field = (&'static str, u64, u64);

/// Field table of an object for a `word`-byte CPython (GC head included where it has one).
pub fn object_fields(word: usize, what: ObjectKind, gc: bool) -> Vec<Field> {
    let w = word as u64;
    let mut out: Vec<Field> = Vec::new();
    let mut at = 0;
    let mut push = |name: &'static str, bytes: u64| {
        out.push((name, at, bytes));
        at += bytes;
    };
    if gc {
        push("GC header: _gc_next", w);
        push("GC header: _gc_prev", w);
    }
    match what {
        ObjectKind::List => {
            for f in ["ob_refcnt", "ob_type", "ob_size", "ob_item", "allocated"] {
                push(f, w);
            }
        }
        ObjectKind::Tuple | ObjectKind::Tuple314 => {
            for f in ["ob_refcnt", "ob_type", "ob_size"] {
                push(f, w);
            }
            if what == ObjectKind::Tuple314 {
                push("ob_hash", w);
            }
        }
        ObjectKind::Array => {
            for f in [
                "ob_refcnt",
                "ob_type",
                "ob_size",
                "ob_item",
                "allocated",
                "ob_descr",
                "weakreflist",
                "ob_exports",
            ] {
                push(f, w);
            }
        }
        ObjectKind::Ndarray => {
            for (f, b) in [
                ("ob_refcnt", w),
                ("ob_type", w),
                ("data", w),
                ("nd", 4),
                ("(padding)", w - 4),
                ("dimensions", w),
                ("strides", w),
                ("base", w),
                ("descr", w),
                ("flags", 4),
                ("(padding)", w - 4),
                ("weakreflist", w),
                ("_buffer_info", w),
                ("mem_handler", w),
            ] {
                if b > 0 {
                    push(f, b);
                }
            }
        }
        ObjectKind::Int => {
            push("ob_refcnt", w);
            push("ob_type", w);
            push("ob_size / lv_tag", w);
        }
        ObjectKind::Float => {
            push("ob_refcnt", w);
            push("ob_type", w);
            push("ob_fval", 8);
        }
    }
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    List,
    Tuple,
    /// A tuple from CPython 3.14 on: `ob_hash` follows `ob_size`.
    Tuple314,
    Array,
    Ndarray,
    Int,
    Float,
}

/// Sizes the lab's structs must have: the same numbers the model uses (and CPython prints).
pub const fn list_size<W: Word>() -> usize {
    size_of::<PyList<W>>()
}

pub const fn long_header<W: Word>() -> usize {
    size_of::<PyLong<W>>()
}

pub const fn float_fval_offset<W: Word>() -> usize {
    offset_of!(PyFloat<W>, ob_fval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_sizes_match_cpython() {
        assert_eq!(size_of::<PyList<u64>>(), 56);
        assert_eq!(size_of::<PyList<u32>>(), 28);
        assert_eq!(size_of::<PyLong<u64>>(), 24);
        assert_eq!(size_of::<PyLong<u32>>(), 12);
        assert_eq!(size_of::<PyFloat<u64>>(), 24);
        assert_eq!(size_of::<PyFloat<u32>>(), 16);
        assert_eq!(size_of::<PyTuple<u64>>(), 40);
        assert_eq!(size_of::<ArrayObject<u64>>(), 64);
        assert_eq!(size_of::<ArrayObject<u32>>(), 32);
        assert_eq!(size_of::<NdArray<u64>>(), 96);
        assert_eq!(size_of::<NdArray<u32>>(), 48);
        assert_eq!(size_of::<NdArray121<u64>>(), 88);
        assert_eq!(size_of::<NdArray121<u32>>(), 44);
        let f = object_fields(8, ObjectKind::Ndarray, false);
        assert_eq!(f.iter().map(|x| x.2).sum::<u64>(), 96);
        assert_eq!(
            object_fields(4, ObjectKind::List, true)
                .iter()
                .map(|x| x.2)
                .sum::<u64>(),
            28
        );
    }
}
