//! The wasm-bindgen surface: boundary types, error mapping and the exports the page calls.
//! Everything with substance lives in `model`, `lab` and `charts`; `api_lab` and
//! `api_charts` are their boundaries.

mod api_charts;
mod api_lab;
mod canvas;
pub use api_charts::Explorer;
pub use api_lab::run_lab;
pub mod charts;
pub mod error;
pub mod lab;
pub mod model;
pub mod sort;

use wasm_bindgen::prelude::*;

use error::Error;
use model::{Bytes, Node, Raw, Scenario};

#[wasm_bindgen(start)]
pub fn start() {
    // Runs on the page and in workers: no DOM here.
    // A panic (a bug) reaches the console with its message; the caller then sees a
    // RuntimeError, which the page and the lab worker report as a crash.
    std::panic::set_hook(Box::new(|info| report_panic(&info.to_string())));
    platform();
}

/// JavaScript prints and reads floats for the model, so core's float code is not shipped.
/// Idempotent; every entry point that reads a scenario calls it (test harnesses skip `start`).
fn platform() {
    model::num::set_exp_formatter(exp_form);
    model::num::set_float_parser(|t| Some(parse_number(t)).filter(|x| !x.is_nan() || t == "NaN"));
}

fn js_error(e: Error) -> JsError {
    JsError::new(&e.to_string())
}

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = encodeValue)]
    fn encode_value(v: &JsValue) -> String;
    #[wasm_bindgen(js_name = decodeLayout)]
    fn decode_layout(nums: &[f64], text: &str) -> JsValue;
    #[wasm_bindgen(js_name = expForm)]
    fn exp_form(x: f64) -> String;
    #[wasm_bindgen(js_name = parseNumber)]
    fn parse_number(text: &str) -> f64;
    #[wasm_bindgen(js_name = reportPanic)]
    fn report_panic(message: &str);
}

/// Read a scenario from JS, with the model's own field-naming errors. It crosses as one JSON
/// string (see src/glue.js): a third of the cost of walking the object field by field.
fn scenario_from_js(value: &JsValue) -> Result<Scenario, JsError> {
    platform();
    let raw = Raw::parse_json(&encode_value(value))
        .map_err(|e| JsError::new(&format!("scenario: must be a plain object ({e})")))?;
    Scenario::from_raw(&raw).map_err(js_error)
}

/// layout()'s result as numbers and texts in preorder, for decodeLayout in src/glue.js: texts
/// are concatenated, and their UTF-16 lengths travel with the numbers so JS slices, not splits.
fn encode_layout(s: &Scenario, l: &model::Layout) -> (Vec<f64>, String) {
    let mut nums = Vec::with_capacity(256);
    let mut text = String::with_capacity(4096);
    let put_text = |t: &str, nums: &mut Vec<f64>, text: &mut String| {
        text.push_str(t);
        let units = if t.is_ascii() {
            t.len()
        } else {
            t.encode_utf16().count()
        };
        nums.push(units as f64);
    };
    let put = |b: Bytes, nums: &mut Vec<f64>| {
        nums.extend([b.getsizeof as f64, b.requested as f64, b.allocated as f64]);
    };
    put_text(s.profile.name(), &mut nums, &mut text);
    put_text(s.profile.allocator().name(), &mut nums, &mut text);
    put(l.container.bytes, &mut nums);
    nums.extend([l.container.capacity as f64, l.container.length as f64]);
    nums.extend([l.elements.count as f64, l.elements.distinct as f64]);
    put(l.elements.bytes, &mut nums);
    put(l.totals, &mut nums);
    nums.extend(l.per_element.unwrap_or([f64::NAN; 3]));
    l.tree.walk(&mut |n: &Node, _| {
        put_text(&n.label, &mut nums, &mut text);
        put_text(n.kind.name(), &mut nums, &mut text);
        put_text(&n.explain, &mut nums, &mut text);
        nums.push(n.count as f64);
        put(n.bytes, &mut nums);
        nums.push(n.children.len() as f64);
    });
    (nums, text)
}

/// The exact memory of a scenario: the three accountings for the container, its elements and
/// the total, and the allocation tree. Throws an `Error` naming any bad field.
#[wasm_bindgen]
pub fn layout(scenario: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_from_js(&scenario)?;
    Ok(layout_to_js(&s, &model::layout(&s)))
}

/// A layout as the plain object layout() returns.
fn layout_to_js(s: &Scenario, l: &model::Layout) -> JsValue {
    let (nums, text) = encode_layout(s, l);
    decode_layout(&nums, &text)
}

/// The Python statements that build `x` for this scenario.
#[wasm_bindgen(js_name = pythonCode)]
pub fn python_code(scenario: JsValue) -> Result<String, JsError> {
    Ok(model::code::build_code(&scenario_from_js(&scenario)?))
}

/// A self-contained Python script that prints sys.getsizeof and tracemalloc for the scenario,
/// next to what the model expects.
#[wasm_bindgen(js_name = checkSnippet)]
pub fn check_snippet(scenario: JsValue) -> Result<String, JsError> {
    let s = scenario_from_js(&scenario)?;
    Ok(model::code::check_snippet(&s, &model::layout(&s)))
}
