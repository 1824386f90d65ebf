//! `runLab(scenario, options)`: the lab's boundary. Options are read like scenarios (a serde
//! boundary type of loose fields, checked by `TryFrom`); the report leaves as a plain camelCase
//! object through serde-wasm-bindgen; the heap map leaves as typed arrays.

use js_sys::{Function, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::heap::heap_to_js;
use super::loose::Loose;
use super::{from_js, js_error, scenario_from_js, to_js};
use crate::error::{Error, Result};
use crate::lab::heap::Mode;
use crate::lab::{self, Clock, Options, Report};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

#[cfg(not(feature = "test-hooks"))]
const OPTION_FIELDS: [&str; 3] = ["allocator", "shuffle", "onProgress"];
#[cfg(feature = "test-hooks")]
const OPTION_FIELDS: [&str; 4] = ["allocator", "shuffle", "onProgress", "testPanic"];

/// runLab's options as JS passes them. Absent, `null` and `undefined` fields take their
/// defaults.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabOptionsInput {
    /// "cpython" (the default: the profile's own allocators) or "rust".
    pub allocator: Loose,
    /// Also time a traversal in shuffled order (default true).
    pub shuffle: Loose,
    /// Test builds only (feature test-hooks): panic inside the run.
    #[cfg(feature = "test-hooks")]
    pub test_panic: Loose,
    /// `(phase, done, total) => boolean | void`: a function, read apart (see [`run_lab`]).
    pub on_progress: Loose,
    // Unknown options are refused by name before serde reads the object (see `web::from_js`).
}

fn unknown_option(key: &str) -> Error {
    Error::invalid(
        format!("options.{}", key.chars().take(32).collect::<String>()),
        "unknown option; allowed: allocator, shuffle, onProgress",
    )
}

fn flag(field: &str, v: &Loose, default: bool) -> Result<bool> {
    match v {
        Loose::Null => Ok(default),
        Loose::Bool(b) => Ok(*b),
        other => Err(Error::invalid(
            format!("options.{field}"),
            format!("must be true or false (got {})", other.preview()),
        )),
    }
}

impl TryFrom<LabOptionsInput> for Options {
    type Error = Error;

    fn try_from(o: LabOptionsInput) -> Result<Options> {
        let mode = match &o.allocator {
            Loose::Null => Mode::CPython,
            Loose::Str(s) if s == "cpython" => Mode::CPython,
            Loose::Str(s) if s == "rust" => Mode::Rust,
            other => {
                return Err(Error::invalid(
                    "options.allocator",
                    format!("must be \"cpython\" or \"rust\" (got {})", other.preview()),
                ))
            }
        };
        Ok(Options {
            mode,
            shuffle: flag("shuffle", &o.shuffle, true)?,
            #[cfg(feature = "test-hooks")]
            panic_for_test: flag("testPanic", &o.test_panic, false)?,
            #[cfg(not(feature = "test-hooks"))]
            panic_for_test: false,
        })
    }
}

fn options_from_js(value: &JsValue) -> Result<(Options, Option<Function>)> {
    if value.is_undefined() || value.is_null() {
        return Ok((Options::default(), None));
    }
    let input: LabOptionsInput = from_js(
        value,
        "options",
        &OPTION_FIELDS,
        "an object",
        unknown_option,
    )?;
    let wants_progress = input.on_progress != Loose::Null;
    let opts = Options::try_from(input)?;
    let progress = if wants_progress {
        let f = Reflect::get(value, &"onProgress".into()).unwrap_or(JsValue::UNDEFINED);
        Some(
            f.dyn_into::<Function>()
                .map_err(|_| Error::invalid("options.onProgress", "must be a function"))?,
        )
    } else {
        None
    };
    Ok((opts, progress))
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
struct ModelOut {
    requested: u64,
    allocated: u64,
}

#[derive(Serialize)]
struct EqualOut {
    requested: bool,
    /// null when the allocator's rounding is not observable ("rust").
    allocated: Option<bool>,
}

/// Linear memory in 64 KiB pages.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PagesOut {
    before: u64,
    after_build: u64,
    after: u64,
    page_bytes: u64,
}

