//! The element objects a boxed container points at: which are created fresh (and how big each
//! allocation is), which are shared objects that already existed. Counted in O(1) by splitting
//! the value range where the answer can change, never by visiting n values.

use super::profile::Profile;
use super::rules::{digits, is_small_int, SMALL_INT_MAX, SMALL_INT_MIN};
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
        return if is_small_int(v) {
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
        if is_small_int(v) {
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
    let (a, b) = (lo.max(SMALL_INT_MIN), hi.min(SMALL_INT_MAX));
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

fn int_range(p: Profile, start: i128, n: u64) -> Elements {
    let mut out = Elements::default();
    if n == 0 {
        return out;
    }
    let end = start + n as i128 - 1;
    let long_path = !range_is_fast(p, start, n);
    // Values where the answer can change: the cache edges and digit-count edges, for v and v - 1.
    let mut cuts: Vec<i128> = vec![start + 1];
    for edge in [
        SMALL_INT_MIN,
        SMALL_INT_MAX + 1,
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
        if lo > hi {
            continue;
        }
        match range_value(p, start, long_path, lo) {
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
        lo = hi_next;
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
    let first_fresh = (SMALL_INT_MAX + 1) as u64;
    let per_cycle = k.saturating_sub(first_fresh);
    let fresh = (n / k) * per_cycle + (n % k).saturating_sub(first_fresh);
    out.add(Group {
        count: fresh,
        ..from_long(p, SMALL_INT_MAX + 1)
    });
    out
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
        let e = ints(Profile::Wasm32, 1 << 60, 1000);
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
        };
        let e = elements(&s);
        assert_eq!(e.shared[0].distinct, 257);
        assert_eq!(e.groups[0].count, 2 * 743 + (500 - 257));
    }
}
