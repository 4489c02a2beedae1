//! What a folder of files cannot say by itself: the documents that answer
//! with a redirect (a moved feed's `301`/`308`, an archive page's number's
//! `307`) or `410 Gone`. The writer puts them beside the files in two
//! forms a static server reads:
//!
//! - [`NGINX`], nginx `map` blocks from `$uri` (decoded, as nginx keeps it)
//!   to the `Location` of each redirect status and to `1` for gone, which
//!   `deploy/nginx-mirror.conf` includes and acts on;
//! - [`REDIRECTS`], `_redirects`, the redirects in the format Netlify and
//!   Cloudflare Pages read (`FROM TO STATUS`, one per line, `*` at the end
//!   of FROM matching any rest). It holds `301`–`308` only, as Cloudflare
//!   Pages takes (and at most 2,000 rules there); `410` has no line.
//!
//! The archive pages of a feed no longer published answer as one
//! ([`crate::pages::archive_pattern`]): a regular expression in the maps,
//! a `*` in `_redirects`. Both files are in name order, so the same
//! publication gives the same bytes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::snapshot::{Answer, Resource};

/// The nginx include, hidden in the folder (nginx serves no dot-file).
pub const NGINX: &str = ".syndicated-answers.nginx";
/// The redirects for Netlify and Cloudflare Pages.
pub const REDIRECTS: &str = "_redirects";

/// The variables the nginx include sets, by status: the `Location` of a
/// `301`, `307` or `308`, and `1` for `410`.
const VARIABLES: [(u16, &str); 4] = [
    (301, "syndicated_moved_301"),
    (307, "syndicated_moved_307"),
    (308, "syndicated_moved_308"),
    (410, "syndicated_gone"),
];

/// The status and `Location` (none for `410`) of each document of
/// `documents` that is not served as bytes, by name.
fn answers(documents: &BTreeMap<String, Arc<Resource>>) -> Vec<(&str, u16, Option<&str>)> {
    documents
        .iter()
        .filter_map(|(name, resource)| {
            let (status, location) = match &resource.serving.answer {
                Answer::Bytes => return None,
                Answer::Redirect(location) => (307, Some(&**location)),
                Answer::Moved {
                    location, status, ..
                } => (*status, Some(&**location)),
                Answer::Gone => (410, None),
            };
            Some((name.as_str(), status, location))
        })
        .collect()
}

/// The nginx include for `documents`: one `map` per status. A name or
/// location nginx could not read as written (a `$`, which nginx would take
/// for a variable, or a control character) is left out.
pub fn nginx(documents: &BTreeMap<String, Arc<Resource>>) -> String {
    let answers = answers(documents);
    let mut text = String::from(
        "# Written by syndicated with each publication: the redirects and gone\n\
         # documents of the folder beside it. Include it in nginx's http block.\n",
    );
    for (status, variable) in VARIABLES {
        let _ = writeln!(text, "map $uri ${variable} {{\n    default \"\";");
        for (name, _, location) in answers.iter().filter(|(_, s, _)| *s == status) {
            let value = location.unwrap_or("1");
            if !readable(name) || !readable(value) {
                continue;
            }
            let key = match crate::pages::archive_pattern_for(name).filter(|p| p == name) {
                Some(_) => pattern(name),
                None => quoted(&format!("/{name}")),
            };
            let _ = writeln!(text, "    {key} {};", quoted(value));
        }
        text.push_str("}\n");
    }
    text
}

/// The `_redirects` lines for `documents`: every redirect, none for gone.
pub fn redirects(documents: &BTreeMap<String, Arc<Resource>>) -> String {
    let mut text = String::new();
    for (name, status, location) in answers(documents) {
        let Some(location) = location else { continue };
        let from = match crate::pages::archive_pattern_for(name).filter(|p| p == name) {
            Some(_) => format!(
                "/{}*",
                crate::text::url_path(name.trim_end_matches(|c| c != '/'))
            ),
            None => format!("/{}", crate::text::url_path(name)),
        };
        let _ = writeln!(text, "{from} {location} {status}");
    }
    text
}

/// Whether nginx reads `text` in a quoted string as written.
fn readable(text: &str) -> bool {
    !text.contains('$') && !text.chars().any(char::is_control)
}

/// `text` as an nginx quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The nginx regular expression for the archive pattern `name`
/// (`all/archive/*.atom`): any page of that folder in that format.
fn pattern(name: &str) -> String {
    let (folder, extension) = name.split_once("/archive/*.").unwrap_or((name, ""));
    let escaped: String = format!("/{folder}/archive/")
        .chars()
        .map(|c| match c {
            c if c.is_alphanumeric() || matches!(c, '/' | '-' | '_') => c.to_string(),
            c if c.is_ascii() => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect();
    quoted(&format!("~^{escaped}[^/]+\\.{extension}$"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Serving, Snapshot};
    use bytes::Bytes;

    fn documents() -> BTreeMap<String, Arc<Resource>> {
        let moved = |location: &str| Serving {
            answer: Answer::Moved {
                location: location.into(),
                status: 301,
                max_age: 86_400,
            },
            ..Serving::from("text/html; charset=utf-8")
        };
        let gone = Serving {
            answer: Answer::Gone,
            ..Serving::from("text/html; charset=utf-8")
        };
        let documents = vec![
            (
                "old.rss".to_owned(),
                moved("https://n.example/new.rss"),
                Bytes::from_static(b"m"),
            ),
            (
                "old/archive/*.rss".to_owned(),
                moved("https://n.example/new.rss"),
                Bytes::from_static(b"m"),
            ),
            ("tags/运 河.atom".to_owned(), gone, Bytes::from_static(b"g")),
            (
                "all.rss".to_owned(),
                Serving::from("application/rss+xml"),
                Bytes::from_static(b"<rss/>"),
            ),
        ];
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("a time");
        let snapshot = Snapshot::default()
            .with_documents(documents, &Snapshot::default(), |_| None, now)
            .0;
        snapshot
            .resources
            .iter()
            .map(|(n, r)| (n.clone(), r.clone()))
            .collect()
    }

    #[test]
    fn redirects_and_gones_become_nginx_maps_and_netlify_lines() {
        let documents = documents();
        let nginx = nginx(&documents);
        assert!(nginx.contains("map $uri $syndicated_moved_301 {\n    default \"\";\n    \"/old.rss\" \"https://n.example/new.rss\";\n    \"~^/old/archive/[^/]+\\\\.rss$\" \"https://n.example/new.rss\";\n}"), "{nginx}");
        assert!(nginx.contains("    \"/tags/运 河.atom\" \"1\";"), "{nginx}");
        assert!(!nginx.contains("all.rss"));
        let redirects = redirects(&documents);
        assert_eq!(
            redirects,
            "/old.rss https://n.example/new.rss 301\n/old/archive/* https://n.example/new.rss 301\n"
        );
    }
}
