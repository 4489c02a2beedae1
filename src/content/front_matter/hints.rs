//! What most likely went wrong when YAML fails to parse, in an editor's
//! words and on the line of the mistake: a flow collection left open, an
//! unquoted value holding `: `, a quote left open.

use crate::i18n::Message;

/// What most likely went wrong when the YAML parser failed at `error_line`,
/// in an editor's words, located on the line of the mistake rather than
/// where the parser noticed it: a list or table opened with `[` or `{` and
/// still open where the parser failed, or an unquoted value containing `: `
/// (which YAML reads as a second key). Lines inside a block scalar (`|`,
/// `>`) or a flow collection closed before the failure are not suspects.
/// `None` when no line before the failure looks like either.
pub(super) fn yaml_hint(text: &str, error_line: usize) -> Option<Hint> {
    let lines: Vec<&str> = text.lines().take(error_line).collect();
    // A tab is found while the parser reads the line before it, so the
    // line after the failure is a suspect too.
    if let Some(n) = text.lines().take(error_line + 1).position(|line| {
        let lead = &line[..line.len() - line.trim_start().len()];
        lead.contains('\t')
    }) {
        return Some((Some(n + 1), Message::new("fm-tab")));
    }
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut n = 0;
    while n < lines.len() {
        let line = lines[n];
        let content = line.trim_start();
        let content = content.strip_prefix("- ").unwrap_or(content);
        let Some((key, value)) = content
            .split_once(": ")
            .or_else(|| content.strip_suffix(':').map(|k| (k, "")))
        else {
            n += 1;
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || key.starts_with(['#', '"', '\'', '[', '{']) {
            n += 1;
            continue;
        }
        if value.starts_with(['|', '>']) {
            // A block scalar: its more-indented lines are text.
            let own = indent(line);
            n += 1;
            while n < lines.len() && (lines[n].trim().is_empty() || indent(lines[n]) > own) {
                n += 1;
            }
            continue;
        }
        if let Some(open) = value.chars().next().filter(|c| matches!(c, '[' | '{')) {
            match flow_end(&lines, n, key, value, open) {
                Ok(end) => n = end,
                Err(hint) => return Some(hint),
            }
            continue;
        }
        if let Some(quote) = value.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            match quote_end(&lines, n, key, value, quote) {
                Ok(end) => n = end,
                Err(hint) => return Some(hint),
            }
            continue;
        }
        if !value.starts_with(['&', '*', '!']) && value.contains(": ") {
            return Some((
                Some(n + 1),
                Message::new("fm-unquoted-colon")
                    .arg("key", key)
                    .arg("value", value.replace('"', "\\\"")),
            ));
        }
        n += 1;
    }
    None
}

/// Whether `text` leaves a YAML scalar quoted with `quote` open: an odd
/// number of closing quotes (`\"` in double quotes and `''` in single
/// quotes are not ones).
pub(super) fn quote_open(text: &str, quote: char) -> bool {
    let mut open = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                if quote == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    open = !open;
                }
            }
            _ => {}
        }
    }
    open
}

/// How many `[` and `{` of a YAML flow collection are open after `text`,
/// `depth` being open before it (quoted text and comments skipped).
pub(super) fn flow_depth(text: &str, mut depth: usize) -> usize {
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '#') => break,
            _ => {}
        }
    }
    depth
}

/// A hint: the line it is about, and what to say.
type Hint = (Option<usize>, Message);

/// The line after a flow (`[` or `{`) opened by `key`'s `value` on line
/// index `n`; a hint when it is still open at the failure. Closed on a
/// later line, it is a flow over several lines, not a mistake.
fn flow_end(lines: &[&str], n: usize, key: &str, value: &str, open: char) -> Result<usize, Hint> {
    let mut depth = flow_depth(value, 0);
    let mut end = n + 1;
    while depth > 0 && end < lines.len() {
        depth = flow_depth(lines[end], depth);
        end += 1;
    }
    if depth == 0 {
        return Ok(end);
    }
    let id = if open == '[' {
        "fm-list-open"
    } else {
        "fm-table-open"
    };
    Err((Some(n + 1), Message::new(id).arg("key", key)))
}

/// The line after a quoted value of `key` opened on line index `n`; a hint
/// when the quote is never closed. Closed on a later line, it is a value
/// over several lines.
fn quote_end(lines: &[&str], n: usize, key: &str, value: &str, quote: char) -> Result<usize, Hint> {
    let mut open = quote_open(&value[1..], quote);
    let mut end = n + 1;
    while open && end < lines.len() {
        open = quote_open(lines[end], quote);
        end += 1;
    }
    if !open {
        return Ok(end);
    }
    Err((
        Some(n + 1),
        Message::new("fm-quote-open")
            .arg("key", key)
            .arg("quote", quote.to_string()),
    ))
}
