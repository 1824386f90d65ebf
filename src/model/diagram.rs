//! The object diagram for small n: every block the scenario allocates (and every shared object it
//! points at) as a box of fields, each field with its bytes, its offset in the block and the
//! CPython or NumPy struct member it is. Built from `layout()`'s own tree and element rules, so
//! its numbers are the model's: the container's boxes sum to `layout.container`, the element
//! boxes to `layout.elements`, and there are `layout.elements.distinct` of them.

use super::alloc::{BlockKind, Domain};
use super::layout::{layout, Layout};
use super::objects::{int_getsizeof, ElementSource, Make, Shape, Value};
use super::profile::Profile;
use super::rules::digits;
use super::scenario::{Container, Dtype, Numpy, Scenario, Values};
use super::tree::{Bytes, Kind, Node, Text};

/// The diagram draws at most this many elements; past it, only the container's header.
pub const DIAGRAM_MAX_N: u64 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The container object (list, tuple, array.array, ndarray).
    Container,
    /// A block the container points at: a list's pointer array, an array's or ndarray's data.
    Buffer,
    /// Bookkeeping counted by sys.getsizeof but not allocated here (ndarray shape and strides).
    Meta,
    /// An element object made while building x.
    Element,
    /// An object that existed before x (small ints, a constant, the empty tuple): costs nothing new.
    Shared,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Container => "container",
            Role::Buffer => "buffer",
            Role::Meta => "meta",
            Role::Element => "element",
            Role::Shared => "shared",
        }
    }
}

/// One field of a box: `size` bytes at `offset` from the start of its block.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Text,
    /// The C struct member ("PyListObject.ob_item"), or what else the bytes are.
    pub member: Text,
    /// Where it is declared ("Include/cpython/listobject.h").
    pub source: &'static str,
    pub offset: u64,
    pub size: u64,
    pub kind: Kind,
    /// For a pointer slot: the index of the box it points at.
    pub target: Option<usize>,
    /// For a packed value: the value, as Python prints it.
    pub value: Option<String>,
}

/// One box: an allocated block or a shared object.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    pub role: Role,
    pub label: Text,
    pub note: Text,
    /// This box's own bytes under the three accountings (0 allocated for shared objects).
    pub bytes: Bytes,
    pub fields: Vec<Field>,
    /// How many pointers of the diagram point at it.
    pub refs: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    pub n: u64,
    /// Whether every element is drawn (n <= DIAGRAM_MAX_N); if not, only the container's header.
    pub complete: bool,
    pub pointer_bytes: u64,
    pub objects: Vec<Object>,
}

/// Where each struct is declared, for the profile's CPython (files moved in 3.9 and 3.11).
struct Src {
    object: &'static str,
    gc: &'static str,
    list: &'static str,
    tuple: &'static str,
    long: &'static str,
    float: &'static str,
    array: &'static str,
    ndarray: &'static str,
}

fn sources(p: Profile, numpy: Numpy) -> Src {
    let m = p.minor();
    Src {
        object: "Include/object.h",
        gc: if m >= 9 {
            "Include/internal/pycore_gc.h"
        } else {
            "Include/cpython/objimpl.h"
        },
        list: if m >= 9 {
            "Include/cpython/listobject.h"
        } else {
            "Include/listobject.h"
        },
        tuple: "Include/cpython/tupleobject.h",
        long: if m >= 11 {
            "Include/cpython/longintrepr.h"
        } else {
            "Include/longintrepr.h"
        },
        float: if m >= 11 {
            "Include/cpython/floatobject.h"
        } else {
            "Include/floatobject.h"
        },
        array: "Modules/arraymodule.c",
        ndarray: match numpy {
            Numpy::V2 => "numpy/_core/include/numpy/ndarraytypes.h",
            Numpy::V121 => "numpy/core/include/numpy/ndarraytypes.h",
        },
    }
}

