//! OpenCC's Simplified-to-Traditional conversion, done as OpenCC 1.4 does
//! it, over OpenCC's own dictionaries (Apache-2.0, in `data/opencc/`,
//! compiled into the binary).
//!
//! OpenCC (github BYVoid/OpenCC, `data/config/*.json`, `src/*.cpp`) runs a
//! conversion in three steps, each a longest-prefix match from left to
//! right over a dictionary or a group of dictionaries:
//!
//! 1. *normalization*: CJK compatibility ideographs become their unified
//!    characters;
//! 2. *segmentation* (`s2twp`, `s2hk`): the text is cut into the phrases
//!    of the Simplified phrase dictionary and the runs between them;
//! 3. the *conversion chain*: each segment goes through every conversion
//!    in turn (Simplified to Traditional, then the regional phrases and
//!    characters), so no later conversion matches across a segment's end.
//!
//! A *group* of dictionaries matches either as a *union* (the longest key
//! of any of them, the first dictionary's on a tie: made here, as OpenCC
//! makes it, one table of all their keys) or *short-circuit* (the first
//! dictionary that has any key at that point). Where nothing
//! matches, one character (or one whole ideographic description sequence
//! such as `⿰木目`) is copied as it is.
//!
//! The one dictionary OpenCC generates when it is built,
//! `STPhrases_GeneratedFromRegionalPhrases`, is made here on first use the
//! way its script (`data/scripts/generate_st_phrases_from_regional_phrases.py`)
//! makes it: every Hong Kong and Taiwan phrase, converted to Simplified by
//! `t2s`, becomes a Simplified phrase of three or more characters whose
//! value is the Traditional phrase, so segmentation keeps it whole.

use std::collections::HashSet;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

/// One dictionary: each key's first value (OpenCC's default), and a
/// matcher that finds the longest key that starts a text.
struct Table {
    /// The keys, each once, and their values, by the matcher's pattern id.
    keys: Vec<Box<str>>,
    values: Vec<Box<str>>,
    matcher: Option<AhoCorasick>,
}

impl Table {
    /// Parses OpenCC's text format (see [`entries`]).
    fn parse(text: &str) -> Table {
        Table::from_entries(entries(text))
    }

    /// A table of `entries`; a key given twice keeps its first value.
    fn from_entries(entries: impl Iterator<Item = (Box<str>, Box<str>)>) -> Table {
        let mut seen = HashSet::new();
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        for (key, value) in entries {
            if seen.insert(key.clone()) {
                keys.push(key);
                values.push(value);
            }
        }
        // Searches start where a key may start and take the longest key
        // there: OpenCC's prefix match.
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .build(keys.iter().map(|k| k.as_bytes()));
        if let Err(error) = &matcher {
            // The dictionaries are compiled in: this would be a build fault.
            tracing::error!("an OpenCC dictionary did not load: {error}");
        }
        Table {
            keys,
            values,
            matcher: matcher.ok(),
        }
    }

    /// The longest key that starts `text`: its length in bytes and its value.
    fn longest_prefix(&self, text: &str) -> Option<(usize, &str)> {
        let found = self
            .matcher
            .as_ref()?
            .find(Input::new(text).anchored(Anchored::Yes))?;
        Some((found.end(), &self.values[found.pattern().as_usize()]))
    }
}

/// The entries of a dictionary in OpenCC's text format: `key<TAB>value[
/// value…]` per line, each key with its first value; lines that start with
/// `#` and blank lines are skipped.
fn entries(text: &str) -> impl Iterator<Item = (Box<str>, Box<str>)> + '_ {
    text.lines().filter_map(|line| {
        if line.starts_with('#') {
            return None;
        }
        let (key, values) = line.split_once('\t')?;
        let value = values.split(' ').next()?;
        (!key.is_empty()).then_some((key.into(), value.into()))
    })
}

