//! `layout()`, `pythonCode()` and `checkSnippet()`, and the view of a [`Layout`] they return:
//! plain camelCase objects, numbers in bytes (see the README's "The result").

use std::cell::RefCell;

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, scenario_from_js, to_js};
use crate::model::tree::Text;
use crate::model::{self, Bytes, Layout, Node, Scenario};

/// `getsizeof`, `requested` (tracemalloc) and `allocated` (the allocator), in bytes.
#[derive(Serialize)]
pub struct BytesOut {
    pub getsizeof: u64,
    pub requested: u64,
    pub allocated: u64,
}

impl From<Bytes> for BytesOut {
    fn from(b: Bytes) -> BytesOut {
        BytesOut {
            getsizeof: b.getsizeof,
            requested: b.requested,
            allocated: b.allocated,
        }
    }
}

#[derive(Serialize)]
pub struct ContainerOut {
    pub getsizeof: u64,
    pub requested: u64,
    pub allocated: u64,
    /// Slots (list), items (array, ndarray) or inline items (tuple) it has room for.
    pub capacity: u64,
    pub length: u64,
}

#[derive(Serialize)]
pub struct ElementsOut {
    pub count: u64,
    pub distinct: u64,
    pub getsizeof: u64,
    pub requested: u64,
    pub allocated: u64,
}

/// The three accountings divided by n, in bytes per element.
#[derive(Serialize)]
pub struct PerElementOut {
    pub getsizeof: f64,
    pub requested: f64,
    pub allocated: f64,
}

/// One frame of the allocation tree: `{ label, kind, count, explain, getsizeof, requested,
/// allocated, children }`, serialised straight from the model's tree (no copy of it is made).
pub struct NodeOut<'a>(pub &'a Node);

impl Serialize for NodeOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0;
        let mut o = s.serialize_struct("Node", 8)?;
        o.serialize_field("label", &JsText(&n.label))?;
        o.serialize_field("kind", &JsText(&Text::Borrowed(n.kind.name())))?;
        o.serialize_field("count", &n.count)?;
        o.serialize_field("explain", &JsText(&n.explain))?;
        o.serialize_field("getsizeof", &n.bytes.getsizeof)?;
        o.serialize_field("requested", &n.bytes.requested)?;
        o.serialize_field("allocated", &n.bytes.allocated)?;
        o.serialize_field("children", &Children(&n.children))?;
        o.end()
    }
}

/// A node's text. Most are fixed sentences (`&'static str`): those become JS strings once per
/// instance and are then handed over as the same JsValue (serde-wasm-bindgen's `preserve`),
/// which halves layout()'s cost; decoding 25 nodes' labels and explanations from UTF-8 on
/// every call was most of it.
struct JsText<'a>(&'a Text);

impl Serialize for JsText<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Text::Borrowed(t) => STATIC_TEXTS.with(|cache| {
                let mut cache = cache.borrow_mut();
                let key = (t.as_ptr() as usize, t.len());
                let at = match cache.binary_search_by_key(&key, |e| e.0) {
                    Ok(at) => at,
                    Err(at) => {
                        cache.insert(at, (key, JsValue::from_str(t)));
                        at
                    }
                };
                serde_wasm_bindgen::preserve::serialize(&cache[at].1, s)
            }),
            Text::Owned(t) => s.serialize_str(t),
        }
    }
}

thread_local! {
    /// JS strings of the model's fixed texts, sorted by address and length.
    static STATIC_TEXTS: RefCell<Vec<((usize, usize), JsValue)>> = const { RefCell::new(Vec::new()) };
}

struct Children<'a>(&'a [Node]);

impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(NodeOut))
    }
}

/// What `layout()` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutOut<'a> {
    /// The profile's name ("cpython-3.12").
    pub profile: &'static str,
    /// The allocator the figures are for ("pymalloc + glibc malloc").
    pub allocator: &'static str,
    pub container: ContainerOut,
    pub elements: ElementsOut,
    pub totals: BytesOut,
    /// totals / n; null for n = 0.
    pub per_element: Option<PerElementOut>,
    pub tree: NodeOut<'a>,
    /// What Python would warn about building it (empty when nothing).
    pub warnings: &'a [String],
    /// `[low, high]` bytes `totals.allocated` can be, depending on glibc's mmap threshold (the
    /// figure itself is for a fresh program); null when no block is near enough to it.
    pub allocated_range: Option<[u64; 2]>,
}

impl<'a> LayoutOut<'a> {
    pub fn new(s: &Scenario, l: &'a Layout) -> LayoutOut<'a> {
        LayoutOut {
            profile: s.profile.name(),
            allocator: s.profile.allocator().name(),
            container: ContainerOut {
                getsizeof: l.container.bytes.getsizeof,
                requested: l.container.bytes.requested,
                allocated: l.container.bytes.allocated,
                capacity: l.container.capacity,
                length: l.container.length,
            },
            elements: ElementsOut {
                count: l.elements.count,
                distinct: l.elements.distinct,
                getsizeof: l.elements.bytes.getsizeof,
                requested: l.elements.bytes.requested,
                allocated: l.elements.bytes.allocated,
            },
            totals: l.totals.into(),
            per_element: l.per_element.map(|[g, r, a]| PerElementOut {
                getsizeof: g,
                requested: r,
                allocated: a,
            }),
            tree: NodeOut(&l.tree),
            warnings: &l.warnings,
            allocated_range: l.allocated_range,
        }
    }
}

/// A layout as the plain object `layout()` returns.
pub fn layout_to_js(s: &Scenario, l: &Layout) -> Result<JsValue, JsError> {
    to_js(&LayoutOut::new(s, l))
}

/// The exact memory of a scenario: the three accountings for the container, its elements and
/// the total, and the allocation tree. Throws an `Error` naming any bad field.
#[wasm_bindgen]
pub fn layout(scenario: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_from_js(&scenario).map_err(js_error)?;
    layout_to_js(&s, &model::layout(&s))
}

/// The Python statements that build `x` for this scenario: the statements that make what x is
/// built from (a list `src`, a `base` to view), marked as not counted, then x's own.
#[wasm_bindgen(js_name = pythonCode)]
pub fn python_code(scenario: JsValue) -> Result<String, JsError> {
    let s = scenario_from_js(&scenario).map_err(js_error)?;
    let x = model::code::build_code(&s);
    Ok(match model::code::setup_code(&s) {
        Some(setup) => format!("{setup}  # made before x, not counted\n{x}"),
        None => x,
    })
}

/// A self-contained Python script that prints sys.getsizeof and tracemalloc for the scenario,
/// next to what the model expects.
#[wasm_bindgen(js_name = checkSnippet)]
pub fn check_snippet(scenario: JsValue) -> Result<String, JsError> {
    let s = scenario_from_js(&scenario).map_err(js_error)?;
    Ok(model::code::check_snippet(&s, &model::layout(&s)))
}
