//! Sorting through one routine.
//!
//! Every `sort_by` call with its own element type and comparator is a fresh copy of
//! the standard library's sort in the binary (about 1 KB of wasm each, and the page
//! had 57 of them). These helpers sort a list of indices with a comparator behind a
//! `dyn` reference, which is one copy of the sort for the whole program, and then move
//! the elements into that order. The sort is stable, as `sort_by` is.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_indices(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `v` stably by the key `key` gives each element.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` and removes repeated elements.
pub fn sort_dedup<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
    v.dedup();
}

/// The indices `0..n` in the stable order `cmp` gives them: the program's one copy of
/// the sort.
fn sorted_indices(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_and_dedups() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        sort_by(&mut v, |a, b| b.1.cmp(&a.1));
        assert_eq!(v, [(1, 'e'), (0, 'd'), (2, 'c'), (1, 'b'), (2, 'a')]);
        let mut w = vec!["b", "a", "b", "c", "a"];
        sort_dedup(&mut w);
        assert_eq!(w, ["a", "b", "c"]);
        let mut empty: Vec<u8> = Vec::new();
        sort_dedup(&mut empty);
        assert!(empty.is_empty());
    }
}
