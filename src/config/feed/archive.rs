//! `archive` and `archive_page_size`: a feed that keeps its whole history
//! on archive pages (RFC 5005 §4), each holding a fixed number of items.
//!
//! A page holds at most `limit` items: the items newer than the newest
//! full page are read from the subscription document, which must hold
//! them all.

use toml::Spanned;

use crate::config::Locator;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// The most items an archive page may hold: pages are not held to
/// `max_bytes`, so their size is bounded here.
pub const MAX_ARCHIVE_PAGE_SIZE: usize = 1000;

/// The items per archive page of a feed with `archive = true` and `limit`
/// items in its subscription document (default: `limit`, at most
/// [`MAX_ARCHIVE_PAGE_SIZE`]), or `None` for a feed without an archive.
/// `archive_page_size` without `archive` is a mistake (it would do
/// nothing), and so is a size out of range or above `limit`.
pub(super) fn resolve(
    at: &Locator<'_>,
    archive: Option<Spanned<bool>>,
    page_size: Option<Spanned<i64>>,
    limit: usize,
) -> Result<Option<usize>, Diagnostic> {
    let on = archive.as_ref().is_some_and(|a| *a.get_ref());
    match page_size {
        Some(size) if !on => Err(at.error(size.span(), Message::new("feed-archive-off"))),
        Some(size) => {
            let n = usize::try_from(*size.get_ref())
                .ok()
                .filter(|n| (1..=MAX_ARCHIVE_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    at.error(
                        size.span(),
                        Message::new("feed-archive-size")
                            .arg("value", size.get_ref().to_string())
                            .arg("max", MAX_ARCHIVE_PAGE_SIZE),
                    )
                })?;
            if n > limit {
                return Err(at.error(
                    size.span(),
                    Message::new("feed-archive-over-limit")
                        .arg("value", n.to_string())
                        .arg("limit", limit.to_string()),
                ));
            }
            Ok(Some(n))
        }
        None => Ok(on.then_some(limit.min(MAX_ARCHIVE_PAGE_SIZE))),
    }
}
