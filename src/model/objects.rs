//! The element objects a boxed container points at: which are created fresh (and how big each
//! allocation is), which are shared objects that already existed. Counted in O(1) by splitting
//! the value range where the answer can change, never by visiting n values.

use super::profile::Profile;
use super::rules::{digits, SMALL_INT_MIN};
use super::scenario::{Const, Container, Scenario, Values};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// An int with `digits` 30-bit digits, allocated with room for `alloc_digits`.
    Int {
        digits: u64,
        alloc_digits: u64,
    },
    Float,
}

/// `count` fresh objects of one shape, each `requested` bytes, each `getsizeof` per sys.getsizeof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Group {
    pub shape: Shape,
    pub count: u64,
    pub requested: u64,
    pub getsizeof: u64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SharedKind {
    /// Ints -5..=256, created when the interpreter starts.
    SmallInts,
    /// One constant from the code, referenced n times.
    Constant(Const),
    /// range()'s own start object, which a long range iterator yields first (wasm32 only).
    RangeStart(i128),
    /// The values of a list literal: constants of the code, made when it was compiled.
    Literal,
    /// The objects of the list x was built from (`source: "list"`).
    FromList,
}

/// Objects x refers to that existed before it was built: they cost nothing new.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shared {
    pub kind: SharedKind,
    pub distinct: u64,
    /// Sum of sys.getsizeof over these distinct objects.
    pub getsizeof: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Elements {
    pub groups: Vec<Group>,
    pub shared: Vec<Shared>,
}

impl Elements {
    pub fn distinct(&self) -> u64 {
        self.groups.iter().map(|g| g.count).sum::<u64>()
            + self.shared.iter().map(|s| s.distinct).sum::<u64>()
    }

    fn add(&mut self, g: Group) {
        if g.count == 0 {
            return;
        }
        match self
            .groups
            .iter_mut()
            .find(|x| x.shape == g.shape && x.requested == g.requested)
        {
            Some(x) => x.count += g.count,
            None => self.groups.push(g),
        }
    }
}

/// sys.getsizeof of an int.
pub fn int_getsizeof(p: Profile, v: i128) -> u64 {
    p.var_head() + 4 * digits(v).max(p.int_min_digits_for_sizeof())
}

/// An int made by PyLong_FromLong (range's fast iterator, i % k, ...).
fn from_long(p: Profile, v: i128) -> Group {
    let d = digits(v);
    // 3.11+ allocates every one-digit ("medium") int as a whole sizeof(PyLongObject).
    let requested = if d == 1 && p.minor() >= 11 {
        p.long_struct()
    } else {
        p.var_head() + 4 * d
    };
    Group {
        shape: Shape::Int {
            digits: d,
            alloc_digits: d,
        },
        count: 1,
        requested,
        getsizeof: int_getsizeof(p, v),
    }
}

/// An int allocated with room for `alloc_digits` (x_add/x_sub never shrink their result).
fn with_digits(p: Profile, v: i128, alloc_digits: u64) -> Group {
    Group {
        shape: Shape::Int {
            digits: digits(v),
            alloc_digits,
        },
        count: 1,
        requested: p.var_head() + 4 * alloc_digits,
        getsizeof: int_getsizeof(p, v),
    }
}

enum Made {
    Cached,
    Start,
    Fresh(Group),
}

const B30: i128 = 1 << 30;
const B60: i128 = 1 << 60;
const COMPACT_MAX: i128 = B30 - 1;

/// What range(start, start + n) yields at value v.
fn range_value(p: Profile, start: i128, long_path: bool, v: i128) -> Made {
    if !long_path {
        return if p.is_small_int(v) {
            Made::Cached
        } else {
            Made::Fresh(from_long(p, v))
        };
    }
    // longrangeiter_next (3.12+): yields its current start, then start = start + step.
    if v == start {
        return Made::Start;
    }
    let prev = v - 1;
    if prev.abs() <= COMPACT_MAX {
        // long_add on two compact ints: _PyLong_FromSTwoDigits, sized exactly.
        if p.is_small_int(v) {
            Made::Cached
        } else if v.abs() <= COMPACT_MAX {
            Made::Fresh(from_long(p, v))
        } else {
            Made::Fresh(with_digits(p, v, digits(v)))
        }
    } else if prev > 0 {
        // x_add allocates one digit more than the larger operand.
        Made::Fresh(with_digits(p, v, digits(prev) + 1))
    } else {
        // x_sub allocates as many digits as the larger operand.
        Made::Fresh(with_digits(p, v, digits(prev)))
    }
}