/// The struct member a tree field of the container stands for: the object head's fields are
/// PyObject's and PyVarObject's, the items the container's array, the rest the container struct's
/// own members, named as the tree names them ("nd (+4 padding)" is `nd`).
fn member(leaf: &Node, owner: Container, s: &Src) -> (Text, &'static str) {
    let (name, src) = match owner {
        Container::Tuple => ("PyTupleObject", s.tuple),
        Container::Array(_) => ("arrayobject", s.array),
        Container::Ndarray(_) => ("PyArrayObject_fields", s.ndarray),
        _ => ("PyListObject", s.list),
    };
    let items = if src == s.ndarray { "data" } else { "ob_item" };
    let label: &str = &leaf.label;
    match (leaf.kind, label) {
        (Kind::Gc, _) => ("PyGC_Head".into(), s.gc),
        (_, "ob_refcnt" | "ob_type") => (format!("PyObject.{label}").into(), s.object),
        (_, "ob_size") => ("PyVarObject.ob_size".into(), s.object),
        (Kind::Metadata, _) => ("npy_intp shape[1], strides[1]".into(), s.ndarray),
        (Kind::Slots | Kind::Slack | Kind::Payload | Kind::Padding, _) => {
            (format!("{name}.{items}[]").into(), src)
        }
        _ => {
            let field = label.split(' ').next().unwrap_or(label);
            (format!("{name}.{field}").into(), src)
        }
    }
}

/// What an allocator's rounding is, and where its rule is written.
fn rounding_member(p: Profile, kind: BlockKind) -> (&'static str, &'static str) {
    match kind {
        _ if p.is_wasm32() => (
            "dlmalloc chunk header + alignment",
            "emscripten system/lib/dlmalloc.c",
        ),
        BlockKind::Small => ("pymalloc size class (16-byte steps)", "Objects/obmalloc.c"),
        BlockKind::Chunk => (
            "glibc malloc chunk header + alignment",
            "glibc malloc/malloc.c",
        ),
        BlockKind::Mapped => ("glibc mmap'd pages + chunk header", "glibc malloc/malloc.c"),
    }
}

/// Adds fields one after another, keeping the offset.
struct Fields {
    out: Vec<Field>,
    at: u64,
}

impl Fields {
    fn new() -> Fields {
        Fields {
            out: Vec::new(),
            at: 0,
        }
    }

