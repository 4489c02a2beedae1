//! The rendered bodies of the articles some feed shows, kept in the
//! [`Store`] beside their articles, so that publishing reads no file.
//!
//! A body is rendered from one read of the whole file, which also gives the
//! article again: when the file changed since the scan read its head, that
//! read is the current version, and selection runs again. A body that fails
//! to render is the file failing to parse: the last good version (article
//! and body) stays, with the error beside it; without one, the article is
//! left out until its file changes. Bodies of articles no feed shows any
//! more are dropped, so memory holds what feeds show, not the whole site.

use std::collections::BTreeSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::read::render_body;
use super::store::Store;
use super::{Article, Body, Parsed};
use crate::config::{Site, SummaryLimits};
use crate::diagnostic::Diagnostic;

/// An article as a feed shows it: the article and its body, both from one
/// read of the file.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The article.
    pub article: Arc<Article>,
    /// Its body.
    pub body: Arc<Body>,
}

/// How many times selection may run again because rendering found newer
/// versions of the files. Each round follows an edit made during the one
/// before; an edit that keeps coming is published by the next event.
const ROUNDS: usize = 4;

impl Store {
    /// Renders the body of every article that `select` picks (paths inside
    /// the content folder), reading only those without a body for their
    /// current version, in parallel, and drops the bodies of the others.
    /// When reading changed an article (a newer file, or a failure), `select`
    /// runs again on the store as it is now.
    pub fn render_shown(
        &mut self,
        site: &Site,
        limits: SummaryLimits,
        mut select: impl FnMut(&Store) -> BTreeSet<String>,
    ) {
        for _ in 0..ROUNDS {
            let shown = select(self);
            if !self.render_bodies(site, limits, &shown) {
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

    /// One round of [`Store::render_shown`]; returns whether any article
    /// changed.
    fn render_bodies(
        &mut self,
        site: &Site,
        limits: SummaryLimits,
        shown: &BTreeSet<String>,
    ) -> bool {
        let gone: Vec<String> = self.with_bodies.difference(shown).cloned().collect();
        for rel in gone {
            if let Some(entry) = self.entries.get_mut(&rel) {
                entry.body = None;
            }
            self.with_bodies.remove(&rel);
        }
        let wanted: Vec<Arc<Article>> = shown
            .iter()
            .filter(|rel| self.shown(rel).is_none())
            .filter_map(|rel| self.entries.get(rel)?.article.clone())
            .collect();
        let rendered: Vec<_> = wanted
            .into_par_iter()
            .map(|article| {
                let result = render_body(site, limits, &article);
                (article, result)
            })
            .collect();
        let mut changed = false;
        for (asked, result) in rendered {
            changed |= self.take_body(asked, result);
        }
        if changed && !self.track {
            self.mark_duplicates();
        }
        changed
    }

    /// Records what rendering the body of `asked` (the article published
    /// from its file when rendering began) gave. Returns whether the article
    /// published from the file changed.
    fn take_body(
        &mut self,
        asked: Arc<Article>,
        result: Result<Parsed<(Article, Body)>, Diagnostic>,
    ) -> bool {
        let rel = asked.source.rel.clone();
        let Some(entry) = self.entries.get_mut(&rel) else {
            return false;
        };
        let article = match result {
            Ok(parsed) => {
                let (article, body) = parsed.value;
                let article = if article == *asked {
                    asked
                } else {
                    Arc::new(article)
                };
                entry.warnings = parsed.warnings;
                entry.error = None;
                entry.body = Some(Shown {
                    article: Arc::clone(&article),
                    body: Arc::new(body),
                });
                self.with_bodies.insert(rel.clone());
                Some(article)
            }
            Err(error) => {
                entry.error = Some(error);
                entry.body.as_ref().map(|last| Arc::clone(&last.article))
            }
        };
        self.replace_article(&rel, article)
    }
}
