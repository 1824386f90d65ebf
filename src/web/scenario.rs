//! The scenario as it crosses the boundary: [`ScenarioInput`], read by serde (from a JS object
//! through serde-wasm-bindgen, or from JSON in the native tests) with every field loosely
//! typed, then checked field by field by `TryFrom` into the model's [`Scenario`]. Every error
//! names the field (`values.start`) and says what is allowed.

use serde::{Deserialize, Serialize};

use super::loose::Loose;
use crate::error::{Error, Result};
use crate::model::num::{float_text, quote};
use crate::model::profile::{Profile, PROFILE_NAMES};
use crate::model::resolve::Change;
use crate::model::scenario::{
    Const, Container, Dims, Dtype, Form, Numpy, Typecode, Values, CONTAINER_NAMES, DTYPE_NAMES,
    MAX_K, MAX_N, MAX_SHAPE_DIMS, NUMPY_NAMES, TYPECODES, VALUE_KINDS,
};
use crate::model::Scenario;

const MAX_SAFE: i128 = (1 << 53) - 1;
const I64_MIN: i128 = i64::MIN as i128;
const I64_MAX: i128 = i64::MAX as i128;

/// The fields a scenario has.
pub const SCENARIO_FIELDS: [&str; 10] = [
    "container",
    "typecode",
    "dtype",
    "numpy",
    "values",
    "n",
    "profile",
    "source",
    "shape",
    "view",
];

/// A scenario as JS passes it to `layout()`, `runLab()` and `Explorer.setScenario()`: the
/// shape of the README's scenario table. A field that is absent, `null` or `undefined` reads
/// as [`Loose::Null`].
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScenarioInput {
    pub container: Loose,
    pub typecode: Loose,
    pub dtype: Loose,
    /// `{ kind, start | k | value, type }`, checked by kind.
    pub values: Loose,
    pub n: Loose,
    pub profile: Loose,
    /// ndarray only: "2" (the default: NumPy 1.22 and later) or "1.21".
    pub numpy: Loose,
    /// "list": x is built from an existing list holding the same values.
    pub source: Loose,
    /// ndarray only: `[d0, d1, …]`, whole numbers multiplying to n.
    pub shape: Loose,
    /// ndarray only: `{ step }`, x = base[::step].
    pub view: Loose,
    // Fields a scenario does not have are refused by name before serde reads the object (see
    // `web::from_js`); serde skips any that are left, which are null or undefined.
}

/// The error for a field the scenario does not have.
pub fn unknown_field_error(key: &str) -> Error {
    Error::invalid(
        field_name(key),
        "unknown field; allowed fields: container, typecode, dtype, numpy, values, n, profile, \
         source, shape, view",
    )
}

impl TryFrom<ScenarioInput> for Scenario {
    type Error = Error;

    /// Check every field, naming the first bad one and what it allows; then the combinations
    /// Python itself refuses ([`Scenario::check_values_fit`]).
    fn try_from(input: ScenarioInput) -> Result<Scenario> {
        let s = input.fields()?;
        s.check_values_fit()?;
        Ok(s)
    }
}

