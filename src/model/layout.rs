//! layout(): the exact memory of a scenario, as totals and as the allocation tree.

use super::alloc::{Allocator, Block, Domain, GLIBC_MMAP_THRESHOLD, GLIBC_MMAP_THRESHOLD_MAX};
use super::containers::{self, Buffer, ListBuild, Source};
use super::objects::{self, Elements, Group, Shape, Shared, SharedKind};
use super::profile::Profile;
use super::scenario::{Const, Container, Dims, Dtype, Numpy, Scenario, Values};
use super::tree::{rounding, Bytes, Kind, Node, Text};

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub container: ContainerFigures,
    pub elements: ElementFigures,
    pub totals: Bytes,
    /// totals / n (None for n = 0).
    pub per_element: Option<[f64; 3]>,
    pub tree: Node,
    /// What Python would warn about: the figures hold, the values do not (float16 overflow).
    pub warnings: Vec<String>,
    /// `totals.allocated` as low and high as glibc's mmap threshold can make it, when some block
    /// lies where the threshold decides (128 KiB to 32 MiB): a program that freed big mapped
    /// blocks before gets heap chunks for them, a fresh one whole pages. None when it cannot
    /// matter.
    pub allocated_range: Option<[u64; 2]>,
}

/// The container's allocated bytes with glibc's threshold at its lowest (128 KiB: every block
/// from there mapped) and at its highest (32 MiB: every block below it a heap chunk).
fn allocated_range(s: &Scenario, container: Bytes, totals: Bytes) -> Option<[u64; 2]> {
    // Only a block of 128 KiB or more can go either way.
    if s.profile.allocator().mmap_threshold().is_none()
        || container.requested < GLIBC_MMAP_THRESHOLD - 16
    {
        return None;
    }
    let with = |t: u64| -> u64 {
        let a = s.profile.allocator().with_mmap_threshold(t);
        let (nodes, _) = container_nodes(s, a, a);
        nodes.iter().map(|n| n.bytes.allocated).sum()
    };
    let others = totals.allocated - container.allocated;
    let (low, high) = (with(GLIBC_MMAP_THRESHOLD_MAX), with(GLIBC_MMAP_THRESHOLD));
    (low != high).then_some([others + low.min(high), others + low.max(high)])
}

