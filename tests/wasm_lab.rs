//! The lab in real wasm32 linear memory (run by wasm-bindgen-test-runner under Node): for a grid
//! of scenarios over every profile, wasm32's 4-byte shape included, and n up to 10**6, the bytes
//! measured equal layout()'s to the byte: requested and allocated. Also the boundary of runLab.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::{layout, run_lab};
use js_sys::{Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(v.clone(), |acc, k| Reflect::get(&acc, &k.into()).unwrap())
}

fn num(v: &JsValue, path: &str) -> f64 {
    get(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

const PROFILES: &[&str] = &[
    "cpython-3.8",
    "cpython-3.9",
    "cpython-3.10",
    "cpython-3.11",
    "cpython-3.12",
    "cpython-3.13",
    "cpython-3.14",
    "cpython-3.15",
    "wasm32-3.13",
    "wasm32-3.14",
];

#[wasm_bindgen_test]
fn measured_equals_modelled_over_a_grid() {
    let containers = [
        r#""container":"list_append""#,
        r#""container":"list_range""#,
        r#""container":"list_repeat""#,
        r#""container":"tuple""#,
        r#""container":"array","typecode":"l""#,
        r#""container":"ndarray","dtype":"float32""#,
        r#""container":"ndarray","dtype":"int16","numpy":"1.21""#,
    ];
    let values = [
        r#"{"kind":"int_range","start":0}"#,
        r#"{"kind":"int_range","start":"2147483000"}"#,
        r#"{"kind":"float_range","start":-50}"#,
        r#"{"kind":"int_mod","k":1000}"#,
        r#"{"kind":"constant","value":123456}"#,
    ];
    let mut checked = 0;
    for p in PROFILES {
        for c in containers {
            for v in values {
                for n in [0, 1, 9, 1000, 100_000] {
                    let json = format!(r#"{{{c},"values":{v},"n":{n},"profile":"{p}"}}"#);
                    let scenario = JSON::parse(&json).unwrap();
                    if layout(scenario.clone()).is_err() {
                        // e.g. list_repeat needs a constant; 'l' cannot hold 2**31 on wasm32;
                        // NumPy 1.21 only on 3.8 to 3.10
                        continue;
                    }
                    let r = run_lab(scenario, JsValue::UNDEFINED).unwrap();
                    assert_eq!(
                        num(&r, "requested"),
                        num(&r, "model.requested"),
                        "requested for {json}"
                    );
                    assert_eq!(
                        num(&r, "allocated"),
                        num(&r, "model.allocated"),
                        "allocated for {json}"
                    );
                    assert_eq!(get(&r, "equal.requested"), JsValue::TRUE);
                    checked += 1;
                }
            }
        }
    }
    // The article's sizes on every profile, n = 10**6, boxed and packed.
    for p in PROFILES {
        for c in [
            r#""container":"list_append","values":{"kind":"int_range","start":0}"#,
            r#""container":"ndarray","dtype":"uint64","values":{"kind":"constant","value":0}"#,
        ] {
            let json = format!(r#"{{{c},"n":1000000,"profile":"{p}"}}"#);
            let r = run_lab(JSON::parse(&json).unwrap(), JsValue::UNDEFINED).unwrap();
            assert_eq!(
                num(&r, "requested"),
                num(&r, "model.requested"),
                "requested for {json}"
            );
            assert_eq!(
                num(&r, "allocated"),
                num(&r, "model.allocated"),
                "allocated for {json}"
            );
            assert_eq!(
                num(&r, "sums.boxed.ints"),
                num(&r, "sums.packed.ints"),
                "traversals agree for {json}"
            );
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked} scenarios");
}

#[wasm_bindgen_test]
fn runlab_reports_heap_map_as_typed_arrays_and_rejects_bad_options() {
    let s = JSON::parse(r#"{"container":"list_append","values":{"kind":"int_range","start":1000},"n":5000,"profile":"wasm32"}"#).unwrap();
    let r = run_lab(s.clone(), JsValue::UNDEFINED).unwrap();
    let starts: js_sys::Uint32Array = get(&r, "heap.runStart").dyn_into().unwrap();
    let counts: js_sys::Uint32Array = get(&r, "heap.runCount").dyn_into().unwrap();
    assert!(starts.length() > 0);
    assert_eq!(
        counts.to_vec().iter().map(|&c| c as f64).sum::<f64>(),
        num(&r, "heapBlocks")
    );
    assert!(num(&r, "held.total") >= num(&r, "allocated"));
    // wasm32's CPython has no pymalloc: no arenas
    assert_eq!(num(&r, "held.arenas"), 0.0);
    let bad = JSON::parse(r#"{"allocator":"jemalloc"}"#).unwrap();
    let e: JsValue = run_lab(s.clone(), bad).unwrap_err().into();
    let msg = String::from(e.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(
        msg.starts_with("options.allocator: must be \"cpython\" or \"rust\""),
        "{msg}"
    );
    let rust = run_lab(
        s,
        JSON::parse(r#"{"allocator":"rust","shuffle":false}"#).unwrap(),
    )
    .unwrap();
    assert!(get(&rust, "allocated").is_null());
    assert!(get(&rust, "timesMs.traverseShuffled").is_null());
}

#[wasm_bindgen_test]
fn an_impossible_n_is_a_clear_error_not_an_abort() {
    let s = JSON::parse(r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":1000000000,"profile":"cpython-3.12"}"#).unwrap();
    let e: JsValue = run_lab(s, JsValue::UNDEFINED).unwrap_err().into();
    let msg = String::from(e.dyn_into::<js_sys::Error>().unwrap().message());
    assert!(msg.starts_with("n: this structure needs about"), "{msg}");
    assert!(
        msg.contains("MiB") && msg.contains("choose a smaller n"),
        "{msg}"
    );
    // and the module still works
    let ok = JSON::parse(r#"{"container":"tuple","values":{"kind":"int_range","start":0},"n":10,"profile":"cpython-3.12"}"#).unwrap();
    assert!(run_lab(ok, JsValue::UNDEFINED).is_ok());
}

/// Past 2 GiB of linear memory (one allocation is at most 2 GiB there, memory grows to 4 GiB):
/// 3 * 10**7 appended ints (about 2.3 GiB with the run's own bookkeeping), and 3 * 10**7 uint8
/// beside their boxed comparison (about 2.5 GiB).
#[wasm_bindgen_test]
fn structures_that_fit_in_4_gib_run() {
    for json in [
        r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":30000000,"profile":"cpython-3.12"}"#,
        r#"{"container":"ndarray","dtype":"uint8","values":{"kind":"int_mod","k":2},"n":30000000,"profile":"cpython-3.12"}"#,
    ] {
        let options = JSON::parse(r#"{"shuffle":false}"#).unwrap();
        let r = run_lab(JSON::parse(json).unwrap(), options).unwrap_or_else(|e| {
            let e: JsValue = e.into();
            panic!(
                "{json}: {:?}",
                e.dyn_into::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
            )
        });
        assert_eq!(num(&r, "requested"), num(&r, "model.requested"), "{json}");
        assert!(
            num(&r, "pages.afterBuild") * 65536.0 > 2.0 * 1024.0 * 1024.0 * 1024.0,
            "{json}"
        );
        assert_eq!(get(&r, "comparison"), JsValue::TRUE, "{json}");
    }
}

/// A packed structure whose boxed comparison cannot fit beside it (10**8 uint8: 100 MB packed,
/// about 4.8 GB as a list) runs alone, its boxed times and sums null.
#[wasm_bindgen_test]
fn a_packed_structure_too_big_to_compare_runs_alone() {
    let json = r#"{"container":"ndarray","dtype":"uint8","values":{"kind":"int_mod","k":256},"n":100000000,"profile":"cpython-3.14"}"#;
    let r = run_lab(JSON::parse(json).unwrap(), JsValue::UNDEFINED).expect("runs");
    assert_eq!(get(&r, "comparison"), JsValue::FALSE);
    assert_eq!(num(&r, "requested"), num(&r, "model.requested"));
    for t in [
        "buildBoxed",
        "traverseBoxed",
        "traverseShuffled",
        "freeBoxed",
    ] {
        assert!(get(&r, &format!("timesMs.{t}")).is_null(), "{t}");
    }
    assert!(get(&r, "sums.boxed").is_null());
    assert!(num(&r, "timesMs.traversePacked") >= 0.0);
    // The packed sum is the values' own: 10**8 / 256 rounds of 0..255, and 0..(10**8 % 256).
    let rounds = 100_000_000u64 / 256;
    let rest = 100_000_000u64 % 256;
    let want = rounds * (0..256).sum::<u64>() + (0..rest).sum::<u64>();
    assert_eq!(num(&r, "sums.packed.ints"), want as f64);
}
