//! The object diagram agrees with layout(): for every container, profile and kind of values at
//! n = 0..=12, its boxes sum to layout()'s container and element figures under all three
//! accountings, there are as many element boxes as distinct objects, each box's fields fill it
//! exactly, and every pointer slot points at a box.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use boxed_vs_packed::model::diagram::{diagram, Role, DIAGRAM_MAX_N};
use boxed_vs_packed::model::scenario::{
    Const, Container, Dims, Dtype, Form, Numpy, Typecode, Values, MAX_SHAPE_DIMS,
};
use boxed_vs_packed::model::{layout, Bytes, Kind, Profile, Scenario};

fn containers() -> Vec<Container> {
    let mut out = vec![
        Container::ListAppend,
        Container::ListRange,
        Container::ListComprehension,
        Container::ListRepeat,
        Container::ListLiteral,
        Container::Tuple,
    ];
    out.extend(
        "bBhHiIlLqQfd"
            .chars()
            .map(|c| Container::Array(Typecode(c))),
    );
    out.extend(Dtype::ALL.map(Container::Ndarray));
    out
}

fn values() -> Vec<Values> {
    vec![
        Values::IntRange { start: 0 },
        Values::IntRange { start: -7 },
        Values::IntRange { start: 250 },
        Values::IntRange { start: 1020 },
        Values::IntRange { start: 1000 },
        Values::IntRange {
            start: (1 << 30) - 4,
        },
        Values::IntRange { start: 1 << 40 },
        Values::IntRange { start: 1 << 62 },
        Values::FloatRange { start: 0 },
        Values::FloatRange { start: -3 },
        Values::IntMod { k: 3 },
        Values::IntOffset {
            base: 1 << 40,
            start: 0,
        },
        Values::IntOffset {
            base: 1000,
            start: -3,
        },
        Values::IntOffset {
            base: -(1 << 30),
            start: 2,
        },
        Values::IntMod { k: 300 },
        Values::IntMod { k: 1100 },
        Values::Constant(Const::Int(7)),
        Values::Constant(Const::Int(5000)),
        Values::Constant(Const::Int(1 << 40)),
        Values::Constant(Const::Float(2.5)),
    ]
}

