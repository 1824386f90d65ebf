//! The Python code of a scenario, character for character what scripts/measure_cpython.py ran
//! to record the fixtures, and a snippet that checks the numbers on the reader's own machine.

use super::layout::{group_digits, Layout};
use super::scenario::{Const, Container, Dtype, Scenario, Values};

pub use super::num::py_float;

fn lit(c: Const) -> String {
    match c {
        Const::Int(v) => v.to_string(),
        Const::Float(f) => py_float(f),
    }
}

fn np_dtype(d: Dtype) -> String {
    if d == Dtype::Bool {
        "np.bool_".to_owned()
    } else {
        format!("np.{}", d.name())
    }
}

/// The statements that build `x` from `n`.
pub fn build_code(s: &Scenario) -> String {
    let (it, item, loop_) = match s.values {
        Values::IntRange { start } => {
            let start = start.to_string();
            let r = format!("range({start}, {start} + n)");
            (r.clone(), "i".to_owned(), format!("for i in {r}"))
        }
        Values::FloatRange { start } => {
            let start = start.to_string();
            let r = format!("range({start}, {start} + n)");
            (
                format!("map(float, {r})"),
                "float(i)".to_owned(),
                format!("for i in {r}"),
            )
        }
        Values::IntMod { k } => (
            format!("(i % {k} for i in range(n))"),
            format!("i % {k}"),
            "for i in range(n)".to_owned(),
        ),
        Values::Constant(c) => (
            format!("itertools.repeat({}, n)", lit(c)),
            lit(c),
            "for _ in range(n)".to_owned(),
        ),
        Values::IntOffset { start, .. } => {
            let r = format!("range({start}, {start} + n)");
            (
                format!("b + i for i in {r}"),
                "b + i".to_owned(),
                format!("for i in {r}"),
            )
        }
    };
    // int_offset's base is a name, so each element is computed by an addition at run time
    // (a literal `2**40 + i` would be folded into a constant when the code is compiled).
    let setup = match s.values {
        Values::IntOffset { base, .. } => format!("b = {base}\n"),
        _ => String::new(),
    };
    if s.form.from_list {
        return match s.container {
            Container::Tuple => "x = tuple(src)".to_owned(),
            Container::Array(tc) => format!("x = array.array('{}', src)", tc.0),
            Container::Ndarray(dt) => format!("x = np.array(src, dtype={})", np_dtype(dt)),
            _ => "x = list(src)".to_owned(),
        };
    }
    if let Some(k) = s.form.view_step {
        return format!("x = base[::{k}]");
    }
    let x = match (s.container, s.values) {
        (Container::ListRange | Container::Tuple, Values::IntOffset { .. }) => {
            let f = if s.container == Container::Tuple {
                "tuple"
            } else {
                "list"
            };
            format!("x = {f}({it})")
        }
        (Container::ListRepeat, Values::IntOffset { start, .. }) => {
            format!("x = [b + {start}] * n")
        }
        _ => body(s, &it, &item, &loop_),
    };
    match s.form.shape {
        Some(d) => {
            let dims: Vec<String> = d.as_slice().iter().map(|x| x.to_string()).collect();
            let tuple = if dims.len() == 1 {
                format!("({},)", dims[0])
            } else {
                format!("({})", dims.join(", "))
            };
            format!("{setup}{x}.reshape({tuple})")
        }
        None => setup + &x,
    }
}

/// The statements run before x is built, whose objects x uses but does not count: the list
/// `src` of `source: "list"`, the `base` of a view. None for the other scenarios.
pub fn setup_code(s: &Scenario) -> Option<String> {
    let plain = Scenario {
        form: Default::default(),
        ..*s
    };
    if s.form.from_list {
        let src = Scenario {
            container: Container::ListRange,
            ..plain
        };
        let code = match s.values {
            Values::IntOffset { .. } => build_code(&Scenario {
                container: Container::ListComprehension,
                ..plain
            }),
            _ => build_code(&src),
        };
        return Some(code.replacen("x = ", "src = ", 1));
    }
    s.form
        .view_step
        .map(|_| build_code(&plain).replacen("x = ", "base = ", 1))
}

/// The items of a list literal as written: `1000`, `2.0`, `b + 5`.
pub fn literal_items(s: &Scenario) -> Vec<String> {
    (0..s.n as i128)
        .map(|i| match s.values {
            Values::IntRange { start } => (start + i).to_string(),
            Values::FloatRange { start } => py_float((start + i) as f64),
            Values::IntMod { k } => (i % k as i128).to_string(),
            Values::Constant(c) => lit(c),
            Values::IntOffset { start, .. } => format!("b + {}", start + i),
        })
        .collect()
}

