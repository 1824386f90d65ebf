//! runLab(scenario, options): the lab's boundary. Options and the report cross as serde types
//! (camelCase); the heap map crosses as typed arrays, never an object per allocation.

use js_sys::{Function, Reflect, Uint32Array, Uint8Array};
use serde::Serialize;
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModelOut {
    requested: u64,
    allocated: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EqualOut {
    requested: bool,
    allocated: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HeldOut {
    total: u64,
    arenas: u64,
    arena_bytes: u64,
    blocks_in_use: u64,
    bytes_in_use: u64,
    free_block_bytes: u64,
    pool_header_bytes: u64,
    unused_pool_bytes: u64,
    arena_alignment_bytes: u64,
    chunk_heap_bytes: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PagesOut {
    before: u64,
    after_build: u64,
    after: u64,
    page_bytes: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TimesOut {
    build_boxed: f64,
    build_packed: f64,
    traverse_boxed: f64,
    traverse_packed: f64,
    traverse_shuffled: Option<f64>,
    free_boxed: f64,
    free_packed: f64,
    heap_map: f64,
    commit: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SumOut {
    ints: f64,
    floats: f64,
}

impl From<(i64, f64)> for SumOut {
    fn from((i, f): (i64, f64)) -> Self {
        SumOut {
            ints: i as f64,
            floats: f,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SumsOut {
    boxed: SumOut,
    packed: SumOut,
    shuffled: Option<SumOut>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportOut {
    profile: &'static str,
    allocator: &'static str,
    n: u64,
    boxed: bool,
    requested: u64,
    allocated: Option<u64>,
    allocations: u64,
    frees_during_build: u64,
    held: HeldOut,
    model: ModelOut,
    equal: EqualOut,
    pages: PagesOut,
    times_ms: TimesOut,
    sums: SumsOut,
    log_events: u64,
    heap_blocks: u64,
}

impl From<&Report> for ReportOut {
    fn from(r: &Report) -> Self {
        ReportOut {
            profile: r.profile.name(),
            allocator: match r.mode {
                Mode::CPython => "cpython",
                Mode::Rust => "rust",
            },
            n: r.n,
            boxed: r.boxed,
            requested: r.requested,
            allocated: r.allocated,
            allocations: r.allocations,
            frees_during_build: r.frees_during_build,
            held: HeldOut {
                total: r.held,
                arenas: r.pymalloc.arenas,
                arena_bytes: r.pymalloc.arena_bytes,
                blocks_in_use: r.pymalloc.blocks_in_use,
                bytes_in_use: r.pymalloc.bytes_in_use,
                free_block_bytes: r.pymalloc.free_block_bytes,
                pool_header_bytes: r.pymalloc.pool_header_bytes,
                unused_pool_bytes: r.pymalloc.unused_pool_bytes,
                arena_alignment_bytes: r.pymalloc.arena_alignment_bytes,
                chunk_heap_bytes: r.chunk_heap_bytes,
            },
            model: ModelOut {
                requested: r.model_requested,
                allocated: r.model_allocated,
            },
            equal: EqualOut {
                requested: r.requested == r.model_requested,
                allocated: r.allocated.map(|a| a == r.model_allocated),
            },
            pages: PagesOut {
                before: r.pages[0],
                after_build: r.pages[1],
                after: r.pages[2],
                page_bytes: 65536,
            },
            times_ms: TimesOut {
                build_boxed: r.times.build_boxed,
                build_packed: r.times.build_packed,
                traverse_boxed: r.times.traverse_boxed,
                traverse_packed: r.times.traverse_packed,
                traverse_shuffled: r.times.traverse_shuffled,
                free_boxed: r.times.free_boxed,
                free_packed: r.times.free_packed,
                heap_map: r.times.heap_map,
                commit: r.times.commit,
            },
            sums: SumsOut {
                boxed: r.sum_boxed.into(),
                packed: r.sum_packed.into(),
                shuffled: r.sum_shuffled.map(Into::into),
            },
            log_events: r.log_events,
            heap_blocks: r.heap.blocks,
        }
    }
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
    let out = ReportOut::from(&report)
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal: {e}")))?;
    let heap =
        heap_to_js(&report).map_err(|_| JsError::new("internal: could not build the heap map"))?;
    Reflect::set(&out, &"heap".into(), &heap)
        .map_err(|_| JsError::new("internal: could not attach the heap map"))?;
    Ok(out)
}
