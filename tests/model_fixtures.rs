//! The model against what real CPython printed (tests/fixtures, recorded by
//! scripts/measure_cpython.py and scripts/record_wasm32.mjs): sys.getsizeof figures exact to the
//! byte, tracemalloc within 256 bytes + 0.01% (interpreter noise), and the Python code the model
//! shows identical to the code that was measured.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::model::{code, layout, Scenario};
use boxed_vs_packed::web::scenario::ScenarioInput;
use serde_json::Value;

struct Tally {
    records: usize,
    traced_exact: usize,
    traced_worst: u64,
    figures: usize,
    failures: Vec<String>,
}

fn check_file(path: &std::path::Path, t: &mut Tally) {
    let text = std::fs::read_to_string(path).expect("fixture readable");
    let doc: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let records = doc["records"].as_array().expect("records array");
    assert!(
        records.len() > 100,
        "{} has too few records",
        path.display()
    );
    for rec in records {
        t.records += 1;
        let input: ScenarioInput =
            serde_json::from_value(rec["scenario"].clone()).expect("scenario");
        let s = match Scenario::try_from(input) {
            Ok(s) => s,
            Err(e) => {
                t.failures.push(format!(
                    "{}: rejected {}: {e}",
                    path.display(),
                    rec["scenario"]
                ));
                continue;
            }
        };
        let l = layout(&s);
        let want = |k: &str| rec[k].as_u64().expect(k);
        let mut fail = |what: &str, got: u64, expected: u64| {
            t.failures.push(format!(
                "{} {}: {what} model {got} != CPython {expected}\n    {}",
                s.profile.name(),
                rec["scenario"],
                rec["code"].as_str().unwrap_or("").replace('\n', " | ")
            ));
        };
        let exact = [
            (
                "sys.getsizeof(x)",
                l.container.bytes.getsizeof,
                want("getsizeofContainer"),
            ),
            (
                "sum of getsizeof(elements)",
                l.elements.bytes.getsizeof,
                want("getsizeofElements"),
            ),
            ("element count", l.elements.count, want("elementsCount")),
            (
                "distinct elements",
                l.elements.distinct,
                want("elementsDistinct"),
            ),
        ];
        for (what, got, expected) in exact {
            t.figures += 1;
            if got != expected {
                fail(what, got, expected);
            }
        }
        t.figures += 1;
        let traced = want("tracemalloc");
        let tolerance = 256 + traced / 10_000;
        let diff = l.totals.requested.abs_diff(traced);
        t.traced_exact += usize::from(diff == 0);
        t.traced_worst = t.traced_worst.max(diff);
        if l.totals.requested.abs_diff(traced) > tolerance {
            fail("tracemalloc", l.totals.requested, traced);
        }
        t.figures += 1;
        // A long list literal's code is kept abbreviated in the fixture (its first items, …, the
        // last); the model writes all of it.
        if rec["codeAbbreviated"].as_bool() == Some(true) {
            let real = rec["code"].as_str().expect("code");
            let model = code::build_code(&s);
            let (head, last) = real.split_once(", …, ").expect("an abbreviated display");
            if !(model.starts_with(head) && model.ends_with(last)) {
                t.failures.push(format!(
                    "code differs:\n  model: {model:.200}…\n  real:  {real:?}"
                ));
            }
        } else if code::setup_code(&s).as_deref() != rec["setup"].as_str() {
            t.failures.push(format!(
                "setup differs:\n  model: {:?}\n  real:  {:?}",
                code::setup_code(&s),
                rec["setup"]
            ));
        } else if code::build_code(&s) != rec["code"].as_str().expect("code") {
            t.failures.push(format!(
                "code differs:\n  model: {:?}\n  real:  {:?}",
                code::build_code(&s),
                rec["code"]
            ));
        }
    }
}

/// Every fixture file in `dir` checked; the tally printed with `what`, and the test failed on
/// any figure that differs.
fn check_dir(dir: &str, min_files: usize, what: &str) -> Tally {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fixture directory exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut t = Tally {
        records: 0,
        traced_exact: 0,
        traced_worst: 0,
        figures: 0,
        failures: vec![],
    };
    for f in &files {
        check_file(f, &mut t);
    }
    println!(
        "{what}: checked {} figures in {} records from {} files; tracemalloc exact to the byte in \
         {} records, worst difference {} bytes",
        t.figures,
        t.records,
        files.len(),
        t.traced_exact,
        t.traced_worst
    );
    assert!(files.len() >= min_files, "{what}: {} files", files.len());
    if !t.failures.is_empty() {
        for f in t.failures.iter().take(40) {
            eprintln!("{f}");
        }
        panic!(
            "{} of {} figures differ from real CPython",
            t.failures.len(),
            t.figures
        );
    }
    t
}

/// tests/fixtures: every container, value kind and profile (CPython 3.8 to 3.15, wasm32, NumPy
/// 1.21), recorded by scripts/measure_cpython.py and scripts/record_wasm32.mjs.
#[test]
fn model_matches_every_recorded_cpython_figure() {
    // at least three CPython versions plus wasm32
    check_dir("tests/fixtures", 4, "tests/fixtures");
}

/// Issue 13's fixtures: the code people actually write (tests/fixtures/code, recorded by
/// scripts/measure_code.py): list literals, ints computed by addition, containers built from a
/// list, ndarray shapes and views, on every profile where each applies.
#[test]
fn model_matches_the_code_people_write() {
    // every profile has its file
    check_dir("tests/fixtures/code", 10, "tests/fixtures/code");
}
