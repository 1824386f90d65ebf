//! runLab(scenario, options): the lab's boundary. Options are read like scenarios (JSON, our
//! own field-naming errors); the report crosses as a plain camelCase object built here; the heap
//! map crosses as typed arrays, never an object per allocation.

use js_sys::{Function, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::error::Error;
use crate::lab::heap::Mode;
use crate::lab::{self, Clock, Options, Report};
use crate::model::Raw;
use crate::{encode_value, js_error, scenario_from_js};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

fn options_from_js(value: &JsValue) -> Result<(Options, Option<Function>), Error> {
    if value.is_undefined() || value.is_null() {
        return Ok((Options::default(), None));
    }
    let raw = Raw::parse_json(&encode_value(value)).map_err(|e| Error::invalid("options", e))?;
    let Raw::Map(entries) = &raw else {
        return Err(Error::invalid(
            "options",
            format!("must be an object (got {})", raw.preview()),
        ));
    };
    let mut opts = Options::default();
    for (key, v) in entries {
        match (key.as_str(), v) {
            ("allocator", Raw::Str(s)) if s == "cpython" => opts.mode = Mode::CPython,
            ("allocator", Raw::Str(s)) if s == "rust" => opts.mode = Mode::Rust,
            ("allocator", other) => {
                return Err(Error::invalid(
                    "options.allocator",
                    format!("must be \"cpython\" or \"rust\" (got {})", other.preview()),
                ))
            }
            ("shuffle", Raw::Bool(b)) => opts.shuffle = *b,
            ("testPanic", Raw::Bool(b)) => opts.panic_for_test = *b,
            ("shuffle" | "testPanic", other) => {
                return Err(Error::invalid(
                    format!("options.{key}"),
                    format!("must be true or false (got {})", other.preview()),
                ))
            }
            ("onProgress", _) => {}
            (other, _) => {
                return Err(Error::invalid(
                    format!("options.{}", other.chars().take(32).collect::<String>()),
                    "unknown option; allowed: allocator, shuffle, onProgress",
                ))
            }
        }
    }
    let progress = Reflect::get(value, &"onProgress".into())
        .ok()
        .filter(|f| !f.is_undefined());
    let progress = match progress {
        None => None,
        Some(f) => Some(
            f.dyn_into::<Function>()
                .map_err(|_| Error::invalid("options.onProgress", "must be a function"))?,
        ),
    };
    Ok((opts, progress))
}

/// A plain JS object from (key, value) pairs. (The report used to cross through serde and
/// serde-wasm-bindgen; building it directly is 4 KiB less gzipped wasm, which the page's size
/// budget needed.)
fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o.into()
}

fn num(x: u64) -> JsValue {
    JsValue::from(x as f64)
}

fn opt(x: Option<f64>) -> JsValue {
    x.map_or(JsValue::NULL, JsValue::from)
}

fn sums(x: (i64, f64)) -> JsValue {
    obj(&[
        ("ints", JsValue::from(x.0 as f64)),
        ("floats", JsValue::from(x.1)),
    ])
}

