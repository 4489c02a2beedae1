//! The store's indexes: which files share an id (one rule picks the one
//! that is published), every article newest first, and, for the values a
//! feed family asks for (each tag, author, …), the articles having each
//! value, newest first. All are kept current change by change, so that a
//! publication after one edit looks at what the edit touched.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use jiff::Timestamp;

use super::Article;
use super::store::Store;
use crate::config::Facet;
use crate::text::nfc;

/// An article in feed order: newest first, ties by id, then by path (a
/// path is unique, so two entries are equal only for one file's article).
#[derive(Debug, Clone)]
pub struct Newest(pub Arc<Article>);

impl Ord for Newest {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, b) = (&self.0, &other.0);
        b.date
            .cmp(&a.date)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.source.rel.cmp(&b.source.rel))
    }
}

impl PartialOrd for Newest {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Newest {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Newest {}

/// The articles having one value of a facet (one tag, one author…),
/// newest first, drafts left out (no feed ever shows them).
#[derive(Debug, Clone, Default)]
pub struct Posting {
    /// The articles, newest first.
    pub articles: BTreeSet<Newest>,
    /// The store's [`Store::generation`] when the articles last changed:
    /// a selection made from them at that generation or later still holds
    /// (until a scheduled article among them comes due).
    pub changed: u64,
}

/// The values of `each` that `article` has, each once, in NFC as stored
/// (`language` is the site's, which an article without `lang` is in;
/// languages in their usual case, `zh-hant-tw` → `zh-Hant-TW`).
pub fn facet_values<'a>(each: Facet, article: &'a Article, language: &str) -> Vec<Cow<'a, str>> {
    let mut values: Vec<Cow<'a, str>> = match each {
        Facet::Tags => article.tags.iter().map(|t| Cow::Borrowed(&**t)).collect(),
        Facet::Categories => article
            .category
            .iter()
            .map(|c| Cow::Borrowed(&**c))
            .collect(),
        Facet::Authors => article
            .authors
            .iter()
            .map(|a| Cow::Borrowed(&*a.name))
            .collect(),
        Facet::Folders => match article.source.rel.split_once('/') {
            Some((folder, _)) => vec![nfc(folder)],
            None => Vec::new(),
        },
        Facet::Languages => vec![Cow::Owned(canonical_language(
            article.lang().unwrap_or(language),
        ))],
    };
    // Two credits of one person (with and without an e-mail) are one
    // author: the article has the value once.
    values.sort_unstable();
    values.dedup();
    values
}

