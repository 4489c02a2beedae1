//! Names editors and tools leave beside the files they save, which are
//! never articles or feed definitions: hidden files (`.x.md.swp`, emacs
//! `.#x.md` locks), backups (`x.md~`), swap and temp files, emacs autosaves
//! (`#x.md#`) and vim's `4913` write probe. The scan, the feed loader and
//! the watcher's events all skip them by this one rule.

use std::path::Path;

/// Whether the last component of `path` is a name an editor or tool leaves
/// behind (or no name at all, or not UTF-8).
pub fn is_ignored_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
}

/// Whether `path`, inside the folder `root`, is or lies inside something
/// [`is_ignored_name`] names (everything in a hidden folder is skipped).
pub fn is_left_behind(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|inside| {
        inside
            .components()
            .any(|c| is_ignored_name(Path::new(c.as_os_str())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".x.md",
            "x.md~",
            ".x.md.swp",
            "x.tmp",
            "#x.md#",
            ".#x.md",
            "4913",
        ] {
            assert!(is_ignored_name(Path::new(name)), "{name}");
        }
        assert!(!is_ignored_name(Path::new("x.md")));
    }

    #[test]
    fn everything_in_a_hidden_folder_is_left_behind() {
        let root = Path::new("content");
        assert!(is_left_behind(root, Path::new("content/.git/x.md")));
        assert!(is_left_behind(root, Path::new("content/a/x.md~")));
        assert!(!is_left_behind(root, Path::new("content/a/x.md")));
        assert!(!is_left_behind(root, root), "the folder itself");
    }
}
