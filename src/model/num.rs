//! Number text for messages and Python code: floats with the shortest digits that read back
//! exactly (Rust's own `{:e}`), laid out as Python's `repr()` or JavaScript's `String(x)` would.

/// Shortest round-trip digits of a finite double: (negative, digits, exponent of the first
/// digit), e.g. 2.5 -> (false, "25", 0) and 0.001 -> (false, "1", -3).
pub fn shortest(x: f64) -> (bool, String, i32) {
    let e = format!("{x:e}");
    let (mantissa, exp) = e.split_once(['e', 'E']).unwrap_or((&e, "0"));
    let exp: i32 = exp.trim_start_matches('+').parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    (neg, mantissa.chars().filter(|c| *c != '.').collect(), exp)
}

/// Plain text of a float for messages, like JavaScript prints it ("1.5", "1e+400" is Infinity).
pub fn float_text(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    py_style(x, 21, -7, false)
}

/// Python's repr() of a float: shortest digits, exponent form outside 1e-4 <= |x| < 1e16.
pub fn py_float(x: f64) -> String {
    py_style(x, 16, -4, true)
}

/// Render shortest digits: fixed when the decimal point position is within (low, high],
/// else d.ddde+XX; `dot_zero` adds ".0" to integral fixed forms (Python does, JS does not).
fn py_style(x: f64, high: i32, low: i32, dot_zero: bool) -> String {
    let (neg, digits, exp) = shortest(x);
    let decpt = exp + 1;
    let sign = if neg { "-" } else { "" };
    let body = if decpt <= low || decpt > high {
        // get() over split_at: the digits are ASCII, and get() brings no panic formatting.
        let (first, rest) = (digits.get(..1).unwrap_or(""), digits.get(1..).unwrap_or(""));
        let dot = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        let e = exp.unsigned_abs();
        if dot_zero {
            format!("{first}{dot}e{esign}{}{e}", if e < 10 { "0" } else { "" })
        } else {
            format!("{first}{dot}e{esign}{e}")
        }
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt as usize >= digits.len() {
        let zeros = "0".repeat(decpt as usize - digits.len());
        if dot_zero {
            format!("{digits}{zeros}.0")
        } else {
            format!("{digits}{zeros}")
        }
    } else {
        let at = decpt as usize;
        let (a, b) = (
            digits.get(..at).unwrap_or(""),
            digits.get(at..).unwrap_or(""),
        );
        format!("{a}.{b}")
    };
    format!("{sign}{body}")
}

/// A short, safe quotation of a string for messages: at most 32 characters, escapes shown.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        if i == 32 {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push('?'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python_and_js() {
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
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-3.0), "-3");
        assert_eq!(float_text(1e21), "1e+21");
        assert_eq!(float_text(f64::NAN), "NaN");
        assert_eq!(float_text(f64::NEG_INFINITY), "-Infinity");
    }

    #[test]
    fn quotes_are_short_and_escaped() {
        assert_eq!(quote("dict"), "\"dict\"");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        assert_eq!(quote(&"x".repeat(100)).chars().count(), 35);
    }
}
