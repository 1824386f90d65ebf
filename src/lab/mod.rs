//! The lab: real boxed and packed allocations in this module's own linear memory, measured and
//! compared with the model. One run builds the scenario's structure through allocators that
//! mirror CPython's, measures it, times traversals (pointer chasing, packed, shuffled) and frees
//! it. Runs in a Web Worker on the page (a fresh wasm instance each time), natively in tests.

pub mod build;
pub mod chunks;
pub mod heap;
pub mod heapmap;
pub mod log;
pub mod packed;
pub mod pymalloc;
pub mod shapes;
pub mod slots;
mod structures;
mod walk;

use build::Builder;
use heap::{memory_bytes, Heap, Mode, What, MEMORY_LIMIT};
use heapmap::HeapRuns;
use packed::Item;
use pymalloc::PymallocStats;

use crate::error::{Error, Result};
use crate::model::containers::ListBuild;
use crate::model::scenario::Container;
use crate::model::{layout, Profile, Scenario};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub mode: Mode,
    /// Also time a traversal after shuffling the slots (scattered pointer chasing).
    pub shuffle: bool,
    /// Test builds only (the boundary reads it with feature test-hooks): panic inside the run,
    /// to prove a crash is reported and the next run works.
    pub panic_for_test: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::CPython,
            shuffle: true,
            panic_for_test: false,
        }
    }
}

/// Wall times in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Times {
    /// The boxed side's steps: None for a packed scenario whose boxed comparison did not fit
    /// beside it (see `Report::comparison`).
    pub build_boxed: Option<f64>,
    pub build_packed: f64,
    pub traverse_boxed: Option<f64>,
    pub traverse_packed: f64,
    pub traverse_shuffled: Option<f64>,
    pub free_boxed: Option<f64>,
    pub free_packed: f64,
    pub heap_map: f64,
    /// Touching the run's memory before the build (first-touch page faults).
    pub commit: f64,
    /// The untimed warm-up run before it (see `run`).
    pub warm_up: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub profile: Profile,
    pub mode: Mode,
    pub n: u64,
    /// The scenario's own structure is boxed (list, tuple) rather than packed.
    pub boxed: bool,
    /// Measured for the scenario's structure, from the start of its build.
    pub requested: u64,
    /// Block sizes as the allocators handed them out (None in "rust" mode: not observable).
    pub allocated: Option<u64>,
    pub allocations: u64,
    pub frees_during_build: u64,
    /// What the allocators hold from the system after the build (arenas, segments, maps).
    pub held: u64,
    pub pymalloc: PymallocStats,
    pub chunk_heap_bytes: u64,
    pub model_requested: u64,
    pub model_allocated: u64,
    /// Linear memory in 64 KiB pages: at the start, after the build, at the end.
    pub pages: [u64; 3],
    pub times: Times,
    /// Whether the other side of the comparison was built: always for a boxed scenario (its
    /// packed copy is small); for a packed one, only if the boxed list fits beside it in 4 GiB.
    pub comparison: bool,
    /// Checksums of the traversals: boxed and packed must agree.
    pub sum_boxed: Option<(i64, f64)>,
    pub sum_packed: (i64, f64),
    pub sum_shuffled: Option<(i64, f64)>,
    pub log_events: u64,
    pub heap: HeapRuns,
}

pub struct Clock<'a> {
    pub now: &'a dyn Fn() -> f64,
    /// Called with (phase, done, total) at most every ~50 ms; returning false cancels.
    pub progress: &'a mut dyn FnMut(&str, u64, u64) -> bool,
}

/// Bytes the run will need at most: the mapping area (pointer arrays and data buffers), the
/// structure's objects as the model sizes them plus pool and segment slack, the boxed
/// comparison's objects when the scenario is packed (if `with_comparison`), and room for the
/// log and bookkeeping.
pub fn estimate_bytes(s: &Scenario, with_comparison: bool) -> u64 {
    let l = layout(s);
    let objects = l.totals.allocated + l.totals.allocated / 10;
    let comparison = if s.container.is_boxed() || !with_comparison {
        0
    } else {
        48 * s.n
    };
    // Without a mapping area (wasm32, or small buffers) buffers grow by realloc inside the
    // heap, leaving their old copies behind, next to the packed comparison's buffer.
    let unmapped_buffers = if map_area_bytes(s) == 0 {
        8 * s.n * 4
    } else {
        0
    };
    map_area_bytes(s) as u64 + objects + comparison + unmapped_buffers + (8 << 20)
}

/// Log entries to reserve up front: runs of blocks make few entries; it grows if needed.
const LOG_EVENTS: usize = 1 << 16;

