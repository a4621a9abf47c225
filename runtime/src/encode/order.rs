//! A family's scrape order, kept between scrapes: the sorted order of its
//! series is the same from one scrape to the next until a series is added
//! or removed, so a family read alone (one registry, one source) sorts
//! again only after such a change. Sorting was the largest single share of
//! a scrape's instructions (BENCHMARKS.md, "The scrape's kept order").
//!
//! The family calls [`ScrapeOrder::changed`] before every change to the set
//! of series it shows, or to the order it walks them in (a new series, a
//! removal, a table rebuilt, the overflow series shown). A scrape reads the
//! count of changes before and after walking the family: a change it saw
//! in the walk was counted before the walk saw it (the count is raised
//! before the change is published with `Release`, which the walk reads
//! with `Acquire`), so equal counts mean the walk met the same series in
//! the same order as the scrape that kept the order.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Indices are kept packed, in as many bits each as the largest needs
/// (17 for 100,000 series): the order is held as long as the family, so
/// it counts in the bytes held per series (BENCHMARKS.md, "The scrape's
/// kept order").
fn width(len: usize) -> u32 {
    (usize::BITS - len.saturating_sub(1).leading_zeros()).max(1)
}

/// The order a family's series were last written in, and what it holds for.
#[derive(Debug, Default)]
pub(crate) struct ScrapeOrder {
    /// How many changes the family has made to its series.
    changes: AtomicU64,
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// `changes` when the order was taken; `None` until one is kept.
    changes: Option<u64>,
    /// The labels its registry added to every series (which take part in
    /// the sort).
    extra: Vec<(String, String)>,
    /// How many series it orders.
    len: usize,
    /// The series' indices in the order walked, in the order written:
    /// [`width`] bits each, little-endian, then 8 bytes of padding (every
    /// index is read as the 8 bytes it starts in).
    order: Vec<u8>,
}

impl ScrapeOrder {
    /// To call before a change to the series a family shows or the order
    /// it walks them in, so that no scrape that sees the change reuses an
    /// order taken before it.
    #[inline]
    pub(crate) fn changed(&self) {
        self.changes.fetch_add(1, Ordering::Relaxed);
    }

    /// The count of changes, read before and after a walk.
    pub(super) fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Fills `order` with the order kept, as (0, index) pairs, if it was
    /// taken at `changes` changes, with the same `extra` labels, for `len`
    /// series; whether it did.
    pub(super) fn reuse(
        &self,
        changes: u64,
        extra: &[(String, String)],
        len: usize,
        order: &mut Vec<(u64, u32)>,
    ) -> bool {
        // A scrape that finds another using the order sorts on its own.
        let Ok(kept) = self.kept.try_lock() else {
            return false;
        };
        if kept.changes != Some(changes) || kept.len != len || kept.extra != extra {
            return false;
        }
        let width = width(len);
        let mask = (1u64 << width) - 1;
        order.clear();
        order.reserve_exact(len);
        order.extend((0..len).map(|i| {
            let bit = i * width as usize;
            let at = bit / 8;
            let mut word = [0u8; 8];
            word.copy_from_slice(&kept.order[at..at + 8]);
            // Within `u32`: `keep` keeps no more series.
            #[allow(clippy::cast_possible_truncation)]
            let index = (u64::from_le_bytes(word) >> (bit % 8) & mask) as u32;
            (0, index)
        }));
        true
    }

    /// Keeps `order`, the order of the series walked at `changes` changes
    /// with `extra` labels.
    pub(super) fn keep(&self, changes: u64, extra: &[(String, String)], order: &[(u64, u32)]) {
        if u32::try_from(order.len()).is_err() {
            return;
        }
        let Ok(mut kept) = self.kept.try_lock() else {
            return;
        };
        let kept = &mut *kept;
        kept.changes = Some(changes);
        if kept.extra != extra {
            kept.extra = extra.to_vec();
        }
        let width = width(order.len());
        kept.len = order.len();
        kept.order.clear();
        kept.order
            .resize((order.len() * width as usize).div_ceil(8) + 8, 0);
        kept.order.shrink_to_fit();
        for (i, &(_, index)) in order.iter().enumerate() {
            let bit = i * width as usize;
            let at = bit / 8;
            let bits = u64::from(index) << (bit % 8);
            for (byte, b) in kept.order[at..at + 8].iter_mut().zip(bits.to_le_bytes()) {
                *byte |= b;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_of_every_width_come_back_as_kept() {
        let kept = ScrapeOrder::default();
        for n in [1u32, 2, 3, 7, 8, 9, 255, 256, 257, 1000, 70_000] {
            // A permutation: reversed, odd indices first.
            let order: Vec<(u64, u32)> = (0..n)
                .rev()
                .filter(|i| i % 2 == 1)
                .chain((0..n).rev().filter(|i| i % 2 == 0))
                .map(|i| (u64::from(i), i))
                .collect();
            let len = order.len();
            kept.keep(u64::from(n), &[], &order);
            let mut out = Vec::new();
            assert!(kept.reuse(u64::from(n), &[], len, &mut out), "{len}");
            let indices = |o: &[(u64, u32)]| o.iter().map(|&(_, i)| i).collect::<Vec<_>>();
            assert_eq!(indices(&out), indices(&order), "{len}");
        }
    }

    #[test]
    fn an_order_is_reused_only_for_what_it_was_taken_for() {
        let kept = ScrapeOrder::default();
        let extra = vec![("a".to_owned(), "b".to_owned())];
        let order = [(7, 2), (9, 0), (11, 1)];
        let mut out = Vec::new();
        assert!(!kept.reuse(0, &extra, 3, &mut out));
        kept.keep(0, &extra, &order);
        assert!(kept.reuse(0, &extra, 3, &mut out));
        assert_eq!(out, [(0, 2), (0, 0), (0, 1)]);
        assert!(!kept.reuse(0, &extra, 2, &mut out));
        assert!(!kept.reuse(0, &[], 3, &mut out));
        kept.changed();
        assert!(!kept.reuse(kept.changes(), &extra, 3, &mut out));
    }
}
