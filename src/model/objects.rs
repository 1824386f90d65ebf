//! The element objects a boxed container points at: which are created fresh (and how big each
//! allocation is), which are shared objects that already existed. Counted in O(1) by splitting
//! the value range where the answer can change, never by visiting n values.

use super::profile::Profile;
use super::rules::{digits, SMALL_INT_MIN};
use super::scenario::{Const, Scenario, Values};

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
}

/// Consecutive elements [from, to) made the same way: the lab builds each run in a tight loop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Run {
    pub from: u64,
    pub to: u64,
    pub make: Make,
}

/// The values of a scenario, element by element and run by run.
#[derive(Clone, Copy, Debug)]
pub struct ElementSource {
    p: Profile,
    values: Values,
    n: u64,
}

impl ElementSource {
    pub fn new(s: &Scenario) -> Self {
        ElementSource {
            p: s.profile,
            values: s.values,
            n: s.n,
        }
    }

    pub fn values(&self) -> Values {
        self.values
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
        }
    }

    /// The runs covering 0..n, in order.
    pub fn runs(&self) -> Vec<Run> {
        let (p, n) = (self.p, self.n);
        let mut out = Vec::new();
        if n == 0 {
            return out;
        }
        match self.values {
            Values::IntRange { start } => {
                for (lo, hi, made) in int_range_pieces(p, start, n) {
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
            _ => 0,
        };
        let at = runs.partition_point(|r| r.to <= i);
        runs.get(at).map_or(0, |r| match r.make {
            Make::Fresh { requested, .. } => requested,
            Make::Shared => 0,
        })
    }
}

/// The element objects of a boxed container built from these values.
pub fn elements(s: &Scenario) -> Elements {
    let p = s.profile;
    match s.values {
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
    use crate::model::scenario::Container;

    fn ints(p: Profile, start: i128, n: u64) -> Elements {
        elements(&Scenario {
            container: Container::ListAppend,
            values: Values::IntRange { start },
            n,
            profile: p,
            numpy: Default::default(),
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
        };
        let e = elements(&s);
        assert_eq!(e.shared[0].distinct, 257);
        assert_eq!(e.groups[0].count, 2 * 743 + (500 - 257));
    }
}
