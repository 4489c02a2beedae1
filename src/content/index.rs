//! The store's indexes: which files share an id (one rule picks the one
//! that is published), and every article newest first.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;

use super::Article;
use super::store::Store;

impl Store {
    /// Moves `rel` from the id `old` to `new` in the index, and marks the
    /// duplicates of both ids again (a store that keeps no index marks them
    /// all at once instead).
    pub(super) fn index_id(&mut self, rel: &str, old: Option<String>, new: Option<String>) {
        if !self.track {
            return;
        }
        if old == new {
            // The same id, but perhaps no longer (or now) a draft, which
            // decides who owns it.
            if let Some(id) = new {
                self.mark_id(&id);
            }
            return;
        }
        if let Some(old) = &old {
            if let Some(rels) = self.ids.get_mut(old) {
                rels.remove(rel);
                if rels.is_empty() {
                    self.ids.remove(old);
                }
            }
        }
        if let Some(new) = &new {
            self.ids
                .entry(new.clone())
                .or_default()
                .insert(rel.to_owned());
        }
        for id in [old, new].into_iter().flatten() {
            self.mark_id(&id);
        }
    }

    /// Marks again the articles having `id`, from the index.
    fn mark_id(&mut self, id: &str) {
        let Some(rels) = self.ids.get(id) else { return };
        let rels: Vec<String> = rels.iter().cloned().collect();
        self.mark_group(&rels);
    }

    /// The one rule for articles that share an id (`rels`, in path order):
    /// the owner is the first that is not a draft (a draft copy never hides
    /// the article it copies), else the first; every other one is marked a
    /// duplicate of the owner and is not published.
    fn mark_group(&mut self, rels: &[String]) {
        let is_draft = |rel: &String| {
            self.entries
                .get(rel)
                .and_then(|e| e.article.as_ref())
                .is_some_and(|a| a.draft)
        };
        let Some(owner) = rels
            .iter()
            .find(|r| !is_draft(r))
            .or_else(|| rels.first())
            .cloned()
        else {
            return;
        };
        let owner_file = self.entries.get(&owner).map(|e| e.source.file.clone());
        for rel in rels {
            if let Some(entry) = self.entries.get_mut(rel) {
                entry.duplicate_of = if *rel == owner {
                    None
                } else {
                    owner_file.clone()
                };
            }
        }
    }

    /// Marks the duplicates of every id at once, by [`Store::mark_group`]'s
    /// rule: after a first scan, and after any change to a store that keeps
    /// no index (a one-shot build). A store that keeps its index builds it
    /// here once, and is kept current change by change after that.
    pub(super) fn mark_duplicates(&mut self) {
        if self.track && !self.ids.is_empty() {
            return;
        }
        let mut groups: HashMap<&str, Vec<&str>> = HashMap::with_capacity(self.entries.len());
        for (rel, entry) in &self.entries {
            if let Some(article) = &entry.article {
                groups.entry(&article.id).or_default().push(rel);
            }
        }
        let shared: Vec<Vec<String>> = groups
            .values()
            .filter(|rels| rels.len() > 1)
            .map(|rels| rels.iter().map(|r| (*r).to_owned()).collect())
            .collect();
        if self.track {
            let ids: HashMap<String, BTreeSet<String>> = groups
                .into_iter()
                .map(|(id, rels)| (id.to_owned(), rels.into_iter().map(str::to_owned).collect()))
                .collect();
            self.ids = ids;
            self.order = self
                .entries
                .values()
                .filter_map(|e| e.article.as_deref())
                .map(order_key)
                .collect();
        }
        for entry in self.entries.values_mut() {
            entry.duplicate_of = None;
        }
        for rels in shared {
            self.mark_group(&rels);
        }
    }
}

/// Where an article sorts in feed order: newest first, ties by id, then by path.
pub(super) fn order_key(article: &Article) -> (Reverse<Timestamp>, String, String) {
    (
        Reverse(article.date),
        article.id.clone(),
        article.source.rel.clone(),
    )
}
