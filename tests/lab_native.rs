//! The lab, compiled natively: for every 64-bit profile and a grid of scenarios, the bytes the
//! lab's real allocators hand out equal the model's, to the byte, and the traversals agree.
//! (The wasm32 shape, with 4-byte addresses, is checked by the wasm tests.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::lab::heap::Mode;
use boxed_vs_packed::lab::{run, Clock, Options};
use boxed_vs_packed::model::Scenario;
use boxed_vs_packed::web::scenario::ScenarioInput;
use std::time::Instant;

fn scenario(json: &str) -> Scenario {
    try_scenario(json).unwrap()
}

/// A scenario from JSON through the same boundary type and checks as layout()'s.
fn try_scenario(json: &str) -> Result<Scenario, boxed_vs_packed::error::Error> {
    Scenario::try_from(serde_json::from_str::<ScenarioInput>(json).unwrap())
}

fn lab(s: &Scenario, mode: Mode) -> boxed_vs_packed::lab::Report {
    let t0 = Instant::now();
    let now = move || t0.elapsed().as_secs_f64() * 1000.0;
    let mut progress = |_: &str, _: u64, _: u64| true;
    run(
        s,
        &Options {
            mode,
            ..Options::default()
        },
        Clock {
            now: &now,
            progress: &mut progress,
        },
    )
    .unwrap()
}

const CONTAINERS: &[&str] = &[
    r#""container":"list_append""#,
    r#""container":"list_range""#,
    r#""container":"list_comprehension""#,
    r#""container":"tuple""#,
    r#""container":"list_literal""#,
    r#""container":"list_repeat""#,
    r#""container":"array","typecode":"q""#,
    r#""container":"array","typecode":"b""#,
    r#""container":"array","typecode":"d""#,
    r#""container":"ndarray","dtype":"int64""#,
    r#""container":"ndarray","dtype":"float16""#,
];

const VALUES: &[&str] = &[
    r#"{"kind":"int_range","start":0}"#,
    r#"{"kind":"int_range","start":-300}"#,
    r#"{"kind":"int_range","start":"1152921504606846900"}"#,
    r#"{"kind":"float_range","start":0}"#,
    r#"{"kind":"int_mod","k":100}"#,
    r#"{"kind":"int_mod","k":1000}"#,
    r#"{"kind":"constant","value":7}"#,
    r#"{"kind":"constant","value":2.5}"#,
    r#"{"kind":"int_offset","base":"1099511627776","start":0}"#,
    r#"{"kind":"int_offset","base":1073741323,"start":-5}"#,
    r#"{"kind":"int_offset","base":"-1099511627776","start":3}"#,
    r#"{"kind":"int_offset","base":100,"start":0}"#,
];

#[test]
fn measured_equals_modelled_for_every_64_bit_profile() {
    let mut checked = 0;
    for profile in [
        "cpython-3.8",
        "cpython-3.9",
        "cpython-3.10",
        "cpython-3.11",
        "cpython-3.12",
        "cpython-3.13",
        "cpython-3.14",
        "cpython-3.15",
    ] {
        let numpy_121 = [
            r#""container":"ndarray","dtype":"int64","numpy":"1.21""#,
            r#""container":"ndarray","dtype":"uint8","numpy":"1.21""#,
        ];
        let with_121 = ["cpython-3.8", "cpython-3.9", "cpython-3.10"].contains(&profile);
        let containers = CONTAINERS
            .iter()
            .chain(numpy_121.iter().filter(|_| with_121));
        for c in containers {
            for v in VALUES {
                for (n, form) in [0u64, 1, 5, 9, 100, 1000, 20_000]
                    .into_iter()
                    .flat_map(|n| {
                        [
                            String::new(),
                            r#","source":"list""#.to_owned(),
                            format!(r#","shape":[1,{n}]"#),
                            r#","view":{"step":2}"#.to_owned(),
                            r#","view":{"step":-3}"#.to_owned(),
                        ]
                        .map(move |f| (n, f))
                    })
                {
                    let json =
                        format!(r#"{{{c},"values":{v},"n":{n},"profile":"{profile}"{form}}}"#);
                    let Ok(s) = try_scenario(&json) else {
                        continue; // e.g. typecode 'b' cannot hold 0..19999
                    };
                    let r = lab(&s, Mode::CPython);
                    assert_eq!(r.requested, r.model_requested, "requested for {json}");
                    assert_eq!(r.allocated, Some(r.model_allocated), "allocated for {json}");
                    // The same values read back through pointers and from the packed buffer (ints
                    // land in the float sum for typecode 'd'; float16 rounds, so it is skipped).
                    let mixed = json.contains(r#""d""#)
                        && !json.contains("float_range")
                        && !json.contains("2.5");
                    if mixed && !json.contains("1152921504606846900") {
                        assert_eq!(
                            r.sum_boxed.unwrap().0 as f64,
                            r.sum_packed.1,
                            "sums for {json}"
                        );
                    } else if !mixed && !json.contains("float16") {
                        assert_eq!(r.sum_boxed, Some(r.sum_packed), "sums for {json}");
                    }
                    if let Some(sh) = r.sum_shuffled {
                        assert_eq!(sh.0, r.sum_boxed.unwrap().0, "shuffled sums for {json}");
                    }
                    checked += 1;
                }
            }
        }
    }
    println!("lab == model for {checked} scenarios");
    assert!(checked > 1500);
}

#[test]
fn rust_mode_requests_the_same_bytes() {
    let s = scenario(
        r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":50000,"profile":"cpython-3.12"}"#,
    );
    let r = lab(&s, Mode::Rust);
    assert_eq!(r.requested, r.model_requested);
    assert_eq!(r.allocated, None);
}

#[test]
fn pymalloc_holds_arenas_and_the_heap_map_covers_every_block() {
    let s = scenario(
        r#"{"container":"list_append","values":{"kind":"int_range","start":1000},"n":100000,"profile":"cpython-3.12"}"#,
    );
    let r = lab(&s, Mode::CPython);
    // 100,000 ints of 32 bytes in 16 KiB pools of 510 blocks: 197 pools, 4 arenas of 1 MiB.
    assert_eq!(r.pymalloc.blocks_in_use, 100_000 + 262 + 1);
    assert!(r.pymalloc.arenas >= 4, "{:?}", r.pymalloc);
    assert_eq!(r.pymalloc.arena_bytes, r.pymalloc.arenas << 20);
    assert!(r.held >= r.allocated.unwrap());
    let h = &r.heap;
    let ints: u64 = (0..h.run_what.len())
        .filter(|&i| h.run_what[i] == 12)
        .map(|i| h.run_count[i] as u64)
        .sum();
    assert_eq!(ints, 100_000);
    assert!(
        h.run_start.len() < 2000,
        "runs stay compact: {}",
        h.run_start.len()
    );
    assert!(h.region_kind.contains(&21), "pool headers are mapped");
}
