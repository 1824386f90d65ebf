//! How each container's buffer grows while Python builds it: the (re)allocations CPython makes,
//! as a short list of steps (one per realloc, O(log n) of them). The model folds the steps over
//! the allocator's arithmetic; the lab performs them for real while it appends items.

use super::alloc::{Allocator, Block, Domain};
use super::profile::Profile;
use super::rules::{self, LIST_DEFAULT_HINT, TUPLE_DEFAULT_HINT};
use super::scenario::{Container, Scenario, Values};

/// How list() / tuple() learn the length of what they consume.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// range: has __len__ and an exact length hint.
    Sized,
    /// itertools.repeat: no __len__, but an exact __length_hint__.
    Hinted,
    /// map / generator: nothing; the default guess is used.
    Unsized,
}

/// How the scenario's container learns its length: a list `src` has one (`source: "list"`).
pub fn source_of(s: &Scenario) -> Source {
    if s.form.from_list {
        Source::Sized
    } else {
        Source::of(s.values)
    }
}

impl Source {
    pub fn of(values: Values) -> Source {
        match values {
            Values::IntRange { .. } => Source::Sized,
            Values::Constant(_) => Source::Hinted,
            // A generator, `(b + i for i in range(...))`, for int_offset.
            Values::FloatRange { .. } | Values::IntMod { .. } | Values::IntOffset { .. } => {
                Source::Unsized
            }
        }
    }
}

/// The build path that decides a list's capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListBuild {
    /// `x = []` then append n times (also a list comprehension's LIST_APPEND).
    Append,
    /// `list(iterable)`: list___init__ + list_extend.
    FromIter(Source),
    /// `[v] * n`: exactly n slots.
    Repeat,
    /// A list display whose items are pushed on the stack first: BUILD_LIST n, exactly n slots.
    BuildList,
    /// A display of 3+ constants folded into one tuple constant: BUILD_LIST 0, then LIST_EXTEND
    /// (Python/compile.c starunpack_helper, 3.9+).
    ExtendConst,
    /// A long display (more than 30 items: STACK_USE_GUIDELINE) built by BUILD_LIST 0 and one
    /// LIST_APPEND per item: it grows as append does (3.10+ for computed items, 3.14+ for all).
    DisplayAppend,
}

/// Python/compile.c STACK_USE_GUIDELINE: a display with more items is built item by item.
pub const STACK_USE_GUIDELINE: u64 = 30;

/// How a list display of `n` items compiles on this CPython (`computed`: the items are
/// expressions such as `b + 5`, not constants). Verified against every CPython from 3.8 to 3.15.
pub fn display_build(p: Profile, computed: bool, n: u64) -> ListBuild {
    let minor = p.minor();
    if n > STACK_USE_GUIDELINE && minor >= 10 && (computed || minor >= 14) {
        ListBuild::DisplayAppend
    } else if !computed && n >= 3 && minor >= 9 {
        ListBuild::ExtendConst
    } else {
        ListBuild::BuildList
    }
}

pub fn list_build(s: &Scenario) -> ListBuild {
    match s.container {
        // `list(src)`: src has a length.
        Container::ListRange if s.form.from_list => ListBuild::FromIter(Source::Sized),
        // `list((i % k for i in range(n)))`: 3.15 compiles it as a comprehension would be.
        Container::ListRange
            if matches!(s.values, Values::IntMod { .. } | Values::IntOffset { .. })
                && s.profile.inlines_list_genexpr() =>
        {
            ListBuild::Append
        }
        Container::ListRange => ListBuild::FromIter(source_of(s)),
        Container::ListRepeat => ListBuild::Repeat,
        Container::ListLiteral => {
            display_build(s.profile, matches!(s.values, Values::IntOffset { .. }), s.n)
        }
        _ => ListBuild::Append,
    }
}

/// When `at` items are in, the buffer is reallocated to hold `capacity` items
/// (`capacity == 0` after items: the buffer shrinks to nothing, or a tuple becomes the shared
/// empty tuple).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: u64,
    pub capacity: u64,
}

