//! Text rules shared by the pipeline: what XML 1.0 can carry, what counts as
//! CJK, and how a summary is cut.
//!
//! Chinese is the normal case here, so every cut is on a character boundary
//! and lengths are counted in characters, never bytes.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What a URL path segment must percent-encode (RFC 3986 §3.3): everything
/// but unreserved characters, sub-delimiters, `:` and `@`; non-ASCII is
/// encoded as UTF-8.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// `segment` as one URL path segment: `大运河` → `%E5%A4%A7%E8%BF%90%E6%B2%B3`.
pub fn url_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// What a segment of a file's path must percent-encode in a URL made from
/// it: [`SEGMENT`] and `:`, which in a relative reference's first segment
/// would read as a scheme (RFC 3986 §4.2).
const FILE_SEGMENT: &AsciiSet = &SEGMENT.add(b':');

/// A path to a file, its segments separated by `/` or `\` (`.`, `..` and
/// a leading `/` kept), as a relative URL reference to that file: every
/// character that cannot stand for itself in a path segment is
/// percent-encoded, once, so `夏天 运河 #1.png` is
/// `%E5%A4%8F%E5%A4%A9%20%E8%BF%90%E6%B2%B3%20%231.png`, and decoding the
/// URL's path gives the file's path back. A file name is a name, not a URL:
/// `#`, `?` and `%` in it are characters of the name (WHATWG URL's path
/// percent-encode set, plus `#`, `?`, `%`, `/`, `\` and `:`).
pub fn file_reference(path: &str) -> String {
    path.split(['/', '\\'])
        .map(|segment| match segment {
            "." | ".." => segment.to_owned(),
            _ => utf8_percent_encode(segment, FILE_SEGMENT).to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A `/`-separated document name as a URL path: each segment encoded by
/// [`url_segment`], the slashes kept.
pub fn url_path(name: &str) -> String {
    name.split('/')
        .map(url_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The first character XML 1.0 cannot carry (its `Char` production excludes
/// most C0 controls and U+FFFE/U+FFFF), if any.
pub fn illegal_xml_char(text: &str) -> Option<char> {
    text.chars().find(|&c| is_illegal_xml_char(c))
}

/// The byte offset of the first character XML 1.0 cannot carry, if any.
///
/// Scans bytes rather than characters: this runs over every article on every
/// scan, and the characters in question are either single bytes below 0x20 or
/// the three-byte sequences of U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`).
pub fn find_illegal_xml_char(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // Tab, LF and CR are the only C0 controls XML allows. Test a block at a
    // time without branching (which the compiler vectorises), and look for
    // the exact position only in a block that has one.
    let is_control = |b: u8| b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r';
    let control = bytes
        .chunks(64)
        .enumerate()
        .find(|(_, block)| block.iter().fold(false, |any, &b| any | is_control(b)))
        .and_then(|(n, block)| {
            block
                .iter()
                .position(|&b| is_control(b))
                .map(|i| n * 64 + i)
        });
    let non_char = |pattern: &[u8]| memchr::memmem::find(bytes, pattern);
    [
        control,
        non_char(b"\xEF\xBF\xBE"),
        non_char(b"\xEF\xBF\xBF"),
    ]
    .into_iter()
    .flatten()
    .min()
}

/// Whether XML 1.0 cannot carry `c` (its `Char` production, XML 1.0 §2.2).
pub fn is_illegal_xml_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether XML 1.0 discourages `c` (§2.2): DEL and the C1 controls, and
/// the noncharacters (U+FDD0–U+FDEF, and the last two code points of every
/// plane). A document may carry them, but readers show nothing useful for
/// them and validators warn.
pub fn is_discouraged_xml_char(c: char) -> bool {
    matches!(c, '\u{7F}'..='\u{9F}' | '\u{FDD0}'..='\u{FDEF}') || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Whether a feed should not carry `c`: XML 1.0 cannot, or discourages it.
/// Text made at publication (after Markdown and HTML) is cleaned of these.
pub fn is_unfit_for_xml(c: char) -> bool {
    is_illegal_xml_char(c) || is_discouraged_xml_char(c)
}

/// `text` in Unicode Normalization Form C (UAX #15), borrowed when it is
/// already: names people compare (tags, categories, authors, slugs, paths)
/// must match however the editor's system composed them (macOS file names
/// and some input methods produce decomposed `café`).
pub fn nfc(text: &str) -> Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization as _, is_nfc_quick};
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

/// One shared copy of `text`: the names that recur on article after article
/// (tags, categories, authors) are held once however many articles carry
/// them, which on a site of a million articles saves more memory than any
/// other single measure.
///
/// A name no article carries any more stays until [`forget_unused`]. The
/// table is split into shards, each behind its own lock, so that the
/// threads reading articles in parallel seldom wait for each other.
pub fn intern(text: &str) -> std::sync::Arc<str> {
    use std::hash::BuildHasher as _;
    use std::sync::Arc;

    let (hasher, shards) = interned();
    let shard = &shards[(hasher.hash_one(text) >> 60) as usize % SHARDS];
    let mut set = lock(shard);
    if let Some(known) = set.get(text) {
        return Arc::clone(known);
    }
    let new: Arc<str> = Arc::from(text);
    set.insert(Arc::clone(&new));
    new
}

/// Drops the names [`intern`] holds that nothing else does any more (every
/// article that carried them changed or went): the daemon calls it at each
/// periodic rescan, so names typed and corrected do not pile up.
pub fn forget_unused() {
    for shard in &interned().1 {
        lock(shard).retain(|name| std::sync::Arc::strong_count(name) > 1);
    }
}

const SHARDS: usize = 16;
type Names = std::collections::HashSet<std::sync::Arc<str>, Hasher>;
type Shard = std::sync::Mutex<Names>;

/// A fast, randomly seeded string hasher for the tables that a million
/// articles fill (interned names, the id index). The standard library's
/// SipHash is built to withstand keys chosen by an attacker; these keys come
/// from the site's own files, not from requests.
pub type Hasher = foldhash::fast::RandomState;

fn interned() -> &'static (Hasher, [Shard; SHARDS]) {
    static TABLE: std::sync::OnceLock<(Hasher, [Shard; SHARDS])> = std::sync::OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// A shard, whole even if a panic elsewhere happened while it was locked.
fn lock(shard: &Shard) -> std::sync::MutexGuard<'_, Names> {
    shard
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `n` and the English noun `word`, plural unless `n` is one: `1 article`,
/// `6 articles`, for the log and the command line.
pub fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Han, kana, Hangul and full-width forms: scripts written without spaces,
/// where one character carries about as much as a Latin word.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{2FFF}'   // radicals, ideographic description
        | '\u{3000}'..='\u{303F}' // CJK punctuation
        | '\u{3040}'..='\u{30FF}' // kana
        | '\u{3100}'..='\u{31FF}' // bopomofo, kana extensions
        | '\u{3400}'..='\u{4DBF}' // extension A
        | '\u{4E00}'..='\u{9FFF}' // unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{3134F}' // extensions B–G
    )
}

/// Characters that end a sentence, full-width and ASCII.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '.' | '!' | '?')
}

/// Closing marks that belong to the sentence they follow (`……。”`).
fn is_closing(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '）' | ')' | '"' | '\'' | '》')
}

/// Marks that open a quotation in Chinese and Japanese text, and the marks
/// that close one. (ASCII quotes open and close alike, so they are not
/// counted.)
fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '「' | '『' | '《')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | '》')
}

