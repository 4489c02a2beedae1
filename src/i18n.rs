//! The message catalogue: the words the product writes for people, in each
//! language it speaks, from `locales/LANG/messages.ftl` (Project Fluent's
//! syntax, its plural rules per language), compiled into the binary.
//!
//! A language is chosen by a BCP 47 tag ([`Lang::of_tag`]): Traditional
//! Chinese for `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant`, Simplified for any
//! other Chinese, English for everything else. The mapping is ours, not
//! Fluent's negotiation, which would fall back from Traditional to
//! Simplified. Fluent's bidirectional isolation marks (U+2068, U+2069)
//! around arguments are off: what is written here goes into terminals,
//! logs, HTML and XML, all left to right or holding their own marks.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// A language of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English, also for any language without a catalogue of its own.
    En,
    /// Simplified Chinese.
    ZhCn,
    /// Traditional Chinese.
    ZhTw,
}

/// Each language's catalogue, in [`Lang::ALL`]'s order.
const SOURCES: [&str; 3] = [
    include_str!("../locales/en/messages.ftl"),
    include_str!("../locales/zh-CN/messages.ftl"),
    include_str!("../locales/zh-TW/messages.ftl"),
];

impl Lang {
    /// Every language of the catalogue.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhCn, Lang::ZhTw];

    /// The language for the BCP 47 tag `tag` (any case).
    pub fn of_tag(tag: &str) -> Lang {
        let tag = tag.to_ascii_lowercase();
        if !(tag == "zh" || tag.starts_with("zh-")) {
            return Lang::En;
        }
        let traditional = ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
            .iter()
            .any(|t| tag.starts_with(t));
        if traditional { Lang::ZhTw } else { Lang::ZhCn }
    }

    /// Its tag, as its catalogue's folder is named.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
            Lang::ZhTw => "zh-TW",
        }
    }

    /// Its place in [`Lang::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::ZhCn => 1,
            Lang::ZhTw => 2,
        }
    }
}

/// One bundle per language, made on first use; shared by every thread.
static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 3]> =
    LazyLock::new(|| Lang::ALL.map(bundle));

/// The bundle of `lang`'s catalogue. The catalogue is part of the binary
/// and its test parses every file, so a broken one is a build that never
/// ships: what does not parse is left out rather than stopping the daemon.
fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    let resource = match FluentResource::try_new(SOURCES[lang.index()].to_owned()) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    };
    let _ = bundle.add_resource(resource);
    bundle
}

/// The message `id` in `lang`, with `args` put in. A message missing from
/// `lang` (a test rules it out) falls back to English, then to its id.
pub fn message(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    [lang, Lang::En]
        .into_iter()
        .find_map(|lang| {
            let bundle = &BUNDLES[lang.index()];
            let pattern = bundle.get_message(id)?.value()?;
            let mut errors = Vec::new();
            Some(
                bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned(),
            )
        })
        .unwrap_or_else(|| id.to_owned())
}

/// The message `id` in `lang` with the one argument `name` set to `value`
/// (a count selects the plural form).
pub fn message_with<'a>(
    lang: Lang,
    id: &str,
    name: &'a str,
    value: impl Into<fluent_bundle::FluentValue<'a>>,
) -> String {
    let mut args = FluentArgs::new();
    args.set(name, value);
    message(lang, id, Some(&args))
}

#[cfg(test)]
mod tests;