/// Values a float dtype cannot hold: NumPy stores inf and warns ("RuntimeWarning: overflow
/// encountered in cast"). The bytes are the same; the values are not what was asked.
fn warnings(s: &Scenario) -> Vec<String> {
    let Container::Ndarray(dt) = s.container else {
        return Vec::new();
    };
    let (max, name) = match dt {
        Dtype::Float16 => (65504.0, "float16"),
        Dtype::Float32 => (f32::MAX as f64, "float32"),
        _ => return Vec::new(),
    };
    let biggest = match (s.values, s.values.int_bounds(s.n)) {
        (Values::FloatRange { start }, _) if s.n > 0 => {
            (start as f64).abs().max((start + s.n as i128 - 1) as f64)
        }
        (Values::Constant(Const::Float(f)), _) if s.n > 0 => f.abs(),
        (_, Some((lo, hi))) => (lo as f64).abs().max(hi as f64),
        _ => 0.0,
    };
    if biggest > max {
        vec![format!(
            "values: {name} holds at most {} in size; larger values become inf (NumPy warns: \
             RuntimeWarning: overflow encountered in cast). The bytes below are exact; the values \
             past it are not what was asked.",
            super::num::float_text(max)
        )]
    } else {
        Vec::new()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContainerFigures {
    pub bytes: Bytes,
    /// Slots (list), items (array, ndarray) or inline items (tuple) the container has room for.
    pub capacity: u64,
    pub length: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElementFigures {
    /// References to elements (n), or values for a packed container.
    pub count: u64,
    /// Distinct element objects, shared ones included (0 for packed containers).
    pub distinct: u64,
    pub bytes: Bytes,
}

pub fn layout(s: &Scenario) -> Layout {
    let p = s.profile;
    let (container_nodes, capacity) = container_nodes(s, allocator(s), ndarray_data_allocator(s));
    let elements = s.container.is_boxed().then(|| objects::elements(s));
    let element_nodes = elements
        .as_ref()
        .map(|e| element_nodes(p, e))
        .unwrap_or_default();
    let distinct = elements.as_ref().map_or(0, Elements::distinct);
    let container_bytes: Bytes = container_nodes.iter().map(|c| c.bytes).sum();
    let element_bytes: Bytes = element_nodes.iter().map(|c| c.bytes).sum();
    let totals = container_bytes + element_bytes;
    let per_element = (s.n > 0).then(|| {
        let n = s.n as f64;
        [
            totals.getsizeof as f64 / n,
            totals.requested as f64 / n,
            totals.allocated as f64 / n,
        ]
    });
    let mut children = container_nodes;
    children.extend(element_nodes);
    let tree = Node::parent(root_label(s), Kind::Root, 1, root_explain(s), children);
    Layout {
        warnings: warnings(s),
        allocated_range: allocated_range(s, container_bytes, totals),
        container: ContainerFigures {
            bytes: container_bytes,
            capacity,
            length: s.length(),
        },
        elements: ElementFigures {
            count: s.length(),
            distinct,
            bytes: element_bytes,
        },
        totals,
        per_element,
        tree,
    }
}

/// NumPy 1.21's data-buffer cache holds buffers of fewer bytes than this (NBUCKETS).
pub const NUMPY_121_CACHE_BYTES: u64 = 1024;

const PYMALLOC_NOTE: &str = "pymalloc hands out blocks in 16-byte size classes (for requests \
     up to 512 bytes), so the request is rounded up to the next class.";

fn field(name: impl Into<Text>, bytes: u64, explain: impl Into<Text>) -> Node {
    Node::leaf(name, Kind::Header, 1, Bytes::same(bytes), explain)
}

fn gc_header(p: Profile, what: &str) -> Node {
    Node::leaf(
        "GC header",
        Kind::Gc,
        1,
        Bytes::same(p.gc_head()),
        format!(
            "{what} can take part in reference cycles, so the cyclic garbage collector links \
             them into its lists: {} bytes (two pointers) in front of the object, counted by \
             sys.getsizeof.",
            p.gc_head()
        ),
    )
}

/// ob_refcnt and ob_type. `type_explain` names the type: a fixed sentence, so no allocation.
fn refcnt_type(p: Profile, type_explain: &'static str) -> [Node; 2] {
    [
        field(
            "ob_refcnt",
            p.ptr(),
            "The reference count: how many references point at the object. Every Python object \
             starts with it.",
        ),
        field("ob_type", p.ptr(), type_explain),
    ]
}

fn object_node(
    label: impl Into<Text>,
    block: Block,
    explain: &'static str,
    mut fields: Vec<Node>,
) -> Node {
    fields.push(rounding(block, 1, PYMALLOC_NOTE));
    Node::parent(label, Kind::Object, 1, explain, fields)
}

/// The allocators as a fresh program building `s` finds them: glibc's mmap threshold at its
/// default, or, for an ndarray, where `import numpy` left it. (A program that freed big mapped
/// blocks before has it higher: `Layout::allocated_range` covers that.)
pub fn allocator(s: &Scenario) -> Allocator {
    let a = s.profile.allocator();
    match s.container {
        Container::Ndarray(_) => a.with_mmap_threshold(s.profile.numpy_mmap_threshold(s.numpy)),
        _ => a,
    }
}

/// The allocator an ndarray's data buffer meets: for `(np.arange(n) % k).astype(dt)`, after the
/// int64 temporary `np.arange(n)` was freed, which raises glibc's threshold if it was mapped.
pub fn ndarray_data_allocator(s: &Scenario) -> Allocator {
    let a = allocator(s);
    match (s.container, s.values) {
        (Container::Ndarray(_), Values::IntMod { .. }) if !s.form.from_list => {
            a.after_free(a.malloc(Domain::Raw, (8 * s.n).max(1)))
        }
        _ => a,
    }
}

/// The container's own blocks as nodes, and its capacity. `alloc` serves the container, `data`
/// an ndarray's buffer (see [`ndarray_data_allocator`]).
fn container_nodes(s: &Scenario, alloc: Allocator, data: Allocator) -> (Vec<Node>, u64) {
    let p = s.profile;
    let n = s.n;
    match s.container {
        Container::ListAppend
        | Container::ListRange
        | Container::ListComprehension
        | Container::ListRepeat
        | Container::ListLiteral => {
            let how = containers::list_build(s);
            let buf = containers::list_buffer(alloc, p, how, n);
            let obj_block = alloc.malloc(Domain::Object, p.gc_head() + p.list_basic());
            let [rc, ty] = refcnt_type(p, "A pointer to the type object (list), which tells CPython what the rest of the bytes mean.");
            let object = object_node(
                "list object",
                obj_block,
                "The list itself: a small fixed-size header that points at a separate array of \
                 item pointers.",
                vec![
                    gc_header(p, "Lists"),
                    rc,
                    ty,
                    field("ob_size", p.ptr(), "The number of items in use: len(x)."),
                    field(
                        "ob_item",
                        p.ptr(),
                        "A pointer to the separately allocated array of item pointers.",
                    ),
                    field(
                        "allocated",
                        p.ptr(),
                        "How many slots the pointer array has room for.",
                    ),
                ],
            );
            let mut out = vec![object];
            if let Some(b) = pointer_array(p, how, &buf, n) {
                out.push(b);
            }
            (out, buf.capacity)
        }
        Container::Tuple => {
            let obj = containers::tuple_object(alloc, p, containers::source_of(s), n);
            let Some(obj) = obj.filter(|_| n > 0) else {
                return (
                    vec![Node::leaf(
                        "the empty tuple (shared)",
                        Kind::Shared,
                        1,
                        Bytes { getsizeof: p.gc_head() + p.tuple_basic(), requested: 0, allocated: 0 },
                        "tuple() of nothing returns the one empty tuple the interpreter already has; \
                         it costs nothing new.",
                    )],
                    0,
                );
            };
            let block = obj.block.unwrap_or(Block {
                requested: 0,
                size: 0,
                kind: super::alloc::BlockKind::Small,
            });
            let [rc, ty] = refcnt_type(p, "A pointer to the type object (tuple), which tells CPython what the rest of the bytes mean.");
            let mut fields = vec![
                gc_header(p, "Tuples"),
                rc,
                ty,
                field(
                    "ob_size",
                    p.ptr(),
                    "The number of items: len(x). A tuple never grows.",
                ),
            ];
            if p.tuple_basic() > p.var_head() {
                fields.push(field(
                    "ob_hash",
                    p.ptr(),
                    "The tuple's hash, cached the first time hash() is asked for it (-1 until then): \
                     a field CPython 3.14 added to every tuple.",
                ));
            }
            fields.extend([Node::leaf(
                "item pointers (inline)",
                Kind::Slots,
                n,
                Bytes::same(n * p.ptr()),
                format!(
                    "A tuple stores its {}-byte item pointers inside the object itself, \
                         exactly n of them: no separate array, no room to grow.",
                    p.ptr()
                ),
            )]);
            fields.push(rounding(block, 1, PYMALLOC_NOTE));
            let explain = match containers::source_of(s) {
                Source::Sized | Source::Hinted => Text::Borrowed("tuple() knew the length in advance and allocated the object with exactly n item slots."),
                Source::Unsized => Text::Owned(format!(
                    "tuple() could not know the length, guessed 10 and grew the object by realloc ({} times), \
                     then cut it back to exactly n items.",
                    obj.reallocs
                )),
            };
            (
                vec![Node::parent(
                    "tuple object",
                    Kind::Object,
                    1,
                    explain,
                    fields,
                )],
                n,
            )
        }
        Container::Array(tc) => {
            let itemsize = tc.itemsize(p);
            let buf = containers::array_buffer(alloc, itemsize, s);
            let gc = if p.array_is_gc() { p.gc_head() } else { 0 };
            let obj_block = alloc.malloc(Domain::Object, gc + p.array_basic());
            let [rc, ty] = refcnt_type(p, "A pointer to the type object (array.array), which tells CPython what the rest of the bytes mean.");
            let mut fields = vec![];
            if gc > 0 {
                fields.push(gc_header(p, "Since 3.10, arrays"));
            }
            fields.extend([
                rc,
                ty,
                field("ob_size", p.ptr(), "The number of items in use: len(x)."),
                field("ob_item", p.ptr(), "A pointer to the separately allocated buffer of raw values."),
                field("allocated", p.ptr(), "How many items the buffer has room for."),
                field("ob_descr", p.ptr(), format!("A pointer to the typecode's descriptor ('{}', {} bytes per item).", tc.0, itemsize)),
                field("weakreflist", p.ptr(), "The head of the list of weak references to this array."),
                field("ob_exports", p.ptr(), "How many buffer views (memoryview, NumPy) are exported; padded to a full word."),
            ]);
            let object = object_node(
                format!("array.array('{}') object", tc.0),
                obj_block,
                "The array object: a header pointing at one buffer of raw C values, no per-item objects.",
                fields,
            );
            let mut out = vec![object];
            if let Some(block) = buf.block {
                out.push(Node::parent(
                    "data buffer (ob_item)",
                    Kind::Buffer,
                    1,
                    format!(
                        "The values themselves, packed: {itemsize} bytes each. array.array(typecode, iterable) appends \
                         item by item, so the buffer grew by about 1/16 at a time ({} reallocs).",
                        buf.reallocs
                    ),
                    vec![
                        Node::leaf(
                            "values",
                            Kind::Payload,
                            n,
                            Bytes::same(n * itemsize),
                            format!(
                                "{} of {itemsize} bytes, stored directly: no pointer, no object header.",
                                counted(n, "value")
                            ),
                        ),
                        Node::leaf(
                            "over-allocation",
                            Kind::Slack,
                            buf.capacity - n,
                            Bytes::same((buf.capacity - n) * itemsize),
                            "Room for more items: array_resize over-allocates by about 1/16 (less than a list's 1/8, \
                             because arrays are meant to be memory-lean).",
                        ),
                        rounding(block, 1, PYMALLOC_NOTE),
                    ],
                ));
            }
            (out, buf.capacity)
        }
        Container::Ndarray(dt) => {
            let nbytes = n * dt.itemsize();
            let obj_block = alloc.malloc(Domain::Object, p.ndarray_basic(s.numpy));
            let data_block = data.malloc(Domain::Raw, nbytes.max(1));
            // NumPy 1.21 and older reuse freed data buffers under 1024 bytes from their own
            // cache (npy_alloc_cache in numpy/core/src/multiarray/alloc.c, NBUCKETS = 1024),
            // and a reused one is never reported to tracemalloc. NumPy 1.22 (NEP 49) reports
            // every buffer, cached or not.
            let cached = s.numpy == Numpy::V121 && nbytes < NUMPY_121_CACHE_BYTES;
            let w = p.ptr();
            let object = object_node(
                format!("ndarray object ({})", dt.name()),
                obj_block,
                "The ndarray object: a fixed header describing one block of raw values, however many there are.",
                ndarray_fields(
                    p,
                    s.numpy,
                    NdarrayExplain {
                        ty: "A pointer to the type object (numpy.ndarray), which tells CPython what the rest of the bytes mean.",
                        data: "A pointer to the data buffer.",
                        nd: "The number of dimensions (1 here).",
                        base: "The array this one is a view of, if any (None here: it owns its data).",
                        descr: format!("A pointer to the dtype ({}, {} bytes per item).", dt.name(), dt.itemsize()).into(),
                        flags: "Owns-data, contiguity and writeability flags.",
                        mem_handler: "The memory handler that allocated the data (NumPy >= 1.22).",
                    },
                ),
            );
            let meta = Node::leaf(
                "shape + strides",
                Kind::Metadata,
                2,
                Bytes { getsizeof: 2 * w, requested: 0, allocated: 0 },
                "One word of shape and one of strides, counted by sys.getsizeof; NumPy takes them from its \
                 cache of small dimension blocks, so no new allocation shows up in tracemalloc.",
            );
            let from_cache = |b: Bytes| {
                if cached {
                    Bytes {
                        getsizeof: b.getsizeof,
                        requested: 0,
                        allocated: 0,
                    }
                } else {
                    b
                }
            };
            let mut data = vec![Node::leaf(
                "values",
                Kind::Payload,
                n,
                from_cache(Bytes::same(nbytes)),
                format!(
                    "{} of {} bytes, stored directly: no pointer, no object header. This is all \
                     NumPy needs per element.",
                    counted(n, "value"),
                    dt.itemsize()
                ),
            )];
            if nbytes == 0 {
                data.push(Node::leaf(
                    "placeholder byte",
                    Kind::Padding,
                    1,
                    from_cache(Bytes {
                        getsizeof: 0,
                        requested: 1,
                        allocated: 1,
                    }),
                    "An empty array still allocates 1 byte, so its data pointer is never NULL.",
                ));
            }
            if !cached {
                data.push(rounding(data_block, 1, PYMALLOC_NOTE));
            }
            let buffer = Node::parent(
                "data buffer",
                Kind::Buffer,
                1,
                if cached {
                    "NumPy 1.21 and older keep freed data buffers under 1024 bytes in a cache of their \
                     own and hand one back for the next array of the same byte size, without telling \
                     tracemalloc: this buffer counts as reused (as it is once any array of that size has \
                     been freed), so neither tracemalloc nor the allocator sees new bytes for it."
                } else {
                    "NumPy allocates the data with the C library's malloc (not pymalloc), exactly n * itemsize \
                     bytes: an ndarray never over-allocates."
                },
                data,
            );
            match (s.form.shape, s.form.view_step) {
                (None, None) => (vec![object, meta, buffer], n),
                (shape, step) => ndarray_view(s, alloc, vec![object, meta, buffer], shape, step),
            }
        }
    }
}

/// What an ndarray's header fields say, where an array that owns its data and a view differ.
struct NdarrayExplain {
    ty: &'static str,
    data: &'static str,
    nd: &'static str,
    base: &'static str,
    descr: Text,
    flags: &'static str,
    mem_handler: &'static str,
}

/// PyArrayObject_fields (numpy/core/include/numpy/ndarraytypes.h), one node per field, with
/// `mem_handler` from NumPy 1.22; `nd` and `flags` are ints padded to a word on 64-bit.
fn ndarray_fields(p: Profile, numpy: Numpy, e: NdarrayExplain) -> Vec<Node> {
    let w = p.ptr();
    let int_field = |name: &'static str, padded: &'static str, explain: &'static str| {
        field(if w == 8 { padded } else { name }, w, explain)
    };
    let [rc, ty] = refcnt_type(p, e.ty);
    [
        rc,
        ty,
        field("data", w, e.data),
        int_field("nd", "nd (+4 padding)", e.nd),
        field("dimensions", w, "A pointer to the shape."),
        field(
            "strides",
            w,
            "A pointer to the strides: bytes to step per dimension.",
        ),
        field("base", w, e.base),
        field("descr", w, e.descr),
        int_field("flags", "flags (+4 padding)", e.flags),
        field("weakreflist", w, "The head of the list of weak references."),
        field(
            "_buffer_info",
            w,
            "Cached buffer-protocol format information.",
        ),
    ]
    .into_iter()
    .chain((numpy == Numpy::V2).then(|| field("mem_handler", w, e.mem_handler)))
    .collect()
}

/// sys.getsizeof(x) does not count what x.base holds: the same nodes with no getsizeof bytes.
fn not_in_getsizeof(mut node: Node) -> Node {
    node.bytes.getsizeof = 0;
    node.children = node.children.into_iter().map(not_in_getsizeof).collect();
    node
}

/// An ndarray that is a view: `np.arange(…).reshape(shape)` (the arange array is x.base, made
/// with x and counted by tracemalloc) or `base[::step]` (the base existed before: not counted).
/// The view is one more PyArrayObject with its own shape and strides (from NumPy's dimension
/// cache) and no data of its own (numpy/core/src/multiarray/methods.c array_sizeof counts
/// the data only when the array owns it).
fn ndarray_view(
    s: &Scenario,
    alloc: Allocator,
    base: Vec<Node>,
    shape: Option<Dims>,
    step: Option<i64>,
) -> (Vec<Node>, u64) {
    let p = s.profile;
    let w = p.ptr();
    let nd = shape.map_or(1, |d| d.nd as u64);
    let len = s.length();
    let block = alloc.malloc(Domain::Object, p.ndarray_basic(s.numpy));
    let what = match (shape, step) {
        (Some(d), _) => {
            let dims: Vec<String> = d.as_slice().iter().map(|x| x.to_string()).collect();
            format!("reshape(({}))", dims.join(", "))
        }
        (None, Some(k)) => format!("base[::{k}]"),
        (None, None) => String::new(),
    };
    let object = object_node(
        match step {
            Some(_) => format!("ndarray object (a view: {what}; the data is the base's)"),
            None => format!("ndarray object (a view: {what})"),
        },
        block,
        match step {
            Some(_) => "The view: a header of its own, with its own shape and strides, over the \
                 data of the base, which existed before x and owns the values: x = base[::k] copies \
                 nothing, so this header is all x costs.",
            None => "The view: a header of its own over the base's data buffer, with its own shape \
                 and strides.",
        },
        ndarray_fields(
            p,
            s.numpy,
            NdarrayExplain {
                ty: "A pointer to the type object (numpy.ndarray).",
                data: "A pointer into the base's data buffer.",
                nd: "The number of dimensions.",
                base: "A reference to the array that owns the data, which the view keeps alive.",
                descr: "A pointer to the dtype.".into(),
                flags: "OWNDATA is off: the data belongs to the base.",
                mem_handler: "The memory handler (NumPy >= 1.22).",
            },
        ),
    );
    let meta = Node::leaf(
        "shape + strides",
        Kind::Metadata,
        2 * nd,
        Bytes {
            getsizeof: 2 * nd * w,
            requested: 0,
            allocated: 0,
        },
        format!(
            "{} of shape and {} of strides, counted by sys.getsizeof; NumPy takes them from its \
             cache of small dimension blocks, so no new allocation shows up in tracemalloc.",
            counted(nd, "word"),
            counted(nd, "word")
        ),
    );
    let base = match step {
        // base = …; x = base[::k]: the base and its n values were there before x (and a node
        // with no bytes would not show: the view's own node says it).
        Some(_) => None,
        // np.arange(…).reshape(shape): the arange array is made with x and kept as x.base.
        None => Some(Node::parent(
            "x.base: the arange array (made with x, owns the data)",
            Kind::Object,
            1,
            "reshape returns a view: the array np.arange made stays alive as x.base and keeps the \
             data; tracemalloc counts it with x, sys.getsizeof(x) does not.",
            base.into_iter().map(not_in_getsizeof).collect(),
        )),
    };
    (base.into_iter().chain([object, meta]).collect(), len)
}

fn pointer_array(p: Profile, how: ListBuild, buf: &Buffer, n: u64) -> Option<Node> {
    let block = buf.block?;
    let ptr = p.ptr();
    let slack_explain: Text = match how {
        ListBuild::Append => Text::Owned(format!(
            "Room for future appends: list_resize over-allocates by about 1/8 so that append stays \
             amortised O(1). This list was reallocated {} on the way to {}.",
            counted(buf.reallocs as u64, "time"),
            counted(n, "item")
        )),
        ListBuild::FromIter(Source::Unsized) if p.list_extend_cuts_back() => Text::Owned(format!(
            "list() of an iterator without a length starts from a guess of 8 slots, then grows like \
             append ({} reallocs); it trims only if more than half is unused.",
            buf.reallocs
        )),
        ListBuild::FromIter(Source::Unsized) => Text::Owned(format!(
            "list() of an iterator without a length starts from a guess of 8 slots, then grows like \
             append ({} reallocs). This CPython no longer trims the guess afterwards, so even a short \
             list keeps all 8 slots.",
            buf.reallocs
        )),
        ListBuild::FromIter(_) if p.minor() >= 10 => "list() was told the length, so it allocated \
             exactly n slots, rounded up to an even number (list_preallocate_exact, 3.10+)."
            .into(),
        ListBuild::FromIter(Source::Sized) => "list(range(...)) knows the length, so it \
             allocates exactly n slots (list_preallocate_exact)."
            .into(),
        ListBuild::FromIter(Source::Hinted) => "Before 3.10, list() grows an empty list to the \
             length hint through list_resize, which over-allocates like append."
            .into(),
        ListBuild::Repeat => "[v] * n allocates exactly n slots.".into(),
        ListBuild::BuildList => "The display's items go on the stack first, then BUILD_LIST n \
             makes a list of exactly n slots."
            .into(),
        ListBuild::ExtendConst if p.minor() <= 9 => "CPython 3.9 folds a display of constants into \
             one tuple constant and extends an empty list with it (BUILD_LIST 0, LIST_EXTEND): \
             list_resize rounds the slots up to a multiple of 4."
            .into(),
        ListBuild::ExtendConst => "CPython folds a display of constants into one tuple constant \
             and extends an empty list with it (BUILD_LIST 0, LIST_EXTEND): list_extend allocates \
             n slots, rounded up to an even number."
            .into(),
        ListBuild::DisplayAppend => Text::Owned(format!(
            "A display of more than 30 items is built as BUILD_LIST 0 and one LIST_APPEND per item \
             (STACK_USE_GUIDELINE), so it grows as append does: {} on the way to {}.",
            counted(buf.reallocs as u64, "realloc"),
            counted(n, "item")
        )),
    };
    Some(Node::parent(
        "pointer array (ob_item)",
        Kind::Buffer,
        1,
        format!(
            "One {ptr}-byte pointer per item: the list holds references, and each element lives \
             elsewhere as its own object."
        ),
        vec![
            Node::leaf(
                "used slots",
                Kind::Slots,
                n,
                Bytes::same(n * ptr),
                format!("{} of {ptr} bytes, one per item.", counted(n, "pointer")),
            ),
            Node::leaf(
                "over-allocated slots",
                Kind::Slack,
                buf.capacity - n,
                Bytes::same((buf.capacity - n) * ptr),
                slack_explain,
            ),
            rounding(block, 1, PYMALLOC_NOTE),
        ],
    ))
}

fn element_nodes(p: Profile, e: &Elements) -> Vec<Node> {
    let mut groups = e.groups.clone();
    groups.sort_unstable_by_key(|g| (g.shape, g.requested));
    let mut out: Vec<Node> = groups.iter().map(|g| group_node(p, g)).collect();
    out.extend(e.shared.iter().map(|s| shared_node(p, s)));
    out
}

fn group_node(p: Profile, g: &Group) -> Node {
    let c = g.count;
    let block = p.allocator().malloc(Domain::Object, g.requested);
    let note = PYMALLOC_NOTE;
    match g.shape {
        Shape::Float => {
            let [rc, ty] = refcnt_type(p, "A pointer to the type object (float), which tells CPython what the rest of the bytes mean.");
            Node::parent(
                "float objects",
                Kind::Objects,
                c,
                format!(
                    "Each float is its own {}-byte heap object: a header and the 8-byte C double.",
                    g.requested
                ),
                vec![
                    times(rc, c),
                    times(ty, c),
                    Node::leaf(
                        "ob_fval (the double)",
                        Kind::Payload,
                        c,
                        Bytes::same(8 * c),
                        "The value: an 8-byte IEEE 754 double.",
                    ),
                    rounding(block, c, note),
                ],
            )
        }
        Shape::Int {
            digits,
            alloc_digits,
        } => {
            let [rc, ty] = refcnt_type(p, "A pointer to the type object (int), which tells CPython what the rest of the bytes mean.");
            let size_field = if p.minor() >= 12 {
                field(
                    "lv_tag",
                    p.ptr(),
                    "The digit count and the sign, packed into one word (3.12+).",
                )
            } else {
                field(
                    "ob_size",
                    p.ptr(),
                    "The number of digits, negative for negative ints.",
                )
            };
            let used = p.var_head() + 4 * digits;
            let padding = g.requested - used;
            let (pad_label, pad_explain) = if alloc_digits > digits {
                (
                    "unused digit",
                    "range() past C long adds 1 with x_add, which allocates one digit more than its \
                     larger operand; the result is normalised but never shrunk. sys.getsizeof does not \
                     count it, tracemalloc does.",
                )
            } else {
                (
                    "struct padding",
                    "Since 3.11 a one-digit int is allocated as a whole sizeof(PyLongObject), padded to \
                     a multiple of 8: sys.getsizeof says 28, tracemalloc sees 32.",
                )
            };
            let s = if digits == 1 { "" } else { "s" };
            let (label, digit_label): (Text, Text) = match digits {
                1 => (
                    "int objects, 1 digit".into(),
                    "ob_digit (1 x 4 bytes)".into(),
                ),
                2 => (
                    "int objects, 2 digits".into(),
                    "ob_digit (2 x 4 bytes)".into(),
                ),
                3 => (
                    "int objects, 3 digits".into(),
                    "ob_digit (3 x 4 bytes)".into(),
                ),
                d => (
                    format!("int objects, {d} digits").into(),
                    format!("ob_digit ({d} x 4 bytes)").into(),
                ),
            };
            Node::parent(
                label,
                Kind::Objects,
                c,
                format!(
                    "Each int outside the small-int cache is its own heap object: a {}-byte header and \
                     {digits} 30-bit digit{s}, {} bytes requested.",
                    p.var_head(),
                    g.requested
                ),
                vec![
                    times(rc, c),
                    times(ty, c),
                    times(size_field, c),
                    Node::leaf(
                        digit_label,
                        Kind::Payload,
                        c,
                        Bytes::same(4 * digits * c),
                        "The value itself, in base 2**30: each 4-byte digit holds 30 bits.",
                    ),
                    Node::leaf(
                        pad_label,
                        Kind::Padding,
                        c,
                        Bytes { getsizeof: 0, requested: padding * c, allocated: padding * c },
                        pad_explain,
                    ),
                    rounding(block, c, note),
                ],
            )
        }
    }
}

/// A per-object field repeated over `count` objects.
fn times(mut n: Node, count: u64) -> Node {
    n.count = count;
    n.bytes = n.bytes.times(count);
    n
}

fn shared_node(p: Profile, s: &Shared) -> Node {
    let (label, explain): (Text, Text) = match s.kind {
        // 256 until 3.14, 1024 from 3.15 (Profile::small_int_max).
        SharedKind::SmallInts if p.small_int_max() == 256 => (
            "small ints -5..256 (shared)".into(),
            "CPython creates the ints -5 to 256 once at start-up and reuses them: these slots point at \
             objects that already existed, so they cost nothing new."
                .into(),
        ),
        SharedKind::SmallInts => (
            format!("small ints -5..{} (shared)", p.small_int_max()).into(),
            format!(
                "CPython creates the ints -5 to {} once at start-up and reuses them: these slots point \
                 at objects that already existed, so they cost nothing new.",
                p.small_int_max()
            )
            .into(),
        ),
        SharedKind::Constant(c) => (
            format!("the constant {} (shared)", const_text(c)).into(),
            "Every slot points at the same object, a constant of the code that already existed: one \
             object, n references."
                .into(),
        ),
        SharedKind::Literal => (
            "the literal's constants (shared)".into(),
            "The display's values are constants of the code, made when it was compiled (equal ones \
             merged into one object): x's slots point at them, so they cost nothing new."
                .into(),
        ),
        SharedKind::FromList => (
            "src's objects (shared)".into(),
            "The list src that x was built from already held these objects: x copies src's \
             pointers (and takes a reference to each), so the objects cost nothing new."
                .into(),
        ),
        SharedKind::RangeStart(v) => (
            format!("range start {} (shared)", v).into(),
            "A range past C long hands out its own start object first; it existed before x was built."
                .into(),
        ),
    };
    Node::leaf(
        label,
        Kind::Shared,
        s.distinct,
        Bytes {
            getsizeof: s.getsizeof,
            requested: 0,
            allocated: 0,
        },
        explain,
    )
}

pub fn const_text(c: Const) -> String {
    match c {
        Const::Int(v) => v.to_string(),
        Const::Float(f) => super::code::py_float(f),
    }
}

fn root_label(s: &Scenario) -> String {
    // A packed container holds its own items (a float32 array of range() holds floats), not
    // the Python objects the values came from.
    // "1 int", "0 ints": English counts one in the singular.
    let what = match s.values {
        _ if !s.container.is_boxed() => "item",
        Values::FloatRange { .. } | Values::Constant(Const::Float(_)) => "float",
        _ => "int",
    };

    let container: Text = match s.container {
        Container::ListAppend => "list (append loop)".into(),
        Container::ListRange => "list(...)".into(),
        Container::ListComprehension => "list comprehension".into(),
        Container::ListRepeat => "[v] * n".into(),
        Container::ListLiteral => "list literal [v0, v1, …]".into(),
        Container::Tuple => "tuple".into(),
        Container::Array(tc) => format!("array.array('{}')", tc.0).into(),
        Container::Ndarray(dt) => match s.form.view_step {
            Some(k) => format!("ndarray {} view [::{k}]", dt.name()).into(),
            None => format!("ndarray {}", dt.name()).into(),
        },
    };
    // (a view holds fewer items than its base's n)
    format!("x: {container} of {}", counted(s.length(), what))
}

fn root_explain(s: &Scenario) -> String {
    if s.container.is_boxed() {
        format!(
            "Everything building x allocated on {}: the container and the element objects it points to.",
            s.profile.describe()
        )
    } else if matches!(s.container, Container::Ndarray(_)) {
        format!(
            "Everything building x allocated on {} with {}: one header and one packed buffer of \
             values.",
            s.profile.describe(),
            s.numpy.versions()
        )
    } else {
        format!(
            "Everything building x allocated on {}: one header and one packed buffer of values.",
            s.profile.describe()
        )
    }
}

/// 1000000 → "1,000,000".
/// `n` things in English, digits grouped: "1 int", "0 ints", "1,000 ints".
pub fn counted(n: u64, thing: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {thing}{plural}", group_digits(n))
}

pub fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::{Dtype, Typecode};

    #[test]
    fn one_is_counted_in_the_singular() {
        let at = |container, values, n| {
            layout(&Scenario {
                container,
                values,
                n,
                profile: Profile::ALL[0],
                numpy: Default::default(),
                form: Default::default(),
            })
        };
        let one = at(Container::Tuple, Values::Constant(Const::Float(0.5)), 1);
        assert_eq!(one.tree.label, "x: tuple of 1 float");
        let texts = |l: &Layout| {
            let mut all = Vec::new();
            l.tree
                .walk(&mut |node, _| all.push(format!("{} {}", node.label, node.explain)));
            all.join(" | ")
        };
        let one = at(Container::ListAppend, Values::IntRange { start: 1000 }, 1);
        assert_eq!(one.tree.label, "x: list (append loop) of 1 int");
        assert!(
            texts(&one).contains("1 pointer of 8 bytes"),
            "{}",
            texts(&one)
        );
        assert!(!texts(&one).contains(" 1 items"), "{}", texts(&one));
        let one = at(
            Container::Ndarray(Dtype::Float16),
            Values::IntRange { start: 0 },
            1,
        );
        assert!(
            texts(&one).contains("1 value of 2 bytes"),
            "{}",
            texts(&one)
        );
        let none = at(
            Container::Array(Typecode('d')),
            Values::IntRange { start: 0 },
            0,
        );
        assert_eq!(none.tree.label, "x: array.array('d') of 0 items");
    }

    #[test]
    fn the_small_int_label_follows_the_cache() {
        for (name, label) in [
            ("cpython-3.14", "small ints -5..256 (shared)"),
            ("cpython-3.15", "small ints -5..1024 (shared)"),
        ] {
            let l = layout(&Scenario {
                container: Container::ListRange,
                values: Values::IntMod { k: 1000 },
                n: 2000,
                profile: Profile::parse(name).unwrap(),
                numpy: Default::default(),
                form: Default::default(),
            });
            let shared = l
                .tree
                .children
                .iter()
                .find(|c| c.kind == Kind::Shared)
                .unwrap();
            assert_eq!(shared.label, label);
            assert_eq!(shared.count, if name.ends_with("15") { 1000 } else { 257 });
        }
    }

    #[test]
    fn node_bytes_sum_to_parents() {
        let containers = [
            Container::ListAppend,
            Container::ListRange,
            Container::ListRepeat,
            Container::Tuple,
            Container::Array(Typecode('d')),
            Container::Ndarray(Dtype::Float16),
        ];
        for p in Profile::ALL {
            for c in containers {
                for v in [
                    Values::Constant(Const::Float(0.5)),
                    Values::Constant(Const::Int(-3)),
                ] {
                    for n in [0, 1, 9, 100_000] {
                        let l = layout(&Scenario {
                            container: c,
                            values: v,
                            n,
                            profile: p,
                            numpy: Default::default(),
                            form: Default::default(),
                        });
                        l.tree.walk(&mut |node, _| {
                            if !node.children.is_empty() {
                                let sum: Bytes = node.children.iter().map(|c| c.bytes).sum();
                                assert_eq!(sum, node.bytes, "{}", node.label);
                            }
                        });
                    }
                }
            }
        }
    }
}
