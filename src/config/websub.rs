//! `[websub]`: the hubs that tell subscribers the moment a feed changes
//! (WebSub, W3C Recommendation 2018-01-23), and how pings to them are sent.
//!
//! In `syndicated.toml`, `[websub] hubs` names the site's hubs, and
//! `timeout` and `attempts` say how a ping is sent; in a feed's definition,
//! `[websub] hubs` takes the place of the site's list for that feed (an
//! empty list: no hub for it).

use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use url::Url;

use super::Locator;
use crate::diagnostic::Diagnostic;
use crate::i18n::Message;

/// How the daemon pings hubs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSub {
    /// How long one ping may take, connection included, before it counts
    /// as failed (`timeout`, seconds; default [`DEFAULT_TIMEOUT`]).
    pub timeout: Duration,
    /// How many times a ping is sent before it is given up (`attempts`;
    /// default [`DEFAULT_ATTEMPTS`]). A newer change of the same feed
    /// starts again from the first.
    pub attempts: u32,
}

/// The default time one ping may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default number of attempts: with back-off from 1 s doubling to at
/// most 5 minutes, about 17 minutes of trying.
pub const DEFAULT_ATTEMPTS: u32 = 10;

impl Default for WebSub {
    fn default() -> Self {
        WebSub {
            timeout: DEFAULT_TIMEOUT,
            attempts: DEFAULT_ATTEMPTS,
        }
    }
}

/// `[websub]` in `syndicated.toml`, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWebSub {
    pub(super) hubs: Option<Spanned<Vec<String>>>,
    pub(super) timeout: Option<Spanned<f64>>,
    pub(super) attempts: Option<Spanned<i64>>,
}

/// `[websub]` in a feed's definition, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeedWebSub {
    pub(super) hubs: Option<Spanned<Vec<String>>>,
}

/// Resolves the site's `[websub]`: its hubs, and how pings are sent.
pub(super) fn resolve(at: &Locator<'_>, raw: RawWebSub) -> Result<(Vec<Url>, WebSub), Diagnostic> {
    let hubs = match raw.hubs {
        Some(list) => hubs(at, "websub.hubs", list)?,
        None => Vec::new(),
    };
    let mut settings = WebSub::default();
    if let Some(timeout) = raw.timeout {
        settings.timeout = Duration::try_from_secs_f64(*timeout.get_ref())
            .ok()
            .filter(|d| !d.is_zero() && *d <= Duration::from_secs(600))
            .ok_or_else(|| {
                at.error(
                    timeout.span(),
                    Message::new("config-websub-timeout")
                        .arg("value", timeout.get_ref().to_string()),
                )
            })?;
    }
    if let Some(attempts) = raw.attempts {
        settings.attempts = u32::try_from(*attempts.get_ref())
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                at.error(
                    attempts.span(),
                    Message::new("config-websub-attempts")
                        .arg("value", attempts.get_ref().to_string()),
                )
            })?;
    }
    Ok((hubs, settings))
}

/// A list of hub URLs (`key` names it in messages): each an absolute http
/// or https URL without a fragment, each once, in the order written.
pub(super) fn hubs(
    at: &Locator<'_>,
    key: &str,
    list: Spanned<Vec<String>>,
) -> Result<Vec<Url>, Diagnostic> {
    let span = list.span();
    let mut out: Vec<Url> = Vec::new();
    for text in list.into_inner() {
        let url = Url::parse(text.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .filter(|u| u.host().is_some() && u.fragment().is_none());
        let Some(url) = url else {
            return Err(at.error(
                span.clone(),
                Message::new("config-bad-hub")
                    .arg("key", key)
                    .arg("value", text.as_str()),
            ));
        };
        if !out.contains(&url) {
            out.push(url);
        }
    }
    Ok(out)
}
