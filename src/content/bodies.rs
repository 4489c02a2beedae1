//! The rendered bodies of the articles some feed shows, kept in the
//! [`Store`] beside their articles, so that publishing reads no file.
//!
//! A body is rendered from one read of the whole file, which also gives the
//! article again: when the file changed since the scan read its head, that
//! read is the current version, and selection runs again. A body that fails
//! to render is the file failing to parse: the last good version (the
//! article its body was rendered with, and that body) stays, with the error
//! beside it. Without one, the article is held back (not selected, still
//! known, its id still its own) until its file is read again: at its next
//! change, or, when the file could not be read at all, at the next rescan
//! or poll. Bodies of articles no feed shows any more are dropped, so memory
//! holds what feeds show, not the whole site; an article that is shown
//! again is read again.

use std::sync::Arc;

use rayon::prelude::*;

use super::read::{BodyError, RenderedFile, render_body};
use super::store::Store;
use super::{Article, Body};
use crate::config::{Site, SummaryLimits};

/// An article as a feed shows it: the article and its body, both from one
/// read of the file.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The article.
    pub article: Arc<Article>,
    /// Its body.
    pub body: Arc<Body>,
}

/// How what feeds show changed, by path inside the content folder: what
/// [`Store::render_shown`] must render and what it may drop.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// Articles shown now, each of which needs a body for its current
    /// version: every article of each feed whose items changed.
    pub fresh: Vec<Arc<str>>,
    /// Articles no feed shows any more: their bodies are dropped.
    pub gone: Vec<Arc<str>>,
}

/// How many times selection may run again because rendering found newer
/// versions of the files: each such round follows an edit made during the
/// one before, and an edit that keeps coming is published by its own event.
/// Rounds after a failure are not counted: each holds back at least one
/// more article, so they end.
const NEWER_ROUNDS: usize = 4;

/// What one round of rendering changed.
#[derive(Debug, Default, Clone, Copy)]
struct Round {
    /// A read found a newer version of a file.
    newer: bool,
    /// A body failed: its article went back to its last good version, or is
    /// held back.
    failed: bool,
}

impl Store {
    /// Renders the body of every article that `select` says is wanted
    /// (see [`Wanted`]), reading only those without a body for their current
    /// version, in parallel, and drops the bodies of those gone. When
    /// reading changed an article (a newer file, or a failure), `select`
    /// runs again on the store as it is now. Afterwards every article a feed
    /// shows has its body ([`Store::shown`]), unless files kept changing
    /// while they were read. `select` keeps track of what it said before:
    /// each call reports what changed since the last.
    pub fn render_shown(
        &mut self,
        site: &Site,
        limits: SummaryLimits,
        mut select: impl FnMut(&Store) -> Wanted,
    ) {
        let mut newer_rounds = 0;
        loop {
            let shown = select(self);
            let round = self.render_bodies(site, limits, &shown);
            if round.newer {
                newer_rounds += 1;
            }
            if !(round.newer || round.failed) || newer_rounds == NEWER_ROUNDS {
                return;
            }
        }
    }

    /// The article at `rel` with its rendered body, when the body was
    /// rendered for the article published now.
    pub fn shown(&self, rel: &str) -> Option<&Shown> {
        let entry = self.entries.get(rel)?;
        let article = entry.article.as_ref()?;
        entry
            .body
            .as_ref()
            .filter(|shown| Arc::ptr_eq(&shown.article, article))
    }

    /// One round of [`Store::render_shown`].
    fn render_bodies(&mut self, site: &Site, limits: SummaryLimits, shown: &Wanted) -> Round {
        for rel in &shown.gone {
            if let Some(entry) = self.entries.get_mut(&**rel) {
                entry.body = None;
            }
            self.with_bodies.remove(&**rel);
        }
        let wanted: Vec<Arc<Article>> = shown
            .fresh
            .iter()
            .filter(|rel| self.shown(rel).is_none())
            .filter_map(|rel| self.entries.get(&**rel)?.article.clone())
            .collect();
        let rendered: Vec<_> = wanted
            .into_par_iter()
            .map(|article| {
                let result = render_body(site, limits, &article);
                (article, result)
            })
            .collect();
        let mut round = Round::default();
        for (asked, result) in rendered {
            let failed = result.is_err();
            let changed = self.take_body(asked, result);
            round.failed |= failed;
            round.newer |= changed && !failed;
        }
        if (round.newer || round.failed) && !self.is_tracked() {
            self.mark_duplicates();
        }
        round
    }

    /// Records what rendering the body of `asked` (the article published
    /// from its file when rendering began) gave. Returns whether the article
    /// published from the file changed.
    fn take_body(&mut self, asked: Arc<Article>, result: Result<RenderedFile, BodyError>) -> bool {
        let rel = asked.source.rel.clone();
        let track = self.is_tracked();
        let Some(entry) = self.entries.get_mut(&rel) else {
            return false;
        };
        match result {
            Ok((parsed, fingerprint)) => {
                let (article, body) = parsed.value;
                let article = if article == *asked {
                    asked
                } else {
                    // A newer version than the scan read: this one is current.
                    if track {
                        entry.fingerprint = Some(fingerprint);
                    }
                    Arc::new(article)
                };
                entry.warnings = parsed.warnings;
                entry.error = None;
                entry.body = Some(Shown {
                    article: Arc::clone(&article),
                    body: Arc::new(body),
                });
                self.with_bodies.insert(rel.clone());
                let changed = self.replace_article(&rel, Some(article));
                self.note_trouble(&rel);
                changed
            }
            Err(error) => {
                if matches!(error, BodyError::Unreadable(_)) {
                    // Read again at the next rescan or poll, not only when
                    // the file changes.
                    entry.fingerprint = None;
                }
                entry.error = Some(Box::new(error.diagnostic().clone()));
                let changed = match entry.body.as_ref().map(|last| Arc::clone(&last.article)) {
                    Some(last_good) => self.replace_article(&rel, Some(last_good)),
                    None => {
                        entry.held_back = true;
                        self.reindex(&rel);
                        true
                    }
                };
                self.note_trouble(&rel);
                changed
            }
        }
    }
}
