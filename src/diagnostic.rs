//! A problem found in a file the user wrote, located as `path:line: message`.
//!
//! Every error and warning the pipeline reports about a user's file is a
//! [`Diagnostic`]: the CLI prints it, the daemon logs it, and tests assert it
//! verbatim. The line is 1-based and absent only where no line makes sense (an
//! unreadable file, say). Its message is rendered in the editor's language
//! where an editor reads it (`check`, `/healthz`) and in English in the log
//! (its `Display`).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::i18n::{Lang, Message};

/// How bad a [`Diagnostic`] is: an error keeps the thing it names from being
/// published; a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth telling; the thing is published all the same.
    Warning,
    /// The thing named is not published (its last good version is, if any).
    Error,
}

/// A located message about one of the user's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub struct Diagnostic {
    /// The file, as the config names it.
    pub path: PathBuf,
    /// The 1-based line, where one makes sense.
    pub line: Option<usize>,
    /// Whether it keeps something from being published.
    pub severity: Severity,
    /// What is wrong and, where there is one, the remedy.
    pub message: Message,
}

impl Diagnostic {
    /// An error about `path`, at `line` if known.
    pub fn error(path: &Path, line: Option<usize>, message: Message) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            severity: Severity::Error,
            message,
        }
    }

    /// A warning about `path`, at `line` if known.
    pub fn warning(path: &Path, line: Option<usize>, message: Message) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, message)
        }
    }

    /// Whether this is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line: message` (`path:line: warning: message`), the message
    /// in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let mut located = self.path.display().to_string();
        if let Some(line) = self.line {
            located.push_str(&format!(":{line}"));
        }
        let message = match self.severity {
            Severity::Error => self.message.render(lang),
            Severity::Warning => Message::new("warning")
                .arg("message", self.message.clone())
                .render(lang),
        };
        format!("{located}: {message}")
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Adds to `into` each of `found` it does not hold yet, in order: a
/// publication finds again what the scan found in the front matter, and a
/// problem is reported once.
pub fn merge(into: &mut Vec<Diagnostic>, found: impl IntoIterator<Item = Diagnostic>) {
    // Linear, not quadratic: a large site can have many thousands.
    let mut held: std::collections::HashSet<Diagnostic> = into.iter().cloned().collect();
    for d in found {
        if !held.contains(&d) {
            held.insert(d.clone());
            into.push(d);
        }
    }
}

/// The 1-based line on which byte `offset` of `text` falls.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_and_message() {
        let text = |words: &str| Message::Text(words.to_owned());
        let d = Diagnostic::error(Path::new("content/a.md"), Some(3), text("bad date"));
        assert_eq!(d.to_string(), "content/a.md:3: bad date");
        let w = Diagnostic::warning(Path::new("content/a.md"), None, text("odd"));
        assert_eq!(w.to_string(), "content/a.md: warning: odd");
        assert_eq!(w.render(Lang::ZhTw), "content/a.md: 警告：odd");
    }

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of_offset("a\nb\nc", 0), 1);
        assert_eq!(line_of_offset("a\nb\nc", 2), 2);
        assert_eq!(line_of_offset("a\nb\nc", 99), 3);
    }
}
