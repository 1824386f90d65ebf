//! Properties of the model over random valid scenarios (proptest), issue 13's list literals,
//! computed ints, containers built from a list and views included: it never panics, the tree's
//! parents are the sums of their children and of the totals, requested <= allocated, bytes never
//! shrink as n grows, and packed int64 beats a list of non-cached ints from n = 3.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::model::scenario::{Const, Container, Dtype, Form, Typecode, Values};
use boxed_vs_packed::model::{layout, Bytes, Profile, Scenario};
use boxed_vs_packed::web::scenario::ScenarioInput;
use proptest::prelude::*;

fn profile() -> impl Strategy<Value = Profile> {
    prop::sample::select(Profile::ALL.to_vec())
}

fn values() -> impl Strategy<Value = Values> {
    prop_oneof![
        (-(1i128 << 62)..(1i128 << 62)).prop_map(|start| Values::IntRange { start }),
        (-2000i128..2000).prop_map(|start| Values::IntRange { start }),
        (-(1i128 << 40)..(1i128 << 40)).prop_map(|start| Values::FloatRange { start }),
        (1u64..5000).prop_map(|k| Values::IntMod { k }),
        (-300i128..300).prop_map(|v| Values::Constant(Const::Int(v))),
        (-1e6f64..1e6).prop_map(|v| Values::Constant(Const::Float(v))),
        ((-(1i128 << 62)..(1i128 << 62)), (-2000i128..2000))
            .prop_map(|(base, start)| Values::IntOffset { base, start }),
    ]
}

/// Issue 13's forms: none, built from a list, or a view (a shape must hold n: tested apart).
fn form() -> impl Strategy<Value = Form> {
    prop_oneof![
        Just(Form::default()),
        Just(Form {
            from_list: true,
            ..Form::default()
        }),
        prop_oneof![-50i64..0, 1i64..1000].prop_map(|k| Form {
            view_step: Some(k),
            ..Form::default()
        }),
    ]
}

fn container() -> impl Strategy<Value = Container> {
    prop_oneof![
        Just(Container::ListAppend),
        Just(Container::ListRange),
        Just(Container::ListComprehension),
        Just(Container::ListRepeat),
        Just(Container::ListLiteral),
        Just(Container::Tuple),
        prop::sample::select("bBhHiIlLqQfd".chars().collect::<Vec<_>>())
            .prop_map(|c| Container::Array(Typecode(c))),
        prop::sample::select(Dtype::ALL.to_vec()).prop_map(Container::Ndarray),
    ]
}

fn n() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..100, 0u64..100_000, 0u64..=1_000_000_000_000]
}

/// A random scenario that Python would accept (the same checks layout()'s parser makes).
fn scenario() -> impl Strategy<Value = Scenario> {
    (container(), values(), n(), profile(), form()).prop_filter_map(
        "valid",
        |(container, values, n, profile, form)| {
            valid(Scenario {
                container,
                values,
                n,
                profile,
                numpy: Default::default(),
                form,
            })
        },
    )
}

fn valid(s: Scenario) -> Option<Scenario> {
    let json = serde_json::json!({
        "container": s.container.name(),
        "values": match s.values {
            Values::IntRange { start } => serde_json::json!({"kind": "int_range", "start": start.to_string()}),
            Values::FloatRange { start } => serde_json::json!({"kind": "float_range", "start": start.to_string()}),
            Values::IntMod { k } => serde_json::json!({"kind": "int_mod", "k": k}),
            Values::IntOffset { base, start } => serde_json::json!({"kind": "int_offset", "base": base.to_string(), "start": start.to_string()}),
            Values::Constant(Const::Int(v)) => serde_json::json!({"kind": "constant", "value": v.to_string()}),
            Values::Constant(Const::Float(v)) => serde_json::json!({"kind": "constant", "value": v, "type": "float"}),
        },
        "n": s.n,
        "profile": s.profile.name(),
    });
    let mut json = json;
    if s.form.from_list {
        json["source"] = "list".into();
    }
    if let Some(k) = s.form.view_step {
        json["view"] = serde_json::json!({ "step": k });
    }
    match s.container {
        Container::Array(t) => json["typecode"] = t.0.to_string().into(),
        Container::Ndarray(d) => json["dtype"] = d.name().into(),
        _ => {}
    }
    let input: ScenarioInput = serde_json::from_value(json).unwrap();
    Scenario::try_from(input).ok()
}

fn check_tree(node: &boxed_vs_packed::model::Node) {
    assert!(
        node.bytes.requested <= node.bytes.allocated,
        "{}: requested > allocated",
        node.label
    );
    if !node.children.is_empty() {
        let sum: Bytes = node.children.iter().map(|c| c.bytes).sum();
        assert_eq!(
            sum, node.bytes,
            "{} is not the sum of its children",
            node.label
        );
        node.children.iter().for_each(check_tree);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn tree_sums_and_orders(s in scenario()) {
        let l = layout(&s);
        check_tree(&l.tree);
        prop_assert_eq!(l.tree.bytes, l.totals);
        prop_assert_eq!(l.container.bytes + l.elements.bytes, l.totals);
        prop_assert!(l.totals.requested <= l.totals.allocated);
        prop_assert!(l.elements.distinct <= l.elements.count.max(1));
    }

    #[test]
    fn bytes_never_shrink_as_n_grows(s in scenario(), step in 1u64..5000) {
        let bigger = Scenario { n: s.n + step, ..s };
        if let Some(bigger) = valid(bigger) {
            let (a, b) = (layout(&s).totals, layout(&bigger).totals);
            prop_assert!(a.getsizeof <= b.getsizeof, "getsizeof {} > {} at n {} -> {}", a.getsizeof, b.getsizeof, s.n, bigger.n);
            prop_assert!(a.requested <= b.requested, "requested {} > {}", a.requested, b.requested);
            prop_assert!(a.allocated <= b.allocated, "allocated {} > {}", a.allocated, b.allocated);
        }
    }

    #[test]
    fn int64_ndarray_beats_a_list_of_uncached_ints(n in 3u64..=1_000_000_000_000, p in profile(), start in 257i128..1_000_000) {
        let list = layout(&Scenario { container: Container::ListAppend, values: Values::IntRange { start }, n, profile: p, numpy: Default::default(), form: Default::default() });
        let arr = layout(&Scenario { container: Container::Ndarray(Dtype::Int64), values: Values::IntRange { start }, n, profile: p, numpy: Default::default(), form: Default::default() });
        prop_assert!(arr.totals.getsizeof < list.totals.getsizeof);
        prop_assert!(arr.totals.requested < list.totals.requested);
        prop_assert!(arr.totals.allocated < list.totals.allocated);
    }
}
