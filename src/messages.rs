//! The words the daemon writes for people, in the site's language: a
//! small table chosen by `site.language` (Simplified Chinese, Traditional
//! Chinese, English; any other language gets English).

/// The words of one language.
#[derive(Debug)]
pub struct Messages {
    /// What marks a draft's title in a preview.
    pub draft: &'static str,
    /// What marks a scheduled article's title in a preview, before its date.
    pub scheduled: &'static str,
}

const SIMPLIFIED: Messages = Messages {
    draft: "草稿",
    scheduled: "定时发布",
};

const TRADITIONAL: Messages = Messages {
    draft: "草稿",
    scheduled: "排程發布",
};

const ENGLISH: Messages = Messages {
    draft: "Draft",
    scheduled: "Scheduled",
};

/// The words for a site in `language` (a BCP 47 tag): Traditional for
/// `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant`, Simplified for other Chinese,
/// English otherwise.
pub fn for_language(language: &str) -> &'static Messages {
    let tag = language.to_ascii_lowercase();
    if !(tag == "zh" || tag.starts_with("zh-")) {
        return &ENGLISH;
    }
    let traditional = ["zh-tw", "zh-hk", "zh-mo", "zh-hant"]
        .iter()
        .any(|t| tag.starts_with(t));
    if traditional {
        &TRADITIONAL
    } else {
        &SIMPLIFIED
    }
}