fn body(s: &Scenario, it: &str, item: &str, loop_: &str) -> String {
    match s.container {
        Container::ListAppend => format!("x = []\n{loop_}:\n    x.append({item})"),
        Container::ListRange => format!("x = list({it})"),
        Container::ListComprehension => format!("x = [{item} {loop_}]"),
        Container::ListRepeat => format!("x = [{item}] * n"),
        Container::ListLiteral => format!("x = [{}]", literal_items(s).join(", ")),
        Container::Tuple => format!("x = tuple({it})"),
        Container::Array(tc) => format!("x = array.array('{}', {it})", tc.0),
        Container::Ndarray(dt) => {
            let dt = np_dtype(dt);
            match s.values {
                // (int_offset is refused for ndarray: its values are int_range's from base + start.)
                Values::IntRange { start } | Values::IntOffset { start, .. } => {
                    let start = (start + s.values.offset()).to_string();
                    format!("x = np.arange({start}, {start} + n, dtype={dt})")
                }
                Values::FloatRange { start } => {
                    format!(
                        "x = np.arange({}, {} + n, dtype={dt})",
                        py_float(start as f64),
                        start
                    )
                }
                Values::IntMod { k } => format!("x = (np.arange(n) % {k}).astype({dt})"),
                Values::Constant(Const::Int(0)) => format!("x = np.zeros(n, dtype={dt})"),
                Values::Constant(c) => format!("x = np.full(n, {}, dtype={dt})", lit(c)),
            }
        }
    }
}

/// Imports the build code needs.
pub fn imports(s: &Scenario) -> Vec<&'static str> {
    let mut out = vec![];
    if matches!(s.container, Container::Array(_)) {
        out.push("import array");
    }
    if matches!(s.values, Values::Constant(_))
        && (s.form.from_list
            || matches!(
                s.container,
                Container::ListRange | Container::Tuple | Container::Array(_)
            ))
    {
        out.push("import itertools");
    }
    if matches!(s.container, Container::Ndarray(_)) {
        out.push("import numpy as np");
    }
    out
}

/// A self-contained script that prints the three figures for this scenario, with the model's
/// prediction beside them.
pub fn check_snippet(s: &Scenario, l: &Layout) -> String {
    let mut out = String::from("import gc, sys, tracemalloc\n");
    for i in imports(s) {
        out.push_str(i);
        out.push('\n');
    }
    let setup = setup_code(s);
    out.push_str("\n\ndef build(n):\n");
    for line in build_code(s).lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("    return x\n\n\n");
    if let Some(setup) = &setup {
        out.push_str(&format!("n = {}\n", s.n));
        out.push_str(setup);
        out.push_str("  # not counted: x is built from it\n");
    }
    out.push_str(&format!(
        "build({})  # warm up: first-call interpreter state and NumPy's buffer caches are not x's cost\n",
        s.n
    ));
    out.push_str("gc.collect()  # frees the warm-up's x, and empties the free lists, so every object below is fresh\n");
    out.push_str("tracemalloc.start()\n");
    out.push_str(&format!("x = build({})\n", s.n));
    out.push_str("gc.collect()\n");
    out.push_str("traced = tracemalloc.get_traced_memory()[0]\n");
    out.push_str("tracemalloc.stop()\n\n");
    out.push_str("objs = {id(v): v for v in x} if isinstance(x, (list, tuple)) else {}\n");
    out.push_str(&format!(
        "print('sys.getsizeof(x)       ', sys.getsizeof(x), '  expected {}')\n",
        l.container.bytes.getsizeof
    ));
    out.push_str(&format!(
        "print('elements (each once)   ', sum(map(sys.getsizeof, objs.values())), '  expected {}')\n",
        l.elements.bytes.getsizeof
    ));
    out.push_str(&format!(
        "print('tracemalloc (building) ', traced, '  expected {} (within 256 B + 0.01%)')\n",
        l.totals.requested
    ));
    if matches!(s.container, Container::Ndarray(_)) {
        out.push_str(&format!(
            "print('numpy                  ', np.__version__, '  model: {}')\n",
            s.numpy.versions()
        ));
    }
    out.push_str(&format!(
        "# Model: {} on {}; the allocator really holds {} bytes for it.\n",
        group_digits(s.n),
        s.profile.describe(),
        l.totals.allocated
    ));
    out
}
