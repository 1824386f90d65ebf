//! One small sort for the whole crate. Core's sorts are fast but large: each use monomorphizes
//! a driftsort or ipnsort with sorting networks, several KiB apiece, and with eight uses they
//! were 32 KiB of the page's wasm. Heapsort by key is O(n log n), in place, and a few hundred
//! bytes; none of our uses needs stability (their keys are unique, or ties do not matter).

/// Sort `v` by `key`, ascending.
pub fn sort_by_key<T, K: PartialOrd>(v: &mut [T], key: impl Fn(&T) -> K) {
    let n = v.len();
    if n < 2 {
        return;
    }
    // Insertion sort for the short lists (cut points, a few groups); heapsort for the rest.
    if n <= 16 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && key(&v[j]) < key(&v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && key(&v[child]) < key(&v[child + 1]) {
            child += 1;
        }
        if key(&v[root]) < key(&v[child]) {
            v.swap(root, child);
            root = child;
        } else {
            break;
        }
    };
    for start in (0..n / 2).rev() {
        sift(v, start, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

#[cfg(test)]
mod tests {
    use super::sort_by_key;

    #[test]
    fn sorts_short_and_long_lists() {
        let mut short = vec![5, 3, 9, 1, 1, 7];
        sort_by_key(&mut short, |x| *x);
        assert_eq!(short, vec![1, 1, 3, 5, 7, 9]);
        let mut long: Vec<u64> = (0..1000).map(|i| (i * 7919) % 1009).collect();
        let mut expected = long.clone();
        expected.sort_unstable();
        sort_by_key(&mut long, |x| *x);
        assert_eq!(long, expected);
        let mut pairs = vec![(2.5, 'a'), (-1.0, 'b'), (2.0, 'c')];
        sort_by_key(&mut pairs, |p| p.0);
        assert_eq!(pairs.iter().map(|p| p.1).collect::<String>(), "bca");
    }
}
