//! The scenario: what Python builds (container, element values, n) and on which CPython.
//! Parsing checks every field and names it in the error, with what is allowed.

use super::num::{int_text, quote};
use super::profile::{Profile, PROFILE_NAMES};
use super::raw::{fmt_f64, Raw};
use crate::error::{Error, Result};

pub const MAX_N: u64 = 1_000_000_000_000;
/// Largest k for int_mod: i % k stays a one-digit int (below 2**30).
pub const MAX_K: u64 = (1 << 30) - 1;
const MAX_SAFE: i128 = (1 << 53) - 1;
const I64_MIN: i128 = i64::MIN as i128;
const I64_MAX: i128 = i64::MAX as i128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    ListAppend,
    ListRange,
    ListComprehension,
    ListRepeat,
    Tuple,
    Array(Typecode),
    Ndarray(Dtype),
}

pub const CONTAINER_NAMES: &str =
    "list_append, list_range, list_comprehension, list_repeat, tuple, array, ndarray";

impl Container {
    pub fn name(self) -> &'static str {
        match self {
            Container::ListAppend => "list_append",
            Container::ListRange => "list_range",
            Container::ListComprehension => "list_comprehension",
            Container::ListRepeat => "list_repeat",
            Container::Tuple => "tuple",
            Container::Array(_) => "array",
            Container::Ndarray(_) => "ndarray",
        }
    }

    pub fn is_list(self) -> bool {
        matches!(
            self,
            Container::ListAppend
                | Container::ListRange
                | Container::ListComprehension
                | Container::ListRepeat
        )
    }

    /// Boxed: the container holds pointers to separate element objects.
    pub fn is_boxed(self) -> bool {
        self.is_list() || self == Container::Tuple
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Typecode(pub char);

pub const TYPECODES: &str = "b, B, h, H, i, I, l, L, q, Q, f, d";

impl Typecode {
    pub fn parse(s: &str) -> Option<Typecode> {
        let mut chars = s.chars();
        match (chars.next(), chars.next()) {
            (
                Some(c @ ('b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'f' | 'd')),
                None,
            ) => Some(Typecode(c)),
            _ => None,
        }
    }

    pub fn itemsize(self, profile: Profile) -> u64 {
        match self.0 {
            'b' | 'B' => 1,
            'h' | 'H' => 2,
            'i' | 'I' | 'f' => 4,
            'l' | 'L' => profile.c_long_bits() as u64 / 8,
            _ => 8,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self.0, 'f' | 'd')
    }

    /// Inclusive value range of an integer typecode.
    pub fn int_range(self, profile: Profile) -> (i128, i128) {
        let bits = 8 * self.itemsize(profile) as u32;
        if self.0.is_ascii_uppercase() {
            (0, (1i128 << bits) - 1)
        } else {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dtype {
    Bool,
    Int8,
    Int16,
    Int32,
    Int64,
    Uint8,
    Uint16,
    Uint32,
    Uint64,
    Float16,
    Float32,
    Float64,
}

pub const DTYPE_NAMES: &str =
    "bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64";

impl Dtype {
    pub const ALL: [Dtype; 12] = [
        Dtype::Bool,
        Dtype::Int8,
        Dtype::Int16,
        Dtype::Int32,
        Dtype::Int64,
        Dtype::Uint8,
        Dtype::Uint16,
        Dtype::Uint32,
        Dtype::Uint64,
        Dtype::Float16,
        Dtype::Float32,
        Dtype::Float64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dtype::Bool => "bool",
            Dtype::Int8 => "int8",
            Dtype::Int16 => "int16",
            Dtype::Int32 => "int32",
            Dtype::Int64 => "int64",
            Dtype::Uint8 => "uint8",
            Dtype::Uint16 => "uint16",
            Dtype::Uint32 => "uint32",
            Dtype::Uint64 => "uint64",
            Dtype::Float16 => "float16",
            Dtype::Float32 => "float32",
            Dtype::Float64 => "float64",
        }
    }

    pub fn parse(s: &str) -> Option<Dtype> {
        Dtype::ALL.into_iter().find(|d| d.name() == s)
    }

    pub fn itemsize(self) -> u64 {
        match self {
            Dtype::Bool | Dtype::Int8 | Dtype::Uint8 => 1,
            Dtype::Int16 | Dtype::Uint16 | Dtype::Float16 => 2,
            Dtype::Int32 | Dtype::Uint32 | Dtype::Float32 => 4,
            Dtype::Int64 | Dtype::Uint64 | Dtype::Float64 => 8,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, Dtype::Float16 | Dtype::Float32 | Dtype::Float64)
    }

    /// Inclusive value range of an integer (or bool) dtype.
    pub fn int_range(self) -> (i128, i128) {
        match self {
            Dtype::Bool => (0, 1),
            Dtype::Uint8 | Dtype::Uint16 | Dtype::Uint32 | Dtype::Uint64 => {
                (0, (1i128 << (8 * self.itemsize())) - 1)
            }
            _ => {
                let bits = 8 * self.itemsize() as u32;
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Const {
    Int(i128),
    Float(f64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Values {
    /// The ints range(start, start + n).
    IntRange { start: i128 },
    /// float(i) for i in range(start, start + n).
    FloatRange { start: i128 },
    /// i % k for i in range(n).
    IntMod { k: u64 },
    /// One value, n times.
    Constant(Const),
}

pub const VALUE_KINDS: &str = "int_range, float_range, int_mod, constant";

impl Values {
    pub fn kind(self) -> &'static str {
        match self {
            Values::IntRange { .. } => "int_range",
            Values::FloatRange { .. } => "float_range",
            Values::IntMod { .. } => "int_mod",
            Values::Constant(_) => "constant",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(
            self,
            Values::FloatRange { .. } | Values::Constant(Const::Float(_))
        )
    }

    /// Lowest and highest int the values take for this n (None: floats, or n = 0).
    pub fn int_bounds(self, n: u64) -> Option<(i128, i128)> {
        if n == 0 {
            return None;
        }
        match self {
            Values::IntRange { start } => Some((start, start + n as i128 - 1)),
            Values::IntMod { k } => Some((0, n.min(k) as i128 - 1)),
            Values::Constant(Const::Int(v)) => Some((v, v)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scenario {
    pub container: Container,
    pub values: Values,
    pub n: u64,
    pub profile: Profile,
}

impl Scenario {
    /// The article's scenario: a million ints appended to a list, on CPython 3.12.
    pub fn article() -> Scenario {
        Scenario {
            container: Container::ListAppend,
            values: Values::IntRange { start: 0 },
            n: 1_000_000,
            profile: Profile::Py312,
        }
    }

    /// Validate a loosely typed scenario, naming the first bad field.
    pub fn from_raw(raw: &Raw) -> Result<Scenario> {
        let Raw::Map(entries) = raw else {
            return Err(Error::invalid(
                "scenario",
                format!(
                    "must be an object with fields container, values, n, profile (got {})",
                    raw.type_name()
                ),
            ));
        };
        for (key, _) in entries {
            if !["container", "typecode", "dtype", "values", "n", "profile"].contains(&key.as_str())
            {
                return Err(Error::invalid(
                    field_name(key),
                    "unknown field; allowed fields: container, typecode, dtype, values, n, profile",
                ));
            }
        }
        let profile_s = required_str(raw, "profile", PROFILE_NAMES)?;
        let profile = Profile::parse(profile_s).ok_or_else(|| {
            Error::invalid(
                "profile",
                format!(
                    "unknown profile {}; allowed: {PROFILE_NAMES}",
                    quoted(profile_s)
                ),
            )
        })?;
        let n = parse_n(raw.get("n"))?;
        let container_s = required_str(raw, "container", CONTAINER_NAMES)?;
        let container = match container_s {
            "list_append" => Container::ListAppend,
            "list_range" => Container::ListRange,
            "list_comprehension" => Container::ListComprehension,
            "list_repeat" => Container::ListRepeat,
            "tuple" => Container::Tuple,
            "array" => {
                let t = required_str(raw, "typecode", TYPECODES)?;
                Container::Array(Typecode::parse(t).ok_or_else(|| {
                    Error::invalid(
                        "typecode",
                        format!("unknown typecode {}; allowed: {TYPECODES}", quoted(t)),
                    )
                })?)
            }
            "ndarray" => {
                let t = required_str(raw, "dtype", DTYPE_NAMES)?;
                Container::Ndarray(Dtype::parse(t).ok_or_else(|| {
                    Error::invalid(
                        "dtype",
                        format!("unknown dtype {}; allowed: {DTYPE_NAMES}", quoted(t)),
                    )
                })?)
            }
            other => {
                return Err(Error::invalid(
                    "container",
                    format!(
                        "unknown container {}; allowed: {CONTAINER_NAMES}",
                        quoted(other)
                    ),
                ))
            }
        };
        if raw.get("typecode").is_some() && !matches!(container, Container::Array(_)) {
            return Err(Error::invalid(
                "typecode",
                format!(
                    "applies only to container \"array\" (this container is {})",
                    quoted(container_s)
                ),
            ));
        }
        if raw.get("dtype").is_some() && !matches!(container, Container::Ndarray(_)) {
            return Err(Error::invalid(
                "dtype",
                format!(
                    "applies only to container \"ndarray\" (this container is {})",
                    quoted(container_s)
                ),
            ));
        }
        let values = parse_values(raw.get("values"))?;
        let s = Scenario {
            container,
            values,
            n,
            profile,
        };
        s.check_values_fit()?;
        Ok(s)
    }

    /// Range limits and container/value compatibility, as Python itself would refuse them.
    fn check_values_fit(&self) -> Result<()> {
        let n = self.n as i128;
        if let Values::IntRange { start } | Values::FloatRange { start } = self.values {
            if start + n > I64_MAX {
                return Err(Error::invalid(
                    "values.start",
                    format!(
                        "start + n must be at most 2**63 - 1 = {} (start {} + n {} is past it)",
                        int_text(I64_MAX),
                        int_text(start),
                        self.n
                    ),
                ));
            }
        }
        match self.container {
            Container::ListRepeat if !matches!(self.values, Values::Constant(_)) => {
                Err(Error::invalid(
                    "values.kind",
                    format!(
                        "list_repeat ([value] * n) needs values.kind \"constant\" (got {})",
                        quoted(self.values.kind())
                    ),
                ))
            }
            Container::Array(tc) if !tc.is_float() => {
                if self.values.is_float() {
                    return Err(Error::invalid(
                        "values.kind",
                        format!(
                            "typecode '{}' stores ints, but these values are floats; use \
                             typecode 'f' or 'd', or int values",
                            tc.0
                        ),
                    ));
                }
                let (lo, hi) = tc.int_range(self.profile);
                check_bounds(self, lo, hi, &format!("typecode '{}'", tc.0))
            }
            Container::Ndarray(dt) if !dt.is_float() => {
                if self.values.is_float() {
                    return Err(Error::invalid(
                        "values.kind",
                        format!(
                            "dtype {} stores integers, but these values are floats; use a \
                             float dtype, or int values",
                            dt.name()
                        ),
                    ));
                }
                let (lo, hi) = dt.int_range();
                check_bounds(self, lo, hi, &format!("dtype {}", dt.name()))
            }
            _ => Ok(()),
        }
    }
}

fn check_bounds(s: &Scenario, lo: i128, hi: i128, what: &str) -> Result<()> {
    match s.values.int_bounds(s.n) {
        Some((a, b)) if a < lo || b > hi => Err(Error::invalid(
            "values",
            format!(
                "{what} holds {}..{}, but these values reach {}..{}; choose values that fit, \
                 a smaller n, or a wider type",
                int_text(lo),
                int_text(hi),
                int_text(a),
                int_text(b)
            ),
        )),
        _ => Ok(()),
    }
}

fn field_name(key: &str) -> String {
    quote(key)
}

fn quoted(s: &str) -> String {
    quote(s)
}

fn required_str<'a>(raw: &'a Raw, field: &str, allowed: &str) -> Result<&'a str> {
    match raw.get(field) {
        Some(Raw::Str(s)) => Ok(s),
        None | Some(Raw::Null) => Err(Error::invalid(
            field,
            format!("missing; allowed: {allowed}"),
        )),
        Some(other) => Err(Error::invalid(
            field,
            format!(
                "must be a string, one of: {allowed} (got {})",
                other.preview()
            ),
        )),
    }
}

fn parse_n(v: Option<&Raw>) -> Result<u64> {
    let allowed = "must be a whole number from 0 to 1000000000000 (10**12)";
    let n: i128 = match v {
        None | Some(Raw::Null) => return Err(Error::invalid("n", format!("missing; {allowed}"))),
        Some(Raw::Int(i)) => *i,
        Some(Raw::Num(x)) => {
            if !x.is_finite() || x.fract() != 0.0 {
                return Err(Error::invalid(
                    "n",
                    format!("{allowed} (got {})", fmt_f64(*x)),
                ));
            }
            if x.abs() > 1e15 {
                return Err(Error::invalid(
                    "n",
                    format!("{allowed} (got {})", fmt_f64(*x)),
                ));
            }
            *x as i128
        }
        Some(other) => {
            return Err(Error::invalid(
                "n",
                format!("{allowed} (got {})", other.preview()),
            ))
        }
    };
    if !(0..=MAX_N as i128).contains(&n) {
        return Err(Error::invalid(
            "n",
            format!("{allowed} (got {})", int_text(n)),
        ));
    }
    Ok(n as u64)
}

/// An integer field: a JS safe integer, a JSON integer, or a decimal string for big values.
fn parse_int(field: &str, v: Option<&Raw>, lo: i128, hi: i128) -> Result<i128> {
    let allowed = format!(
        "must be a whole number from {} to {} (as a number up to 2**53 - 1, or a decimal \
         string beyond that)",
        int_text(lo),
        int_text(hi)
    );
    let x: i128 = match v {
        None | Some(Raw::Null) => return Err(Error::invalid(field, format!("missing; {allowed}"))),
        Some(Raw::Int(i)) => *i,
        Some(Raw::Num(x)) => {
            if !x.is_finite() || x.fract() != 0.0 {
                return Err(Error::invalid(
                    field,
                    format!("{allowed} (got {})", fmt_f64(*x)),
                ));
            }
            if x.abs() > MAX_SAFE as f64 {
                return Err(Error::invalid(
                    field,
                    format!(
                        "{} is past 2**53 - 1, where JS numbers stop being exact; pass it as a \
                         decimal string",
                        fmt_f64(*x)
                    ),
                ));
            }
            *x as i128
        }
        Some(Raw::Str(s)) => {
            let t = s.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            if digits.is_empty() || digits.len() > 25 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(Error::invalid(
                    field,
                    format!("{allowed} (got {})", quoted(s)),
                ));
            }
            t.parse::<i128>()
                .map_err(|_| Error::invalid(field, format!("{allowed} (got {})", quoted(s))))?
        }
        Some(other) => {
            return Err(Error::invalid(
                field,
                format!("{allowed} (got {})", other.preview()),
            ))
        }
    };
    if x < lo || x > hi {
        return Err(Error::invalid(
            field,
            format!("{allowed} (got {})", int_text(x)),
        ));
    }
    Ok(x)
}

fn parse_values(v: Option<&Raw>) -> Result<Values> {
    let raw = match v {
        Some(r @ Raw::Map(_)) => r,
        None | Some(Raw::Null) => {
            return Err(Error::invalid(
                "values",
                format!(
                "missing; an object like {{ kind: \"int_range\", start: 0 }}; kinds: {VALUE_KINDS}"
            ),
            ))
        }
        Some(other) => {
            return Err(Error::invalid(
                "values",
                format!(
                    "must be an object like {{ kind: \"int_range\", start: 0 }} (got {})",
                    other.preview()
                ),
            ))
        }
    };
    let kind = required_str(raw, "kind", VALUE_KINDS).map_err(|e| prefix(e, "values."))?;
    let fields: &[&str] = match kind {
        "int_range" | "float_range" => &["kind", "start"],
        "int_mod" => &["kind", "k"],
        "constant" => &["kind", "value", "type"],
        other => {
            return Err(Error::invalid(
                "values.kind",
                format!("unknown kind {}; allowed: {VALUE_KINDS}", quoted(other)),
            ))
        }
    };
    if let Raw::Map(entries) = raw {
        if let Some((key, _)) = entries.iter().find(|(k, _)| !fields.contains(&k.as_str())) {
            return Err(Error::invalid(
                format!("values.{}", field_name(key).trim_matches('"')),
                format!(
                    "does not apply to kind {}; its fields are: {}",
                    quoted(kind),
                    fields.join(", ")
                ),
            ));
        }
    }
    Ok(match kind {
        "int_range" => Values::IntRange {
            start: parse_int("values.start", raw.get("start"), I64_MIN, I64_MAX)?,
        },
        "float_range" => Values::FloatRange {
            start: parse_int("values.start", raw.get("start"), I64_MIN, I64_MAX)?,
        },
        "int_mod" => Values::IntMod {
            k: parse_int("values.k", raw.get("k"), 1, MAX_K as i128)? as u64,
        },
        _ => Values::Constant(parse_const(raw)?),
    })
}

fn parse_const(raw: &Raw) -> Result<Const> {
    let ty = match raw.get("type") {
        None | Some(Raw::Null) => None,
        Some(Raw::Str(s)) if s == "int" || s == "float" => Some(s.as_str()),
        Some(other) => {
            return Err(Error::invalid(
                "values.type",
                format!("must be \"int\" or \"float\" (got {})", other.preview()),
            ))
        }
    };
    let value = raw.get("value");
    let as_float = |x: f64| -> Result<Const> {
        if x.is_finite() {
            Ok(Const::Float(x))
        } else {
            Err(Error::invalid(
                "values.value",
                format!("must be a finite number (got {})", fmt_f64(x)),
            ))
        }
    };
    match (ty, value) {
        (Some("float"), Some(Raw::Num(x))) => as_float(*x),
        (Some("float"), Some(Raw::Int(i))) => as_float(*i as f64),
        (None, Some(Raw::Num(x))) if x.is_finite() && x.fract() != 0.0 => as_float(*x),
        (None, Some(Raw::Num(x))) if !x.is_finite() => as_float(*x),
        (Some("float"), other) => Err(Error::invalid(
            "values.value",
            format!(
                "must be a finite number (got {})",
                other.map_or("nothing".into(), Raw::preview)
            ),
        )),
        _ => parse_int("values.value", value, I64_MIN, I64_MAX).map(Const::Int),
    }
}

fn prefix(e: Error, p: &str) -> Error {
    match e {
        Error::Invalid { field, problem } => Error::Invalid {
            field: format!("{p}{field}"),
            problem,
        },
        other => other,
    }
}
