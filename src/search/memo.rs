//! The search memo: what each paper's field texts analysed to in the last
//! build (`search.bin` in the cache folder), so that a rebuild analyses
//! only the papers whose title, authors, topics or abstract changed.
//!
//! A paper's terms depend on its four field texts alone, so an entry is
//! found by the paper's key (a 128-bit hash of everything its document is
//! made from, which the caller gives), wherever the paper is numbered now;
//! the papers the memo does not know are the only ones whose texts are
//! made and analysed.
//! The stems of the remembered papers and of the analysed ones are merged
//! in [`index_order`](super::analyze::index_order) and both sides renumbered
//! (the maps only ever grow, so each paper's terms stay sorted); the
//! postings are then laid out as for a full analysis, so the index is the
//! same bytes either way (a test compares them). A memo of another version,
//! a damaged one or one that cannot be written only costs a full analysis.

use std::cmp::Ordering;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::analyze::{self, Terms, index_order};
pub use crate::cache_file::Reuse;

/// What the memo file starts with: a memo of another version is not read.
const FORMAT: &str = concat!("paperpress ", env!("CARGO_PKG_VERSION"), " search memo 2\n");

/// The memo's file, in the cache folder.
const FILE: &str = "search.bin";

/// The analysed papers of a build, and the hash of each one's field texts.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Memo {
    hashes: Vec<u128>,
    terms: Terms,
}

/// The memo file in the cache folder `cache`.
fn path(cache: &Path) -> PathBuf {
    cache.join(FILE)
}

/// Removes the memo, so the next build analyses every paper (`build --full`).
pub fn forget(cache: &Path) -> crate::error::Result<()> {
    crate::cache_file::remove(&path(cache))
}

/// The memo as it is written: the same layout as [`Memo`], borrowed.
#[derive(Serialize)]
struct MemoRef<'a> {
    hashes: &'a [u128],
    terms: &'a Terms,
}

/// What the memo in `cache` knows of the papers whose keys are `keys`
/// (a hash of everything each paper's document holds, in index order).
pub(super) fn recall(keys: &[u128], cache: &Path) -> Recalled {
    let memo: Memo = std::fs::read(path(cache))
        .ok()
        .and_then(|bytes| crate::cache_file::decode(FORMAT, &bytes))
        .filter(|memo: &Memo| well_formed(memo))
        .unwrap_or_default();
    let known: FxHashMap<u128, usize> = memo.hashes.iter().enumerate().map(|(i, &h)| (h, i)).collect();
    let found = keys.iter().map(|h| known.get(h).copied()).collect();
    Recalled { memo, found }
}

/// The memo, and where each paper's entry is in it.
pub(super) struct Recalled {
    memo: Memo,
    found: Vec<Option<usize>>,
}

impl Recalled {
    /// The papers the memo does not know, ascending.
    pub(super) fn missing(&self) -> Vec<usize> {
        (0..self.found.len()).filter(|&j| self.found[j].is_none()).collect()
    }

    /// Every paper's terms: the memo's where it knows the paper, else
    /// analysed from `fresh`, the field texts of the [`missing`](Self::missing) papers in order.
    pub(super) fn terms<T: AsRef<str> + Sync>(self, fresh: &[[T; 4]]) -> (Terms, Reuse) {
        with_memo(fresh, &self.found, self.memo)
    }
}

/// Replaces the memo in `cache` by this build's: best effort, as a memo
/// that cannot be written only means a full analysis next time.
pub(super) fn save(cache: &Path, keys: &[u128], terms: &Terms) {
    let _ = crate::cache_file::write(&path(cache), FORMAT, &MemoRef { hashes: keys, terms });
}

/// Whether the memo's parts fit together, so that using it cannot go out
/// of bounds or out of order (the checksum already refuses a damaged file;
/// this refuses one written by something else): stems in index order,
/// each paper's stems ascending.
fn well_formed(memo: &Memo) -> bool {
    let terms = &memo.terms;
    let papers = memo.hashes.len();
    let entries = terms.stem.len();
    terms.lengths.len() == papers
        && terms.ends.len() == 4 * papers
        && terms.count.len() == entries
        && terms.ends.windows(2).all(|w| w[0] <= w[1])
        && terms.ends.last().is_none_or(|&e| e as usize == entries)
        && terms.stem.iter().all(|&s| (s as usize) < terms.stems.len())
        && terms.stems.windows(2).all(|w| index_order(&w[0], &w[1]).is_lt())
        && (0..papers).all(|p| (0..4).all(|f| terms.stem[terms.range(p, f)].windows(2).all(|w| w[0] < w[1])))
}

/// Every paper's terms: the memo's entry `found[j]` where there is one,
/// else analysed from `missing`, the field texts of the others in order.
fn with_memo<T: AsRef<str> + Sync>(missing: &[[T; 4]], found: &[Option<usize>], memo: Memo) -> (Terms, Reuse) {
    let reuse = Reuse { remembered: found.len() - missing.len(), analysed: missing.len() };
    let fresh = analyze::terms_of(missing);
    if reuse.remembered == 0 {
        return (fresh, reuse);
    }
    let old = memo.terms;
    // The memo's stems that the papers still use, and both stem lists merged.
    let mut used = vec![false; old.stems.len()];
    for &paper in found.iter().flatten() {
        for field in 0..4 {
            for &stem in &old.stem[old.range(paper, field)] {
                used[stem as usize] = true;
            }
        }
    }
    let (stems, old_number, fresh_number) = merge_stems(&old.stems, &used, &fresh.stems);
    let mut terms = Terms { stems, ..Terms::default() };
    terms.reserve(found.len(), old.stem.len() + fresh.stem.len());
    let mut next_fresh = 0;
    for found in found {
        match *found {
            Some(paper) => terms.push_from(&old, paper, &old_number),
            None => {
                terms.push_from(&fresh, next_fresh, &fresh_number);
                next_fresh += 1;
            }
        }
    }
    (terms, reuse)
}