/// Every valid scenario of the grid.
fn grid() -> Vec<Scenario> {
    let mut out = Vec::new();
    for profile in Profile::ALL {
        for container in containers() {
            for values in values() {
                for numpy in [Numpy::V2, Numpy::V121] {
                    for n in 0..=DIAGRAM_MAX_N {
                        let plain = Scenario {
                            container,
                            values,
                            n,
                            profile,
                            numpy,
                            form: Default::default(),
                        };
                        // Issue 13's forms: from a list, a reshape, a view.
                        let mut dims = [0; MAX_SHAPE_DIMS];
                        dims[..2].copy_from_slice(&[1, n]);
                        let forms = [
                            Form::default(),
                            Form {
                                from_list: true,
                                ..Form::default()
                            },
                            Form {
                                shape: Some(Dims { nd: 2, dims }),
                                ..Form::default()
                            },
                            Form {
                                view_step: Some(2),
                                ..Form::default()
                            },
                            Form {
                                view_step: Some(-1),
                                ..Form::default()
                            },
                        ];
                        for form in forms {
                            let s = Scenario { form, ..plain };
                            if s.check_values_fit().is_ok() {
                                out.push(s);
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

fn sum(bytes: impl Iterator<Item = Bytes>) -> Bytes {
    bytes.fold(Bytes::ZERO, |a, b| a + b)
}

#[test]
fn the_diagram_adds_up_to_layout() {
    let scenarios = grid();
    assert!(scenarios.len() > 10_000, "{} scenarios", scenarios.len());
    for s in scenarios {
        let l = layout(&s);
        let d = diagram(&s);
        let what = format!("{s:?}");
        assert!(d.complete);
        let is_element = |r: Role, label: &str| {
            r == Role::Element || (r == Role::Shared && !label.contains("tuple"))
        };
        let container = sum(d
            .objects
            .iter()
            .filter(|o| !is_element(o.role, &o.label))
            .map(|o| o.bytes));
        assert_eq!(container, l.container.bytes, "container of {what}");
        let elements: Vec<_> = d
            .objects
            .iter()
            .filter(|o| is_element(o.role, &o.label))
            .collect();
        assert_eq!(
            sum(elements.iter().map(|o| o.bytes)),
            l.elements.bytes,
            "elements of {what}"
        );
        assert_eq!(
            elements.len() as u64,
            l.elements.distinct,
            "distinct of {what}"
        );
        if s.container.is_boxed() {
            assert_eq!(
                elements.iter().map(|o| o.refs).sum::<u64>(),
                s.n,
                "arrows of {what}"
            );
        }
        for o in &d.objects {
            // The fields fill the box, one after another, to the byte.
            let mut at = 0;
            for f in &o.fields {
                assert_eq!(f.offset, at, "{} of {} in {what}", f.name, o.label);
                at += f.size;
                if let Some(t) = f.target {
                    assert!(t < d.objects.len());
                }
            }
            let filled = o.bytes.allocated.max(o.bytes.getsizeof);
            assert_eq!(at, filled, "fields of {} in {what}", o.label);
            assert!(o.fields.iter().all(|f| !f.member.is_empty()), "{what}");
        }
        // Each new element is one of the tree's objects of its group, byte for byte.
        for o in elements.iter().filter(|o| o.role == Role::Element) {
            let found = l.tree.children.iter().any(|g| {
                g.kind == Kind::Objects && g.count > 0 && g.bytes.times(1) == o.bytes.times(g.count)
            });
            assert!(found, "{} of {what}: {:?}", o.label, o.bytes);
        }
        // Slots: n used ones, each with a box to point at (boxed) or a value (packed).
        let slots: Vec<_> = d
            .objects
            .iter()
            .flat_map(|o| &o.fields)
            .filter(|f| matches!(f.kind, Kind::Slots) || (f.value.is_some()))
            .collect();
        // (a view's values are its base's, which is not x's; a reshape's base reusing NumPy
        // 1.21's cached buffer has no new bytes to draw)
        let mut values = false;
        l.tree
            .walk(&mut |node, _| values |= node.kind == Kind::Payload && node.label == "values");
        let drawn = if s.container.is_boxed() || values {
            s.n
        } else {
            0
        };
        assert_eq!(slots.len() as u64, drawn, "slots of {what}");
        if s.container.is_boxed() {
            assert!(slots.iter().all(|f| f.target.is_some()), "{what}");
        }
    }
}

#[test]
fn shared_objects_are_drawn_once() {
    let s = Scenario {
        container: Container::ListAppend,
        values: Values::IntMod { k: 3 },
        n: 12,
        profile: Profile::Py312,
        numpy: Numpy::V2,
        form: Default::default(),
    };
    let d = diagram(&s);
    let shared: Vec<_> = d
        .objects
        .iter()
        .filter(|o| o.role == Role::Shared)
        .collect();
    assert_eq!(shared.len(), 3);
    assert!(shared.iter().all(|o| o.refs == 4 && o.bytes.allocated == 0));
    // 3.15's cache reaches 1024: 1000..1005 are shared there, new objects on 3.14.
    let at = |profile| {
        diagram(&Scenario {
            values: Values::IntRange { start: 1000 },
            n: 5,
            profile,
            ..s
        })
    };
    assert_eq!(
        at(Profile::Py315)
            .objects
            .iter()
            .filter(|o| o.role == Role::Shared)
            .count(),
        5
    );
    assert_eq!(
        at(Profile::Py314)
            .objects
            .iter()
            .filter(|o| o.role == Role::Element)
            .count(),
        5
    );
}

#[test]
fn fields_follow_the_profile() {
    let names = |s: &Scenario, i: usize| -> Vec<String> {
        diagram(s).objects[i]
            .fields
            .iter()
            .map(|f| f.name.to_string())
            .collect()
    };
    let base = Scenario {
        container: Container::Tuple,
        values: Values::IntRange { start: 1000 },
        n: 2,
        profile: Profile::Py314,
        numpy: Numpy::V2,
        form: Default::default(),
    };
    assert!(names(&base, 0).contains(&"ob_hash".to_string()));
    let t313 = Scenario {
        profile: Profile::Py313,
        ..base
    };
    assert!(!names(&t313, 0).contains(&"ob_hash".to_string()));
    // Elements: lv_tag on 3.12+, ob_size before.
    assert!(names(&base, 1).contains(&"lv_tag".to_string()));
    let t311 = Scenario {
        profile: Profile::Py311,
        ..base
    };
    assert!(names(&t311, 1).contains(&"ob_size".to_string()));
    // wasm32: 4-byte pointers.
    let w = diagram(&Scenario {
        profile: Profile::Wasm314,
        ..base
    });
    assert_eq!(w.pointer_bytes, 4);
    assert!(w.objects[1].fields.iter().take(3).all(|f| f.size == 4));
    // Past the limit: the container's header only.
    let big = diagram(&Scenario {
        n: 1_000_000,
        ..base
    });
    assert!(!big.complete);
    assert_eq!(big.objects.len(), 1);
}
