//! The `#[wasm_bindgen]` surface, and nothing else: the exports the page calls, the boundary
//! types they read and write through serde-wasm-bindgen, the `Explorer` handle the panels draw
//! through, the lab's boundary, and the panic hook. Everything with substance lives in
//! `model`, `lab` and `charts`, which know nothing of JS.
//!
//! In: plain JS objects are read by `serde_wasm_bindgen::from_value` into boundary types whose
//! fields are [`loose::Loose`], then checked by `TryFrom` into domain types, so every error
//! names its field. Out: results are boundary views serialised by `to_value` as plain objects;
//! bulk data (the heap map, chart series) crosses as typed arrays.

pub mod diagram;
pub mod explorer;
pub mod heap;
pub mod lab;
pub mod layout;
pub mod loose;
pub mod scenario;

use js_sys::Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::model::Scenario;
use scenario::{unknown_field_error, ScenarioInput, SCENARIO_FIELDS};

/// Runs when the module is instantiated, on the page and in lab workers alike, so it touches
/// no DOM. A panic (a bug) then reaches the console with its message and stack; the caller
/// sees a `RuntimeError`, which the page and the lab worker report as a crash and recover from
/// with a fresh instance.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Our error as the `Error` JS catches: its message names the field and what is allowed.
pub fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

/// `value`'s kind, as an error message names it ("an array", "a function").
fn js_kind(value: &JsValue) -> String {
    if value.is_null() {
        return "null".into();
    }
    if Array::is_array(value) {
        return "an array".into();
    }
    match value.js_typeof().as_string().as_deref() {
        Some("undefined") => "undefined".into(),
        Some("object") => "an object".into(),
        Some(t) => format!("a {t}"),
        None => "a value of unknown kind".into(),
    }
}

/// Read a plain JS object into the boundary type `T`. `what` names the whole value in errors,
/// `fields` are the ones it has, and `unknown(key)` is the error for any other key.
///
/// This is the one place unknown keys are refused, before serde reads anything: only the known
/// fields are then read, each through [`loose::Loose`] with its depth limit, so a cyclic or
/// deeply nested value under an unknown key is never walked (it used to overrun the stack). A
/// key whose value is undefined or null is as good as absent, and serde skips it.
fn from_js<T: serde::de::DeserializeOwned>(
    value: &JsValue,
    what: &str,
    fields: &[&str],
    expected: &str,
    unknown: impl Fn(&str) -> Error,
) -> Result<T, Error> {
    if !value.is_object() || Array::is_array(value) {
        return Err(Error::invalid(
            what,
            format!("must be {expected} (got {})", js_kind(value)),
        ));
    }
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let name = key.as_string().unwrap_or_default();
        if fields.contains(&name.as_str()) {
            continue;
        }
        let absent =
            js_sys::Reflect::get(object, &key).is_ok_and(|v| v.is_null() || v.is_undefined());
        if !absent {
            return Err(unknown(&name));
        }
    }
    serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| Error::invalid(what, format!("could not be read ({e})")))
}

/// Read and check a scenario from JS.
pub fn scenario_from_js(value: &JsValue) -> Result<Scenario, Error> {
    Scenario::try_from(scenario_input_from_js(value)?)
}

/// Read a scenario's fields from JS, unchecked.
fn scenario_input_from_js(value: &JsValue) -> Result<ScenarioInput, Error> {
    from_js(
        value,
        "scenario",
        &SCENARIO_FIELDS,
        "an object with fields container, values, n, profile",
        unknown_field_error,
    )
}

/// The nearest scenario Python accepts, for a widget that must always draw: each field is
/// checked on its own (a bad one throws an `Error` naming it, as `layout()` does), and a
/// combination Python refuses is repaired by the rule of `Scenario::nearest_valid` (the values
/// and NumPy give way; container, type, n and Python are kept). Returns `{ changes: [{ field,
/// from, to, why }] }`, empty for a valid scenario; `from` and `to` are in the page's notation
/// (`values` as "int_mod:128", the way URLs and widget attributes write them).
#[wasm_bindgen(js_name = resolveScenario)]
pub fn resolve_scenario(scenario: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_input_from_js(&scenario)
        .and_then(ScenarioInput::fields)
        .map_err(js_error)?;
    let (_, changes) = s.nearest_valid();
    to_js(&scenario::ResolvedOut::new(changes))
}

/// A boundary view as a plain JS object (maps as objects, `None` as null, no BigInts: every
/// byte count we produce is below 2**53).
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal: could not return the result ({e})")))
}