/// Cuts `text` to at most `cjk_limit` characters when it is mostly CJK, or
/// `latin_limit` otherwise, counted as a reader sees them: extended grapheme
/// clusters (UAX #29), so a cut never splits a flag, an emoji sequence joined
/// by U+200D or a letter from its combining accent.
///
/// The cut falls at the last sentence end in the last two thirds of the allowed
/// length when there is one, so the summary reads as whole sentences;
/// otherwise at a character (CJK) or word (Latin) boundary, marked with `…`.
pub fn summarize(text: &str, cjk_limit: usize, latin_limit: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation as _;

    let text = text.trim();
    let sample = text.chars().take(cjk_limit.max(latin_limit));
    let (cjk, letters) = sample.fold((0usize, 0usize), |(cjk, letters), c| {
        (
            cjk + usize::from(is_cjk(c)),
            letters + usize::from(c.is_alphanumeric()),
        )
    });
    let mostly_cjk = cjk * 2 > letters;
    let limit = if mostly_cjk { cjk_limit } else { latin_limit };

    let clusters: Vec<Cluster> = text
        .grapheme_indices(true)
        .take(limit + 1)
        .map(|(at, g)| {
            let mut chars = g.chars();
            let first = chars.next().unwrap_or_default();
            Cluster {
                at,
                first,
                single: chars.next().is_none(),
            }
        })
        .collect();
    if clusters.len() <= limit {
        return text.to_owned();
    }
    let byte_at = |i: usize| clusters.get(i).map_or(text.len(), |c| c.at);
    if let Some(end) = sentence_end(&clusters, limit) {
        return text[..byte_at(end)].trim_end().to_owned();
    }
    let mut end = limit;
    if !mostly_cjk {
        // Back up to the last space so no word is cut in half.
        if let Some(space) = (limit / 2..limit)
            .rev()
            .find(|&i| clusters[i].first.is_whitespace())
        {
            end = space;
        }
    }
    let mut out = text[..byte_at(end)].trim_end().to_owned();
    out.push('…');
    out
}

