//! The nearest valid scenario, for a widget that must always draw something. Each field may be
//! fine on its own while the combination is one Python refuses ([value] * n of a range, values
//! past what a narrow typecode holds, NumPy 1.21 on CPython 3.12). The rule, stated in the
//! README: the container, its type, n and the Python are kept as asked; the values (and NumPy)
//! give way, as little as makes the scenario valid, and every change is reported.

use super::num::float_text;
use super::scenario::{Const, Container, Dims, Numpy, Scenario, Values, MAX_K, MAX_LITERAL_N};

/// One change the resolution made: the field, its value before and after (as the page's URL
/// writes them), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub field: &'static str,
    pub from: String,
    pub to: String,
    pub why: String,
}

/// Values as the page's URL and attributes write them: "int_range:0", "constant:2.5".
pub fn values_text(v: Values) -> String {
    match v {
        Values::IntRange { start } => format!("int_range:{start}"),
        Values::FloatRange { start } => format!("float_range:{start}"),
        Values::IntMod { k } => format!("int_mod:{k}"),
        Values::IntOffset { base, start } => format!("int_offset:{base}:{start}"),
        Values::Constant(Const::Int(i)) => format!("constant:{i}"),
        // A float keeps a point or an exponent, so that it reads back as a float.
        Values::Constant(Const::Float(f)) => {
            let t = float_text(f);
            if t.contains(['.', 'e']) {
                format!("constant:{t}")
            } else {
                format!("constant:{t}.0")
            }
        }
    }
}

const I64_MAX: i128 = i64::MAX as i128;

/// A shape as the page's URL and attributes write it: "1000,1000".
pub fn shape_text(d: &Dims) -> String {
    let dims: Vec<String> = d.as_slice().iter().map(|x| x.to_string()).collect();
    dims.join(",")
}

impl Scenario {
    /// Issue 13's forms give way like the values: one the container does not have is dropped,
    /// a second form is dropped for the first, and a shape that does not hold n keeps its
    /// trailing dimensions with a first one that makes it hold n (or is dropped when n does
    /// not divide by them: a slider moving n keeps the columns of a 2-D array).
    fn resolve_form(&mut self, changes: &mut Vec<Change>) {
        let ndarray = matches!(self.container, Container::Ndarray(_));
        let drop = |changes: &mut Vec<Change>, field: &'static str, from: String, why: String| {
            changes.push(Change {
                field,
                from,
                to: String::new(),
                why,
            });
        };
        if self.form.from_list
            && !matches!(
                self.container,
                Container::ListRange
                    | Container::Tuple
                    | Container::Array(_)
                    | Container::Ndarray(_)
            )
        {
            drop(
                changes,
                "source",
                "list".into(),
                format!("{} is not built from a list", self.container.name()),
            );
            self.form.from_list = false;
        }
        if let Some(d) = self.form.shape {
            if !ndarray || self.form.from_list {
                let why = if ndarray {
                    "a shape and a source list are separate forms: the list is kept"
                } else {
                    "only an ndarray has a shape"
                };
                drop(changes, "shape", shape_text(&d), why.into());
                self.form.shape = None;
            } else {
                let tail: u64 = d.as_slice()[1..].iter().product();
                let held = d.as_slice().iter().try_fold(1u64, |a, &x| a.checked_mul(x));
                if held != Some(self.n) {
                    if tail > 0 && self.n % tail == 0 {
                        let mut to = d;
                        to.dims[0] = self.n / tail;
                        changes.push(Change {
                            field: "shape",
                            from: shape_text(&d),
                            to: shape_text(&to),
                            why: format!(
                                "the dimensions must multiply to n = {}: the first one changed",
                                self.n
                            ),
                        });
                        self.form.shape = Some(to);
                    } else {
                        drop(
                            changes,
                            "shape",
                            shape_text(&d),
                            format!(
                                "n = {} does not fill the trailing dimensions: one dimension, as \
                                 np.arange makes it",
                                self.n
                            ),
                        );
                        self.form.shape = None;
                    }
                }
            }
        }
        if let Some(k) = self.form.view_step {
            if !ndarray || self.form.from_list || self.form.shape.is_some() {
                let why = if ndarray {
                    "a view and a shape or source list are separate forms: the other is kept"
                } else {
                    "only an ndarray is viewed with base[::step] here"
                };
                drop(changes, "view", k.to_string(), why.into());
                self.form.view_step = None;
            }
        }
    }
}

