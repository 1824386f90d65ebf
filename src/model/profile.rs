//! What differs between the CPython builds we model: pointer width, struct sizes, the version's
//! growth rules and which allocator serves a request. Every number here was read from CPython's
//! or NumPy's sources and checked against the fixtures recorded by scripts/measure_cpython.py.

use super::alloc::Allocator;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    Py38,
    Py39,
    Py310,
    Py311,
    Py312,
    Py313,
    /// CPython 3.13 compiled to 32-bit WebAssembly, as Pyodide 0.29 runs it.
    Wasm32,
}

pub const PROFILE_NAMES: &str =
    "cpython-3.8, cpython-3.9, cpython-3.10, cpython-3.11, cpython-3.12, cpython-3.13, wasm32";

impl Profile {
    pub const ALL: [Profile; 7] = [
        Profile::Py38,
        Profile::Py39,
        Profile::Py310,
        Profile::Py311,
        Profile::Py312,
        Profile::Py313,
        Profile::Wasm32,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Py38 => "cpython-3.8",
            Profile::Py39 => "cpython-3.9",
            Profile::Py310 => "cpython-3.10",
            Profile::Py311 => "cpython-3.11",
            Profile::Py312 => "cpython-3.12",
            Profile::Py313 => "cpython-3.13",
            Profile::Wasm32 => "wasm32",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    /// Human description for prose and tooltips.
    pub fn describe(self) -> &'static str {
        match self {
            Profile::Py38 => "CPython 3.8, 64-bit Linux",
            Profile::Py39 => "CPython 3.9, 64-bit Linux",
            Profile::Py310 => "CPython 3.10, 64-bit Linux",
            Profile::Py311 => "CPython 3.11, 64-bit Linux",
            Profile::Py312 => "CPython 3.12, 64-bit Linux",
            Profile::Py313 => "CPython 3.13, 64-bit Linux",
            Profile::Wasm32 => "CPython 3.13 on 32-bit WebAssembly (Pyodide 0.29)",
        }
    }

    /// CPython minor version whose rules apply.
    pub fn minor(self) -> u32 {
        match self {
            Profile::Py38 => 8,
            Profile::Py39 => 9,
            Profile::Py310 => 10,
            Profile::Py311 => 11,
            Profile::Py312 => 12,
            Profile::Py313 | Profile::Wasm32 => 13,
        }
    }

    pub fn is_wasm32(self) -> bool {
        self == Profile::Wasm32
    }

    /// sizeof(void *), sizeof(Py_ssize_t) and sizeof(npy_intp).
    pub fn ptr(self) -> u64 {
        if self.is_wasm32() {
            4
        } else {
            8
        }
    }

    /// sizeof(long): 8 on 64-bit Linux, 4 on wasm32. Decides range()'s fast path and 'l'/'L'.
    pub fn c_long_bits(self) -> u32 {
        if self.is_wasm32() {
            32
        } else {
            64
        }
    }

    /// PyGC_Head: two pointers (_gc_next, _gc_prev) since 3.8.
    pub fn gc_head(self) -> u64 {
        2 * self.ptr()
    }

    /// PyObject_HEAD: ob_refcnt + ob_type.
    pub fn obj_head(self) -> u64 {
        2 * self.ptr()
    }

    /// PyObject_VAR_HEAD, or for ints since 3.12 the head plus lv_tag: three words.
    pub fn var_head(self) -> u64 {
        3 * self.ptr()
    }

    /// sizeof(PyLongObject): the header plus one digit, padded to pointer alignment.
    /// 3.11+ allocates exactly this for every one-digit int (`_PyLong_FromMedium`).
    pub fn long_struct(self) -> u64 {
        round_up(self.var_head() + 4, self.ptr())
    }

    /// sys.getsizeof(0): no digits before 3.11, one digit (always present) since.
    pub fn int_min_digits_for_sizeof(self) -> u64 {
        if self.minor() >= 11 {
            1
        } else {
            0
        }
    }

    /// PyFloatObject: head + double (8-aligned on both targets).
    pub fn float_size(self) -> u64 {
        self.obj_head() + 8
    }

    /// tp_basicsize of list: var head + ob_item + allocated.
    pub fn list_basic(self) -> u64 {
        self.var_head() + 2 * self.ptr()
    }

    /// tp_basicsize of tuple (items are inline after it).
    pub fn tuple_basic(self) -> u64 {
        self.var_head()
    }

    /// tp_basicsize of array.array: var head + ob_item, allocated, ob_descr, weakreflist, ob_exports.
    pub fn array_basic(self) -> u64 {
        self.var_head() + 5 * self.ptr()
    }

    /// array.array became a GC type (heap type with Py_TPFLAGS_HAVE_GC) in 3.10.
    pub fn array_is_gc(self) -> bool {
        self.minor() >= 10
    }

    /// PyArrayObject_fields (NumPy >= 1.22): head + data, nd, dimensions, strides, base, descr,
    /// flags, weakreflist, _buffer_info, mem_handler. nd and flags are ints padded to a word.
    pub fn ndarray_basic(self) -> u64 {
        12 * self.ptr()
    }

    /// list_preallocate_exact rounds up to an even slot count since 3.10.
    pub fn list_prealloc_even(self) -> bool {
        self.minor() >= 10
    }

    /// NumPy version the fixtures were recorded with (None: no NumPy there).
    pub fn numpy_version(self) -> Option<&'static str> {
        match self {
            Profile::Py38 => Some("1.24"),
            Profile::Wasm32 => None,
            _ => Some("2.x"),
        }
    }

    pub fn allocator(self) -> Allocator {
        match self {
            Profile::Py38 | Profile::Py39 => Allocator::pymalloc_64(256 * 1024, 4 * 1024),
            Profile::Py310 | Profile::Py311 | Profile::Py312 | Profile::Py313 => {
                Allocator::pymalloc_64(1024 * 1024, 16 * 1024)
            }
            Profile::Wasm32 => Allocator::Dlmalloc32,
        }
    }
}

pub fn round_up(x: u64, to: u64) -> u64 {
    x.div_ceil(to) * to
}
