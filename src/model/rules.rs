//! CPython's own sizing rules, transcribed from its sources. Both the model (which computes
//! with them) and the lab (which allocates with them) call these, so a rule is written once.

/// Objects/listobject.c `list_resize`: the new `allocated` when the list must reallocate to hold
/// `newsize` items, or `None` when the current buffer is kept.
pub fn list_resize(minor: u32, allocated: u64, size: u64, newsize: u64) -> Option<u64> {
    if allocated >= newsize && newsize >= (allocated >> 1) {
        return None;
    }
    if newsize == 0 {
        return Some(0);
    }
    let n = newsize;
    let mut new_allocated = if minor <= 8 {
        // 3.8: "0, 4, 8, 16, 25, 35, 46, 58, 72, 88, ..."
        n + (n >> 3) + if n < 9 { 3 } else { 6 }
    } else {
        // 3.9+: "0, 4, 8, 16, 24, 32, 40, 52, 64, 76, ...", rounded down to a multiple of 4
        (n + (n >> 3) + 6) & !3
    };
    // 3.9+: "Do not overallocate if the new size is closer to overallocated size than to the
    // old size."
    if minor >= 9 && (newsize as i128 - size as i128) > (new_allocated as i128 - newsize as i128) {
        new_allocated = (n + 3) & !3;
    }
    Some(new_allocated)
}

/// Objects/listobject.c `list_preallocate_exact`, used by list(iterable) when the iterable has
/// a `__len__`: exactly n slots, rounded up to even since 3.10.
pub fn list_preallocate_exact(minor: u32, n: u64) -> u64 {
    if minor >= 10 {
        (n + 1) & !1
    } else {
        n
    }
}

/// Modules/arraymodule.c `array_resize`: the new `allocated` when the array must reallocate,
/// or `None` when the current buffer is kept. The source comment says "0, 4, 8, 16, 25, 34, 46,
/// 56, ..." but the code (and real CPython) gives 0, 4, 8, 16, 25, 34, 44, 54, 65, 77, 89, ...
pub fn array_resize(allocated: u64, size: u64, newsize: u64, has_buffer: bool) -> Option<u64> {
    if allocated >= newsize && size < newsize + 16 && has_buffer {
        return None;
    }
    if newsize == 0 {
        return Some(0);
    }
    Some((newsize >> 4) + if size < 8 { 3 } else { 7 } + newsize)
}

/// Objects/abstract.c `PySequence_Tuple`: the next guess when the length hint was too small.
/// "Grow by ten and then add 25%."
pub fn tuple_grow(n: u64) -> u64 {
    let n = n + 10;
    n + (n >> 2)
}

/// PyObject_LengthHint's default when the iterable gives no hint: list() guesses 8 ...
pub const LIST_DEFAULT_HINT: u64 = 8;
/// ... and tuple() guesses 10.
pub const TUPLE_DEFAULT_HINT: u64 = 10;

/// The small-int cache starts at -5 (`_PY_NSMALLNEGINTS`); where it ends depends on the
/// version (`Profile::small_int_max`).
pub const SMALL_INT_MIN: i128 = -5;

/// Bits per int digit (PYLONG_BITS_IN_DIGIT) on every profile we model, wasm32 included.
pub const DIGIT_BITS: u32 = 30;

/// Number of 30-bit digits in |v| (0 for zero).
pub fn digits(v: i128) -> u64 {
    let bits = 128 - v.unsigned_abs().leading_zeros();
    bits.div_ceil(DIGIT_BITS) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append_capacities(minor: u32, upto: u64) -> Vec<u64> {
        let (mut alloc, mut out) = (0, vec![]);
        for size in 0..upto {
            if let Some(a) = list_resize(minor, alloc, size, size + 1) {
                alloc = a;
                out.push(a);
            }
        }
        out
    }

    #[test]
    fn list_growth_patterns_match_cpython_comments() {
        assert_eq!(
            append_capacities(8, 90),
            vec![4, 8, 16, 25, 35, 46, 58, 72, 88, 106]
        );
        assert_eq!(
            append_capacities(12, 80),
            vec![4, 8, 16, 24, 32, 40, 52, 64, 76, 92]
        );
    }

    #[test]
    fn array_growth_pattern_matches_real_cpython() {
        let (mut alloc, mut out) = (0, vec![]);
        for size in 0..80 {
            if let Some(a) = array_resize(alloc, size, size + 1, alloc > 0) {
                alloc = a;
                out.push(a);
            }
        }
        // printed by CPython 3.11 appending to array('b') and watching sys.getsizeof
        assert_eq!(out, vec![4, 8, 16, 25, 34, 44, 54, 65, 77, 89]);
    }

    #[test]
    fn digit_counts() {
        assert_eq!(digits(0), 0);
        assert_eq!(digits(1), 1);
        assert_eq!(digits(-1), 1);
        assert_eq!(digits((1 << 30) - 1), 1);
        assert_eq!(digits(1 << 30), 2);
        assert_eq!(digits(-(1 << 30)), 2);
        assert_eq!(digits(1 << 60), 3);
        assert_eq!(digits(i64::MIN as i128), 3);
    }
}