/// A dictionary or a group of them, as a config names it. (A config's
/// *union* of dictionaries is one [`Table`] of all their entries, the
/// first dictionary's on a key they share: the longest key of any of them
/// wins, as OpenCC itself flattens a union into one trie.)
enum Dict {
    Table(&'static Table),
    /// The match of the first member that has one.
    ShortCircuit(Vec<Dict>),
}

impl Dict {
    /// The longest key that starts `text` as this dictionary matches it:
    /// its length in bytes and its value.
    fn longest_prefix(&self, text: &str) -> Option<(usize, &str)> {
        match self {
            Dict::Table(table) => table.longest_prefix(text),
            Dict::ShortCircuit(members) => members.iter().find_map(|d| d.longest_prefix(text)),
        }
    }

    /// `text` with every longest match replaced by its value, from left to
    /// right, and what matches nothing kept.
    fn convert(&self, text: &str, out: &mut String) {
        let mut rest = text;
        while !rest.is_empty() {
            let taken = match self.longest_prefix(rest) {
                Some((length, value)) => {
                    out.push_str(value);
                    length
                }
                None => {
                    let length = unit_len(rest);
                    out.push_str(&rest[..length]);
                    length
                }
            };
            rest = &rest[taken..];
        }
    }

    /// `text` cut into this dictionary's longest matches and the runs of
    /// text between them (OpenCC's `mmseg` segmentation).
    fn segments<'t>(&self, text: &'t str) -> Vec<&'t str> {
        let mut segments = Vec::new();
        let (mut run_start, mut at) = (0, 0);
        while at < text.len() {
            match self.longest_prefix(&text[at..]) {
                Some((length, _)) => {
                    if run_start < at {
                        segments.push(&text[run_start..at]);
                    }
                    segments.push(&text[at..at + length]);
                    at += length;
                    run_start = at;
                }
                None => at += unit_len(&text[at..]),
            }
        }
        if run_start < text.len() {
            segments.push(&text[run_start..]);
        }
        segments
    }
}

/// Bytes of the unit copied where nothing matches: a whole ideographic
/// description sequence (Unicode §18.2, `⿰木目`) when `text` starts with
/// a complete one, else one character. `text` is not empty.
fn unit_len(text: &str) -> usize {
    ids_len(text, 16, &mut 0).unwrap_or_else(|| text.chars().next().map_or(1, char::len_utf8))
}

/// How many operands an ideographic description character (U+2FF0–U+2FFF)
/// takes; 0 for any other character.
fn ids_arity(c: char) -> usize {
    match c {
        '\u{2FF2}' | '\u{2FF3}' => 3,
        '\u{2FFE}' | '\u{2FFF}' => 1,
        '\u{2FF0}'..='\u{2FFD}' => 2,
        _ => 0,
    }
}

/// Bytes of the complete ideographic description sequence that starts
/// `text`, nested at most `depth` deep and at most 64 characters long
/// (OpenCC's limits); `None` when `text` does not start with one.
fn ids_len(text: &str, depth: usize, characters: &mut usize) -> Option<usize> {
    let first = text.chars().next()?;
    let arity = ids_arity(first);
    if *characters == 0 && arity == 0 {
        return None;
    }
    if depth == 0 || *characters >= 64 {
        return None;
    }
    *characters += 1;
    let mut length = first.len_utf8();
    for _ in 0..arity {
        length += ids_len(&text[length..], depth - 1, characters)?;
    }
    Some(length)
}

/// A conversion as one of OpenCC's configs (`s2t.json`, `s2twp.json`,
/// `s2hk.json`, `t2s.json`) defines it.
pub struct Converter {
    normalization: Dict,
    segmentation: Option<Dict>,
    chain: Vec<Dict>,
}

