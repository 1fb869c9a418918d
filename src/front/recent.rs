//! A bounded memory of things seen: the newest `capacity` are kept, the oldest forgotten.

use std::collections::{HashSet, VecDeque};
use std::hash::Hash;
use std::sync::Mutex;

pub struct Recent<T> {
    capacity: usize,
    seen: Mutex<(HashSet<T>, VecDeque<T>)>,
}

impl<T: Eq + Hash + Clone> Recent<T> {
    pub fn new(capacity: usize) -> Recent<T> {
        Recent {
            capacity: capacity.max(1),
            seen: Mutex::new((HashSet::new(), VecDeque::new())),
        }
    }

    /// Whether `item` is remembered.
    pub fn contains(&self, item: &T) -> bool {
        let guard = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.contains(item)
    }

    /// Remembers `item`; answers whether it was new.
    pub fn insert(&self, item: T) -> bool {
        let mut guard = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let (set, order) = &mut *guard;
        if !set.insert(item.clone()) {
            return false;
        }
        order.push_back(item);
        if order.len() > self.capacity
            && let Some(oldest) = order.pop_front()
        {
            set.remove(&oldest);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_newest_and_forgets_the_oldest() {
        let recent = Recent::new(2);
        assert!(recent.insert(1));
        assert!(!recent.insert(1));
        assert!(recent.insert(2));
        assert!(recent.insert(3));
        assert!(recent.insert(1), "1 was forgotten");
        assert!(!recent.insert(3));
    }
}