/// True when range(start, start + n) iterates C longs (range_iter's fast path).
pub fn range_is_fast(p: Profile, start: i128, n: u64) -> bool {
    let bits = p.c_long_bits();
    let (lo, hi) = (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1);
    let stop = start + n as i128;
    (lo..=hi).contains(&start) && (lo..=hi).contains(&stop)
}

fn small_ints_shared(p: Profile, lo: i128, hi: i128) -> Option<Shared> {
    let (a, b) = (lo.max(SMALL_INT_MIN), hi.min(p.small_int_max()));
    if a > b {
        return None;
    }
    let distinct = (b - a + 1) as u64;
    let mut getsizeof = distinct * (p.var_head() + 4);
    if a <= 0 && 0 <= b && p.int_min_digits_for_sizeof() == 0 {
        getsizeof -= 4;
    }
    Some(Shared {
        kind: SharedKind::SmallInts,
        distinct,
        getsizeof,
    })
}

/// `base + i` as Objects/longobject.c long_add makes it. Two compact (one-digit) operands take
/// the fast path (MEDIUM_VALUE, 3.8-3.11; _PyLong_FromSTwoDigits, 3.12+), sized exactly, small
/// results from the cache. Otherwise x_add (same signs) allocates one digit more than the
/// larger operand and x_sub (opposite signs) as many; neither shrinks the allocation when the
/// result needs fewer digits (long_normalize only lowers ob_size), and x_sub hands back a
/// cached small int (maybe_small_long).
fn offset_value(p: Profile, base: i128, i: i128) -> Made {
    let v = base + i;
    if base.abs() <= COMPACT_MAX && i.abs() <= COMPACT_MAX {
        return if p.is_small_int(v) {
            Made::Cached
        } else {
            Made::Fresh(from_long(p, v))
        };
    }
    let size = digits(base).max(digits(i));
    if (base < 0) == (i < 0) {
        Made::Fresh(with_digits(p, v, size + 1))
    } else if p.is_small_int(v) {
        Made::Cached
    } else {
        Made::Fresh(with_digits(p, v, size))
    }
}

/// base + i for i in range(start, start + n), split where the answer can change (the edges of
/// i's and of the result's digit counts and signs, and the small-int cache's edges):
/// (first i, last i, how base + i is made).
fn int_offset_pieces(p: Profile, base: i128, start: i128, n: u64) -> Vec<(i128, i128, Made)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let end = start + n as i128 - 1;
    let mut cuts: Vec<i128> = Vec::with_capacity(32);
    for edge in [-B60 + 1, -B30 + 1, 0, B30, B60] {
        cuts.push(edge);
        cuts.push(edge - base);
    }
    for edge in [SMALL_INT_MIN, p.small_int_max() + 1, 1] {
        cuts.push(edge - base);
    }
    cuts.retain(|&c| c > start && c <= end);
    cuts.sort_unstable();
    cuts.dedup();
    let mut lo = start;
    for hi_next in cuts.into_iter().chain(std::iter::once(end + 1)) {
        let hi = hi_next - 1;
        if lo <= hi {
            out.push((lo, hi, offset_value(p, base, lo)));
        }
        lo = hi_next;
    }
    out
}

fn int_offset(p: Profile, base: i128, start: i128, n: u64) -> Elements {
    let mut out = Elements::default();
    for (lo, hi, made) in int_offset_pieces(p, base, start, n) {
        match made {
            Made::Cached => {
                if let Some(s) = small_ints_shared(p, base + lo, base + hi) {
                    merge_shared(&mut out, s);
                }
            }
            Made::Fresh(g) => out.add(Group {
                count: (hi - lo + 1) as u64,
                ..g
            }),
            Made::Start => {}
        }
    }
    out
}

/// Sum of sys.getsizeof over the ints lo..=hi.
fn ints_getsizeof(p: Profile, lo: i128, hi: i128) -> u64 {
    let mut sum = 0;
    let mut a = lo;
    let mut cuts = vec![-B60 + 1, -B30 + 1, 0, 1, B30, B60];
    cuts.retain(|&c| c > lo && c <= hi);
    for next in cuts.into_iter().chain(std::iter::once(hi + 1)) {
        if a < next {
            sum += (next - a) as u64 * int_getsizeof(p, a);
        }
        a = next;
    }
    sum
}

