//! What differs between the CPython builds we model: pointer width, struct sizes, the version's
//! growth rules and which allocator serves a request. Every number here was read from CPython's
//! or NumPy's sources and checked against the fixtures recorded by scripts/measure_cpython.py.

use super::alloc::Allocator;
use super::scenario::Numpy;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    Py38,
    Py39,
    Py310,
    Py311,
    Py312,
    Py313,
    /// CPython 3.14 as Debian builds it (recorded with 3.14.10).
    Py314,
    /// CPython 3.15 as Debian builds it (recorded with 3.15.2).
    Py315,
    /// CPython 3.13 compiled to 32-bit WebAssembly, as Pyodide 0.29 runs it.
    Wasm313,
    /// CPython 3.14 compiled to 32-bit WebAssembly, as Pyodide 314 runs it.
    Wasm314,
}

pub const PROFILE_NAMES: &str = "cpython-3.8, cpython-3.9, cpython-3.10, cpython-3.11, \
     cpython-3.12, cpython-3.13, cpython-3.14, cpython-3.15, wasm32-3.13, wasm32-3.14 \
     (wasm32 is wasm32-3.13)";

impl Profile {
    pub const ALL: [Profile; 10] = [
        Profile::Py38,
        Profile::Py39,
        Profile::Py310,
        Profile::Py311,
        Profile::Py312,
        Profile::Py313,
        Profile::Py314,
        Profile::Py315,
        Profile::Wasm313,
        Profile::Wasm314,
    ];

    /// The page's default: the newest CPython with a year of releases behind it (3.14), not
    /// the newest (3.15, a month old), whose small-int cache makes most int lists cheaper
    /// than what most readers' Python does.
    pub const DEFAULT: Profile = Profile::Py314;