/// Wall times in milliseconds.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TimesOut {
    build_boxed: Option<f64>,
    build_packed: f64,
    traverse_boxed: Option<f64>,
    traverse_packed: f64,
    traverse_shuffled: Option<f64>,
    free_boxed: Option<f64>,
    free_packed: f64,
    heap_map: f64,
    commit: f64,
    warm_up: f64,
}

/// A traversal's checksum: the ints summed (wrapping, as f64) and the floats.
#[derive(Serialize)]
struct SumOut {
    ints: f64,
    floats: f64,
}

impl From<(i64, f64)> for SumOut {
    fn from((ints, floats): (i64, f64)) -> SumOut {
        SumOut {
            ints: ints as f64,
            floats,
        }
    }
}

#[derive(Serialize)]
struct SumsOut {
    boxed: Option<SumOut>,
    packed: SumOut,
    shuffled: Option<SumOut>,
}

/// What runLab returns (the heap map's typed arrays are attached as `heap`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportOut {
    profile: &'static str,
    /// "cpython" or "rust".
    allocator: &'static str,
    n: u64,
    boxed: bool,
    /// Whether the other side was built (a packed structure's boxed comparison is skipped when
    /// it cannot fit beside it; its times and sums are then null).
    comparison: bool,
    /// Bytes requested building the structure, measured.
    requested: u64,
    /// Bytes the allocators handed out for them (null for "rust").
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
    fn from(r: &Report) -> ReportOut {
        let t = &r.times;
        let pm = &r.pymalloc;
        ReportOut {
            profile: r.profile.name(),
            allocator: if r.mode == Mode::CPython {
                "cpython"
            } else {
                "rust"
            },
            n: r.n,
            boxed: r.boxed,
            comparison: r.comparison,
            requested: r.requested,
            allocated: r.allocated,
            allocations: r.allocations,
            frees_during_build: r.frees_during_build,
            held: HeldOut {
                total: r.held,
                arenas: pm.arenas,
                arena_bytes: pm.arena_bytes,
                blocks_in_use: pm.blocks_in_use,
                bytes_in_use: pm.bytes_in_use,
                free_block_bytes: pm.free_block_bytes,
                pool_header_bytes: pm.pool_header_bytes,
                unused_pool_bytes: pm.unused_pool_bytes,
                arena_alignment_bytes: pm.arena_alignment_bytes,
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
                build_boxed: t.build_boxed,
                build_packed: t.build_packed,
                traverse_boxed: t.traverse_boxed,
                traverse_packed: t.traverse_packed,
                traverse_shuffled: t.traverse_shuffled,
                free_boxed: t.free_boxed,
                free_packed: t.free_packed,
                heap_map: t.heap_map,
                commit: t.commit,
                warm_up: t.warm_up,
            },
            sums: SumsOut {
                boxed: r.sum_boxed.map(SumOut::from),
                packed: r.sum_packed.into(),
                shuffled: r.sum_shuffled.map(SumOut::from),
            },
            log_events: r.log_events,
            heap_blocks: r.heap.blocks,
        }
    }
}

/// Build the scenario for real in this instance's linear memory, measure it against the model,
/// time traversals and frees. Options: `allocator` ("cpython", the default: what the profile's
/// CPython uses; or "rust"), `shuffle` (default true), `onProgress(phase, done, total)`, which
/// cancels the run by throwing. Run it in a fresh Worker each time
/// (`www/lab/client.js`): linear memory never shrinks.
#[wasm_bindgen(js_name = runLab)]
pub fn run_lab(scenario: JsValue, options: JsValue) -> std::result::Result<JsValue, JsError> {
    let s = scenario_from_js(&scenario).map_err(js_error)?;
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
    let out = to_js(&ReportOut::from(&report))?;
    let heap = heap_to_js(&report.heap)
        .map_err(|_| JsError::new("internal: could not build the heap map"))?;
    Reflect::set(&out, &"heap".into(), &heap)
        .map_err(|_| JsError::new("internal: could not attach the heap map"))?;
    Ok(out)
}