/// The used stems of `old` and all of `fresh` (both in index order) as one
/// list in index order, and each side's stem numbers in it (`u32::MAX` for
/// an unused old stem).
fn merge_stems(old: &[String], used: &[bool], fresh: &[String]) -> (Vec<String>, Vec<u32>, Vec<u32>) {
    let mut stems = Vec::with_capacity(old.len().max(fresh.len()));
    let mut old_number = vec![u32::MAX; old.len()];
    let mut fresh_number = vec![0; fresh.len()];
    let mut old = old.iter().enumerate().filter(|&(i, _)| used[i]).peekable();
    let mut fresh = fresh.iter().enumerate().peekable();
    loop {
        let order = match (old.peek(), fresh.peek()) {
            (Some((_, a)), Some((_, b))) => index_order(a, b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => break,
        };
        let number = stems.len() as u32;
        if order != Ordering::Greater {
            let (i, stem) = old.next().expect("peeked");
            old_number[i] = number;
            stems.push(stem.clone());
        }
        if order != Ordering::Less {
            let (j, stem) = fresh.next().expect("peeked");
            fresh_number[j] = number;
            if order == Ordering::Greater {
                stems.push(stem.clone());
            }
        }
    }
    (stems, old_number, fresh_number)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(list: &[[&str; 4]]) -> Vec<[String; 4]> {
        list.iter().map(|f| f.map(str::to_string)).collect()
    }

    /// The terms of papers of these field texts (keyed by them) with the
    /// memo in `cache`, as a build uses it; and their keys.
    fn terms(texts: &[[String; 4]], cache: &Path) -> (Terms, Vec<u128>, Reuse) {
        let keys: Vec<u128> = texts.iter().map(crate::cache_file::hash128).collect();
        let recalled = recall(&keys, cache);
        let fresh: Vec<[String; 4]> = recalled.missing().into_iter().map(|j| texts[j].clone()).collect();
        let (terms, reuse) = recalled.terms(&fresh);
        (terms, keys, reuse)
    }

    #[test]
    fn remembered_papers_give_the_analysis_of_a_full_run() {
        let yesterday = texts(&[
            ["Machine unlearning at scale", "Ada Lovelace", "Unlearning", "We forget data quickly."],
            ["Mixture of experts routing", "Alan Turing, Ada Lovelace", "MoE", "Experts route tokens."],
            ["Gone tomorrow", "Nobody", "Zzz", "xylophone quagga"],
        ]);
        // One paper kept, one whose topics changed, one new, one removed;
        // and the order changed.
        let today = texts(&[
            ["Aardvark reasoning", "Grace Hopper", "Reasoning", "Aardvarks reason; unlearning too."],
            ["Mixture of experts routing", "Alan Turing, Ada Lovelace", "MoE, Efficiency", "Experts route tokens."],
            ["Machine unlearning at scale", "Ada Lovelace", "Unlearning", "We forget data quickly."],
        ]);
        let dir = tempfile::tempdir().unwrap();
        let (first, hashes, reuse) = terms(&yesterday, dir.path());
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 3 });
        save(dir.path(), &hashes, &first);
        let (second, hashes, reuse) = terms(&today, dir.path());
        assert_eq!(reuse, Reuse { remembered: 1, analysed: 2 });
        assert_eq!(analyze::lay_out(&second), analyze::analyze(&today));
        save(dir.path(), &hashes, &second);
        // And a build with nothing new takes everything from the memo.
        let (third, _, reuse) = terms(&today, dir.path());
        assert_eq!(reuse, Reuse { remembered: 3, analysed: 0 });
        assert_eq!(analyze::lay_out(&third), analyze::analyze(&today));
    }

    #[test]
    fn a_memo_out_of_order_is_not_used() {
        let today = texts(&[["Zebra apple", "A B", "T", "Mango kiwi."]]);
        let dir = tempfile::tempdir().unwrap();
        let (mut terms, hashes, _) = terms(&today, dir.path());
        terms.stems.reverse();
        crate::cache_file::write(&path(dir.path()), FORMAT, &MemoRef { hashes: &hashes, terms: &terms }).unwrap();
        let (again, _, reuse) = self::terms(&today, dir.path());
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 1 }, "a well-sealed memo with its stems out of order");
        assert_eq!(analyze::lay_out(&again), analyze::analyze(&today));
    }

    #[test]
    fn a_damaged_memo_means_a_full_analysis() {
        let today = texts(&[["Title words", "A B", "T", "Abstract words here."]]);
        let dir = tempfile::tempdir().unwrap();
        let (first, hashes, _) = terms(&today, dir.path());
        save(dir.path(), &hashes, &first);
        let file = path(dir.path());
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 9;
        bytes[last] ^= 0xff;
        std::fs::write(&file, bytes).unwrap();
        let (again, _, reuse) = terms(&today, dir.path());
        assert_eq!(reuse, Reuse { remembered: 0, analysed: 1 });
        assert_eq!(analyze::lay_out(&again), analyze::analyze(&today));
        forget(dir.path()).unwrap();
        assert!(!file.exists());
    }
}
