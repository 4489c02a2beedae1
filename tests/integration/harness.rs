//! A site in a temporary folder, and the binary run on it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The repository, for the sample site.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub const CONFIG: &str = r#"[site]
title = "Test site"
base_url = "https://news.example/"
language = "zh-CN"
timezone = "Asia/Shanghai"
authority = "news.example"
"#;

/// A site on disk: `syndicated.toml`, `feeds/`, `content/`.
pub struct Site {
    dir: TempDir,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// A site with [`CONFIG`], one feed `all` with every article, and no articles.
    pub fn new() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        site.write("syndicated.toml", CONFIG);
        site.write("feeds/all.toml", "title = \"All\"\n");
        fs::create_dir_all(site.path().join("content")).expect("content dir");
        site
    }

    /// A copy of the repository's sample site.
    pub fn sample() -> Site {
        let site = Site {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        fs::copy(
            repo().join("syndicated.toml"),
            site.path().join("syndicated.toml"),
        )
        .expect("copy config");
        copy_dir(&repo().join("content"), &site.path().join("content"));
        copy_dir(&repo().join("feeds"), &site.path().join("feeds"));
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `rel`, creating folders as needed.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Site {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(&path, contents).expect("write file");
        self
    }

    /// Writes an article with YAML front matter at `rel` inside `content/`.
    pub fn article(&self, rel: &str, front_matter: &str, body: &str) -> &Site {
        self.write(
            &format!("content/{rel}"),
            format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).expect("read file")
    }

    /// Runs the binary in the site's folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// `syndicated build --out out`; the feeds are then read with [`Site::feed`].
    pub fn build(&self) -> Run {
        self.run(&["build", "--out", "out"])
    }

    /// Builds and insists on success.
    pub fn build_ok(&self) -> Run {
        let run = self.build();
        assert_eq!(run.code, 0, "build failed: {run:#?}");
        run
    }

    pub fn out(&self, file: &str) -> PathBuf {
        self.path().join("out").join(file)
    }

    /// The built file `file` (for example `all.rss`), parsed by feed-rs.
    pub fn feed(&self, file: &str) -> feed_rs::model::Feed {
        let bytes = fs::read(self.out(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// The titles of the items of every format of feed `name`, checking that
    /// the three formats agree.
    pub fn titles(&self, name: &str) -> Vec<String> {
        let per_format: Vec<Vec<String>> = ["rss", "atom", "json"]
            .iter()
            .map(|ext| {
                self.feed(&format!("{name}.{ext}"))
                    .entries
                    .iter()
                    .map(|e| {
                        e.title
                            .as_ref()
                            .map(|t| t.content.clone())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        assert_eq!(per_format[0], per_format[1], "RSS and Atom disagree");
        assert_eq!(per_format[0], per_format[2], "RSS and JSON disagree");
        per_format[0].clone()
    }
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_syndicated"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run syndicated");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create dir");
    for entry in fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}
