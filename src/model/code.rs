//! The Python code of a scenario, character for character what scripts/measure_cpython.py ran
//! to record the fixtures, and a snippet that checks the numbers on the reader's own machine.

use super::layout::{group_digits, Layout};
use super::scenario::{Const, Container, Dtype, Scenario, Values};

/// Python's repr() of a float: shortest round-trip digits, exponent form outside 1e-4..1e16.
pub fn py_float(x: f64) -> String {
    let e = format!("{x:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let body = if decpt <= -4 || decpt > 16 {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{first}{dot}e{esign}{:02}", exp.abs())
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt as usize >= digits.len() {
        format!("{digits}{}.0", "0".repeat(decpt as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(decpt as usize);
        format!("{a}.{b}")
    };
    format!("{sign}{body}")
}

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
            let r = format!("range({start}, {start} + n)");
            (r.clone(), "i".to_owned(), format!("for i in {r}"))
        }
        Values::FloatRange { start } => {
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
    };
    match s.container {
        Container::ListAppend => format!("x = []\n{loop_}:\n    x.append({item})"),
        Container::ListRange => format!("x = list({it})"),
        Container::ListComprehension => format!("x = [{item} {loop_}]"),
        Container::ListRepeat => format!("x = [{item}] * n"),
        Container::Tuple => format!("x = tuple({it})"),
        Container::Array(tc) => format!("x = array.array('{}', {it})", tc.0),
        Container::Ndarray(dt) => {
            let dt = np_dtype(dt);
            match s.values {
                Values::IntRange { start } => {
                    format!("x = np.arange({start}, {start} + n, dtype={dt})")
                }
                Values::FloatRange { start } => {
                    format!(
                        "x = np.arange({}, {start} + n, dtype={dt})",
                        py_float(start as f64)
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
        && matches!(
            s.container,
            Container::ListRange | Container::Tuple | Container::Array(_)
        )
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
    out.push_str("\n\ndef build(n):\n");
    for line in build_code(s).lines() {
        out.push_str("    ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("    return x\n\n\n");
    out.push_str("build(0)  # warm up, so the interpreter's own first-call state is not counted\n");
    out.push_str("gc.collect()  # also empties the free lists, so every object below is fresh\n");
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
    out.push_str(&format!(
        "# Model: {} on {}; the allocator really holds {} bytes for it.\n",
        group_digits(s.n),
        s.profile.describe(),
        l.totals.allocated
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::py_float;

    #[test]
    fn floats_print_like_python_repr() {
        assert_eq!(py_float(0.0), "0.0");
        assert_eq!(py_float(-0.0), "-0.0");
        assert_eq!(py_float(2.5), "2.5");
        assert_eq!(py_float(-1000.0), "-1000.0");
        assert_eq!(py_float(0.1), "0.1");
        assert_eq!(py_float(1e16), "1e+16");
        assert_eq!(py_float(1234567890123456.0), "1234567890123456.0");
        assert_eq!(py_float(1.152921504606847e18), "1.152921504606847e+18");
        assert_eq!(py_float(0.0001), "0.0001");
        assert_eq!(py_float(0.00001), "1e-05");
        assert_eq!(py_float(1.5e-300), "1.5e-300");
    }
}