/// Address space for glibc-style mappings (pointer arrays, data buffers, the comparison): room
/// for every big buffer of the run, so the last one can grow in place like mremap.
fn map_area_bytes(s: &Scenario) -> usize {
    if s.profile.is_wasm32() || 8 * s.n < crate::model::alloc::GLIBC_MMAP_THRESHOLD {
        0
    } else {
        (8 * s.n * 23 / 10 + (2 << 20)) as usize
    }
}

/// Touch `want` bytes of fresh memory (at least `need`), then give them back: the pages stay
/// resident for the run, so its timings do not include first-touch page faults. In pieces of
/// 64 MiB: one allocation in 32-bit WebAssembly is at most 2 GiB (isize::MAX), while linear
/// memory grows to 4 GiB, and small pieces fill it to the last few MiB.
fn commit(need: u64, want: u64) -> Result<()> {
    const PIECE: u64 = 64 << 20;
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    pieces
        .try_reserve(want.div_ceil(PIECE) as usize)
        .map_err(|_| heap::oom(need))?;
    let mut done = 0;
    while done < want {
        let size = (want - done).min(PIECE) as usize;
        let mut v: Vec<u8> = Vec::new();
        if v.try_reserve_exact(size).is_err() {
            break;
        }
        let p = v.as_mut_ptr();
        for off in (0..size).step_by(4096) {
            // SAFETY: within the reserved capacity; volatile so the touch is not optimised away.
            unsafe { p.add(off).write_volatile(0) };
        }
        pieces.push(v);
        done += size as u64;
    }
    drop(pieces);
    if done < need {
        return Err(heap::oom(need));
    }
    Ok(())
}

pub fn run(s: &Scenario, opts: &Options, clock: Clock) -> Result<Report> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        if s.profile.is_wasm32() {
            return Err(Error::invalid(
                "profile",
                "the wasm32 shape stores 4-byte addresses, so it runs only inside WebAssembly",
            ));
        }
    }
    let warm_up = warm_up(s, opts, clock.now)?;
    let mut report = run_with(s, opts, clock)?;
    report.times.warm_up = warm_up;
    Ok(report)
}

/// Items in the warm-up run.
const WARM_N: u64 = 1 << 16;

/// Run the same scenario small first, untimed, its heap dropped. A fresh WebAssembly instance
/// starts in the engine's baseline compiler and optimises functions only after they have run a
/// while, and only for later calls: without this, a big run would time unoptimised code, as no
/// benchmark harness would. Returns how long it took (ms).
fn warm_up(s: &Scenario, opts: &Options, now: &dyn Fn() -> f64) -> Result<f64> {
    if s.n <= WARM_N {
        return Ok(0.0);
    }
    let t = now();
    let small = Scenario { n: WARM_N, ..*s };
    let quiet = Options {
        panic_for_test: false,
        ..*opts
    };
    run_with(
        &small,
        &quiet,
        Clock {
            now,
            progress: &mut |_, _, _| true,
        },
    )?;
    Ok(now() - t)
}