/// A list literal's elements: the constants of the code (the small ints from the cache), all
/// there before x is built. Equal constants are one object (the compiler merges them).
fn literal(p: Profile, values: Values, n: u64) -> Elements {
    let mut out = Elements::default();
    if n == 0 {
        return out;
    }
    let (lo, hi, floats) = match values {
        Values::IntRange { start } => (start, start + n as i128 - 1, false),
        Values::IntMod { k } => (0, n.min(k) as i128 - 1, false),
        Values::FloatRange { .. } => (0, 0, true),
        _ => return out,
    };
    if floats {
        out.shared.push(Shared {
            kind: SharedKind::Literal,
            distinct: n,
            getsizeof: n * p.float_size(),
        });
        return out;
    }
    let small = small_ints_shared(p, lo, hi);
    let (mut distinct, mut getsizeof) = ((hi - lo + 1) as u64, ints_getsizeof(p, lo, hi));
    if let Some(s) = small {
        distinct -= s.distinct;
        getsizeof -= s.getsizeof;
        out.shared.push(s);
    }
    if distinct > 0 {
        out.shared.push(Shared {
            kind: SharedKind::Literal,
            distinct,
            getsizeof,
        });
    }
    out
}

/// range(start, start + n) split where the answer can change (the cache edges and the
/// digit-count edges, for v and for v - 1): (first value, last value, how they are made).
fn int_range_pieces(p: Profile, start: i128, n: u64) -> Vec<(i128, i128, Made)> {
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let end = start + n as i128 - 1;
    let long_path = !range_is_fast(p, start, n);
    let mut cuts: Vec<i128> = vec![start + 1];
    for edge in [
        SMALL_INT_MIN,
        p.small_int_max() + 1,
        -B60 + 1,
        -B30 + 1,
        B30,
        B60,
    ] {
        cuts.push(edge);
        cuts.push(edge + 1);
    }
    cuts.retain(|&c| c > start && c <= end);
    cuts.sort_unstable();
    cuts.dedup();
    let mut lo = start;
    for hi_next in cuts.into_iter().chain(std::iter::once(end + 1)) {
        let hi = hi_next - 1;
        if lo <= hi {
            out.push((lo, hi, range_value(p, start, long_path, lo)));
        }
        lo = hi_next;
    }
    out
}

fn int_range(p: Profile, start: i128, n: u64) -> Elements {
    let mut out = Elements::default();
    for (lo, hi, made) in int_range_pieces(p, start, n) {
        match made {
            Made::Cached => {
                if let Some(s) = small_ints_shared(p, lo, hi) {
                    merge_shared(&mut out, s);
                }
            }
            Made::Start => out.shared.push(Shared {
                kind: SharedKind::RangeStart(start),
                distinct: 1,
                getsizeof: int_getsizeof(p, start),
            }),
            Made::Fresh(g) => out.add(Group {
                count: (hi - lo + 1) as u64,
                ..g
            }),
        }
    }
    out
}

fn merge_shared(out: &mut Elements, s: Shared) {
    match out.shared.iter_mut().find(|x| x.kind == s.kind) {
        Some(x) => {
            x.distinct += s.distinct;
            x.getsizeof += s.getsizeof;
        }
        None => out.shared.push(s),
    }
}

fn int_mod(p: Profile, k: u64, n: u64) -> Elements {
    let mut out = Elements::default();
    if n == 0 {
        return out;
    }
    let top = n.min(k) as i128 - 1;
    if let Some(s) = small_ints_shared(p, 0, top) {
        out.shared.push(s);
    }
    // Every occurrence of a value past the cache is a new object, even if the value repeats.
    let first_fresh = (p.small_int_max() + 1) as u64;
    let per_cycle = k.saturating_sub(first_fresh);
    let fresh = (n / k) * per_cycle + (n % k).saturating_sub(first_fresh);
    out.add(Group {
        count: fresh,
        ..from_long(p, p.small_int_max() + 1)
    });
    out
}

/// One element as Python produces it: its value, and whether it is a new object.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Int(i128),
    Float(f64),
}

/// How the elements of a run come to be.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Make {
    /// Objects that already existed (the small ints by value, else the constant or range's
    /// own start object).
    Shared,
    /// New objects: `requested` bytes of this shape each.
    Fresh { shape: Shape, requested: u64 },
    /// The same object as element 0 (`[b + 5] * n` computes one object, referenced n times).
    Repeat,
}

