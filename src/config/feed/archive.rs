//! `archive` and `archive_page_size`: a feed that keeps its whole history
//! on archive pages (RFC 5005 §4), each holding a fixed number of items.

use toml::Spanned;

use crate::config::Locator;
use crate::diagnostic::Diagnostic;

/// The default number of items on an archive page.
pub const DEFAULT_ARCHIVE_PAGE_SIZE: usize = 100;

/// The most items an archive page may hold: pages are not held to
/// `max_bytes`, so their size is bounded here.
pub const MAX_ARCHIVE_PAGE_SIZE: usize = 1000;

/// The items per archive page of a feed with `archive = true`, or `None`
/// for a feed without an archive. `archive_page_size` without `archive`
/// is a mistake (it would do nothing), and so is a size out of range.
pub(super) fn resolve(
    at: &Locator<'_>,
    archive: Option<Spanned<bool>>,
    page_size: Option<Spanned<i64>>,
) -> Result<Option<usize>, Diagnostic> {
    let on = archive.as_ref().is_some_and(|a| *a.get_ref());
    match page_size {
        Some(size) if !on => Err(at.error(
            size.span(),
            "`archive_page_size` is for feeds with an archive; add `archive = true`, or remove it",
        )),
        Some(size) => usize::try_from(*size.get_ref())
            .ok()
            .filter(|n| (1..=MAX_ARCHIVE_PAGE_SIZE).contains(n))
            .map(Some)
            .ok_or_else(|| {
                at.error(
                    size.span(),
                    format!(
                        "`archive_page_size`: {} is not a number of items from 1 to {MAX_ARCHIVE_PAGE_SIZE}",
                        size.get_ref()
                    ),
                )
            }),
        None => Ok(on.then_some(DEFAULT_ARCHIVE_PAGE_SIZE)),
    }
}