/// An extended grapheme cluster by its offset and its first character,
/// which is what the rules of [`summarize`] look at (a cluster of several
/// characters is never a sentence end or a quotation mark).
#[derive(Debug, Clone, Copy)]
struct Cluster {
    at: usize,
    first: char,
    /// Whether it is that one character.
    single: bool,
}

/// Where a summary of `clusters` within `limit` ends at a sentence end in
/// the last two thirds, if one does: a sentence end counts when it is not
/// inside a number (`3.5`); the last one outside any quotation wins (a cut
/// inside one would leave its opening mark unanswered), failing that the
/// last one.
fn sentence_end(clusters: &[Cluster], limit: usize) -> Option<usize> {
    let single = |i: usize| clusters.get(i).filter(|c| c.single).map(|c| c.first);
    // How many quotations are open before each cluster.
    let open_before: Vec<usize> = (0..clusters.len())
        .scan(0usize, |open, i| {
            let before = *open;
            match single(i) {
                Some(c) if is_opening_quote(c) => *open += 1,
                Some(c) if is_closing_quote(c) => *open = open.saturating_sub(1),
                _ => {}
            }
            Some(before)
        })
        .collect();
    let mut best = None;
    for i in (limit / 3..limit).rev() {
        let Some(c) = single(i).filter(|&c| is_sentence_end(c)) else {
            continue;
        };
        let next = clusters.get(i + 1).map(|c| c.first);
        if !c.is_ascii() || next.is_none_or(|n| n.is_whitespace() || is_closing(n)) {
            let mut end = i + 1;
            while end < limit && single(end).is_some_and(is_closing) {
                end += 1;
            }
            let balanced = open_before.get(end).is_none_or(|&open| open == 0);
            if balanced {
                return Some(end);
            }
            best = best.or(Some(end));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_scan_agrees_with_the_character_rule() {
        for text in [
            "ok\ttab\r\nline",
            "中文\u{7}",
            "\u{FFFE}x",
            "x\u{FFFF}",
            "\u{FFFD}\u{FF0C}",
            "\u{1F}",
        ] {
            assert_eq!(
                find_illegal_xml_char(text),
                text.char_indices()
                    .find(|&(_, c)| is_illegal_xml_char(c))
                    .map(|(i, _)| i),
                "{text:?}"
            );
        }
    }

    #[test]
    fn interned_names_are_one_copy_kept_while_held() {
        use std::sync::Arc;
        let a = intern("interned-test-消防");
        let b = intern(&String::from("interned-test-消防"));
        assert!(Arc::ptr_eq(&a, &b), "one copy");
        forget_unused();
        assert!(
            Arc::ptr_eq(&a, &intern("interned-test-消防")),
            "kept while held"
        );
        let other = intern("interned-test-gone");
        let weak = Arc::downgrade(&other);
        drop(other);
        forget_unused();
        assert!(weak.upgrade().is_none(), "forgotten once no one holds it");
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(count(1, "article"), "1 article");
        assert_eq!(count(0, "feed"), "0 feeds");
        assert_eq!(count(6, "error"), "6 errors");
    }

    #[test]
    fn nfc_composes_and_borrows_what_is_composed() {
        assert_eq!(nfc("cafe\u{301}"), "caf\u{e9}");
        assert!(matches!(nfc("大运河 café"), Cow::Borrowed(_)));
    }

    #[test]
    fn discouraged_characters() {
        for c in [
            '\u{7F}',
            '\u{85}',
            '\u{9F}',
            '\u{FDD0}',
            '\u{FFFE}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert!(is_unfit_for_xml(c), "{c:?}");
        }
        for c in ['~', '\u{A0}', '\u{FDF0}', '\u{FFFD}', '\u{1F600}', '\t'] {
            assert!(!is_unfit_for_xml(c), "{c:?}");
        }
    }

    #[test]
    fn illegal_characters() {
        assert_eq!(illegal_xml_char("ok\ttab\nline"), None);
        assert_eq!(illegal_xml_char("bell\u{7}"), Some('\u{7}'));
        assert_eq!(illegal_xml_char("\u{FFFE}"), Some('\u{FFFE}'));
    }

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(summarize("  短文。 ", 120, 200), "短文。");
    }

    #[test]
    fn cjk_cut_at_sentence_end_within_limit() {
        let text = format!("{}。{}。", "甲".repeat(30), "乙".repeat(40));
        // Limit 50: the first sentence (31 chars) ends in the second half.
        assert_eq!(summarize(&text, 50, 200), format!("{}。", "甲".repeat(30)));
    }

    #[test]
    fn cjk_without_sentence_end_is_cut_on_a_character_with_ellipsis() {
        let text = "字".repeat(300);
        let s = summarize(&text, 120, 200);
        assert_eq!(s.chars().count(), 121);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let text = format!("{}。”{}", "甲".repeat(30), "乙".repeat(40));
        assert_eq!(summarize(&text, 50, 200), format!("{}。”", "甲".repeat(30)));
    }

    #[test]
    fn a_cut_inside_a_quotation_gives_way_to_an_earlier_one_outside() {
        // The last sentence end in range is inside “…”; the one before it
        // is outside, and is chosen.
        let text = format!(
            "{}。他说：“{}。{}。”{}",
            "甲".repeat(20),
            "乙".repeat(10),
            "丙".repeat(40),
            "丁".repeat(40)
        );
        assert_eq!(summarize(&text, 50, 200), format!("{}。", "甲".repeat(20)));
        // With no sentence end outside the quotation, the last one is kept.
        let text = format!("他说：“{}。{}。”", "乙".repeat(30), "丙".repeat(40));
        assert_eq!(
            summarize(&text, 50, 200),
            format!("他说：“{}。", "乙".repeat(30))
        );
    }

    /// Regression: the cut counted characters, and split what readers see
    /// as one: half a flag, a family emoji ending in a zero-width joiner, a
    /// letter without its accent.
    #[test]
    fn the_cut_never_splits_a_grapheme_cluster() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        for unit in ["🇨🇳", family, "e\u{301}"] {
            for lead in 0..4 {
                let text = format!("{}{}", "字".repeat(lead), unit.repeat(200));
                let s = summarize(&text, 120, 200);
                let body = s.strip_suffix('…').unwrap_or(&s);
                let kept = body.strip_prefix(&"字".repeat(lead)).unwrap();
                assert!(
                    kept.is_empty() || kept.split(unit).all(str::is_empty),
                    "{unit:?} cut: {s:?}"
                );
            }
        }
        // 200 clusters are kept, each whole, however many characters each is.
        let s = summarize(&family.repeat(300), 120, 200);
        assert!(s.strip_suffix('…').unwrap() == family.repeat(200));
    }

    #[test]
    fn latin_cut_on_a_word_and_not_inside_numbers() {
        let text =
            "Version 3.5 is out and it brings many things to many people who wait ".repeat(5);
        let s = summarize(&text, 120, 60);
        assert!(s.ends_with('…'), "{s}");
        assert!(!s.contains("3.…"));
        assert!(s.chars().count() <= 61);
        assert!(text.starts_with(s.trim_end_matches('…')));
    }

    #[test]
    fn a_file_path_is_a_reference_to_that_file() {
        assert_eq!(file_reference("/a b/#1?.png"), "/a%20b/%231%3F.png");
        assert_eq!(file_reference("../50% off.mp3"), "../50%25%20off.mp3");
        // Not a scheme, not a fragment: the whole name is the file's.
        assert_eq!(file_reference("C:ep.mp3"), "C%3Aep.mp3");
        assert_eq!(file_reference("dir\\夏.png"), "dir/%E5%A4%8F.png");
    }
}
