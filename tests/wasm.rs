//! The JS boundary, run as wasm under Node by wasm-bindgen-test-runner: layout() returns plain
//! objects with the documented fields, and every invalid input throws an Error whose message
//! names the field and what is allowed.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::{check_snippet, diagram, layout, python_code};
use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

fn js(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON parses")
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |acc, k| {
        Reflect::get(&acc, &k.into()).expect("field")
    })
}

fn num(v: &JsValue, path: &str) -> f64 {
    get(v, path)
        .as_f64()
        .unwrap_or_else(|| panic!("{path} is not a number"))
}

fn error_message(r: Result<JsValue, wasm_bindgen::JsError>) -> String {
    let e: JsValue = r.expect_err("should throw").into();
    let e: js_sys::Error = e.dyn_into().expect("an Error object");
    String::from(e.message())
}

const ARTICLE: &str = r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":1000000,"profile":"cpython-3.12"}"#;

#[wasm_bindgen_test]
fn layout_returns_plain_object_with_article_numbers() {
    let l = layout(js(ARTICLE)).expect("valid scenario");
    assert!(l.is_object());
    assert_eq!(
        Object::get_prototype_of(&l),
        Object::get_prototype_of(&Object::new().into())
    );
    // sys.getsizeof(x) on CPython 3.12 for this exact code
    assert_eq!(num(&l, "container.getsizeof"), 8_448_728.0);
    assert_eq!(num(&l, "elements.count"), 1_000_000.0);
    assert_eq!(num(&l, "elements.distinct"), 1_000_000.0);
    assert_eq!(
        num(&l, "elements.getsizeof"),
        28.0 * 999_743.0 + 28.0 * 257.0
    );
    assert_eq!(num(&l, "totals.requested"), 8_448_728.0 + 32.0 * 999_743.0);
    assert!(num(&l, "totals.allocated") > num(&l, "totals.requested"));
    assert_eq!(
        num(&l, "perElement.requested"),
        num(&l, "totals.requested") / 1e6
    );
    assert_eq!(get(&l, "tree.kind").as_string().as_deref(), Some("root"));
    let children = js_sys::Array::from(&get(&l, "tree.children"));
    assert!(children.length() >= 3);
    let first = children.get(0);
    assert_eq!(
        get(&first, "label").as_string().as_deref(),
        Some("list object")
    );
    assert!(get(&first, "explain")
        .as_string()
        .is_some_and(|s| s.len() > 20));
}

#[wasm_bindgen_test]
fn n_zero_has_no_per_element_figures() {
    let l = layout(js(&ARTICLE.replace("1000000", "0"))).expect("n = 0 is valid");
    assert!(get(&l, "perElement").is_null());
    assert_eq!(num(&l, "container.getsizeof"), 56.0);
}

