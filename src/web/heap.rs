//! The heap map across the boundary. A lab run's [`HeapRuns`] leave the worker as typed arrays
//! (one column per field, never an object per block); on the page they come back here and
//! become the chart's own [`HeapInput`]: the lab's block codes turned into names, colours and
//! field layouts (CPython's struct members, from `lab::shapes`).

use js_sys::{Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::charts::heapmap::{BlockLayout, Frame, HeapInput, Items, Part, Region, Run};
use crate::lab::heap::What;
use crate::lab::heapmap::{region_code, HeapRuns};
use crate::lab::pymalloc::Region as PoolRegion;
use crate::lab::shapes::{object_fields, ObjectKind};
use crate::model::Profile;

fn u32s(v: &[usize]) -> Uint32Array {
    // Addresses fit in 32 bits: wasm32 linear memory.
    let out = Uint32Array::new_with_length(v.len() as u32);
    for (i, &x) in v.iter().enumerate() {
        out.set_index(i as u32, x as u32);
    }
    out
}

/// The heap map as an object of typed arrays: `regionStart`, `regionLen`, `regionKind`,
/// `runStart`, `runSize`, `runCount`, `runRequested`, `runLead`, `runWhat` (see [`HeapRuns`]).
pub fn heap_to_js(h: &HeapRuns) -> Result<JsValue, JsValue> {
    let o = Object::new();
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
    set("frameStart", &u32s(&h.frame_start))?;
    set("frameLen", &u32s(&h.frame_len))?;
    set("frameKind", &Uint8Array::from(&h.frame_kind[..]))?;
    set("frameBlock", &Uint32Array::from(&h.frame_block[..]))?;
    set("labelStart", &u32s(&h.label_start))?;
    set("labelLen", &u32s(&h.label_len))?;
    // A few dozen names at most (a structure of up to 64 elements), one per line.
    let mut text = String::new();
    for t in &h.label_text {
        text.push_str(t);
        text.push('\n');
    }
    set("labelText", &JsValue::from_str(&text))?;
    Ok(o.into())
}

/// The typed arrays back into columns. A missing or mistyped column reads as empty.
pub fn heap_from_js(heap: &JsValue) -> HeapRuns {
    let get = |k: &str| Reflect::get(heap, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let u32s = |k: &str| {
        get(k)
            .dyn_into::<Uint32Array>()
            .map_or_else(|_| Vec::new(), |a| a.to_vec())
    };
    let u8s = |k: &str| {
        get(k)
            .dyn_into::<Uint8Array>()
            .map_or_else(|_| Vec::new(), |a| a.to_vec())
    };
    let widen = |v: Vec<u32>| v.into_iter().map(|x| x as usize).collect::<Vec<_>>();
    HeapRuns {
        region_start: widen(u32s("regionStart")),
        region_len: widen(u32s("regionLen")),
        region_kind: u8s("regionKind"),
        run_start: widen(u32s("runStart")),
        run_size: u32s("runSize"),
        run_count: u32s("runCount"),
        run_requested: u32s("runRequested"),
        run_lead: u8s("runLead"),
        run_what: u8s("runWhat"),
        blocks: 0,
        frame_start: widen(u32s("frameStart")),
        frame_len: widen(u32s("frameLen")),
        frame_kind: u8s("frameKind"),
        frame_block: u32s("frameBlock"),
        // The labels are the page's to read (heapview.js): the chart does not need them.
        label_start: Vec::new(),
        label_len: Vec::new(),
        label_text: Vec::new(),
    }
}

/// What the blocks of a `What` code are called on the map.
fn what_name(w: Option<What>) -> &'static str {
    match w {
        Some(What::TypeObject) => "type object",
        Some(What::SmallInt) => "small int, cached (PyLongObject)",
        Some(What::Constant) => "the constant",
        Some(What::ListObject) => "list object (PyListObject)",
        Some(What::PointerArray) => "pointer array",
        Some(What::TupleObject) => "tuple object (PyTupleObject)",
        Some(What::ArrayObject) => "array.array object (arrayobject)",
        Some(What::ArrayBuffer) => "array.array data buffer",
        Some(What::NdarrayObject) => "ndarray object (PyArrayObject)",
        Some(What::NdarrayDims) => "ndarray shape + strides",
        Some(What::NdarrayData) => "ndarray data buffer",
        Some(What::Int) => "int object (PyLongObject)",
        Some(What::Float) => "float object (PyFloatObject)",
        Some(What::RangeStart) => "range start (shared)",
        Some(What::EmptyTuple) => "the empty tuple",
        Some(What::Comparison) => "comparison structure",
        None => "block",
    }
}

/// A block's colour when a pixel covers more than one block: what most of it is.
fn coarse_part(w: Option<What>) -> Part {
    match w {
        Some(What::Int | What::Float | What::NdarrayDims) => Part::Header,
        Some(What::ArrayBuffer | What::NdarrayData) => Part::Payload,
        Some(What::PointerArray) => Part::Slot,
        Some(What::ListObject | What::TupleObject | What::ArrayObject | What::NdarrayObject) => {
            Part::Container
        }
        _ => Part::Shared,
    }
}

/// The name and colour of an allocator region code (see `lab::heapmap::region_code`).
fn region(kind: u8) -> (&'static str, Part) {
    let is = |r: PoolRegion| region_code(r) == kind;
    if is(PoolRegion::ArenaAlignment) {
        ("arena alignment (unusable)", Part::Bookkeeping)
    } else if is(PoolRegion::PoolHeader) {
        ("pymalloc pool header", Part::Bookkeeping)
    } else if is(PoolRegion::UnusedPool) {
        ("unused pool", Part::Free)
    } else if is(PoolRegion::FreeBlock) {
        ("free space in a pool", Part::Free)
    } else if is(PoolRegion::ChunkHeader) {
        ("mmap chunk header", Part::Rounding)
    } else {
        ("free heap space", Part::Free)
    }
}

/// The layout of each `What` kind of block, indexed by its code (0 and unknown codes: none).
fn layouts(profile: Profile, length: usize) -> Vec<BlockLayout> {
    let (word, gc_objects) = (profile.ptr() as usize, profile.array_is_gc());
    let tuple = if profile.tuple_basic() > profile.var_head() {
        ObjectKind::Tuple314
    } else {
        ObjectKind::Tuple
    };
    let table = |kind: ObjectKind, gc: bool, part: &dyn Fn(u64) -> Part| {
        object_fields(word, kind, gc)
            .into_iter()
            .map(|(name, at, bytes)| (name, at as usize, bytes as usize, part(at)))
            .collect::<Vec<_>>()
    };
    let w = word as u64;
    let layout = |what: Option<What>| -> BlockLayout {
        let shared = matches!(
            what,
            Some(What::SmallInt | What::Constant | What::RangeStart)
        );
        let header_or_shared = |_| if shared { Part::Shared } else { Part::Header };
        let container = |_| Part::Container;
        let (fields, items, rest) = match what {
            Some(What::Int | What::SmallInt | What::Constant | What::RangeStart) => (
                // The third word is ob_size until 3.11, lv_tag (digits << 3 | sign) from 3.12.
                table(ObjectKind::Int, false, &header_or_shared)
                    .into_iter()
                    .map(|mut f| {
                        if f.0 == "ob_size / lv_tag" {
                            f.0 = if profile.minor() >= 12 {
                                "lv_tag"
                            } else {
                                "ob_size"
                            };
                        }
                        f
                    })
                    .collect(),
                Items::Digits(if shared { Part::Shared } else { Part::Payload }),
                Part::Payload,
            ),
            Some(What::Float) => (
                table(ObjectKind::Float, false, &|at| {
                    if at < 2 * w {
                        Part::Header
                    } else {
                        Part::Payload
                    }
                }),
                Items::None,
                Part::Payload,
            ),
            Some(What::PointerArray) => (
                Vec::new(),
                Items::Pointers {
                    name: "slot",
                    used: length,
                },
                Part::Slot,
            ),
            Some(What::TupleObject | What::EmptyTuple) => (
                table(tuple, true, &container),
                Items::Pointers {
                    name: "item",
                    used: usize::MAX,
                },
                Part::Slot,
            ),
            Some(What::ListObject) => (
                table(ObjectKind::List, true, &container),
                Items::None,
                Part::Container,
            ),
            Some(What::ArrayObject) => (
                table(ObjectKind::Array, gc_objects, &container),
                Items::None,
                Part::Container,
            ),
            Some(What::NdarrayObject) => (
                table(ObjectKind::Ndarray, false, &container),
                Items::None,
                Part::Container,
            ),
            Some(What::ArrayBuffer | What::NdarrayData) => {
                (Vec::new(), Items::Values, Part::Payload)
            }
            Some(What::NdarrayDims) => (
                vec![
                    ("shape[0]", 0, word, Part::Header),
                    ("strides[0]", word, word, Part::Header),
                ],
                Items::None,
                Part::Header,
            ),
            _ => (Vec::new(), Items::None, Part::Shared),
        };
        BlockLayout {
            fields,
            items,
            rest,
        }
    };
    (0..=u8::MAX)
        .map_while(|code| (code == 0 || What::from_u8(code).is_some()).then_some(code))
        .map(|code| layout(What::from_u8(code)))
        .collect()
}

/// The chart's input for a lab run of `profile` whose container holds `length` items.
pub fn heap_input(h: &HeapRuns, profile: Profile, length: usize) -> HeapInput {
    let word = profile.ptr() as usize;
    let layouts = layouts(profile, length);
    let n = [
        h.run_start.len(),
        h.run_size.len(),
        h.run_count.len(),
        h.run_requested.len(),
        h.run_lead.len(),
        h.run_what.len(),
    ]
    .into_iter()
    .min()
    .unwrap_or(0);
    let runs = (0..n)
        .map(|i| {
            let what = What::from_u8(h.run_what[i]);
            let code = h.run_what[i] as usize;
            Run {
                start: h.run_start[i],
                size: h.run_size[i] as usize,
                count: h.run_count[i] as usize,
                requested: h.run_requested[i] as usize,
                lead: h.run_lead[i] as usize,
                name: what_name(what),
                coarse: coarse_part(what),
                layout: if code < layouts.len() { code } else { 0 },
            }
        })
        .collect();
    let m = h
        .region_start
        .len()
        .min(h.region_len.len())
        .min(h.region_kind.len());
    let regions = (0..m)
        .map(|i| {
            let (name, part) = region(h.region_kind[i]);
            Region {
                start: h.region_start[i],
                len: h.region_len[i],
                name,
                part,
            }
        })
        .collect();
    let f = (h.frame_start.len())
        .min(h.frame_len.len())
        .min(h.frame_kind.len())
        .min(h.frame_block.len());
    let frames = (0..f)
        .map(|i| Frame {
            start: h.frame_start[i],
            len: h.frame_len[i],
            kind: h.frame_kind[i],
            block: h.frame_block[i],
        })
        .collect();
    HeapInput {
        word,
        runs,
        regions,
        layouts,
        frames,
    }
}
