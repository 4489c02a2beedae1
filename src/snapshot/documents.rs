//! [`Documents`]: a snapshot's resources by name, in shards that
//! successive snapshots share, so that a publication changing a few
//! documents of a site with thousands copies a few shards and not the whole
//! table.

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use super::Resource;

/// How many shards: with 10,000 documents, about 40 names each.
const SHARDS: usize = 256;

/// Resources by document name (`all.rss`, `index.html`). Cloning shares
/// every shard; changing one copies that shard only.
#[derive(Debug, Clone)]
pub struct Documents {
    shards: Vec<Arc<HashMap<String, Arc<Resource>>>>,
    len: usize,
}

impl Default for Documents {
    fn default() -> Self {
        Documents {
            // One empty table shared by every shard until it is written.
            shards: std::iter::repeat_n(Arc::new(HashMap::new()), SHARDS).collect(),
            len: 0,
        }
    }
}

/// The shard of `name`: a fixed hash, the same in every process.
fn shard(name: &str) -> usize {
    (xxh3_64(name.as_bytes()) % SHARDS as u64) as usize
}

impl Documents {
    /// The resource named `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Arc<Resource>> {
        self.shards[shard(name)].get(name)
    }

    /// Serves `resource` as `name`, in place of what was there.
    pub fn insert(&mut self, name: String, resource: Arc<Resource>) {
        let map = Arc::make_mut(&mut self.shards[shard(&name)]);
        if map.insert(name, resource).is_none() {
            self.len += 1;
        }
    }

    /// Stops serving `name`.
    pub fn remove(&mut self, name: &str) {
        let at = shard(name);
        if self.shards[at].contains_key(name) {
            Arc::make_mut(&mut self.shards[at]).remove(name);
            self.len -= 1;
        }
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every document, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Arc<Resource>)> {
        self.shards.iter().flat_map(|shard| shard.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Resource;

    #[test]
    fn a_change_copies_only_its_shard() {
        let at = jiff::Timestamp::UNIX_EPOCH;
        let resource =
            |text: &str| Resource::uncompressed("text/plain", text.to_owned(), at, None, None).0;
        let mut first = Documents::default();
        for i in 0..1000 {
            first.insert(format!("{i}.rss"), resource("x"));
        }
        assert_eq!(first.len(), 1000);
        let mut second = first.clone();
        second.insert("7.rss".to_owned(), resource("y"));
        second.remove("8.rss");
        second.remove("no such document");
        assert_eq!(second.len(), 999);
        assert_eq!(first.len(), 1000);
        assert!(first.get("8.rss").is_some() && second.get("8.rss").is_none());
        let shared = first
            .shards
            .iter()
            .zip(&second.shards)
            .filter(|(a, b)| Arc::ptr_eq(a, b))
            .count();
        assert!(shared >= SHARDS - 2, "{shared} shards shared");
        assert_eq!(second.iter().count(), 999);
    }
}