impl Converter {
    /// `text` converted: normalized, segmented, and each segment put
    /// through the conversion chain.
    pub fn convert(&self, text: &str) -> String {
        let mut normalized = String::with_capacity(text.len());
        self.normalization.convert(text, &mut normalized);
        let segments = match &self.segmentation {
            Some(segmentation) => segmentation.segments(&normalized),
            None => vec![normalized.as_str()],
        };
        let mut out = String::with_capacity(normalized.len() + normalized.len() / 8);
        let mut step = String::new();
        for segment in segments {
            let mut converted = segment.to_owned();
            for conversion in &self.chain {
                step.clear();
                conversion.convert(&converted, &mut step);
                std::mem::swap(&mut converted, &mut step);
            }
            out.push_str(&converted);
        }
        out
    }
}

macro_rules! table {
    ($name:ident, $file:literal) => {
        static $name: LazyLock<Table> = LazyLock::new(|| {
            Table::parse(include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/opencc/",
                $file
            )))
        });
    };
}

table!(COMPATIBILITY, "CJK_Compatibility_Ideographs.txt");
table!(ST_CHARACTERS, "STCharacters.txt");
table!(TS_CHARACTERS, "TSCharacters.txt");
table!(TS_PHRASES, "TSPhrases.txt");
table!(TW_PHRASES, "TWPhrases.txt");
table!(TW_VARIANTS, "TWVariants.txt");
table!(TW_VARIANTS_PHRASES, "TWVariantsPhrases.txt");
table!(HK_PHRASES, "HKPhrases.txt");
table!(HK_VARIANTS, "HKVariants.txt");
table!(HK_VARIANTS_PHRASES, "HKVariantsPhrases.txt");

/// `TSCharactersExt`: the rare Simplified forms that `TSCharacters.txt`
/// marks `# @tofu-risk:` and lists after the character itself (OpenCC's
/// `extract_tofu_risk.py`); `t2s` prefers them when OpenCC generates its
/// regional phrases.
static TS_CHARACTERS_EXT: LazyLock<Table> = LazyLock::new(|| {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/opencc/TSCharacters.txt"
    ));
    let lines: Vec<&str> = text.lines().collect();
    Table::from_entries(lines.windows(2).filter_map(|pair| {
        if !pair[0].starts_with("# @tofu-risk:") {
            return None;
        }
        let (key, values) = pair[1].split_once('\t')?;
        let value = values.split(' ').find(|v| !v.is_empty() && *v != key)?;
        Some((key.into(), value.into()))
    }))
});

/// `STPhrases_GeneratedFromRegionalPhrases` (see the module's note): Hong
/// Kong's phrases first, then Taiwan's, as OpenCC's build lists them.
fn regional_phrases() -> Vec<(Box<str>, Box<str>)> {
    let t2s = Converter {
        normalization: Dict::Table(&COMPATIBILITY),
        segmentation: None,
        chain: vec![Dict::ShortCircuit(vec![
            Dict::Table(&TS_PHRASES),
            Dict::Table(&TS_CHARACTERS_EXT),
            Dict::Table(&TS_CHARACTERS),
        ])],
    };
    let mut keys: Vec<&str> = HK_PHRASES.keys.iter().map(AsRef::as_ref).collect();
    keys.sort_unstable();
    let mut taiwan: Vec<&str> = TW_PHRASES.keys.iter().map(AsRef::as_ref).collect();
    taiwan.sort_unstable();
    keys.extend(taiwan);
    keys.into_iter()
        .filter_map(|key| {
            let simplified = t2s.convert(key);
            (simplified.chars().count() >= 3).then(|| (simplified.into(), key.into()))
        })
        .collect()
}

/// The Simplified phrases that segment and convert Simplified text: the
/// union of OpenCC's own (`STPhrases`) and those generated from the
/// regional ones, one table.
static ST_PHRASES: LazyLock<Table> = LazyLock::new(|| {
    let own = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/opencc/STPhrases.txt"
    ));
    Table::from_entries(entries(own).chain(regional_phrases()))
});

fn st_phrases() -> Dict {
    Dict::Table(&ST_PHRASES)
}

