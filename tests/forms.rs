//! Issue 13's vocabulary at the boundary: each bad field is refused with an error that names it
//! and says what is allowed, and a combination that does not fit resolves to the nearest valid
//! scenario, saying what changed.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::model::{layout, Scenario};
use boxed_vs_packed::web::scenario::ScenarioInput;

fn parse(json: &str) -> Result<Scenario, String> {
    let input: ScenarioInput = serde_json::from_str(json).expect("JSON");
    Scenario::try_from(input).map_err(|e| e.to_string())
}

fn fields(json: &str) -> Scenario {
    let input: ScenarioInput = serde_json::from_str(json).expect("JSON");
    input.fields().expect("each field valid")
}

#[test]
fn bad_fields_are_named_with_what_is_allowed() {
    let cases = [
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","shape":[3,4]}"#,
            "shape: applies only to container \"ndarray\"",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","shape":[5,3]}"#,
            "shape: the dimensions must multiply to n = 12, but [5, 3] holds 15",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","view":{"step":0}}"#,
            "view.step: must not be 0",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","view":{"stride":2}}"#,
            "view.stride: unknown field; a view has only a step",
        ),
        (
            r#"{"container":"list_literal","values":{"kind":"int_range","start":0},"n":10001,"profile":"cpython-3.12"}"#,
            "n: a list_literal is written out in full, so n must be at most 10,000 (got 10,001)",
        ),
        (
            r#"{"container":"list_append","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","source":"list"}"#,
            "source: \"list\" applies to list_range (list(src)), tuple (tuple(src)), array",
        ),
        (
            r#"{"container":"tuple","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","source":"dict"}"#,
            "source: must be \"list\"",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_offset","base":1000,"start":0},"n":12,"profile":"cpython-3.12"}"#,
            "values.kind: int_offset (ints computed as base + i) applies to the list and tuple containers",
        ),
        (
            r#"{"container":"tuple","values":{"kind":"int_offset","base":1000},"n":12,"profile":"cpython-3.12"}"#,
            "values.start: missing",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","shape":[1,2,1,2,1,3,1,1]}"#,
            "shape: must have 1 to 7 dimensions (got 8)",
        ),
        (
            r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":12,"profile":"cpython-3.12","shape":"3x4"}"#,
            "shape: must be a list of whole numbers",
        ),
    ];
    for (json, want) in cases {
        let err = parse(json).expect_err(json);
        assert!(
            err.starts_with(want),
            "{json}\n  got: {err}\n want: {want}…"
        );
    }
}

#[test]
fn combinations_resolve_to_the_nearest_valid_scenario() {
    // The slider moved n under a 2-D shape: the columns stay.
    let (s, c) = fields(
        r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":5000,"profile":"cpython-3.12","shape":[1000,1000]}"#,
    )
    .nearest_valid();
    assert_eq!(s.form.shape.unwrap().as_slice(), &[5, 1000]);
    assert_eq!(
        (c[0].field, c[0].from.as_str(), c[0].to.as_str()),
        ("shape", "1000,1000", "5,1000")
    );
    assert!(s.check_values_fit().is_ok());
    // n does not divide by the columns: one dimension.
    let (s, c) = fields(
        r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":5001,"profile":"cpython-3.12","shape":[1000,1000]}"#,
    )
    .nearest_valid();
    assert_eq!(s.form.shape, None);
    assert_eq!((c[0].field, c[0].to.as_str()), ("shape", ""));
    // A form the container does not have is dropped; a literal past 10,000 is cut to it.
    let (s, c) = fields(
        r#"{"container":"list_literal","values":{"kind":"int_range","start":0},"n":20000,"profile":"cpython-3.12","source":"list"}"#,
    )
    .nearest_valid();
    assert!(!s.form.from_list);
    assert_eq!(s.n, 10_000);
    let changed: Vec<_> = c.iter().map(|c| c.field).collect();
    assert_eq!(changed, ["source", "n"]);
    // int_offset on an ndarray: the same values, as int_range.
    let (s, c) = fields(
        r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_offset","base":1000,"start":5},"n":12,"profile":"cpython-3.12","view":{"step":3}}"#,
    )
    .nearest_valid();
    assert_eq!(
        (c[0].from.as_str(), c[0].to.as_str()),
        ("int_offset:1000:5", "int_range:1005")
    );
    assert_eq!(s.form.view_step, Some(3));
    assert!(s.check_values_fit().is_ok());
}

#[test]
fn the_tree_says_what_is_new_and_what_is_shared() {
    let labels = |json: &str| {
        let l = layout(&parse(json).unwrap());
        l.tree
            .children
            .iter()
            .map(|c| c.label.to_string())
            .collect::<Vec<_>>()
    };
    let from_list = labels(
        r#"{"container":"tuple","values":{"kind":"int_range","start":1000},"n":100,"profile":"cpython-3.12","source":"list"}"#,
    );
    assert!(
        from_list.contains(&"src's objects (shared)".to_owned()),
        "{from_list:?}"
    );
    let view = labels(
        r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":100,"profile":"cpython-3.12","view":{"step":2}}"#,
    );
    assert_eq!(
        view[0],
        "ndarray object (a view: base[::2]; the data is the base's)"
    );
    let shape = labels(
        r#"{"container":"ndarray","dtype":"int64","values":{"kind":"int_range","start":0},"n":100,"profile":"cpython-3.12","shape":[10,10]}"#,
    );
    assert_eq!(
        shape[0],
        "x.base: the arange array (made with x, owns the data)"
    );
    let literal = labels(
        r#"{"container":"list_literal","values":{"kind":"int_range","start":1000},"n":100,"profile":"cpython-3.12"}"#,
    );
    assert!(
        literal.contains(&"the literal's constants (shared)".to_owned()),
        "{literal:?}"
    );
}