/// Steps of a list's ob_item array while `n` items go in the given way.
pub fn list_steps(p: Profile, how: ListBuild, n: u64) -> Vec<Step> {
    let minor = p.minor();
    let mut steps = Vec::with_capacity(48);
    let mut cap = 0;
    let mut push = |at: u64, c: u64, cap: &mut u64| {
        steps.push(Step { at, capacity: c });
        *cap = c;
    };
    // Appending from `size` until n items are in, reallocating whenever the list is full.
    let fill = |push: &mut dyn FnMut(u64, u64, &mut u64), cap: &mut u64| {
        let mut size = 0;
        while size < n {
            if size == *cap {
                if let Some(c) = rules::list_resize(minor, *cap, size, size + 1) {
                    push(size, c, cap);
                }
            }
            size = n.min(*cap);
        }
        size
    };
    match how {
        ListBuild::Append | ListBuild::DisplayAppend => {
            fill(&mut push, &mut cap);
        }
        ListBuild::Repeat | ListBuild::BuildList => {
            if n > 0 {
                push(0, n, &mut cap);
            }
        }
        ListBuild::ExtendConst => {
            // list_extend of the tuple into the empty list: list_resize in 3.9 (to a multiple of
            // 4), list_preallocate_exact's even rounding from 3.10.
            let c = if minor <= 9 {
                rules::list_resize(minor, 0, 0, n).unwrap_or(n)
            } else {
                rules::list_preallocate_exact(minor, n)
            };
            push(0, c, &mut cap);
        }
        ListBuild::FromIter(source) => {
            let hint = if source == Source::Unsized {
                LIST_DEFAULT_HINT
            } else {
                n
            };
            if minor >= 10 {
                // list_extend on an empty list: list_preallocate_exact(length hint).
                if hint > 0 {
                    push(0, rules::list_preallocate_exact(minor, hint), &mut cap);
                }
            } else {
                // list___init__ preallocates exactly for a sized iterable, then list_extend
                // grows to the length hint through list_resize.
                if source == Source::Sized && n > 0 {
                    push(0, rules::list_preallocate_exact(minor, n), &mut cap);
                }
                if let Some(c) = rules::list_resize(minor, cap, 0, hint) {
                    push(0, c, &mut cap);
                }
            }
            let size = fill(&mut push, &mut cap);
            // "Cut back result list if initial guess was too large." (until 3.14)
            if size < cap && p.list_extend_cuts_back() {
                if let Some(c) = rules::list_resize(minor, cap, size, size) {
                    push(size, c, &mut cap);
                }
            }
        }
    }
    steps
}

/// Steps of a tuple object (its items are inline): PySequence_Tuple's guess, growth by
/// "ten and then 25%", and the final cut to exactly n. No steps: the shared empty tuple.
pub fn tuple_steps(source: Source, n: u64) -> Vec<Step> {
    let hint = match source {
        Source::Sized | Source::Hinted => n,
        Source::Unsized => TUPLE_DEFAULT_HINT,
    };
    let mut steps = Vec::new();
    if hint == 0 {
        return steps;
    }
    steps.push(Step {
        at: 0,
        capacity: hint,
    });
    let (mut cap, mut j) = (hint, 0);
    while j < n {
        if j >= cap {
            cap = rules::tuple_grow(cap);
            steps.push(Step {
                at: j,
                capacity: cap,
            });
        }
        j = n.min(cap);
    }
    if j < cap {
        // _PyTuple_Resize(&t, 0) hands back the shared empty tuple.
        steps.push(Step { at: j, capacity: j });
    }
    steps
}

/// Steps of an array.array's item buffer: array(typecode, iterable) always appends one by one
/// (ins1 → array_resize); it never asks the iterable for its length.
pub fn array_steps(n: u64) -> Vec<Step> {
    let mut steps = Vec::with_capacity(64);
    let (mut cap, mut size) = (0, 0);
    while size < n {
        if size == cap {
            if let Some(c) = rules::array_resize(cap, size, size + 1, cap > 0) {
                steps.push(Step {
                    at: size,
                    capacity: c,
                });
                cap = c;
            }
        }
        size = n.min(cap);
    }
    steps
}

/// A buffer after its steps: slots it has room for, and the block holding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Buffer {
    pub capacity: u64,
    pub block: Option<Block>,
    /// How many times the buffer was (re)allocated on the way.
    pub reallocs: u32,
}

