//! One input at a time per key (a Telegram chat, a WeCom member), keys side by side: an
//! adapter that receives inputs concurrently (the webhook, WeCom's callback) runs each key's
//! inputs in the order they took their turn. A key's lock goes when nobody holds or waits
//! for it, so the map holds only keys with an input under way.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

pub struct Turns<K> {
    locks: Mutex<HashMap<K, Arc<tokio::sync::Mutex<()>>>>,
}

impl<K: Eq + Hash + Clone> Default for Turns<K> {
    fn default() -> Self {
        Turns {
            locks: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Eq + Hash + Clone> Turns<K> {
    /// Runs `work` once the key's earlier inputs are done.
    pub async fn take<T>(&self, key: K, work: impl Future<Output = T>) -> T {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(locks.entry(key.clone()).or_default())
        };
        let done = {
            let _turn = lock.lock().await;
            work.await
        };
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map and this turn hold it: nobody waits.
        if Arc::strong_count(&lock) == 2 {
            locks.remove(&key);
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_keys_inputs_run_in_turn_and_its_lock_goes_after() {
        let turns = Arc::new(Turns::default());
        let order = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let (turns, order) = (Arc::clone(&turns), Arc::clone(&order));
            tokio::spawn(async move {
                turns
                    .take(1, async {
                        rx.await.unwrap();
                        order.lock().unwrap().push("first");
                    })
                    .await
            })
        };
        tokio::task::yield_now().await;
        let second = {
            let (turns, order) = (Arc::clone(&turns), Arc::clone(&order));
            tokio::spawn(async move {
                turns
                    .take(1, async { order.lock().unwrap().push("second") })
                    .await
            })
        };
        // Another key is not held up.
        turns
            .take(2, async { order.lock().unwrap().push("other") })
            .await;
        tx.send(()).unwrap();
        first.await.unwrap();
        second.await.unwrap();
        assert_eq!(*order.lock().unwrap(), ["other", "first", "second"]);
        assert!(turns.locks.lock().unwrap().is_empty());
    }
}