fn run_with(s: &Scenario, opts: &Options, clock: Clock) -> Result<Report> {
    let now = clock.now;
    let progress = clock.progress;
    // A packed structure whose boxed comparison cannot fit beside it runs alone.
    let boxed = s.container.is_boxed();
    let comparison =
        boxed || !cfg!(target_arch = "wasm32") || estimate_bytes(s, true) <= MEMORY_LIMIT;
    let needed = estimate_bytes(s, comparison);
    let start_bytes = memory_bytes();
    // Memory this instance grew before is free again inside it, so only what can never fit is
    // refused up front; committing the memory below finds out the rest.
    if cfg!(target_arch = "wasm32") && needed > MEMORY_LIMIT {
        return Err(Error::TooBig {
            needed,
            limit: MEMORY_LIMIT,
        });
    }
    let pages0 = start_bytes / 65536;
    // Commit the memory the run needs before the clock starts: first touches of fresh pages
    // are the kernel's cost (about 4 us a page on some VMs), timed apart as `commit`. It also
    // finds out early, and cleanly, when linear memory cannot grow that far.
    let t_commit = now();
    // The estimate, and a quarter more where linear memory has room for it.
    commit(needed, needed + needed / 4)?;
    let t_commit = now() - t_commit;
    let mut heap = Heap::new(s.profile, opts.mode);
    // glibc's threshold where the program building x has it (for an ndarray: after `import
    // numpy` and NumPy's own temporaries), as the model assumes.
    if let Some(t) = crate::model::layout::ndarray_data_allocator(s).mmap_threshold() {
        heap.chunks.set_mmap_threshold(t);
    }
    let model = layout(s);
    heap.log.reserve(LOG_EVENTS)?;
    if !heap.chunks.reserve_map_area(map_area_bytes(s)) {
        return Err(heap::oom(needed));
    }

    let mut last = now();
    let mut report_progress = |phase: &str, done: u64, total: u64| -> Result<()> {
        let t = now();
        if t - last >= 50.0 {
            last = t;
            if !progress(phase, done, total) {
                return Err(Error::Cancelled);
            }
        }
        Ok(())
    };

    let mut b = Builder::new(&mut heap, s.profile);
    let shared = b.prelude(s)?;
    b.heap.mark();

    // 1. The scenario's structure, measured.
    let t0 = now();
    let built = b.build(s, &shared, &mut |i| report_progress("build", i, s.n))?;
    let t_build = now() - t0;
    if opts.panic_for_test {
        panic!("panic forced by the test-only option");
    }
    let requested = b.heap.requested.max(0) as u64;
    let allocated = (opts.mode == Mode::CPython).then_some(b.heap.allocated.max(0) as u64);
    let allocations = b.heap.allocations;
    let frees_during_build = b.heap.frees;
    let pages1 = memory_bytes() / 65536;
    let held = b.heap.held();
    let pm = b.heap.pymalloc_stats();
    let chunk_heap_bytes = b.heap.chunks.held();
    let t_map = now();
    let mut heap_runs = heapmap::runs(b.heap, b.heap.log.len())?;
    heapmap::label_blocks(&b, &built, s, &mut heap_runs);
    let t_map = now() - t_map;

    // 2. The other side of the comparison: packed next to boxed, boxed next to packed.
    // (the plain form: built from the same values, not from a list, a shape or a view)
    let as_list = Scenario {
        container: Container::ListAppend,
        form: Default::default(),
        ..*s
    };
    let t1 = now();
    let (boxed_b, packed_b) = if boxed {
        let packed = b.build_packed(s, Item::of(&as_list), true, (None, None), &mut |i| {
            report_progress("build packed", i, s.n)
        })?;
        (Some(built), packed)
    } else if comparison {
        let list = b.build_list(
            &as_list,
            ListBuild::Append,
            &shared,
            What::Comparison,
            &mut |i| report_progress("build boxed", i, s.n),
        )?;
        (Some(list), built)
    } else {
        (None, built)
    };
    let t_other = now() - t1;

    // 3. Traversals.
    report_progress("traverse", 0, s.n)?;
    let (mut traverse_boxed, mut sum_boxed, mut traverse_shuffled, mut sum_shuffled) =
        (None, None, None, None);
    if let Some(bs) = &boxed_b {
        let t = now();
        sum_boxed =
            Some(b.sum_boxed(bs, &mut |i| report_progress("sum through pointers", i, s.n))?);
        traverse_boxed = Some(now() - t);
        if opts.shuffle {
            let order = b.shuffled_slots(bs, &mut |i| report_progress("shuffle", i, s.n))?;
            let t = now();
            sum_shuffled =
                Some(b.sum_objects(&order, &mut |i| report_progress("sum shuffled", i, s.n))?);
            traverse_shuffled = Some(now() - t);
        }
    }
    let t = now();
    let sum_packed = b.sum_packed(&packed_b);
    let traverse_packed = now() - t;

    // 4. Free, element by element, as CPython's deallocators do.
    report_progress("free", 0, s.n)?;
    let boxed_scn = if boxed { *s } else { as_list };
    let mut free_boxed = None;
    if let Some(bb) = boxed_b {
        let t = now();
        b.free(bb, &boxed_scn, None, &mut |i| {
            report_progress("free", i, s.n)
        })?;
        free_boxed = Some(now() - t);
    }
    let t = now();
    b.free(packed_b, s, None, &mut |i| report_progress("free", i, s.n))?;
    let free_packed = now() - t;
    let pages2 = memory_bytes() / 65536;
    let log_events = b.heap.log.len() as u64;
    // Arenas, segments and maps go back to Rust's allocator here (wasm memory itself never
    // shrinks: the worker's end gives it back).
    drop(heap);

    let (build_boxed, build_packed) = if boxed {
        (Some(t_build), t_other)
    } else {
        (comparison.then_some(t_other), t_build)
    };
    Ok(Report {
        profile: s.profile,
        mode: opts.mode,
        n: s.n,
        boxed,
        requested,
        allocated,
        allocations,
        frees_during_build,
        held,
        pymalloc: pm,
        chunk_heap_bytes,
        model_requested: model.totals.requested,
        model_allocated: model.totals.allocated,
        pages: [pages0, pages1, pages2],
        times: Times {
            build_boxed,
            build_packed,
            traverse_boxed,
            traverse_packed,
            traverse_shuffled,
            free_boxed,
            free_packed,
            heap_map: t_map,
            commit: t_commit,
            warm_up: 0.0,
        },
        comparison,
        sum_boxed,
        sum_packed,
        sum_shuffled,
        log_events,
        heap: heap_runs,
    })
}
