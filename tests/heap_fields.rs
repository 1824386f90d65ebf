//! The heap map's field lookup on a real lab run, compiled natively: every byte of a small
//! structure's blocks names the right CPython struct member, with its offset and size, and the
//! blocks of a run of up to 64 elements are named by value and element index.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::charts::heapmap::{HeapMap, Part};
use boxed_vs_packed::lab::heap::Mode;
use boxed_vs_packed::lab::{run, Clock, Options};
use boxed_vs_packed::model::Scenario;
use boxed_vs_packed::web::heap::heap_input;
use boxed_vs_packed::web::scenario::ScenarioInput;
use std::time::Instant;

fn map(json: &str) -> (HeapMap, boxed_vs_packed::lab::Report) {
    let s = Scenario::try_from(serde_json::from_str::<ScenarioInput>(json).unwrap()).unwrap();
    let t0 = Instant::now();
    let now = move || t0.elapsed().as_secs_f64() * 1000.0;
    let mut progress = |_: &str, _: u64, _: u64| true;
    let r = run(
        &s,
        &Options {
            mode: Mode::CPython,
            ..Options::default()
        },
        Clock {
            now: &now,
            progress: &mut progress,
        },
    )
    .unwrap();
    (
        HeapMap::new(heap_input(&r.heap, s.profile, s.n as usize)),
        r,
    )
}

/// The int blocks a run labelled, by element index: (block start, label).
fn int_labels(r: &boxed_vs_packed::lab::Report) -> Vec<(usize, String)> {
    let h = &r.heap;
    let mut out: Vec<(usize, String)> = (0..h.label_start.len())
        .filter(|&i| h.label_text[i].starts_with("int "))
        .map(|i| (h.label_start[i], h.label_text[i].clone()))
        .collect();
    out.sort_by_key(|(_, t)| t.rsplit(' ').next().unwrap().parse::<u32>().unwrap());
    out
}

/// `tail`: what bytes 28..32 are: a one-digit int made by _PyLong_FromMedium requests
/// sizeof(PyLongObject), 32 bytes with tail padding; the small-int cache's ints request 28, and
/// pymalloc rounds them to its 32-byte size class.
fn assert_int_bytes(m: &HeapMap, start: usize, lv_tag: &str, tail: (&str, Part)) {
    let want: [(&str, usize, usize); 5] = [
        ("ob_refcnt", 0, 8),
        ("ob_type", 8, 8),
        (lv_tag, 16, 8),
        ("ob_digit[0]", 24, 4),
        (tail.0, 28, 4),
    ];
    for byte in 0..32 {
        let d = m
            .describe(start + byte)
            .expect("an int's byte is described");
        let (name, at, len) = want
            .into_iter()
            .find(|w| byte >= w.1 && byte < w.1 + w.2)
            .unwrap();
        assert_eq!(d.field, name, "byte {byte}");
        assert_eq!(
            d.field_start,
            start + at,
            "byte {byte}: where {name} starts"
        );
        assert_eq!(d.field_len, len, "byte {byte}: {name}'s bytes");
        assert_eq!(d.block_start, start);
        assert_eq!(d.block_size, 32);
        assert_eq!(d.offset, byte);
        let part = if byte >= 28 {
            tail.1
        } else if tail == ROUNDED {
            // The cache's ints existed before the list: shared, whatever the field.
            Part::Shared
        } else if byte >= 24 {
            Part::Payload
        } else {
            Part::Header
        };
        assert_eq!(d.part, part, "byte {byte}");
    }
}

const MEDIUM: (&str, Part) = (
    "ob_digit[1] or tail padding (sizeof(PyLongObject))",
    Part::Payload,
);
const ROUNDED: (&str, Part) = (
    "allocator rounding (reserved, not requested)",
    Part::Rounding,
);