    fn push(
        &mut self,
        name: impl Into<Text>,
        m: (impl Into<Text>, &'static str),
        size: u64,
        kind: Kind,
    ) -> &mut Field {
        self.out.push(Field {
            name: name.into(),
            member: m.0.into(),
            source: m.1,
            offset: self.at,
            size,
            kind,
            target: None,
            value: None,
        });
        self.at += size;
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// The biggest of a node's three figures: the bytes its field takes in the block (a shared or
/// cached block's fields count for sys.getsizeof only).
fn size_of(n: &Node) -> u64 {
    n.bytes
        .getsizeof
        .max(n.bytes.requested)
        .max(n.bytes.allocated)
}

/// Each element's box: `(box index)` per element, filled in by `elements`.
struct Elements {
    of: Vec<usize>,
}

pub fn diagram(s: &Scenario) -> Diagram {
    let l = layout(s);
    let p = s.profile;
    let src = sources(p, s.numpy);
    let complete = s.n <= DIAGRAM_MAX_N;
    let mut objects = Vec::new();
    let mut elements = Elements { of: Vec::new() };
    if complete && s.container.is_boxed() {
        // Container boxes come first in the tree; element boxes go after them, so their
        // indices are known once the container's are counted.
        let first = container_count(&l);
        element_objects(s, &src, first, &mut objects, &mut elements);
    }
    let mut boxes = container_objects(s, &l, &src, complete, &elements);
    boxes.append(&mut objects);
    Diagram {
        n: s.n,
        complete,
        pointer_bytes: p.ptr(),
        objects: boxes,
    }
}

/// The box a root child of the tree makes for the container, if it is the container's.
fn container_role(node: &Node) -> Option<Role> {
    match node.kind {
        Kind::Object => Some(Role::Container),
        Kind::Buffer => Some(Role::Buffer),
        Kind::Metadata => Some(Role::Meta),
        // the shared empty tuple (the element groups and shared elements are not the container's)
        Kind::Shared if node.label.starts_with("the empty tuple") => Some(Role::Shared),
        _ => None,
    }
}

/// The tree's root children with a reshape's base array opened up: its object, shape and
/// data are boxes of their own, next to the view's.
fn root_nodes(l: &Layout) -> Vec<&Node> {
    let mut out = Vec::with_capacity(l.tree.children.len() + 3);
    for node in &l.tree.children {
        if node.kind == Kind::Object && node.label.starts_with("x.base") {
            out.extend(node.children.iter());
        } else {
            out.push(node);
        }
    }
    out
}

/// How many boxes the container's own nodes make.
fn container_count(l: &Layout) -> usize {
    root_nodes(l)
        .into_iter()
        .filter(|c| container_role(c).is_some())
        .count()
}

fn container_objects(
    s: &Scenario,
    l: &Layout,
    src: &Src,
    complete: bool,
    el: &Elements,
) -> Vec<Object> {
    let p = s.profile;
    let mut out = Vec::new();
    for node in root_nodes(l) {
        let Some(role) = container_role(node) else {
            continue;
        };
        // Past the limit, only the container object's own header is drawn.
        if !complete && role != Role::Container {
            continue;
        }
        if role == Role::Shared {
            out.push(empty_tuple(p, src, node));
            continue;
        }
        let leaves: Vec<&Node> = if node.children.is_empty() {
            vec![node]
        } else {
            node.children.iter().collect()
        };
        let mut f = Fields::new();
        let mut slot = 0u64;
        for leaf in leaves {
            let m = if leaf.kind == Kind::Rounding {
                let kind = if leaf.label.starts_with("pymalloc") {
                    BlockKind::Small
                } else if leaf.label.starts_with("mmap") {
                    BlockKind::Mapped
                } else {
                    BlockKind::Chunk
                };
                let (m, src) = rounding_member(p, kind);
                (Text::Borrowed(m), src)
            } else {
                member(leaf, s.container, src)
            };
            let size = size_of(leaf);
            let per_item = match leaf.kind {
                Kind::Slots | Kind::Slack => Some(leaf.count),
                Kind::Payload if role == Role::Buffer && leaf.label == "values" => Some(leaf.count),
                _ => None,
            };
            match per_item {
                // A pointer array or a packed buffer: one field per slot, drawn only when small.
                Some(count) if complete && count > 0 => {
                    let each = size / count;
                    for _ in 0..count {
                        let spare = leaf.kind == Kind::Slack;
                        let name = if spare {
                            format!("[{slot}] spare")
                        } else {
                            format!("[{slot}]")
                        };
                        let field = f.push(name, m.clone(), each, leaf.kind);
                        if !spare {
                            if s.container.is_boxed() {
                                field.target = el.of.get(slot as usize).copied();
                            } else {
                                field.value = Some(packed_value(s, slot));
                            }
                        }
                        slot += 1;
                    }
                }
                _ => {
                    f.push(leaf.label.clone(), m, size, leaf.kind);
                }
            }
        }
        out.push(Object {
            role,
            label: node.label.clone(),
            note: node.explain.clone(),
            bytes: node.bytes,
            fields: f.out,
            refs: 0,
        });
    }
    // An arrow from the container's pointer field to its separate buffer.
    if let Some(at) = out.iter().position(|o| o.role == Role::Buffer) {
        out[at].refs = 1;
        if let Some(f) = out[0]
            .fields
            .iter_mut()
            .find(|f| f.name == "ob_item" || f.name == "data")
        {
            f.target = Some(at);
        }
    }
    // A reshape's view: its data points into the base's buffer, its base at the base array.
    let views: Vec<usize> = (1..out.len())
        .filter(|&i| out[i].role == Role::Container && out[i].label.contains("a view"))
        .collect();
    let buffer = out.iter().position(|o| o.role == Role::Buffer);
    for v in views {
        for f in out[v].fields.iter_mut() {
            if f.name == "data" && buffer.is_some() {
                f.target = buffer;
            } else if f.name == "base" {
                f.target = Some(0);
            }
        }
        out[0].refs += 1;
    }
    out
}

/// `tuple()` of nothing: the interpreter's one empty tuple, drawn with its fields.
fn empty_tuple(p: Profile, src: &Src, node: &Node) -> Object {
    let mut f = Fields::new();
    f.push(
        "GC header",
        ("PyGC_Head (_gc_next, _gc_prev)", src.gc),
        p.gc_head(),
        Kind::Gc,
    );
    head(&mut f, p, src);
    f.push(
        "ob_size",
        ("PyVarObject.ob_size", src.object),
        p.ptr(),
        Kind::Header,
    );
    if p.tuple_basic() > p.var_head() {
        f.push(
            "ob_hash",
            ("PyTupleObject.ob_hash", src.tuple),
            p.ptr(),
            Kind::Header,
        );
    }
    Object {
        role: Role::Shared,
        label: node.label.clone(),
        note: node.explain.clone(),
        bytes: node.bytes,
        fields: f.out,
        refs: 0,
    }
}

/// An element of a packed container, as the buffer stores it.
fn packed_value(s: &Scenario, i: u64) -> String {
    let float = match s.container {
        Container::Array(tc) => tc.is_float(),
        Container::Ndarray(dt) => dt.is_float(),
        _ => false,
    };
    let bool_dt = s.container == Container::Ndarray(Dtype::Bool);
    match ElementSource::new(s).value(i) {
        Value::Int(v) if bool_dt => (if v != 0 { "True" } else { "False" }).into(),
        Value::Int(v) if float => super::num::py_float(v as f64),
        Value::Int(v) => v.to_string(),
        Value::Float(x) => super::num::py_float(x),
    }
}

/// The element objects of a boxed scenario, one box per distinct object, and which box each
/// element points at.
fn element_objects(
    s: &Scenario,
    src: &Src,
    first: usize,
    out: &mut Vec<Object>,
    el: &mut Elements,
) {
    let p = s.profile;
    let source = ElementSource::new(s);
    let runs = source.runs();
    let mut shared: Vec<(Value, usize)> = Vec::new();
    for i in 0..s.n {
        let value = source.value(i);
        let make = runs
            .iter()
            .find(|r| r.from <= i && i < r.to)
            .map_or(Make::Shared, |r| r.make);
        let index = match make {
            Make::Shared => match shared.iter().find(|(v, _)| *v == value) {
                Some(&(_, at)) => at,
                None => {
                    let at = first + out.len();
                    out.push(shared_object(s, src, value));
                    shared.push((value, at));
                    at
                }
            },
            Make::Fresh { shape, requested } => {
                let at = first + out.len();
                out.push(fresh_object(p, src, value, shape, requested));
                at
            }
            // `[b + 5] * n`: element 0's object again.
            Make::Repeat => el.of[0],
        };
        out[index - first].refs += 1;
        el.of.push(index);
    }
}

fn head(f: &mut Fields, p: Profile, src: &Src) {
    f.push(
        "ob_refcnt",
        ("PyObject.ob_refcnt", src.object),
        p.ptr(),
        Kind::Header,
    );
    f.push(
        "ob_type",
        ("PyObject.ob_type", src.object),
        p.ptr(),
        Kind::Header,
    );
}

/// An int's fields: the head, lv_tag or ob_size, and `shown_digits` digits.
fn int_fields(f: &mut Fields, p: Profile, src: &Src, shown_digits: u64) {
    head(f, p, src);
    if p.minor() >= 12 {
        f.push(
            "lv_tag",
            ("PyLongObject.long_value.lv_tag", src.long),
            p.ptr(),
            Kind::Header,
        );
        f.push(
            format!("ob_digit[{shown_digits}]"),
            ("PyLongObject.long_value.ob_digit", src.long),
            4 * shown_digits,
            Kind::Payload,
        );
    } else {
        f.push(
            "ob_size",
            ("PyVarObject.ob_size", src.object),
            p.ptr(),
            Kind::Header,
        );
        f.push(
            format!("ob_digit[{shown_digits}]"),
            ("PyLongObject.ob_digit", src.long),
            4 * shown_digits,
            Kind::Payload,
        );
    }
}

fn float_fields(f: &mut Fields, p: Profile, src: &Src) {
    head(f, p, src);
    f.push(
        "ob_fval",
        ("PyFloatObject.ob_fval", src.float),
        8,
        Kind::Payload,
    );
}

fn value_text(v: Value) -> String {
    match v {
        Value::Int(i) => format!("int {i}"),
        Value::Float(x) => format!("float {}", super::num::py_float(x)),
    }
}

fn shared_object(s: &Scenario, src: &Src, v: Value) -> Object {
    let p = s.profile;
    let mut f = Fields::new();
    let getsizeof = match v {
        Value::Int(i) => {
            let d = digits(i).max(p.int_min_digits_for_sizeof());
            int_fields(&mut f, p, src, d);
            int_getsizeof(p, i)
        }
        Value::Float(_) => {
            float_fields(&mut f, p, src);
            p.float_size()
        }
    };
    let note: Text = match (s.values, v) {
        (Values::Constant(_), _) => "A constant of the code: it existed before x was built, and every slot points at this one object.".into(),
        (_, Value::Int(i)) if p.is_small_int(i) => Text::Owned(format!(
            "From the small-int cache (-5 to {}): made when the interpreter started, shared by every use.",
            p.small_int_max()
        )),
        _ if s.form.from_list => {
            "An object of the list src that x was built from: it existed before x, which only \
             points at it."
                .into()
        }
        _ if s.container == Container::ListLiteral => "A constant of the code, made when the \
             literal was compiled: it existed before x was built."
            .into(),
        _ => "range()'s own start object: it existed before x was built.".into(),
    };
    Object {
        role: Role::Shared,
        label: value_text(v).into(),
        note,
        bytes: Bytes {
            getsizeof,
            requested: 0,
            allocated: 0,
        },
        fields: f.out,
        refs: 0,
    }
}

fn fresh_object(p: Profile, src: &Src, v: Value, shape: Shape, requested: u64) -> Object {
    let mut f = Fields::new();
    let block = p.allocator().malloc(Domain::Object, requested);
    let getsizeof = match (shape, v) {
        (
            Shape::Int {
                digits: d,
                alloc_digits,
            },
            Value::Int(i),
        ) => {
            int_fields(&mut f, p, src, d);
            let pad = requested - f.at;
            if pad > 0 {
                let name = if alloc_digits > d {
                    "unused digit"
                } else {
                    "struct padding"
                };
                f.push(
                    name,
                    ("PyLongObject (sizeof, padded)", src.long),
                    pad,
                    Kind::Padding,
                );
            }
            int_getsizeof(p, i)
        }
        _ => {
            float_fields(&mut f, p, src);
            p.float_size()
        }
    };
    let extra = block.size - requested;
    if extra > 0 {
        let name = match block.kind {
            BlockKind::Small => "pymalloc size-class rounding",
            _ => "malloc chunk header + alignment",
        };
        f.push(name, rounding_member(p, block.kind), extra, Kind::Rounding);
    }
    Object {
        role: Role::Element,
        label: value_text(v).into(),
        note: Text::Owned(format!(
            "A new object, made while building x: {requested} bytes requested, {} allocated.",
            block.size
        )),
        bytes: Bytes {
            getsizeof,
            requested,
            allocated: block.size,
        },
        fields: f.out,
        refs: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_ints_on_312() {
        let s = Scenario {
            container: Container::ListAppend,
            values: Values::IntRange { start: 1000 },
            n: 5,
            profile: Profile::Py312,
            numpy: Numpy::V2,
            form: Default::default(),
        };
        let d = diagram(&s);
        assert_eq!(d.objects[0].label, "list object");
        assert_eq!(d.objects[1].fields.len(), 8);
        assert_eq!(d.objects.len(), 2 + 5);
        let int = &d.objects[2];
        let names: Vec<&str> = int.fields.iter().map(|f| &*f.name).collect();
        assert_eq!(
            names,
            [
                "ob_refcnt",
                "ob_type",
                "lv_tag",
                "ob_digit[1]",
                "struct padding"
            ]
        );
        assert_eq!(int.fields[3].offset, 24);
    }
}
