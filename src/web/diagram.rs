//! `diagram()`: the object diagram of a scenario for small n (see `model::diagram`), as plain
//! camelCase objects, every size in bytes (see the README's "The object diagram").

use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::{js_error, scenario_from_js, to_js};
use crate::model::diagram::{self, Diagram, Field, Object, DIAGRAM_MAX_N};

/// A slice serialised as an array of its views, made one at a time (no Vec of views).
struct Seq<'a, T>(&'a [T]);

impl Serialize for Seq<'_, Field> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(FieldOut::from))
    }
}

impl Serialize for Seq<'_, Object> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(ObjectOut::from))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FieldOut<'a> {
    name: &'a str,
    member: &'a str,
    source: &'static str,
    offset: u64,
    size: u64,
    kind: &'static str,
    target: Option<usize>,
    value: Option<&'a str>,
}

impl<'a> From<&'a Field> for FieldOut<'a> {
    fn from(f: &'a Field) -> Self {
        FieldOut {
            name: &f.name,
            member: &f.member,
            source: f.source,
            offset: f.offset,
            size: f.size,
            kind: f.kind.name(),
            target: f.target,
            value: f.value.as_deref(),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ObjectOut<'a> {
    role: &'static str,
    label: &'a str,
    note: &'a str,
    getsizeof: u64,
    requested: u64,
    allocated: u64,
    refs: u64,
    fields: Seq<'a, Field>,
}

impl<'a> From<&'a Object> for ObjectOut<'a> {
    fn from(o: &'a Object) -> Self {
        ObjectOut {
            role: o.role.name(),
            label: &o.label,
            note: &o.note,
            getsizeof: o.bytes.getsizeof,
            requested: o.bytes.requested,
            allocated: o.bytes.allocated,
            refs: o.refs,
            fields: Seq(&o.fields),
        }
    }
}

/// What `diagram()` returns.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DiagramOut<'a> {
    n: u64,
    /// The most elements it draws (12).
    max_n: u64,
    /// false past maxN: only the container object's header is drawn.
    complete: bool,
    pointer_bytes: u64,
    objects: Seq<'a, Object>,
}

impl<'a> From<&'a Diagram> for DiagramOut<'a> {
    fn from(d: &'a Diagram) -> Self {
        DiagramOut {
            n: d.n,
            max_n: DIAGRAM_MAX_N,
            complete: d.complete,
            pointer_bytes: d.pointer_bytes,
            objects: Seq(&d.objects),
        }
    }
}

/// The boxes and arrows of a scenario: the container's blocks, each element object (shared ones
/// once), every field with its offset, size and C struct member. Throws an `Error` naming any
/// bad field, as `layout()` does.
#[wasm_bindgen]
pub fn diagram(scenario: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_from_js(&scenario).map_err(js_error)?;
    to_js(&DiagramOut::from(&diagram::diagram(&s)))
}