    pub fn name(self) -> &'static str {
        match self {
            Profile::Py38 => "cpython-3.8",
            Profile::Py39 => "cpython-3.9",
            Profile::Py310 => "cpython-3.10",
            Profile::Py311 => "cpython-3.11",
            Profile::Py312 => "cpython-3.12",
            Profile::Py313 => "cpython-3.13",
            Profile::Py314 => "cpython-3.14",
            Profile::Py315 => "cpython-3.15",
            Profile::Wasm313 => "wasm32-3.13",
            Profile::Wasm314 => "wasm32-3.14",
        }
    }

    /// A profile by name; "wasm32", the name before there were two, is wasm32-3.13, so older
    /// links and embeds keep their numbers.
    pub fn parse(s: &str) -> Option<Profile> {
        if s == "wasm32" {
            return Some(Profile::Wasm313);
        }
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
            Profile::Py314 => "CPython 3.14, 64-bit Linux",
            Profile::Py315 => "CPython 3.15, 64-bit Linux",
            Profile::Wasm313 => "CPython 3.13 on 32-bit WebAssembly (Pyodide 0.29)",
            Profile::Wasm314 => "CPython 3.14 on 32-bit WebAssembly (Pyodide 314)",
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
            Profile::Py313 | Profile::Wasm313 => 13,
            Profile::Py314 | Profile::Wasm314 => 14,
            Profile::Py315 => 15,
        }
    }

    pub fn is_wasm32(self) -> bool {
        matches!(self, Profile::Wasm313 | Profile::Wasm314)
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

    /// tp_basicsize of tuple (items are inline after it): the var head, and since 3.14 the
    /// cached hash `ob_hash` (Include/cpython/tupleobject.h).
    pub fn tuple_basic(self) -> u64 {
        if self.minor() >= 14 {
            self.var_head() + self.ptr()
        } else {
            self.var_head()
        }
    }

    /// The small-int cache, -5 ..= this: 256 until 3.14, 1024 from 3.15 (`_PY_NSMALLPOSINTS`
    /// in Include/internal/pycore_runtime_structs.h, 257 then 1025).
    pub fn small_int_max(self) -> i128 {
        if self.minor() >= 15 {
            1024
        } else {
            256
        }
    }

    /// Whether CPython shares `v` from its small-int cache instead of allocating it.
    pub fn is_small_int(self, v: i128) -> bool {
        (super::rules::SMALL_INT_MIN..=self.small_int_max()).contains(&v)
    }

    /// list(iterable) of an unsized iterable cuts its buffer back to the items it got (the
    /// "initial guess was too large" list_resize at the end of list_extend). The CPython 3.14.10
    /// and 3.15.2 we recorded no longer do: `list(map(float, range(1)))` keeps the 8-slot guess
    /// (120 bytes), where 3.13 and the 3.14.2 in Pyodide 314 cut it to 4 (88 bytes). The change
    /// came in a 3.14 bug-fix release after 3.14.2; this follows the releases recorded.
    pub fn list_extend_cuts_back(self) -> bool {
        !matches!(self, Profile::Py314 | Profile::Py315)
    }

    /// From 3.15 the compiler inlines list(genexpr) as BUILD_LIST + LIST_APPEND, when `list`
    /// is the builtin: the list then grows as appends make it.
    pub fn inlines_list_genexpr(self) -> bool {
        self.minor() >= 15
    }

    /// tp_basicsize of array.array: var head + ob_item, allocated, ob_descr, weakreflist, ob_exports.
    pub fn array_basic(self) -> u64 {
        self.var_head() + 5 * self.ptr()
    }

    /// array.array became a GC type (heap type with Py_TPFLAGS_HAVE_GC) in 3.10.
    pub fn array_is_gc(self) -> bool {
        self.minor() >= 10
    }

    /// PyArrayObject_fields (numpy/core/include/numpy/ndarraytypes.h): head + data, nd,
    /// dimensions, strides, base, descr, flags, weakreflist, _buffer_info, and since NumPy 1.22
    /// mem_handler (NEP 49). nd and flags are ints padded to a word.
    pub fn ndarray_basic(self, numpy: Numpy) -> u64 {
        match numpy {
            Numpy::V2 => 12 * self.ptr(),
            Numpy::V121 => 11 * self.ptr(),
        }
    }

    /// list_preallocate_exact rounds up to an even slot count since 3.10.
    pub fn list_prealloc_even(self) -> bool {
        self.minor() >= 10
    }

    /// Whether NumPy 1.21 (and older) installs on this Python: its wheels cover CPython
    /// 3.7 to 3.10, and there is none for WebAssembly.
    pub fn has_numpy_121(self) -> bool {
        !self.is_wasm32() && self.minor() <= 10
    }

    /// The glibc mmap threshold (a chunk size) a fresh process has after `import numpy`, which
    /// frees a mapped chunk and so raises it (malloc/malloc.c). Measured per profile and NumPy
    /// by scripts/measure_malloc.py (tests/fixtures/malloc/: the smallest ndarray buffer a fresh
    /// process maps): 3.8 with NumPy 1.24.4, 225,280; 3.9 with 2.0.2, 192,512; 3.10 with 2.2.6,
    /// 196,608; 3.11 with 2.4.6, 217,088; 3.12 with 2.5.5, 212,992; 3.13, 208,896; Debian's 3.14
    /// and 3.15 (glibc 2.43) with 2.5.5, 208,880 and 224,128; NumPy 1.21.6, 299,008.
    pub fn numpy_mmap_threshold(self, numpy: Numpy) -> u64 {
        if numpy == Numpy::V121 {
            return 299_008;
        }
        match self {
            Profile::Py38 => 225_280,
            Profile::Py39 => 192_512,
            Profile::Py310 => 196_608,
            Profile::Py311 => 217_088,
            Profile::Py312 => 212_992,
            Profile::Py313 => 208_896,
            Profile::Py314 => 208_880,
            Profile::Py315 => 224_128,
            // No glibc there: emscripten's dlmalloc never maps.
            Profile::Wasm313 | Profile::Wasm314 => u64::MAX,
        }
    }

    /// pymalloc's arenas and pools (Objects/obmalloc.c: ARENA_BITS and POOL_BITS, 256 KiB and
    /// 4 KiB before 3.10, 1 MiB and 16 KiB since, unchanged through 3.15). Pyodide builds
    /// CPython --without-pymalloc: emscripten's dlmalloc serves everything.
    pub fn allocator(self) -> Allocator {
        if self.is_wasm32() {
            Allocator::Dlmalloc32
        } else if self.minor() < 10 {
            Allocator::pymalloc_64(256 * 1024, 4 * 1024)
        } else {
            Allocator::pymalloc_64(1024 * 1024, 16 * 1024)
        }
    }
}

pub fn round_up(x: u64, to: u64) -> u64 {
    x.div_ceil(to) * to
}
