//! `syndicated.toml` as written: serde structs that refuse unknown keys
//! and keep the span of every value, so that resolving them (in the parent
//! module) can name the line of any mistake.

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) site: RawSite,
    #[serde(default)]
    pub(super) paths: RawPaths,
    #[serde(default)]
    pub(super) summary: RawSummary,
    #[serde(default)]
    pub(super) server: RawServer,
    #[serde(default)]
    pub(super) watch: RawWatch,
    #[serde(default)]
    pub(super) content: RawContent,
    #[serde(default)]
    pub(super) feeds: RawFeedDefaults,
    #[serde(default)]
    pub(super) websub: super::websub::RawWebSub,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFeedDefaults {
    pub(super) max_bytes: Option<Spanned<i64>>,
    pub(super) variants: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContent {
    pub(super) max_bytes: Option<Spanned<u64>>,
    #[serde(default)]
    pub(super) follow_symlinks: bool,
    #[serde(default)]
    pub(super) trust_html: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawServer {
    pub(super) listen: Option<Spanned<String>>,
    pub(super) max_age: Option<u64>,
    pub(super) moved_max_age: Option<u64>,
    pub(super) max_connections: Option<Spanned<usize>>,
    pub(super) header_timeout: Option<Spanned<f64>>,
    pub(super) connection_lifetime: Option<Spanned<f64>>,
    pub(super) shutdown_timeout: Option<Spanned<f64>>,
    pub(super) min_interval: Option<Spanned<i64>>,
    pub(super) trusted_proxies: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWatch {
    pub(super) debounce_ms: Option<Spanned<u64>>,
    pub(super) rescan: Option<Spanned<f64>>,
    pub(super) poll: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    pub(super) title: Spanned<String>,
    pub(super) description: Option<Spanned<String>>,
    pub(super) base_url: Spanned<String>,
    pub(super) feeds_url: Option<Spanned<String>>,
    pub(super) media_url: Option<Spanned<String>>,
    pub(super) icon: Option<Spanned<String>>,
    pub(super) logo: Option<Spanned<String>>,
    pub(super) language: Option<Spanned<String>>,
    pub(super) timezone: Option<Spanned<String>>,
    pub(super) authority: Option<Spanned<String>>,
    pub(super) permalink: Option<Spanned<String>>,
    pub(super) author: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPaths {
    pub(super) content: Option<Spanned<String>>,
    pub(super) feeds: Option<Spanned<String>>,
    pub(super) out: Option<Spanned<String>>,
    pub(super) state: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSummary {
    pub(super) cjk: Option<Spanned<usize>>,
    pub(super) latin: Option<Spanned<usize>>,
}