impl ScenarioInput {
    /// Every field checked on its own, naming the first bad one and what it allows; their
    /// combination is not checked (see [`Scenario::nearest_valid`]).
    pub fn fields(self) -> Result<Scenario> {
        let input = self;
        let profile_s = required_str(Some(&input.profile), "profile", PROFILE_NAMES)?;
        let profile = Profile::parse(profile_s).ok_or_else(|| {
            Error::invalid(
                "profile",
                format!(
                    "unknown profile {}; allowed: {PROFILE_NAMES}",
                    quoted(profile_s)
                ),
            )
        })?;
        let n = parse_n(Some(&input.n))?;
        let container_s = required_str(Some(&input.container), "container", CONTAINER_NAMES)?;
        let container = match container_s {
            "list_append" => Container::ListAppend,
            "list_range" => Container::ListRange,
            "list_comprehension" => Container::ListComprehension,
            "list_repeat" => Container::ListRepeat,
            "list_literal" => Container::ListLiteral,
            "tuple" => Container::Tuple,
            "array" => {
                let t = required_str(Some(&input.typecode), "typecode", TYPECODES)?;
                Container::Array(Typecode::parse(t).ok_or_else(|| {
                    Error::invalid(
                        "typecode",
                        format!("unknown typecode {}; allowed: {TYPECODES}", quoted(t)),
                    )
                })?)
            }
            "ndarray" => {
                let t = required_str(Some(&input.dtype), "dtype", DTYPE_NAMES)?;
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
        if input.typecode != Loose::Null && !matches!(container, Container::Array(_)) {
            return Err(Error::invalid(
                "typecode",
                format!(
                    "applies only to container \"array\" (this container is {})",
                    quoted(container_s)
                ),
            ));
        }
        if input.dtype != Loose::Null && !matches!(container, Container::Ndarray(_)) {
            return Err(Error::invalid(
                "dtype",
                format!(
                    "applies only to container \"ndarray\" (this container is {})",
                    quoted(container_s)
                ),
            ));
        }
        let numpy = parse_numpy(&input.numpy, container, container_s)?;
        let values = parse_values(Some(&input.values))?;
        let form = Form {
            from_list: parse_source(&input.source)?,
            shape: parse_shape(&input.shape)?,
            view_step: parse_view(&input.view)?,
        };
        Ok(Scenario {
            container,
            values,
            n,
            profile,
            numpy,
            form,
        })
    }
}

/// One change `resolveScenario` made.
#[derive(Serialize)]
pub struct ChangeOut {
    field: &'static str,
    from: String,
    to: String,
    why: String,
}

/// What `resolveScenario` returns: how the scenario to draw differs from the one asked, field
/// by field, in the page's own notation (`values` as "int_mod:128", `numpy` as "2").
#[derive(Serialize)]
pub struct ResolvedOut {
    changes: Vec<ChangeOut>,
}

impl ResolvedOut {
    pub fn new(changes: Vec<Change>) -> ResolvedOut {
        ResolvedOut {
            changes: changes
                .into_iter()
                .map(|c| ChangeOut {
                    field: c.field,
                    from: c.from,
                    to: c.to,
                    why: c.why,
                })
                .collect(),
        }
    }
}

/// `numpy`: which NumPy an ndarray follows, only for ndarray. ("1.21" only where NumPy 1.21
/// installs is a combination, checked with the others by `Scenario::check_values_fit`.)
fn parse_numpy(v: &Loose, container: Container, container_s: &str) -> Result<Numpy> {
    let numpy = match v {
        Loose::Null => return Ok(Numpy::V2),
        Loose::Str(s) => Numpy::parse(s).ok_or_else(|| {
            Error::invalid(
                "numpy",
                format!("unknown NumPy {}; allowed: {NUMPY_NAMES}", quoted(s)),
            )
        })?,
        other => {
            return Err(Error::invalid(
                "numpy",
                format!(
                    "must be a string, one of: {NUMPY_NAMES} (got {})",
                    other.preview()
                ),
            ))
        }
    };
    if !matches!(container, Container::Ndarray(_)) {
        return Err(Error::invalid(
            "numpy",
            format!(
                "applies only to container \"ndarray\" (this container is {})",
                quoted(container_s)
            ),
        ));
    }
    Ok(numpy)
}

fn field_name(key: &str) -> String {
    quote(key)
}

fn quoted(s: &str) -> String {
    quote(s)
}

fn required_str<'a>(v: Option<&'a Loose>, field: &str, allowed: &str) -> Result<&'a str> {
    match v {
        Some(Loose::Str(s)) => Ok(s),
        None | Some(Loose::Null) => Err(Error::invalid(
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

fn parse_n(v: Option<&Loose>) -> Result<u64> {
    let allowed = "must be a whole number from 0 to 1000000000000 (10**12)";
    let n: i128 = match v {
        None | Some(Loose::Null) => return Err(Error::invalid("n", format!("missing; {allowed}"))),
        Some(Loose::Int(i)) => *i,
        Some(Loose::Num(x)) => {
            if !x.is_finite() || x.fract() != 0.0 {
                return Err(Error::invalid(
                    "n",
                    format!("{allowed} (got {})", float_text(*x)),
                ));
            }
            if x.abs() > 1e15 {
                return Err(Error::invalid(
                    "n",
                    format!("{allowed} (got {})", float_text(*x)),
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
        return Err(Error::invalid("n", format!("{allowed} (got {})", n)));
    }
    Ok(n as u64)
}

/// An integer field: a JS safe integer, a JSON integer, or a decimal string for big values.
fn parse_int(field: &str, v: Option<&Loose>, lo: i128, hi: i128) -> Result<i128> {
    let allowed = format!(
        "must be a whole number from {} to {} (as a number up to 2**53 - 1, or a decimal \
         string beyond that)",
        lo, hi
    );
    let x: i128 = match v {
        None | Some(Loose::Null) => {
            return Err(Error::invalid(field, format!("missing; {allowed}")))
        }
        Some(Loose::Int(i)) => *i,
        Some(Loose::Num(x)) => {
            if !x.is_finite() || x.fract() != 0.0 {
                return Err(Error::invalid(
                    field,
                    format!("{allowed} (got {})", float_text(*x)),
                ));
            }
            if x.abs() > MAX_SAFE as f64 {
                return Err(Error::invalid(
                    field,
                    format!(
                        "{} is past 2**53 - 1, where JS numbers stop being exact; pass it as a \
                         decimal string",
                        float_text(*x)
                    ),
                ));
            }
            *x as i128
        }
        Some(Loose::Str(s)) => {
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
        return Err(Error::invalid(field, format!("{allowed} (got {})", x)));
    }
    Ok(x)
}

/// `source`: absent, or "list".
fn parse_source(v: &Loose) -> Result<bool> {
    match v {
        Loose::Null => Ok(false),
        Loose::Str(s) if s == "list" => Ok(true),
        other => Err(Error::invalid(
            "source",
            format!(
                "must be \"list\" (x built from an existing list of the same values), or left out \
                 (got {})",
                other.preview()
            ),
        )),
    }
}

/// `shape`: absent, or a list of 1 to MAX_SHAPE_DIMS whole numbers.
fn parse_shape(v: &Loose) -> Result<Option<Dims>> {
    let items = match v {
        Loose::Null => return Ok(None),
        Loose::List(items) => items,
        other => {
            return Err(Error::invalid(
                "shape",
                format!(
                    "must be a list of whole numbers such as [1000, 1000] (got {})",
                    other.preview()
                ),
            ))
        }
    };
    if items.is_empty() || items.len() > MAX_SHAPE_DIMS {
        return Err(Error::invalid(
            "shape",
            format!(
                "must have 1 to {MAX_SHAPE_DIMS} dimensions (got {}); NumPy's dimension cache serves \
                 that many, which is what the model covers",
                items.len()
            ),
        ));
    }
    let mut dims = [0u64; MAX_SHAPE_DIMS];
    for (i, item) in items.iter().enumerate() {
        dims[i] = parse_int(&format!("shape[{i}]"), Some(item), 0, MAX_N as i128)? as u64;
    }
    Ok(Some(Dims {
        nd: items.len() as u8,
        dims,
    }))
}

/// `view`: absent, or `{ step }` with a whole step other than 0.
fn parse_view(v: &Loose) -> Result<Option<i64>> {
    let step = match v {
        Loose::Null => return Ok(None),
        Loose::Map(entries) => {
            if let Some((key, _)) = entries
                .iter()
                .find(|(k, v)| k != "step" && *v != Loose::Null)
            {
                return Err(Error::invalid(
                    format!("view.{}", field_name(key).trim_matches('"')),
                    "unknown field; a view has only a step: { step: 2 }",
                ));
            }
            parse_int("view.step", v.get("step"), -(MAX_N as i128), MAX_N as i128)?
        }
        other => {
            return Err(Error::invalid(
                "view",
                format!(
                    "must be an object like {{ step: 2 }} (x = base[::2]) (got {})",
                    other.preview()
                ),
            ))
        }
    };
    if step == 0 {
        return Err(Error::invalid(
            "view.step",
            "must not be 0 (Python refuses a slice step of zero); use 1 for every element, 2 for \
             every other, -1 for the reverse",
        ));
    }
    Ok(Some(step as i64))
}

fn parse_values(v: Option<&Loose>) -> Result<Values> {
    let raw = match v {
        Some(r @ Loose::Map(_)) => r,
        None | Some(Loose::Null) => {
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
    let kind =
        required_str(raw.get("kind"), "kind", VALUE_KINDS).map_err(|e| prefix(e, "values."))?;
    let fields: &[&str] = match kind {
        "int_range" | "float_range" => &["kind", "start"],
        "int_mod" => &["kind", "k"],
        "constant" => &["kind", "value", "type"],
        "int_offset" => &["kind", "base", "start"],
        other => {
            return Err(Error::invalid(
                "values.kind",
                format!("unknown kind {}; allowed: {VALUE_KINDS}", quoted(other)),
            ))
        }
    };
    if let Loose::Map(entries) = raw {
        let unknown =
            |(k, v): &&(String, Loose)| !fields.contains(&k.as_str()) && *v != Loose::Null;
        if let Some((key, _)) = entries.iter().find(unknown) {
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
        "int_offset" => Values::IntOffset {
            base: parse_int("values.base", raw.get("base"), I64_MIN, I64_MAX)?,
            start: parse_int("values.start", raw.get("start"), I64_MIN, I64_MAX)?,
        },
        _ => Values::Constant(parse_const(raw)?),
    })
}

fn parse_const(raw: &Loose) -> Result<Const> {
    let ty = match raw.get("type") {
        None | Some(Loose::Null) => None,
        Some(Loose::Str(s)) if s == "int" || s == "float" => Some(s.as_str()),
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
                format!("must be a finite number (got {})", float_text(x)),
            ))
        }
    };
    match (ty, value) {
        (Some("float"), Some(Loose::Num(x))) => as_float(*x),
        (Some("float"), Some(Loose::Int(i))) => as_float(*i as f64),
        (None, Some(Loose::Num(x))) if x.is_finite() && x.fract() != 0.0 => as_float(*x),
        (None, Some(Loose::Num(x))) if !x.is_finite() => as_float(*x),
        // An integral double past 2**53 (1e308) was most likely meant as a float.
        (None, Some(Loose::Num(x))) if x.abs() > MAX_SAFE as f64 => Err(Error::invalid(
            "values.value",
            format!(
                "{} is a whole number past 2**53 - 1, where JS numbers stop being exact: for a \
                 float add type: \"float\"; for an int pass its digits as a decimal string",
                float_text(*x)
            ),
        )),
        (Some("float"), other) => Err(Error::invalid(
            "values.value",
            format!(
                "must be a finite number (got {})",
                other.map_or("nothing".into(), Loose::preview)
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