/// Fold steps over the allocator's rules. `bytes(capacity)` is the request for a capacity.
pub fn replay(alloc: Allocator, steps: &[Step], bytes: impl Fn(u64) -> u64) -> Buffer {
    let mut buf = Buffer {
        capacity: 0,
        block: None,
        reallocs: 0,
    };
    for s in steps {
        buf.block = Some(alloc.realloc(Domain::Object, buf.block, bytes(s.capacity)));
        buf.capacity = s.capacity;
        buf.reallocs += 1;
    }
    buf
}

/// A list's ob_item array after `n` items went in the given way.
pub fn list_buffer(alloc: Allocator, p: Profile, how: ListBuild, n: u64) -> Buffer {
    replay(alloc, &list_steps(p, how, n), |c| c * p.ptr())
}

/// Bytes of a tuple object with `items` slots, GC header included.
pub fn tuple_bytes(p: Profile, items: u64) -> u64 {
    p.gc_head() + p.tuple_basic() + items * p.ptr()
}

/// The tuple object itself: None when Python returns the shared empty tuple.
pub fn tuple_object(alloc: Allocator, p: Profile, source: Source, n: u64) -> Option<Buffer> {
    let steps = tuple_steps(source, n);
    if steps.last().is_none_or(|s| s.capacity == 0) {
        return None;
    }
    Some(replay(alloc, &steps, |c| tuple_bytes(p, c)))
}

/// Steps of the scenario's array.array buffer: appends one by one, or, from a list
/// (`array.array(tc, src)`: Modules/arraymodule.c array_new sizes the array to len(src) first),
/// exactly n items at once.
pub fn array_steps_for(s: &Scenario) -> Vec<Step> {
    if s.form.from_list {
        (s.n > 0)
            .then_some(Step {
                at: 0,
                capacity: s.n,
            })
            .into_iter()
            .collect()
    } else {
        array_steps(s.n)
    }
}

/// An array.array's item buffer after its steps.
pub fn array_buffer(alloc: Allocator, itemsize: u64, s: &Scenario) -> Buffer {
    replay(alloc, &array_steps_for(s), |c| c * itemsize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_capacities_match_recorded_getsizeof() {
        // sys.getsizeof(x) - 56, / 8, as printed by CPython for n = 10**6
        let cap = |p: Profile, how| list_buffer(p.allocator(), p, how, 1_000_000).capacity;
        assert_eq!(cap(Profile::Py38, ListBuild::Append), 1_087_175);
        assert_eq!(cap(Profile::Py312, ListBuild::Append), 1_056_084);
        assert_eq!(
            cap(Profile::Py312, ListBuild::FromIter(Source::Sized)),
            1_000_000
        );
        assert_eq!(
            cap(Profile::Py38, ListBuild::FromIter(Source::Unsized)),
            1_031_263
        );
        assert_eq!(
            list_buffer(
                Profile::Py310.allocator(),
                Profile::Py310,
                ListBuild::FromIter(Source::Sized),
                3
            )
            .capacity,
            4
        );
        assert_eq!(
            list_buffer(
                Profile::Py39.allocator(),
                Profile::Py39,
                ListBuild::FromIter(Source::Sized),
                3
            )
            .capacity,
            3
        );
        assert_eq!(
            list_buffer(
                Profile::Py38.allocator(),
                Profile::Py38,
                ListBuild::FromIter(Source::Unsized),
                3
            )
            .capacity,
            6
        );
        assert_eq!(
            list_buffer(
                Profile::Py39.allocator(),
                Profile::Py39,
                ListBuild::FromIter(Source::Unsized),
                3
            )
            .capacity,
            8
        );
    }

    #[test]
    fn array_of_1000_has_1030_items() {
        assert_eq!(
            replay(Profile::Py313.allocator(), &array_steps(1000), |c| c * 8).capacity,
            1030
        );
    }

    #[test]
    fn steps_are_few_and_ordered() {
        let steps = list_steps(Profile::Py312, ListBuild::Append, 1_000_000_000_000);
        assert!(steps.len() < 300, "{} steps", steps.len());
        assert!(steps.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(
            tuple_steps(Source::Unsized, 0),
            vec![
                Step {
                    at: 0,
                    capacity: 10
                },
                Step { at: 0, capacity: 0 }
            ]
        );
        assert!(tuple_object(
            Profile::Py312.allocator(),
            Profile::Py312,
            Source::Unsized,
            0
        )
        .is_none());
    }
}