/// Consecutive elements [from, to) made the same way: the lab builds each run in a tight loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Run {
    pub from: u64,
    pub to: u64,
    pub make: Make,
}

/// Runs of elements from pieces of the values (first, last value's i, how made), i from `start`.
fn push_runs(out: &mut Vec<Run>, start: i128, pieces: Vec<(i128, i128, Made)>) {
    for (lo, hi, made) in pieces {
        let make = match made {
            Made::Fresh(g) => Make::Fresh {
                shape: g.shape,
                requested: g.requested,
            },
            Made::Cached | Made::Start => Make::Shared,
        };
        out.push(Run {
            from: (lo - start) as u64,
            to: (hi - start) as u64 + 1,
            make,
        });
    }
}

/// The values of a scenario, element by element and run by run.
#[derive(Clone, Copy, Debug)]
pub struct ElementSource {
    p: Profile,
    values: Values,
    n: u64,
    /// The values are written out as constants (a list literal of anything but int_offset).
    constants: bool,
    /// One computed value repeated (`[b + start] * n`).
    repeat: bool,
    /// The objects are a list's, made before x (`source: "list"`).
    from_list: bool,
}

impl ElementSource {
    pub fn new(s: &Scenario) -> Self {
        ElementSource {
            p: s.profile,
            values: s.values,
            n: s.n,
            constants: is_literal_constants(s),
            repeat: s.container == Container::ListRepeat,
            from_list: s.form.from_list,
        }
    }

    pub fn values(&self) -> Values {
        self.values
    }

    /// One value repeated (`[v] * n`).
    pub fn repeats(&self) -> bool {
        self.repeat
    }

    /// Element i's value.
    #[inline]
    pub fn value(&self, i: u64) -> Value {
        match self.values {
            Values::IntRange { start } => Value::Int(start + i as i128),
            Values::FloatRange { start } => Value::Float((start + i as i128) as f64),
            Values::IntMod { k } => Value::Int((i % k) as i128),
            Values::Constant(Const::Int(v)) => Value::Int(v),
            Values::Constant(Const::Float(f)) => Value::Float(f),
            Values::IntOffset { base, start } if self.repeat => Value::Int(base + start),
            Values::IntOffset { base, start } => Value::Int(base + start + i as i128),
        }
    }

    /// The runs covering 0..n, in order.
    pub fn runs(&self) -> Vec<Run> {
        let (p, n) = (self.p, self.n);
        let mut out = Vec::new();
        if n == 0 {
            return out;
        }
        if self.constants || self.from_list {
            out.push(Run {
                from: 0,
                to: n,
                make: Make::Shared,
            });
            return out;
        }
        match self.values {
            Values::IntOffset { base, start } => {
                let n = if self.repeat { 1 } else { n };
                push_runs(&mut out, start, int_offset_pieces(p, base, start, n));
                if self.repeat && self.n > 1 {
                    out.push(Run {
                        from: 1,
                        to: self.n,
                        make: Make::Repeat,
                    });
                }
            }
            Values::IntRange { start } => push_runs(&mut out, start, int_range_pieces(p, start, n)),
            Values::FloatRange { .. } => out.push(Run {
                from: 0,
                to: n,
                make: Make::Fresh {
                    shape: Shape::Float,
                    requested: p.float_size(),
                },
            }),
            Values::IntMod { k } => {
                let cached = (p.small_int_max() + 1) as u64;
                if k <= cached {
                    out.push(Run {
                        from: 0,
                        to: n,
                        make: Make::Shared,
                    });
                } else {
                    let g = from_long(p, p.small_int_max() + 1);
                    let fresh = Make::Fresh {
                        shape: g.shape,
                        requested: g.requested,
                    };
                    let mut at = 0;
                    while at < n {
                        let cycle_end = (at + k).min(n);
                        out.push(Run {
                            from: at,
                            to: (at + cached).min(n),
                            make: Make::Shared,
                        });
                        if at + cached < cycle_end {
                            out.push(Run {
                                from: at + cached,
                                to: cycle_end,
                                make: fresh,
                            });
                        }
                        at = cycle_end;
                    }
                }
            }
            Values::Constant(_) => out.push(Run {
                from: 0,
                to: n,
                make: Make::Shared,
            }),
        }
        out
    }