#[test]
fn every_byte_of_an_int_object_names_its_field() {
    let (m, r) = map(
        r#"{"container":"list_append","values":{"kind":"int_range","start":1000},"n":5,"profile":"cpython-3.12"}"#,
    );
    let ints = int_labels(&r);
    assert_eq!(ints.len(), 5, "{ints:?}");
    for (k, (start, text)) in ints.iter().enumerate() {
        assert_eq!(
            text,
            &format!("int {} (PyLongObject), element {k}", 1000 + k)
        );
        assert_int_bytes(&m, *start, "lv_tag", MEDIUM);
        assert_eq!(
            m.describe(*start).unwrap().what,
            "int object (PyLongObject)"
        );
    }
    // The list object and its pointer array are named too; the free space after them is not.
    let texts = &r.heap.label_text;
    assert!(texts.contains(&"list object (PyListObject)".to_owned()));
    assert!(texts.contains(&"pointer array (the list's ob_item)".to_owned()));
    let list = r.heap.label_start[texts.iter().position(|t| t.starts_with("list")).unwrap()];
    let at = |off| m.describe(list + off).unwrap();
    assert_eq!(at(0).field, "GC header: _gc_next");
    assert_eq!(at(16).field, "ob_refcnt");
    assert_eq!(at(16 + 24).field, "ob_item");
    assert_eq!(
        (at(16 + 24).field_start, at(16 + 24).field_len),
        (list + 40, 8)
    );
}

#[test]
fn small_ints_from_the_cache_are_named_by_value_and_ob_size_before_3_12() {
    let (m, r) = map(
        r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
    );
    let ints = int_labels(&r);
    assert_eq!(ints.len(), 5);
    for (k, (start, text)) in ints.iter().enumerate() {
        assert_eq!(text, &format!("int {k} (PyLongObject), element {k}"));
        let d = m.describe(*start).unwrap();
        assert_eq!(d.what, "small int, cached (PyLongObject)");
        // The cache holds -5 ..= 256 back to back: int k is its block k + 5.
        assert_eq!(d.index, k + 5);
        assert_eq!((d.field.as_str(), d.field_len), ("ob_refcnt", 8));
        assert_int_bytes(&m, *start, "lv_tag", ROUNDED);
    }
    let (m, r) = map(
        r#"{"container":"list_append","values":{"kind":"int_range","start":1000},"n":3,"profile":"cpython-3.11"}"#,
    );
    for (start, _) in int_labels(&r) {
        assert_int_bytes(&m, start, "ob_size", MEDIUM);
    }
}

#[test]
fn large_runs_are_not_labelled_and_show_arenas_and_pools() {
    let (m, r) = map(
        r#"{"container":"list_append","values":{"kind":"int_range","start":1000},"n":100000,"profile":"cpython-3.12"}"#,
    );
    assert!(r.heap.label_start.is_empty());
    let h = &r.heap;
    let arenas: Vec<usize> = (0..h.frame_kind.len())
        .filter(|&i| h.frame_kind[i] == 1)
        .map(|i| h.frame_len[i])
        .collect();
    assert_eq!(arenas.len() as u64, r.pymalloc.arenas);
    assert!(arenas.iter().all(|&l| l == 1 << 20), "1 MiB arenas on 3.12");
    let pools: Vec<usize> = (0..h.frame_kind.len())
        .filter(|&i| h.frame_kind[i] == 2 && h.frame_block[i] == 32)
        .map(|i| h.frame_len[i])
        .collect();
    // 100,000 ints of 32 bytes, 510 to a 16 KiB pool.
    assert_eq!(pools.len(), 100_000usize.div_ceil(510));
    assert!(pools.iter().all(|&l| l == 16 << 10));
    // The pointer array (800 KB) has a mapping of its own, outside the arenas.
    assert!(h.frame_kind.contains(&4), "{:?}", h.frame_kind);
    // Every live block lies inside an arena, a heap segment or a mapping.
    let outer: Vec<(usize, usize)> = (0..h.frame_kind.len())
        .filter(|&i| h.frame_kind[i] != 2)
        .map(|i| (h.frame_start[i], h.frame_start[i] + h.frame_len[i]))
        .collect();
    assert!(
        h.frame_start.windows(2).all(|w| w[0] <= w[1]),
        "frames by address"
    );
    for i in 0..h.run_start.len() {
        let (a, b) = (
            h.run_start[i],
            h.run_start[i] + h.run_size[i] as usize * h.run_count[i] as usize,
        );
        assert!(
            outer.iter().any(|e| e.0 <= a && b <= e.1),
            "run {i} is inside"
        );
    }
    // The map's hover names the pool's blocks there: an int in a 32-byte pool.
    let pool = (0..h.frame_kind.len())
        .find(|&i| h.frame_kind[i] == 2 && h.frame_block[i] == 32)
        .unwrap();
    let d = m.describe(h.frame_start[pool] + (16 << 10) - 32).unwrap();
    assert_eq!(d.what, "int object (PyLongObject)");
}
