//! URL attributes: one URL resolved against the article's link, and
//! `srcset` parsed by the HTML Standard's algorithm (§4.8.4.3.10), so a
//! comma inside a URL stays in it.

use url::Url;

/// A resolved `srcset` with only its http(s) candidates, or `None` if none.
pub(super) fn web_srcset(value: &str) -> Option<String> {
    let kept: Vec<String> = parse_srcset(value)
        .into_iter()
        .filter(|c| Url::parse(&c.url).is_ok_and(|url| matches!(url.scheme(), "http" | "https")))
        .map(|c| c.to_string())
        .collect();
    (!kept.is_empty()).then(|| kept.join(", "))
}

/// One image candidate of a `srcset`: a URL and its descriptors (`400w`, `2x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The image's URL, as written or resolved.
    pub url: String,
    /// Width (`400w`) or density (`2x`) descriptors, as written.
    pub descriptors: Vec<String>,
}

impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)?;
        for d in &self.descriptors {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

/// Parses a `srcset` as the HTML Standard does ("parse a srcset attribute",
/// §4.8.4.3.10): a URL runs to the next whitespace, so commas inside it
/// belong to it; trailing commas end the candidate; descriptors run to a
/// comma outside parentheses.
pub fn parse_srcset(input: &str) -> Vec<Candidate> {
    let chars: Vec<char> = input.chars().collect();
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\u{C}' | '\r');
    let mut candidates = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && (is_space(chars[i]) || chars[i] == ',') {
            i += 1;
        }
        if i >= chars.len() {
            return candidates;
        }
        let start = i;
        while i < chars.len() && !is_space(chars[i]) {
            i += 1;
        }
        let mut url: String = chars[start..i].iter().collect();
        let mut descriptors = Vec::new();
        if url.ends_with(',') {
            url.truncate(url.trim_end_matches(',').len());
        } else {
            // The descriptor tokenizer.
            let mut current = String::new();
            let mut in_parens = false;
            while i < chars.len() && is_space(chars[i]) {
                i += 1;
            }
            while i < chars.len() {
                let c = chars[i];
                if in_parens {
                    current.push(c);
                    in_parens = c != ')';
                } else if is_space(c) {
                    if !current.is_empty() {
                        descriptors.push(std::mem::take(&mut current));
                    }
                } else if c == ',' {
                    i += 1;
                    break;
                } else {
                    current.push(c);
                    in_parens = c == '(';
                }
                i += 1;
            }
            if !current.is_empty() {
                descriptors.push(current);
            }
        }
        if !url.is_empty() {
            candidates.push(Candidate { url, descriptors });
        }
    }
}

/// `value` resolved against `base`, as a browser follows it; `None` when it
/// is no URL at all (`http://[`), which then points nowhere and is dropped.
pub(super) fn resolve(base: &Url, value: &str) -> Option<String> {
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    base.join(value).ok().map(String::from)
}