/// The report as runLab returns it (camelCase, bytes as numbers, times in ms).
fn report_to_js(r: &Report) -> JsValue {
    let t = &r.times;
    let pm = &r.pymalloc;
    obj(&[
        ("profile", r.profile.name().into()),
        (
            "allocator",
            if r.mode == Mode::CPython {
                "cpython"
            } else {
                "rust"
            }
            .into(),
        ),
        ("n", num(r.n)),
        ("boxed", r.boxed.into()),
        ("requested", num(r.requested)),
        ("allocated", opt(r.allocated.map(|a| a as f64))),
        ("allocations", num(r.allocations)),
        ("freesDuringBuild", num(r.frees_during_build)),
        (
            "held",
            obj(&[
                ("total", num(r.held)),
                ("arenas", num(pm.arenas)),
                ("arenaBytes", num(pm.arena_bytes)),
                ("blocksInUse", num(pm.blocks_in_use)),
                ("bytesInUse", num(pm.bytes_in_use)),
                ("freeBlockBytes", num(pm.free_block_bytes)),
                ("poolHeaderBytes", num(pm.pool_header_bytes)),
                ("unusedPoolBytes", num(pm.unused_pool_bytes)),
                ("arenaAlignmentBytes", num(pm.arena_alignment_bytes)),
                ("chunkHeapBytes", num(r.chunk_heap_bytes)),
            ]),
        ),
        (
            "model",
            obj(&[
                ("requested", num(r.model_requested)),
                ("allocated", num(r.model_allocated)),
            ]),
        ),
        (
            "equal",
            obj(&[
                ("requested", (r.requested == r.model_requested).into()),
                (
                    "allocated",
                    r.allocated
                        .map_or(JsValue::NULL, |a| (a == r.model_allocated).into()),
                ),
            ]),
        ),
        (
            "pages",
            obj(&[
                ("before", num(r.pages[0])),
                ("afterBuild", num(r.pages[1])),
                ("after", num(r.pages[2])),
                ("pageBytes", num(65536)),
            ]),
        ),
        (
            "timesMs",
            obj(&[
                ("buildBoxed", t.build_boxed.into()),
                ("buildPacked", t.build_packed.into()),
                ("traverseBoxed", t.traverse_boxed.into()),
                ("traversePacked", t.traverse_packed.into()),
                ("traverseShuffled", opt(t.traverse_shuffled)),
                ("freeBoxed", t.free_boxed.into()),
                ("freePacked", t.free_packed.into()),
                ("heapMap", t.heap_map.into()),
                ("commit", t.commit.into()),
                ("warmUp", t.warm_up.into()),
            ]),
        ),
        (
            "sums",
            obj(&[
                ("boxed", sums(r.sum_boxed)),
                ("packed", sums(r.sum_packed)),
                ("shuffled", r.sum_shuffled.map_or(JsValue::NULL, sums)),
            ]),
        ),
        ("logEvents", num(r.log_events)),
        ("heapBlocks", num(r.heap.blocks)),
    ])
}

fn u32s(v: &[usize]) -> Uint32Array {
    let out = Uint32Array::new_with_length(v.len() as u32);
    for (i, &x) in v.iter().enumerate() {
        out.set_index(i as u32, x as u32);
    }
    out
}

/// Attach the heap map as typed arrays (addresses fit in 32 bits in wasm32 linear memory).
fn heap_to_js(r: &Report) -> Result<JsValue, JsValue> {
    let h = &r.heap;
    let o = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| Reflect::set(&o, &k.into(), v);
    set("regionStart", &u32s(&h.region_start))?;
    set("regionLen", &u32s(&h.region_len))?;
    set("regionKind", &Uint8Array::from(&h.region_kind[..]))?;
    set("runStart", &u32s(&h.run_start))?;
    set("runSize", &Uint32Array::from(&h.run_size[..]))?;
    set("runCount", &Uint32Array::from(&h.run_count[..]))?;
    set("runRequested", &Uint32Array::from(&h.run_requested[..]))?;
    set("runLead", &Uint8Array::from(&h.run_lead[..]))?;
    set("runWhat", &Uint8Array::from(&h.run_what[..]))?;
    Ok(o.into())
}

/// Build the scenario for real in this instance's linear memory, measure it against the model,
/// time traversals and frees. Options: `allocator` ("cpython", the default: what the profile's
/// CPython uses; or "rust"), `shuffle` (default true), `onProgress(phase, done, total)`.
/// Run it in a fresh Worker each time: linear memory never shrinks.
#[wasm_bindgen(js_name = runLab)]
pub fn run_lab(scenario: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    let s = scenario_from_js(&scenario)?;
    let (opts, progress) = options_from_js(&options).map_err(js_error)?;
    let now = performance_now;
    let mut on_progress = |phase: &str, done: u64, total: u64| -> bool {
        match &progress {
            Some(f) => f
                .call3(
                    &JsValue::NULL,
                    &phase.into(),
                    &(done as f64).into(),
                    &(total as f64).into(),
                )
                .is_ok(),
            None => true,
        }
    };
    let report = lab::run(
        &s,
        &opts,
        Clock {
            now: &now,
            progress: &mut on_progress,
        },
    )
    .map_err(js_error)?;
    let out = report_to_js(&report);
    let heap =
        heap_to_js(&report).map_err(|_| JsError::new("internal: could not build the heap map"))?;
    Reflect::set(&out, &"heap".into(), &heap)
        .map_err(|_| JsError::new("internal: could not attach the heap map"))?;
    Ok(out)
}