impl Scenario {
    /// The integer range the container's element type holds, if it stores integers.
    fn int_type(&self) -> Option<(i128, i128, String)> {
        match self.container {
            Container::Array(tc) if !tc.is_float() => {
                let (lo, hi) = tc.int_range(self.profile);
                Some((lo, hi, format!("typecode '{}'", tc.0)))
            }
            Container::Ndarray(dt) if !dt.is_float() => {
                let (lo, hi) = dt.int_range();
                Some((lo, hi, format!("dtype {}", dt.name())))
            }
            _ => None,
        }
    }

    /// The nearest scenario Python accepts, and what changed to get there (nothing, for a
    /// valid one). Field values must each be valid already (`TryFrom<ScenarioInput>` checks
    /// them); only their combination is repaired.
    pub fn nearest_valid(self) -> (Scenario, Vec<Change>) {
        let mut s = self;
        let mut changes = Vec::new();
        s.resolve_form(&mut changes);
        // A list literal is written out: n up to MAX_LITERAL_N (the one case where n gives way,
        // since no values make a longer display valid).
        if s.container == Container::ListLiteral && s.n > MAX_LITERAL_N {
            changes.push(Change {
                field: "n",
                from: s.n.to_string(),
                to: MAX_LITERAL_N.to_string(),
                why: format!("a list_literal is written out in full, up to {MAX_LITERAL_N} items"),
            });
            s.n = MAX_LITERAL_N;
        }
        let mut set_values = |s: &mut Scenario, to: Values, why: String| {
            changes.push(Change {
                field: "values",
                from: values_text(s.values),
                to: values_text(to),
                why,
            });
            s.values = to;
        };
        // int_offset computes ints by addition, in lists and tuples only: a packed container
        // stores the same values, as int_range from base + start.
        if let Values::IntOffset { base, start } = s.values {
            if !s.container.is_boxed() {
                set_values(
                    &mut s,
                    Values::IntRange {
                        start: base + start,
                    },
                    "int_offset applies to lists and tuples: the same values, as int_range".into(),
                );
            }
        }
        // [value] * n repeats one value: the first of the values asked for.
        if s.container == Container::ListRepeat
            && !matches!(s.values, Values::Constant(_) | Values::IntOffset { .. })
        {
            let first = match s.values {
                Values::IntRange { start } => Const::Int(start),
                Values::FloatRange { start } => Const::Float(start as f64),
                _ => Const::Int(0),
            };
            set_values(
                &mut s,
                Values::Constant(first),
                "[value] * n repeats one value: the first of the values asked for".into(),
            );
        }
        // start + n stays within C long (range() and NumPy need it).
        if let Values::IntRange { start }
        | Values::FloatRange { start }
        | Values::IntOffset { start, .. } = s.values
        {
            if start + s.n as i128 > I64_MAX {
                let lowered = I64_MAX - s.n as i128;
                let to = match s.values {
                    Values::IntRange { .. } => Values::IntRange { start: lowered },
                    Values::IntOffset { base, .. } => Values::IntOffset {
                        base,
                        start: lowered,
                    },
                    _ => Values::FloatRange { start: lowered },
                };
                set_values(&mut s, to, "start + n must stay within 2**63 - 1".into());
            }
        }
        if let Some((lo, hi, what)) = s.int_type() {
            // An integer type stores ints: the same values, as ints.
            // A float constant goes straight to the int the type can hold: one change, not two.
            let as_ints = match s.values {
                Values::FloatRange { start } => Some((Values::IntRange { start }, false)),
                Values::Constant(Const::Float(f)) => {
                    let int = f.trunc() as i128;
                    let held = int.clamp(lo, hi);
                    Some((Values::Constant(Const::Int(held)), held != int))
                }
                _ => None,
            };
            if let Some((to, clamped)) = as_ints {
                let why = if clamped {
                    format!(
                        "{what} stores integers in {lo}..{hi}: the value as the nearest of them"
                    )
                } else {
                    format!("{what} stores integers: the same values as ints")
                };
                set_values(&mut s, to, why);
            }
            // Values past the type's range: i % m, which fits, or a constant clamped into it.
            if let Some((a, b)) = s.values.int_bounds(s.n) {
                if a < lo || b > hi {
                    let to = match s.values {
                        Values::Constant(Const::Int(v)) => {
                            Values::Constant(Const::Int(v.clamp(lo, hi)))
                        }
                        _ => Values::IntMod {
                            k: (hi + 1).min(MAX_K as i128) as u64,
                        },
                    };
                    let why = match to {
                        Values::IntMod { k } => {
                            format!(
                                "{what} holds {lo}..{hi}, so the values became i % {k}, which fit"
                            )
                        }
                        _ => format!("{what} holds {lo}..{hi}: the value clamped into it"),
                    };
                    set_values(&mut s, to, why);
                }
            }
        }
        // NumPy 1.21 only where it installs (and only an ndarray has a NumPy).
        if s.numpy == Numpy::V121 {
            let why = if !matches!(s.container, Container::Ndarray(_)) {
                Some("only an ndarray has a NumPy".to_owned())
            } else if !s.profile.has_numpy_121() {
                Some(format!(
                    "NumPy 1.21 installs on CPython 3.7 to 3.10 only, not on {}",
                    s.profile.name()
                ))
            } else {
                None
            };
            if let Some(why) = why {
                changes.push(Change {
                    field: "numpy",
                    from: Numpy::V121.name().into(),
                    to: Numpy::V2.name().into(),
                    why,
                });
                s.numpy = Numpy::V2;
            }
        }
        (s, changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scenario::{Dtype, Typecode};
    use crate::model::Profile;

    fn scenario(container: Container, values: Values, n: u64) -> Scenario {
        Scenario {
            container,
            values,
            n,
            ..Scenario::article()
        }
    }

    #[test]
    fn the_issue_examples_resolve_with_their_reasons() {
        let (s, c) =
            scenario(Container::ListRepeat, Values::IntRange { start: 0 }, 1000).nearest_valid();
        assert_eq!(s.values, Values::Constant(Const::Int(0)));
        assert_eq!(
            (c[0].from.as_str(), c[0].to.as_str()),
            ("int_range:0", "constant:0")
        );
        let (s, c) = scenario(
            Container::Array(Typecode('b')),
            Values::IntRange { start: 0 },
            1_000_000,
        )
        .nearest_valid();
        assert_eq!(s.values, Values::IntMod { k: 128 });
        assert_eq!(
            c[0].why,
            "typecode 'b' holds -128..127, so the values became i % 128, which fit"
        );
        let (s, _) = scenario(
            Container::Ndarray(Dtype::Uint8),
            Values::FloatRange { start: -5 },
            10,
        )
        .nearest_valid();
        assert_eq!(s.values, Values::IntMod { k: 256 });
        let (s, _) = scenario(
            Container::Ndarray(Dtype::Int8),
            Values::Constant(Const::Int(1000)),
            10,
        )
        .nearest_valid();
        assert_eq!(s.values, Values::Constant(Const::Int(127)));
        // A float constant past the type's range: one change, straight to the nearest int held.
        let (s, c) = scenario(
            Container::Array(Typecode('h')),
            Values::Constant(Const::Float(1e300)),
            10,
        )
        .nearest_valid();
        assert_eq!(s.values, Values::Constant(Const::Int(32767)));
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].to.as_str(), c[0].why.as_str()),
            (
                "constant:32767",
                "typecode 'h' stores integers in -32768..32767: the value as the nearest of them"
            )
        );
        let (s, c) = Scenario {
            container: Container::Ndarray(Dtype::Int64),
            numpy: Numpy::V121,
            profile: Profile::Py314,
            ..Scenario::article()
        }
        .nearest_valid();
        assert_eq!((s.numpy, c[0].field), (Numpy::V2, "numpy"));
    }

    #[test]
    fn every_combination_of_valid_fields_resolves_to_a_valid_scenario() {
        let values = [
            Values::IntRange { start: 0 },
            Values::IntRange { start: -1000 },
            Values::IntRange { start: I64_MAX - 5 },
            Values::IntRange {
                start: i64::MIN as i128,
            },
            Values::FloatRange { start: 1 << 40 },
            Values::IntMod { k: MAX_K },
            Values::IntMod { k: 3 },
            Values::Constant(Const::Int(-(1 << 62))),
            Values::Constant(Const::Float(-2.5)),
            Values::Constant(Const::Float(1e300)),
        ];
        let mut containers = vec![
            Container::ListAppend,
            Container::ListRepeat,
            Container::Tuple,
        ];
        containers.extend(
            "bBhHiIlLqQfd"
                .chars()
                .map(|c| Container::Array(Typecode(c))),
        );
        containers.extend(Dtype::ALL.map(Container::Ndarray));
        let mut tried = 0;
        for profile in Profile::ALL {
            for &container in &containers {
                for values in values {
                    for n in [0, 1, 255, 256, 1_000_000, 1_000_000_000_000] {
                        for numpy in [Numpy::V2, Numpy::V121] {
                            let s = Scenario {
                                container,
                                values,
                                n,
                                profile,
                                numpy,
                                form: Default::default(),
                            };
                            let (r, changes) = s.nearest_valid();
                            assert!(r.check_values_fit().is_ok(), "{s:?} -> {r:?}");
                            assert_eq!(s.check_values_fit().is_ok(), changes.is_empty(), "{s:?}");
                            assert_eq!((r.container, r.n, r.profile), (container, n, profile));
                            tried += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(tried, 32_400);
    }
}
