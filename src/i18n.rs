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

    /// The language a BCP 47 tag names, if the catalogue has it (`zh-CN`,
    /// `zh-Hans`, `zh-TW`, `zh-HK`, `zh-Hant`, `en`, `en-GB`…).
    pub fn supported(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        (primary.eq_ignore_ascii_case("en") || primary.eq_ignore_ascii_case("zh"))
            .then(|| Lang::of_locale(tag))
    }

    /// The language of a POSIX locale (`zh_CN.UTF-8`, `zh_TW`, `en_US`,
    /// `de_DE@euro`), as [`Lang::of_tag`] reads its language and region.
    pub fn of_locale(locale: &str) -> Lang {
        Lang::of_tag(
            &locale
                .split(['.', '@'])
                .next()
                .unwrap_or_default()
                .replace('_', "-"),
        )
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

/// `--language TAG` on the command line: any tag [`Lang::supported`]
/// takes, with the catalogue's three offered to help and completions.
#[derive(Debug, Clone, Copy)]
pub struct LangParser;

impl clap::builder::TypedValueParser for LangParser {
    type Value = Lang;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Lang, clap::Error> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let tag = value.to_string_lossy();
        Lang::supported(&tag).ok_or_else(|| {
            let mut error = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
            if let Some(arg) = arg {
                error.insert(
                    ContextKind::InvalidArg,
                    ContextValue::String(arg.to_string()),
                );
            }
            error.insert(
                ContextKind::InvalidValue,
                ContextValue::String(tag.into_owned()),
            );
            let tags = Lang::ALL.iter().map(|lang| lang.tag().to_owned()).collect();
            error.insert(ContextKind::ValidValue, ContextValue::Strings(tags));
            error
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            Lang::ALL
                .iter()
                .map(|lang| clap::builder::PossibleValue::new(lang.tag())),
        ))
    }
}

impl clap::builder::ValueParserFactory for Lang {
    type Parser = LangParser;

    fn value_parser() -> LangParser {
        LangParser
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

/// Words for a person, kept until the language they are read in is known:
/// a message of the catalogue with its arguments, or text from elsewhere
/// (a parser's own words, a path) that reads the same in every language.
/// `Display` is English, the operators' language of the logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Message {
    /// The catalogue's message `id`, with its arguments by name.
    Said {
        /// The message's id in `locales/*/messages.ftl`.
        id: &'static str,
        /// Its arguments, by the names the catalogue uses (`$name`).
        args: Vec<(&'static str, Arg)>,
    },
    /// Text the catalogue does not hold.
    Text(String),
}

/// An argument of a [`Message`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Arg {
    /// Text put in as it is (a value from the file, a key, a path).
    Text(String),
    /// A count: it selects the plural form.
    Count(u64),
    /// A message put in, in the same language.
    Message(Box<Message>),
}

impl Message {
    /// The catalogue's message `id`, without arguments yet.
    pub fn new(id: &'static str) -> Message {
        Message::Said {
            id,
            args: Vec::new(),
        }
    }

    /// `` `key`: message ``: what is wrong with the value of a field of the
    /// front matter or a setting.
    pub fn field(key: &str, message: impl Into<Message>) -> Message {
        Message::new("field")
            .arg("key", key)
            .arg("message", message.into())
    }

    /// This message with the argument `name` set to `value`.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        if let Message::Said { args, .. } = &mut self {
            args.push((name, value.into()));
        }
        self
    }

    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Message::Text(text) => text.clone(),
            Message::Said { id, args } => {
                let mut fluent = FluentArgs::new();
                for (name, value) in args {
                    match value {
                        Arg::Text(text) => fluent.set(*name, text.as_str()),
                        Arg::Count(n) => fluent.set(*name, *n),
                        Arg::Message(inner) => fluent.set(*name, inner.render(lang)),
                    }
                }
                message(lang, id, Some(&fluent))
            }
        }
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_owned())
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Count(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Count(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::Message(Box::new(message))
    }
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
