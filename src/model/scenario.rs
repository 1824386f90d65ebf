//! The scenario: what Python builds (container, element values, n) and on which CPython, and
//! the combinations Python itself refuses. (Reading one from JS or JSON, field by field, is the
//! boundary's job: `web::scenario`.)

use super::layout::group_digits as group;
use super::num::quote;
use super::profile::Profile;
use crate::error::{Error, Result};

pub const MAX_N: u64 = 1_000_000_000_000;
/// A list literal is source code written out in full: its n stays at what a person writes.
pub const MAX_LITERAL_N: u64 = 10_000;
/// Largest k for int_mod: i % k stays a one-digit int (below 2**30).
pub const MAX_K: u64 = (1 << 30) - 1;
const I64_MAX: i128 = i64::MAX as i128;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Container {
    ListAppend,
    ListRange,
    ListComprehension,
    ListRepeat,
    /// `x = [v0, v1, …]`: a list display of the n values, written out (n ≤ MAX_LITERAL_N).
    ListLiteral,
    Tuple,
    Array(Typecode),
    Ndarray(Dtype),
}

pub const CONTAINER_NAMES: &str =
    "list_append, list_range, list_comprehension, list_repeat, list_literal, tuple, array, ndarray";

impl Container {
    pub fn name(self) -> &'static str {
        match self {
            Container::ListAppend => "list_append",
            Container::ListRange => "list_range",
            Container::ListComprehension => "list_comprehension",
            Container::ListRepeat => "list_repeat",
            Container::ListLiteral => "list_literal",
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
                | Container::ListLiteral
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
    /// The ints base + i for i in range(start, start + n), computed by addition at run time
    /// (Objects/longobject.c long_add: x_add leaves a spare digit in a multi-digit result).
    IntOffset { base: i128, start: i128 },
}

pub const VALUE_KINDS: &str = "int_range, float_range, int_mod, constant, int_offset";

impl Values {
    pub fn kind(self) -> &'static str {
        match self {
            Values::IntRange { .. } => "int_range",
            Values::FloatRange { .. } => "float_range",
            Values::IntMod { .. } => "int_mod",
            Values::Constant(_) => "constant",
            Values::IntOffset { .. } => "int_offset",
        }
    }

    pub fn is_float(self) -> bool {
        matches!(
            self,
            Values::FloatRange { .. } | Values::Constant(Const::Float(_))
        )
    }

    /// int_offset's base (0 for the other kinds): value i is `offset() + start + i`.
    pub fn offset(self) -> i128 {
        match self {
            Values::IntOffset { base, .. } => base,
            _ => 0,
        }
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
            Values::IntOffset { base, start } => Some((base + start, base + start + n as i128 - 1)),
            _ => None,
        }
    }
}

/// Which NumPy's ndarray layout and allocator an ndarray scenario follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Numpy {
    /// NumPy 1.22 and later, 2.x included: their layouts agree (recorded with 1.24.4 to 2.5.5).
    #[default]
    V2,
    /// NumPy 1.21 and older: no `mem_handler` field (a 104-byte array header, not 112), and data
    /// buffers under 1024 bytes reused from NumPy's own cache without telling tracemalloc.
    V121,
}

pub const NUMPY_NAMES: &str =
    "\"2\" (NumPy 1.22 and later, 2.x included), \"1.21\" (1.21 and older)";

impl Numpy {
    pub fn name(self) -> &'static str {
        match self {
            Numpy::V2 => "2",
            Numpy::V121 => "1.21",
        }
    }

    pub fn parse(s: &str) -> Option<Numpy> {
        [Numpy::V2, Numpy::V121].into_iter().find(|v| v.name() == s)
    }

    /// The NumPy releases the figures hold for.
    pub fn versions(self) -> &'static str {
        match self {
            Numpy::V2 => "NumPy 1.22 and later, 2.x included",
            Numpy::V121 => "NumPy 1.21 and older",
        }
    }
}

/// NumPy's dimension cache (numpy/core/src/multiarray/alloc.c, NBUCKETS_DIM = 16 npy_intp)
/// serves the shape and strides of up to 7 dimensions without a traced allocation: the model
/// covers shapes that far.
pub const MAX_SHAPE_DIMS: usize = 7;

/// An ndarray's shape: `nd` dimensions in `dims[..nd]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dims {
    pub nd: u8,
    pub dims: [u64; MAX_SHAPE_DIMS],
}

impl Dims {
    pub fn as_slice(&self) -> &[u64] {
        &self.dims[..self.nd as usize]
    }
}

/// How x is made beyond its container and values (issue 13's forms). All default to none.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Form {
    /// `source: "list"`: x is built from an existing list `src` holding the same values
    /// (`list(src)`, `tuple(src)`, `array.array(tc, src)`, `np.array(src, dtype=…)`); src and
    /// its objects are not counted.
    pub from_list: bool,
    /// ndarray `shape`: `np.arange(…).reshape(shape)`, a view of the arange array.
    pub shape: Option<Dims>,
    /// ndarray `view: { step }`: `x = base[::step]` of a base holding the n values (not counted).
    pub view_step: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scenario {
    pub container: Container,
    pub values: Values,
    pub n: u64,
    pub profile: Profile,
    /// The NumPy an ndarray follows (ignored by the other containers).
    pub numpy: Numpy,
    /// Built from a list, reshaped or viewed (issue 13); `Form::default()` for none.
    pub form: Form,
}