/// Simplified to Traditional characters and phrases: the first step of
/// every variant.
fn simplified_to_traditional() -> Dict {
    Dict::ShortCircuit(vec![st_phrases(), Dict::Table(&ST_CHARACTERS)])
}

/// OpenCC's `s2t.json`: Traditional characters (OpenCC's standard).
pub fn s2t() -> Converter {
    Converter {
        normalization: Dict::Table(&COMPATIBILITY),
        segmentation: None,
        chain: vec![simplified_to_traditional()],
    }
}

/// OpenCC's `s2twp.json`: Taiwan's characters and phrases (软件 → 軟體).
pub fn s2twp() -> Converter {
    regional(vec![
        Dict::Table(&TW_PHRASES),
        Dict::Table(&TW_VARIANTS_PHRASES),
        Dict::Table(&TW_VARIANTS),
    ])
}

/// OpenCC's `s2hk.json`: Hong Kong's characters.
pub fn s2hk() -> Converter {
    regional(vec![
        Dict::Table(&HK_VARIANTS_PHRASES),
        Dict::Table(&HK_VARIANTS),
    ])
}

/// A regional conversion as OpenCC's configs define one: the Simplified
/// text segmented into its phrases, each segment converted to Traditional
/// and then by the first of the region's dictionaries `region` that matches.
fn regional(region: Vec<Dict>) -> Converter {
    Converter {
        normalization: Dict::Table(&COMPATIBILITY),
        segmentation: Some(st_phrases()),
        chain: vec![simplified_to_traditional(), Dict::ShortCircuit(region)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_description_sequence_is_one_unit() {
        assert_eq!(unit_len("⿰木目x"), "⿰木目".len());
        assert_eq!(unit_len("⿲木目木x"), "⿲木目木".len());
        assert_eq!(unit_len("⿰⿱木目水x"), "⿰⿱木目水".len());
        // Incomplete: the operator alone.
        assert_eq!(unit_len("⿰木"), "⿰".len());
        assert_eq!(unit_len("木"), "木".len());
    }

    #[test]
    fn a_union_table_takes_the_longest_and_short_circuit_the_first() {
        let entries = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (Box::from(*k), Box::from(*v)))
                .collect::<Vec<_>>()
        };
        let short = entries(&[("发", "發"), ("头发", "first")]);
        let long = entries(&[("理发", "理髮"), ("头发", "second")]);
        let union = Box::leak(Box::new(Table::from_entries(
            short.iter().cloned().chain(long.iter().cloned()),
        )));
        let union = Dict::Table(union);
        assert_eq!(union.longest_prefix("发了"), Some(("发".len(), "發")));
        assert_eq!(union.longest_prefix("理发了"), Some(("理发".len(), "理髮")));
        assert_eq!(union.longest_prefix("头发"), Some(("头发".len(), "first")));
        assert_eq!(union.segments("他理发了"), ["他", "理发", "了"]);
        let short = Box::leak(Box::new(Table::from_entries(short.into_iter())));
        let long = Box::leak(Box::new(Table::from_entries(long.into_iter())));
        let first = Dict::ShortCircuit(vec![Dict::Table(short), Dict::Table(long)]);
        assert_eq!(first.longest_prefix("理发"), Some(("理发".len(), "理髮")));
        assert_eq!(first.longest_prefix("发"), Some(("发".len(), "發")));
    }

    #[test]
    fn regional_phrases_are_generated_in_simplified() {
        // Taiwan's phrase 互聯網絡 (網際網路) gets its Simplified form as a
        // key, whose value is the phrase itself: segmentation keeps
        // 互联网络 whole, and Taiwan's phrases then give 網際網路.
        let regional = regional_phrases();
        assert!(regional.len() > 100);
        assert!(regional.iter().all(|(k, _)| k.chars().count() >= 3));
        assert!(
            regional
                .iter()
                .any(|(k, v)| &**k == "互联网络" && &**v == "互聯網絡")
        );
    }
}