#[wasm_bindgen_test]
fn big_values_as_strings_and_bigints() {
    let l = layout(js(r#"{"container":"list_range","values":{"kind":"int_range","start":"1152921504606846976"},"n":10,"profile":"cpython-3.12"}"#)).expect("string start");
    assert_eq!(num(&l, "elements.getsizeof"), 360.0);
    let o = js(ARTICLE);
    Reflect::set(&o, &"n".into(), &js_sys::BigInt::from(10u32).into()).expect("set");
    assert_eq!(num(&layout(o).expect("BigInt n"), "elements.count"), 10.0);
}

#[wasm_bindgen_test]
fn every_bad_input_throws_an_error_naming_the_field() {
    let cases: &[(&str, &str)] = &[
        (
            r#"{"container":"dict","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "container: unknown container \"dict\"; allowed: list_append",
        ),
        (
            r#"{"values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "container: missing",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":-1,"profile":"cpython-3.12"}"#,
            "n: must be a whole number from 0 to 1000000000000",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":1.5,"profile":"cpython-3.12"}"#,
            "(got 1.5)",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":1e13,"profile":"cpython-3.12"}"#,
            "n: must be a whole number",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":"5","profile":"cpython-3.12"}"#,
            "n: must be a whole number from 0 to 1000000000000 (10**12) (got \"5\")",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"profile":"cpython-3.12"}"#,
            "n: missing",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-2.7"}"#,
            "profile: unknown profile \"cpython-2.7\"; allowed: cpython-3.8",
        ),
        (
            r#"{"container":"array","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "typecode: missing; allowed: b, B",
        ),
        (
            r#"{"container":"array","typecode":"x","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "typecode: unknown typecode \"x\"",
        ),
        (
            r#"{"container":"ndarray","dtype":"complex128","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "dtype: unknown dtype \"complex128\"; allowed: bool, int8",
        ),
        (
            r#"{"container":"list_append","dtype":"int8","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "dtype: applies only to container \"ndarray\"",
        ),
        (
            r#"{"container":"tuple","typecode":"q","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "typecode: applies only to container \"array\"",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"primes"},"n":5,"profile":"cpython-3.12"}"#,
            "values.kind: unknown kind \"primes\"",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_mod","k":0},"n":5,"profile":"cpython-3.12"}"#,
            "values.k: must be a whole number from 1 to 1073741823",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_mod","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "values.start: does not apply to kind \"int_mod\"",
        ),
        (
            r#"{"container":"list_repeat","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "values.kind: list_repeat ([value] * n) needs values.kind \"constant\"",
        ),
        (
            r#"{"container":"array","typecode":"b","values":{"kind":"int_range","start":0},"n":1000,"profile":"cpython-3.12"}"#,
            "values: typecode 'b' holds -128..127, but these values reach 0..999",
        ),
        (
            r#"{"container":"ndarray","dtype":"int8","values":{"kind":"float_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "values.kind: dtype int8 stores integers",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":9007199254740993},"n":5,"profile":"cpython-3.12"}"#,
            "values.start:",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":"9223372036854775800"},"n":100,"profile":"cpython-3.12"}"#,
            "values.start: start + n must be at most 2**63 - 1",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":"12abc"},"n":5,"profile":"cpython-3.12"}"#,
            "values.start: must be a whole number",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12","colour":"red"}"#,
            "\"colour\": unknown field; allowed fields: container",
        ),
        (r#"[1,2,3]"#, "scenario: must be an object"),
        (r#"null"#, "scenario: must be an object"),
        (
            r#"{"container":"<img src=x onerror=alert(1)>","values":{"kind":"int_range","start":0},"n":5,"profile":"cpython-3.12"}"#,
            "container: unknown container \"<img src=x onerror=alert(1)>\"",
        ),
    ];
    for (json, want) in cases {
        let msg = error_message(layout(js(json)));
        assert!(
            msg.contains(want),
            "for {json}\n  got:  {msg}\n  want: …{want}…"
        );
    }
    // NaN and Infinity cannot be written in JSON: build them in JS.
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let o = js(ARTICLE);
        Reflect::set(&o, &"n".into(), &bad.into()).expect("set");
        let msg = error_message(layout(o));
        assert!(msg.starts_with("n: must be a whole number"), "{msg}");
    }
    let long = "x".repeat(10_000);
    let msg = error_message(layout(js(&ARTICLE.replace("list_append", &long))));
    assert!(
        msg.len() < 300,
        "a 10,000-character value is not echoed back whole: {} chars",
        msg.len()
    );
}

/// What serde-wasm-bindgen cannot read, or JSON could not say, is still named by its field:
/// a BigInt past 64 bits, a function, a symbol, a cyclic object; undefined reads as absent.
#[wasm_bindgen_test]
fn values_only_js_can_hold_are_named_by_field() {
    let with = |path: &[&str], v: JsValue| {
        let o = js(ARTICLE);
        let target = path[..path.len() - 1]
            .iter()
            .fold(o.clone(), |acc, k| get(&acc, k));
        Reflect::set(&target, &(*path.last().unwrap()).into(), &v).expect("set");
        o
    };
    let big = js_sys::BigInt::new(&"1".repeat(40).into()).expect("BigInt");
    let func: JsValue = js_sys::Function::new_no_args("return 1").into();
    let sym: JsValue = js_sys::Symbol::for_("x").into();
    for (path, v, want) in [
        (&["n"][..], big.clone().into(), "n: must be a whole number"),
        (&["n"], func.clone(), "n: must be a whole number"),
        (&["container"], sym.clone(), "container: must be a string"),
        (
            &["values", "start"],
            big.into(),
            "values.start: must be a whole number",
        ),
        (&["profile"], func.clone(), "profile: must be a string"),
        (&["banana"], func.clone(), "\"banana\": unknown field"),
    ] {
        let msg = error_message(layout(with(path, v)));
        assert!(msg.starts_with(want), "{path:?}: {msg}");
        assert!(msg.len() < 300, "{msg}");
    }
    // A cycle: values.self = values. Read to a fixed depth, then named, never a stack overflow.
    let o = js(ARTICLE);
    let values = get(&o, "values");
    Reflect::set(&values, &"again".into(), &values).expect("set");
    let msg = error_message(layout(o));
    assert!(msg.starts_with("values.again: does not apply"), "{msg}");
    // A cycle, or 5,000 levels, under a field the scenario does not have: refused by its name
    // before anything is read (it used to overrun the stack and trap the instance).
    let o = js(ARTICLE);
    Reflect::set(&o, &"me".into(), &o).expect("set");
    let msg = error_message(layout(o));
    assert!(msg.starts_with("\"me\": unknown field"), "{msg}");
    let deep = js(&format!(
        r#"{{"container":"list_append","values":{{"kind":"int_range","start":0}},"n":5,"profile":"cpython-3.12","extra":{}1{}}}"#,
        "[".repeat(5000),
        "]".repeat(5000)
    ));
    let msg = error_message(layout(deep));
    assert!(msg.starts_with("\"extra\": unknown field"), "{msg}");
    let msg = error_message(boxed_vs_packed::resolve_scenario({
        let o = js(ARTICLE);
        Reflect::set(&o, &"me".into(), &o).expect("set");
        o
    }));
    assert!(msg.starts_with("\"me\": unknown field"), "{msg}");
    assert!(layout(js(ARTICLE)).is_ok(), "the instance still works");
    // undefined (and null) read as absent: an optional field left undefined is fine.
    let o = js(ARTICLE);
    Reflect::set(&o, &"typecode".into(), &JsValue::UNDEFINED).expect("set");
    Reflect::set(&o, &"banana".into(), &JsValue::UNDEFINED).expect("set");
    assert_eq!(
        num(&layout(o).expect("undefined is absent"), "elements.count"),
        1e6
    );
}

#[wasm_bindgen_test]
fn code_exports() {
    assert_eq!(
        python_code(js(ARTICLE)).expect("code"),
        "x = []\nfor i in range(0, 0 + n):\n    x.append(i)"
    );
    let snippet = check_snippet(js(ARTICLE)).expect("snippet");
    assert!(snippet.contains("tracemalloc.start()"));
    assert!(snippet.contains("expected 8448728"));
    assert!(python_code(JsValue::UNDEFINED).is_err());
}

/// float16 past 65504 is inf in NumPy, which warns: the result says so (issue example).
#[wasm_bindgen_test]
fn float16_overflow_is_a_warning_in_the_result() {
    let l = layout(js(r#"{"container":"ndarray","dtype":"float16","values":{"kind":"float_range","start":327295095},"n":195,"profile":"cpython-3.13"}"#)).unwrap();
    let w = js_sys::Array::from(&get(&l, "warnings"));
    assert_eq!(w.length(), 1);
    let text = w.get(0).as_string().unwrap();
    assert!(text.contains("float16 holds at most 65504"), "{text}");
    assert!(text.contains("overflow encountered in cast"), "{text}");
    let fine = layout(js(r#"{"container":"ndarray","dtype":"float16","values":{"kind":"float_range","start":0},"n":195,"profile":"cpython-3.13"}"#)).unwrap();
    assert_eq!(js_sys::Array::from(&get(&fine, "warnings")).length(), 0);
}

/// The messages the hostile-input pass found imprecise.
#[wasm_bindgen_test]
fn exact_messages_for_edge_values() {
    let with_values = |v: &str| {
        js(&format!(
            r#"{{"container":"list_repeat","values":{v},"n":5,"profile":"cpython-3.12"}}"#
        ))
    };
    let msg = error_message(layout(js(
        r#"{"container":"list_append","values":{"kind":"int_range","start":"-9223372036854775809"},"n":5,"profile":"cpython-3.12"}"#,
    )));
    assert!(
        msg.contains("from -9223372036854775808") && msg.contains("(got -9223372036854775809)"),
        "{msg}"
    );
    let msg = error_message(layout(with_values(r#"{"kind":"constant","value":1e308}"#)));
    assert!(msg.contains(r#"add type: "float""#), "{msg}");
    let f = layout(with_values(
        r#"{"kind":"constant","value":1e308,"type":"float"}"#,
    ))
    .unwrap();
    assert_eq!(num(&f, "elements.distinct"), 1.0);
    // A marker object from the old JSON path is an object, not a number.
    let msg = error_message(layout(with_values(
        r#"{"kind":"constant","value":{"\u0001num":""}}"#,
    )));
    assert!(
        msg.starts_with("values.value:") && msg.contains("(got an object)"),
        "{msg}"
    );
}

/// resolveScenario: the nearest valid scenario and what changed, for the widget.
#[wasm_bindgen_test]
fn resolve_scenario_repairs_combinations_and_names_changes() {
    let r = boxed_vs_packed::resolve_scenario(js(
        r#"{"container":"array","typecode":"b","values":{"kind":"int_range","start":0},"n":1000000,"profile":"cpython-3.14"}"#,
    ))
    .unwrap();
    let c = js_sys::Array::from(&get(&r, "changes")).get(0);
    assert_eq!(get(&c, "field").as_string().as_deref(), Some("values"));
    assert_eq!(get(&c, "from").as_string().as_deref(), Some("int_range:0"));
    assert_eq!(get(&c, "to").as_string().as_deref(), Some("int_mod:128"));
    assert!(get(&c, "why")
        .as_string()
        .is_some_and(|w| w.contains("holds -128..127")));
    // The changed scenario is valid (in layout()'s own shape: i % 128).
    let fixed = js(
        r#"{"container":"array","typecode":"b","values":{"kind":"int_mod","k":128},"n":1000000,"profile":"cpython-3.14"}"#,
    );
    assert!(layout(fixed).is_ok());
    // A valid scenario needs no change; a bad field still throws, naming it.
    let ok = boxed_vs_packed::resolve_scenario(js(ARTICLE)).unwrap();
    assert_eq!(js_sys::Array::from(&get(&ok, "changes")).length(), 0);
    let msg = error_message(boxed_vs_packed::resolve_scenario(js(
        &ARTICLE.replace("list_append", "dict")
    )));
    assert!(msg.starts_with("container: unknown container"), "{msg}");
}

#[wasm_bindgen_test]
fn diagram_returns_boxes_and_fields_in_bytes() {
    let s = r#"{"container":"list_append","values":{"kind":"int_mod","k":3},"n":6,"profile":"cpython-3.12"}"#;
    let d = diagram(js(s)).expect("valid scenario");
    let l = layout(js(s)).expect("valid scenario");
    assert_eq!(num(&d, "n"), 6.0);
    assert_eq!(num(&d, "maxN"), 12.0);
    assert_eq!(get(&d, "complete").as_bool(), Some(true));
    assert_eq!(num(&d, "pointerBytes"), 8.0);
    let objects = js_sys::Array::from(&get(&d, "objects"));
    // the list, its pointer array, and the small ints 0, 1, 2 once each
    assert_eq!(objects.length(), 2 + 3);
    let list = objects.get(0);
    assert_eq!(get(&list, "role").as_string().as_deref(), Some("container"));
    let fields = js_sys::Array::from(&get(&list, "fields"));
    let ob_item = fields.get(4);
    assert_eq!(
        get(&ob_item, "name").as_string().as_deref(),
        Some("ob_item")
    );
    assert_eq!(
        get(&ob_item, "member").as_string().as_deref(),
        Some("PyListObject.ob_item")
    );
    assert_eq!(
        get(&ob_item, "source").as_string().as_deref(),
        Some("Include/cpython/listobject.h")
    );
    assert_eq!(num(&ob_item, "offset"), 40.0);
    assert_eq!(num(&ob_item, "size"), 8.0);
    assert_eq!(num(&ob_item, "target"), 1.0);
    assert!(get(&ob_item, "value").is_null());
    let container: f64 = (0..2).map(|i| num(&objects.get(i), "allocated")).sum();
    assert_eq!(container, num(&l, "container.allocated"));
    for i in 2..5 {
        let o = objects.get(i);
        assert_eq!(get(&o, "role").as_string().as_deref(), Some("shared"));
        assert_eq!(num(&o, "refs"), 2.0);
    }
    assert!(error_message(diagram(js(r#"{"container":"list","values":{"kind":"int_range","start":0},"n":1,"profile":"cpython-3.12"}"#))).starts_with("container"));
}