impl Scenario {
    /// The article's scenario: a million ints appended to a list, on CPython 3.12.
    pub fn article() -> Scenario {
        Scenario {
            container: Container::ListAppend,
            values: Values::IntRange { start: 0 },
            n: 1_000_000,
            profile: Profile::Py312,
            numpy: Numpy::V2,
            form: Form::default(),
        }
    }

    /// How many elements x holds: n, or a view's ceil(n / |step|).
    pub fn length(&self) -> u64 {
        match self.form.view_step {
            Some(k) => self.n.div_ceil(k.unsigned_abs()),
            None => self.n,
        }
    }

    /// Range limits and container/value compatibility, as Python itself would refuse them, and
    /// NumPy 1.21 only on an ndarray of a Python it installs on.
    pub fn check_values_fit(&self) -> Result<()> {
        if self.numpy == Numpy::V121 {
            if !matches!(self.container, Container::Ndarray(_)) {
                return Err(Error::invalid(
                    "numpy",
                    format!(
                        "applies only to container \"ndarray\" (this container is {})",
                        quote(self.container.name())
                    ),
                ));
            }
            if !self.profile.has_numpy_121() {
                return Err(Error::invalid(
                    "numpy",
                    format!(
                        "NumPy 1.21 installs only on CPython 3.7 to 3.10, not on {}; choose numpy \"2\", \
                         or profile cpython-3.8, cpython-3.9 or cpython-3.10",
                        self.profile.name()
                    ),
                ));
            }
        }
        let n = self.n as i128;
        self.check_form()?;
        if self.container == Container::ListLiteral && self.n > MAX_LITERAL_N {
            return Err(Error::invalid(
                "n",
                format!(
                    "a list_literal is written out in full, so n must be at most {} (got {}); \
                     list_range or list_comprehension build longer lists",
                    group(MAX_LITERAL_N),
                    group(self.n)
                ),
            ));
        }
        if let Values::IntOffset { .. } = self.values {
            if !self.container.is_boxed() {
                return Err(Error::invalid(
                    "values.kind",
                    format!(
                        "int_offset (ints computed as base + i) applies to the list and tuple \
                         containers (list_append, list_range, list_comprehension, list_repeat, \
                         list_literal, tuple), not to {}; for its values use int_range with \
                         start = base + start",
                        quote(self.container.name())
                    ),
                ));
            }
        }
        if let Values::IntRange { start }
        | Values::FloatRange { start }
        | Values::IntOffset { start, .. } = self.values
        {
            if start + n > I64_MAX {
                return Err(Error::invalid(
                    "values.start",
                    format!(
                        "start + n must be at most 2**63 - 1 = {} (start {} + n {} is past it)",
                        I64_MAX, start, self.n
                    ),
                ));
            }
        }
        match self.container {
            Container::ListRepeat
                if !matches!(self.values, Values::Constant(_) | Values::IntOffset { .. }) =>
            {
                Err(Error::invalid(
                    "values.kind",
                    format!(
                        "list_repeat ([value] * n) needs values.kind \"constant\" or \
                         \"int_offset\" (one value, computed once; got {})",
                        quote(self.values.kind())
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

impl Scenario {
    /// The forms apply to some containers only, and a shape must hold the n values.
    fn check_form(&self) -> Result<()> {
        let f = self.form;
        let nd = matches!(self.container, Container::Ndarray(_));
        if f.from_list
            && !matches!(
                self.container,
                Container::ListRange
                    | Container::Tuple
                    | Container::Array(_)
                    | Container::Ndarray(_)
            )
        {
            return Err(Error::invalid(
                "source",
                format!(
                    "\"list\" applies to list_range (list(src)), tuple (tuple(src)), array \
                     (array.array(tc, src)) and ndarray (np.array(src)), not to {}",
                    quote(self.container.name())
                ),
            ));
        }
        for (field, set) in [
            ("shape", f.shape.is_some()),
            ("view", f.view_step.is_some()),
        ] {
            if set && !nd {
                return Err(Error::invalid(
                    field,
                    format!(
                        "applies only to container \"ndarray\" (this container is {})",
                        quote(self.container.name())
                    ),
                ));
            }
        }
        let forms = [f.from_list, f.shape.is_some(), f.view_step.is_some()];
        if forms.iter().filter(|&&x| x).count() > 1 {
            return Err(Error::invalid(
                if f.view_step.is_some() {
                    "view"
                } else {
                    "shape"
                },
                "source, shape and view are separate forms: use one at a time",
            ));
        }
        if let Some(d) = f.shape {
            let product = d.as_slice().iter().try_fold(1u64, |a, &x| a.checked_mul(x));
            if product != Some(self.n) {
                let dims: Vec<String> = d.as_slice().iter().map(|x| x.to_string()).collect();
                return Err(Error::invalid(
                    "shape",
                    format!(
                        "the dimensions must multiply to n = {}, but [{}] holds {}",
                        group(self.n),
                        dims.join(", "),
                        product.map_or("more than 2**64".to_owned(), group)
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn check_bounds(s: &Scenario, lo: i128, hi: i128, what: &str) -> Result<()> {
    match s.values.int_bounds(s.n) {
        Some((a, b)) if a < lo || b > hi => Err(Error::invalid(
            "values",
            format!(
                "{what} holds {}..{}, but these values reach {}..{}; choose values that fit, \
                 a smaller n, or a wider type",
                lo, hi, a, b
            ),
        )),
        _ => Ok(()),
    }
}