/// A language tag in its usual case (`zh-hant-tw` → `zh-Hant-TW`), so that
/// one language is one value however articles write it.
pub fn canonical_language(tag: &str) -> String {
    tag.split('-')
        .enumerate()
        .map(|(i, part)| match part.len() {
            _ if i == 0 => part.to_ascii_lowercase(),
            2 => part.to_ascii_uppercase(),
            4 => {
                let mut s = part.to_ascii_lowercase();
                s[..1].make_ascii_uppercase();
                s
            }
            _ => part.to_ascii_lowercase(),
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The id index: each article id, with the files that have it.
pub(super) type Ids = HashMap<Arc<str>, Paths, crate::text::Hasher>;

/// The files having one id, in path order: nearly always one, which is
/// then held without a list of its own (a million ids would otherwise be a
/// million lists).
#[derive(Debug, Clone)]
pub(super) enum Paths {
    One(Arc<str>),
    Many(Vec<Arc<str>>),
}

impl Paths {
    pub(super) fn as_slice(&self) -> &[Arc<str>] {
        match self {
            Paths::One(rel) => std::slice::from_ref(rel),
            Paths::Many(rels) => rels,
        }
    }

    /// Adds `rel` to the files having `id` in `ids`.
    fn add(ids: &mut Ids, id: &Arc<str>, rel: Arc<str>) {
        match ids.get_mut(&**id) {
            Some(rels) => rels.insert(rel),
            None => {
                ids.insert(Arc::clone(id), Paths::One(rel));
            }
        }
    }

    /// Adds `rel` in its place (at the end, in a first scan: in time
    /// proportional to the list only when it is not the last).
    fn insert(&mut self, rel: Arc<str>) {
        match self {
            Paths::One(one) if *one == rel => {}
            Paths::One(one) => {
                let mut rels = vec![Arc::clone(one), rel];
                rels.sort_unstable();
                *self = Paths::Many(rels);
            }
            Paths::Many(rels) => {
                if rels.last().is_some_and(|last| *last < rel) {
                    rels.push(rel);
                } else if let Err(at) = rels.binary_search(&rel) {
                    rels.insert(at, rel);
                }
            }
        }
    }

    /// Takes `rel` out; returns what is left, if anything.
    fn without(&self, rel: &str) -> Option<Paths> {
        let mut rels: Vec<Arc<str>> = self
            .as_slice()
            .iter()
            .filter(|r| ***r != *rel)
            .cloned()
            .collect();
        match rels.len() {
            0 => None,
            1 => rels.pop().map(Paths::One),
            _ => Some(Paths::Many(rels)),
        }
    }
}

/// What a tracked store keeps current file by file, so that one change
/// costs only what it touches.
#[derive(Debug, Clone, Default)]
pub(super) struct Indexes {
    /// The paths having each id, in path order, so that one change
    /// re-checks only its own ids instead of every article's.
    ids: Ids,
    /// Every article that may be published (drafts and future ones
    /// included), newest first, so that a feed's newest items are found
    /// without looking at every article.
    pub(super) order: BTreeSet<Newest>,
    /// For each facet a feed family asks for ([`Store::index_facets`]), the
    /// articles having each value.
    facets: HashMap<Facet, BTreeMap<Box<str>, Posting>>,
    /// Counts changes to the indexes ([`Posting::changed`]).
    generation: u64,
    /// How many indexed articles have a `translation_key`, and how many
    /// are drafts.
    keyed: usize,
    drafts: usize,
}

impl Indexes {
    /// Adds `article` to (or removes it from) the postings of its values of
    /// `each`, for a site in `language`; a value left with no article is
    /// dropped.
    fn post(&mut self, each: Facet, article: &Arc<Article>, add: bool, language: &str) {
        if article.draft {
            return;
        }
        let Some(postings) = self.facets.get_mut(&each) else {
            return;
        };
        for value in facet_values(each, article, language) {
            if add {
                let posting = postings.entry(Box::from(value.as_ref())).or_default();
                posting.articles.insert(Newest(Arc::clone(article)));
                posting.changed = self.generation;
            } else if let Some(posting) = postings.get_mut(value.as_ref()) {
                posting.articles.remove(&Newest(Arc::clone(article)));
                posting.changed = self.generation;
                if posting.articles.is_empty() {
                    postings.remove(value.as_ref());
                }
            }
        }
    }

    /// Moves an indexed article from `old` to `new` (either may be none).
    fn replace(&mut self, old: Option<Arc<Article>>, new: Option<Arc<Article>>, language: &str) {
        self.generation += 1;
        let facets: Vec<Facet> = self.facets.keys().copied().collect();
        if let Some(old) = old {
            self.keyed -= usize::from(old.translation_key().is_some());
            self.drafts -= usize::from(old.draft);
            self.order.remove(&Newest(Arc::clone(&old)));
            for &each in &facets {
                self.post(each, &old, false, language);
            }
        }
        if let Some(new) = new {
            self.keyed += usize::from(new.translation_key().is_some());
            self.drafts += usize::from(new.draft);
            self.order.insert(Newest(Arc::clone(&new)));
            for &each in &facets {
                self.post(each, &new, true, language);
            }
        }
    }

    /// Makes the postings of `each` from what the order index holds.
    fn build_facet(&mut self, each: Facet, language: &str) {
        self.generation += 1;
        let indexed: Vec<Arc<Article>> = self.order.iter().map(|n| Arc::clone(&n.0)).collect();
        self.facets.insert(each, BTreeMap::new());
        for article in &indexed {
            self.post(each, article, true, language);
        }
    }

    /// Empties the order and the postings (the facets asked for stay).
    fn clear(&mut self) {
        self.order.clear();
        self.keyed = 0;
        self.drafts = 0;
        for postings in self.facets.values_mut() {
            postings.clear();
        }
    }
}

impl Store {
    /// Whether the store keeps its indexes current ([`Indexes`]).
    pub(super) fn is_tracked(&self) -> bool {
        self.indexes.is_some()
    }

    /// Moves `rel` from the id `old` to `new` in the index, and marks the
    /// duplicates of both ids again (a store that keeps no index marks them
    /// all at once instead).
    pub(super) fn index_id(&mut self, rel: &str, old: Option<Arc<str>>, new: Option<Arc<str>>) {
        if !self.is_tracked() {
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
        let shared = new.as_ref().map(|_| self.name(rel));
        if let Some(indexes) = &mut self.indexes {
            if let Some(old) = &old {
                match indexes.ids.get(&**old).map(|rels| rels.without(rel)) {
                    Some(Some(left)) => {
                        indexes.ids.insert(Arc::clone(old), left);
                    }
                    Some(None) => {
                        indexes.ids.remove(&**old);
                    }
                    None => {}
                }
            }
            if let (Some(new), Some(rel)) = (&new, shared) {
                Paths::add(&mut indexes.ids, new, rel);
            }
        }
        for id in [old, new].into_iter().flatten() {
            self.mark_id(&id);
        }
    }

    /// Marks again the articles having `id`, from the index.
    fn mark_id(&mut self, id: &str) {
        let Some(rels) = self.indexes.as_ref().and_then(|ix| ix.ids.get(id)) else {
            return;
        };
        let rels = rels.as_slice().to_vec();
        self.mark_group(&rels);
    }

    /// The one rule for articles that share an id (`rels`, in path order):
    /// the owner is the first that is not a draft (a draft copy never hides
    /// the article it copies), else the first; every other one is marked a
    /// duplicate of the owner and is not published.
    fn mark_group(&mut self, rels: &[Arc<str>]) {
        let is_draft = |rel: &Arc<str>| {
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
        let owner_file = self.entries.get(&owner).map(|e| Arc::from(e.source.file()));
        for rel in rels {
            if let Some(entry) = self.entries.get_mut(rel) {
                entry.duplicate_of = if *rel == owner {
                    None
                } else {
                    owner_file.clone()
                };
            }
            self.reindex(rel);
            self.note_trouble(rel);
        }
    }

    /// Marks the duplicates of every id at once, by [`Store::mark_group`]'s
    /// rule: after a first scan, and after any change to a store that keeps
    /// no index (a one-shot build). A store that keeps its index builds it
    /// here once, and is kept current change by change after that.
    pub(super) fn mark_duplicates(&mut self) {
        if self.indexes.as_ref().is_some_and(|ix| !ix.ids.is_empty()) {
            return;
        }
        // Entries are walked in path order: each id's paths come sorted.
        let mut ids = Ids::with_capacity_and_hasher(self.entries.len(), Default::default());
        for (rel, entry) in &self.entries {
            if let Some(article) = &entry.article {
                Paths::add(&mut ids, &article.id, Arc::clone(rel));
            }
        }
        let shared: Vec<Vec<Arc<str>>> = ids
            .values()
            .filter_map(|rels| match rels {
                Paths::Many(rels) => Some(rels.clone()),
                Paths::One(_) => None,
            })
            .collect();
        if let Some(indexes) = &mut self.indexes {
            indexes.ids = ids;
        }
        for entry in self.entries.values_mut() {
            entry.duplicate_of = None;
        }
        for rels in shared {
            self.mark_group(&rels);
        }
        let rels: Vec<Arc<str>> = self.entries.keys().cloned().collect();
        for rel in &rels {
            self.note_trouble(rel);
        }
        self.reindex_all();
    }

    /// Brings the order and facet indexes up to date for the file at `rel`:
    /// they hold its article when it may be published (it owns its id and is
    /// not held back), and nothing otherwise.
    pub(super) fn reindex(&mut self, rel: &str) {
        let (Some(indexes), Some(entry)) = (&mut self.indexes, self.entries.get_mut(rel)) else {
            return;
        };
        let wanted = entry
            .article
            .clone()
            .filter(|_| entry.duplicate_of.is_none() && !entry.held_back);
        let same = match (&entry.indexed, &wanted) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        let old = std::mem::replace(&mut entry.indexed, wanted.clone());
        indexes.replace(old, wanted, &self.language);
    }

    /// Indexes every file again from scratch.
    fn reindex_all(&mut self) {
        let Some(indexes) = &mut self.indexes else {
            return;
        };
        indexes.clear();
        for entry in self.entries.values_mut() {
            entry.indexed = None;
        }
        let rels: Vec<Arc<str>> = self.entries.keys().cloned().collect();
        for rel in rels {
            self.reindex(&rel);
        }
    }

    /// Keeps postings for exactly the facets in `wanted` (what the feed
    /// families ask for), building those new to it, for a site in
    /// `language` (which an article without `lang` is in). A store that is
    /// not tracked keeps none: a build selects in one pass instead.
    pub fn index_facets(&mut self, wanted: &[Facet], language: &str) {
        self.follow_language(language);
        let Some(indexes) = &mut self.indexes else {
            return;
        };
        indexes.facets.retain(|each, _| wanted.contains(each));
        for &each in wanted {
            if !indexes.facets.contains_key(&each) {
                indexes.build_facet(each, language);
            }
        }
    }

    /// Follows the site's language (which an article without `lang` is in):
    /// when it changed, the language postings are made again.
    pub(super) fn follow_language(&mut self, language: &str) {
        if self.language == language {
            return;
        }
        self.language = language.to_owned();
        if let Some(indexes) = &mut self.indexes {
            if indexes.facets.contains_key(&Facet::Languages) {
                indexes.build_facet(Facet::Languages, language);
            }
        }
    }

    /// How many articles are published at `now`, and when the next of the
    /// others (not drafts) falls due, if any. A tracked store counts from
    /// its order, looking only at the scheduled articles (which lead it).
    pub fn census(&self, now: Timestamp) -> (usize, Option<Timestamp>) {
        let Some(indexes) = &self.indexes else {
            return census(self.articles(), now);
        };
        let mut scheduled = 0;
        let mut next = None;
        for Newest(article) in indexes.order.iter().take_while(|n| n.0.date > now) {
            if !article.draft {
                scheduled += 1;
                next = Some(article.date);
            }
        }
        (indexes.order.len() - indexes.drafts - scheduled, next)
    }

    /// Whether any article that may be published has a `translation_key`.
    pub fn any_translation_key(&self) -> bool {
        match &self.indexes {
            Some(indexes) => indexes.keyed > 0,
            None => self.eligible().any(|a| a.translation_key().is_some()),
        }
    }

    /// Counts changes to the indexes: it grows whenever an article enters,
    /// leaves or changes in them (always 0 for a store that keeps none).
    pub fn generation(&self) -> u64 {
        self.indexes.as_ref().map_or(0, |ix| ix.generation)
    }

    /// Each value of `each`, in value order, with the articles having it:
    /// the postings kept current, when the store keeps them
    /// ([`Store::index_facets`]); otherwise made now from `newest` (every
    /// article that may be published, newest first), marked as changed at
    /// every generation so that nothing made from them is kept.
    pub fn postings_of<'s>(
        &'s self,
        each: Facet,
        newest: impl Iterator<Item = &'s Arc<Article>>,
    ) -> Cow<'s, BTreeMap<Box<str>, Posting>> {
        if let Some(postings) = self.indexes.as_ref().and_then(|ix| ix.facets.get(&each)) {
            return Cow::Borrowed(postings);
        }
        let mut postings: BTreeMap<Box<str>, Posting> = BTreeMap::new();
        for article in newest.filter(|a| !a.draft) {
            for value in facet_values(each, article, &self.language) {
                let posting = postings
                    .entry(Box::from(value.as_ref()))
                    .or_insert_with(|| Posting {
                        articles: BTreeSet::new(),
                        changed: u64::MAX,
                    });
                posting.articles.insert(Newest(Arc::clone(article)));
            }
        }
        Cow::Owned(postings)
    }
}

/// How many of `articles` are published at `now`, and when the next of the
/// others (not drafts) falls due, if any.
fn census<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
    now: Timestamp,
) -> (usize, Option<Timestamp>) {
    let mut published = 0;
    let mut next: Option<Timestamp> = None;
    for article in articles {
        if article.is_published(now) {
            published += 1;
        } else if !article.draft && next.is_none_or(|due| article.date < due) {
            next = Some(article.date);
        }
    }
    (published, next)
}