    /// Bytes requested for the object holding `value` (0 when shared), found in `runs`: lets
    /// the lab rebuild a freed object's allocation size from what it reads in the object.
    pub fn requested_for(&self, runs: &[Run], value: Value) -> u64 {
        let i = match (self.values, value) {
            (Values::IntRange { start }, Value::Int(v)) => (v - start) as u64,
            (Values::IntMod { .. }, Value::Int(v)) => v as u64,
            (Values::IntOffset { base, start }, Value::Int(v)) => (v - base - start) as u64,
            _ => 0,
        };
        let at = runs.partition_point(|r| r.to <= i);
        runs.get(at).map_or(0, |r| match r.make {
            Make::Fresh { requested, .. } => requested,
            Make::Shared | Make::Repeat => 0,
        })
    }
}

/// A list literal of constants: int_offset's items are computed (`b + 5`), the rest are not.
pub fn is_literal_constants(s: &Scenario) -> bool {
    s.container == Container::ListLiteral && !matches!(s.values, Values::IntOffset { .. })
}

/// The element objects of a boxed container built from these values. From a list, they are
/// the list's objects: x points at them (Objects/listobject.c list_extend and
/// _PyTuple_FromArray copy the pointers and take a reference), so none is new.
pub fn elements(s: &Scenario) -> Elements {
    let e = made_elements(s);
    if !s.form.from_list {
        return e;
    }
    let mut out = Elements {
        groups: Vec::new(),
        shared: e.shared,
    };
    let distinct = e.groups.iter().map(|g| g.count).sum::<u64>();
    if distinct > 0 {
        out.shared.push(Shared {
            kind: SharedKind::FromList,
            distinct,
            getsizeof: e.groups.iter().map(|g| g.count * g.getsizeof).sum(),
        });
    }
    out
}

fn made_elements(s: &Scenario) -> Elements {
    let p = s.profile;
    if is_literal_constants(s) && !matches!(s.values, Values::Constant(_)) {
        return literal(p, s.values, s.n);
    }
    match s.values {
        // `[b + start] * n`: one object, computed once.
        Values::IntOffset { base, start } if s.container == Container::ListRepeat => {
            int_offset(p, base, start, s.n.min(1))
        }
        Values::IntOffset { base, start } => int_offset(p, base, start, s.n),
        Values::IntRange { start } => int_range(p, start, s.n),
        Values::FloatRange { .. } => {
            let mut out = Elements::default();
            let f = p.float_size();
            out.add(Group {
                shape: Shape::Float,
                count: s.n,
                requested: f,
                getsizeof: f,
            });
            out
        }
        Values::IntMod { k } => int_mod(p, k, s.n),
        Values::Constant(c) => {
            let mut out = Elements::default();
            if s.n > 0 {
                let getsizeof = match c {
                    Const::Int(v) => int_getsizeof(p, v),
                    Const::Float(_) => p.float_size(),
                };
                out.shared.push(Shared {
                    kind: SharedKind::Constant(c),
                    distinct: 1,
                    getsizeof,
                });
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(p: Profile, start: i128, n: u64) -> Elements {
        elements(&Scenario {
            container: Container::ListAppend,
            values: Values::IntRange { start },
            n,
            profile: p,
            numpy: Default::default(),
            form: Default::default(),
        })
    }

    #[test]
    fn a_million_ints_from_zero() {
        let e = ints(Profile::Py312, 0, 1_000_000);
        assert_eq!(e.distinct(), 1_000_000);
        assert_eq!(e.shared[0].distinct, 257);
        assert_eq!(e.groups.len(), 1);
        assert_eq!(e.groups[0].count, 1_000_000 - 257);
        assert_eq!(e.groups[0].requested, 32);
        assert_eq!(ints(Profile::Py310, 0, 1_000_000).groups[0].requested, 28);
    }

    #[test]
    fn wasm32_long_range_over_allocates_a_digit() {
        let e = ints(Profile::Wasm313, 1 << 60, 1000);
        assert_eq!(e.shared.len(), 1);
        assert_eq!(e.groups[0].count, 999);
        assert_eq!(e.groups[0].requested, 12 + 16);
        assert_eq!(e.groups[0].getsizeof, 12 + 12);
    }

    #[test]
    fn int_mod_counts_fresh_objects_per_occurrence() {
        let s = Scenario {
            container: Container::ListAppend,
            values: Values::IntMod { k: 1000 },
            n: 2500,
            profile: Profile::Py312,
            numpy: Default::default(),
            form: Default::default(),
        };
        let e = elements(&s);
        assert_eq!(e.shared[0].distinct, 257);
        assert_eq!(e.groups[0].count, 2 * 743 + (500 - 257));
    }
}
