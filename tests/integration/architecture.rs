//! The house rules ARCHITECTURE.md states, checked against the source as it
//! is: every `crate::` (and `super::`) path respects the layers the document
//! lists, every function longer than a screen is on a short list with
//! its reason, and so is every place words outside the message catalogue
//! reach a person. The source is parsed with `syn`, so grouped imports
//! (`use crate::{a, b}`), paths written inline and paths inside macro calls
//! are all seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// About a screen: longer functions must be listed in [`LONG_FUNCTIONS`].
const SCREEN: usize = 80;

/// Functions longer than [`SCREEN`] lines, each with why it stays whole.
/// Names are `module::Type::function` as [`functions`] makes them.
const LONG_FUNCTIONS: &[(&str, &str)] = &[
    (
        "metrics::Metrics::default",
        "the registration table: each metric made, registered with its help text and kept, \
         one after the other; split, the one list would only be scattered",
    ),
    (
        "publish::tests::kept_indexes_publish_what_a_fresh_build_does",
        "one scenario: a dozen edits in a row, each publication checked against a fresh \
         build; the steps share the site and the caches they test",
    ),
];

/// Where words that are not the catalogue's reach a person
/// (`Message::Text`), module by module: how many places, and why each holds
/// another program's words, or no words at all. A diagnostic takes a
/// `Message`, and nothing turns a `String` into one: a new message must be
/// written into `locales/*/messages.ftl`, or listed here.
const FOREIGN_WORDS: &[(&str, usize, &str)] = &[
    ("config", 1, "the TOML parser's own words"),
    (
        "content::front_matter",
        1,
        "the YAML parser's own words, where no hint of ours fits",
    ),
    (
        "content::resolve",
        2,
        "a front-matter key in backquotes; jiff's reason a date is no moment in the site's zone",
    ),
    (
        "publish::select",
        2,
        "the URL of a logo or icon, named alone; nothing, when there is none",
    ),
    ("publish::documents", 1, "nothing, when a feed cut nothing"),
];

/// One function as found in the source.
#[derive(Debug)]
struct Function {
    name: String,
    file: PathBuf,
    line: usize,
    lines: usize,
}

/// One use of a crate path: the file, its line, the module using it and
/// the top-level module it names.
#[derive(Debug)]
struct Use {
    file: PathBuf,
    line: usize,
    from: String,
    to: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` with its module path (`content/mod.rs` is
/// `["content"]`, `content/html/rewrite.rs` is `["content", "html", "rewrite"]`).
fn sources() -> Vec<(PathBuf, Vec<String>)> {
    let mut files = Vec::new();
    let mut stack = vec![src()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src()).expect("under src");
                let mut module: Vec<String> = relative
                    .with_extension("")
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    module.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    module.pop();
                }
                files.push((path, module));
            }
        }
    }
    files.sort();
    files
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).expect("read source");
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Collects functions and crate paths of one file.
struct Reader<'a> {
    file: &'a Path,
    module: Vec<String>,
    impl_type: Option<String>,
    functions: Vec<Function>,
    uses: Vec<Use>,
    /// Every path's segments with the line and the module naming it.
    paths: Vec<(String, usize, Vec<String>)>,
}

impl Reader<'_> {
    fn function(&mut self, name: &syn::Ident, sig: &syn::Signature, block: &syn::Block) {
        let first = sig.fn_token.span.start().line;
        let last = block.brace_token.span.close().end().line;
        let mut path = self.module.clone();
        path.extend(self.impl_type.clone());
        path.push(name.to_string());
        self.functions.push(Function {
            name: path.join("::"),
            file: self.file.to_owned(),
            line: first,
            lines: last - first + 1,
        });
    }

    /// Records a path given as its segments (`crate`, `super`, `self` or a
    /// name first) when it leads out of this file's module.
    fn path(&mut self, segments: &[String], line: usize) {
        let mut absolute: Vec<String> = match segments.first().map(String::as_str) {
            Some("crate") => segments[1..].to_vec(),
            Some("super") => {
                let mut base = self.module.clone();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                base
            }
            _ => return,
        };
        if absolute.is_empty() {
            return;
        }
        let to = absolute.swap_remove(0);
        let from = self.module.first().cloned().unwrap_or_default();
        self.uses.push(Use {
            file: self.file.to_owned(),
            line,
            from,
            to,
        });
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.use_leaf(prefix, &n.ident),
            syn::UseTree::Rename(r) => self.use_leaf(prefix, &r.ident),
            syn::UseTree::Glob(g) => {
                let line = g.star_token.spans[0].start().line;
                self.path(prefix, line);
                let mut segments = prefix.clone();
                segments.push("*".to_owned());
                self.paths.push((self.module.join("::"), line, segments));
            }
            syn::UseTree::Group(g) => {
                for tree in &g.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    fn use_leaf(&mut self, prefix: &[String], ident: &syn::Ident) {
        let mut segments = prefix.to_vec();
        if ident != "self" {
            segments.push(ident.to_string());
        }
        let line = ident.span().start().line;
        self.path(&segments, line);
        self.paths.push((self.module.join("::"), line, segments));
    }

    /// Every path written `a :: b :: …` inside tokens a parser does not
    /// read for us (a macro call's, an attribute's): kept as a path, and as
    /// a use when it starts with `crate` or `super`.
    fn tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(group) => self.tokens(group.stream()),
                TokenTree::Ident(ident) => {
                    let line = ident.span().start().line;
                    let mut segments = vec![ident.to_string()];
                    while let (
                        Some(TokenTree::Punct(a)),
                        Some(TokenTree::Punct(b)),
                        Some(TokenTree::Ident(next)),
                    ) = (trees.get(i + 1), trees.get(i + 2), trees.get(i + 3))
                    {
                        if a.as_char() != ':' || b.as_char() != ':' {
                            break;
                        }
                        segments.push(next.to_string());
                        i += 3;
                    }
                    if segments.len() > 1 {
                        self.path(&segments, line);
                        self.paths.push((self.module.join("::"), line, segments));
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Reader<'_> {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.function(&item.sig.ident, &item.sig, &item.block);
        let outer = self.impl_type.take();
        syn::visit::visit_item_fn(self, item);
        self.impl_type = outer;
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.function(&item.sig.ident, &item.sig, &item.block);
        syn::visit::visit_impl_item_fn(self, item);
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        if let Some(block) = &item.default {
            self.function(&item.sig.ident, &item.sig, block);
        }
        syn::visit::visit_trait_item_fn(self, item);
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let name = match &*item.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = std::mem::replace(&mut self.impl_type, name);
        syn::visit::visit_item_impl(self, item);
        self.impl_type = outer;
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        let outer = self.impl_type.replace(item.ident.to_string());
        syn::visit::visit_item_trait(self, item);
        self.impl_type = outer;
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        // An inline module (`mod tests { … }`) is a module of its own.
        self.module.push(item.ident.to_string());
        syn::visit::visit_item_mod(self, item);
        self.module.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(first) = path.segments.first() {
            let line = first.ident.span().start().line;
            self.path(&segments, line);
            self.paths.push((self.module.join("::"), line, segments));
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_attribute(&mut self, attribute: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &attribute.meta {
            self.tokens(list.tokens.clone());
        }
        syn::visit::visit_attribute(self, attribute);
    }

    /// A method call is kept as a path of its name after a `.`
    /// (`.metadata`), for [`is_io`].
    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let line = call.method.span().start().line;
        self.paths.push((
            self.module.join("::"),
            line,
            vec![format!(".{}", call.method)],
        ));
        syn::visit::visit_expr_method_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.tokens(mac.tokens.clone());
        syn::visit::visit_macro(self, mac);
    }
}

/// What [`read_sources`] finds in `src/`.
#[derive(Debug, Default)]
struct Found {
    functions: Vec<Function>,
    uses: Vec<Use>,
    /// Every path: the file, the module naming it, its line, its segments.
    paths: Vec<(PathBuf, String, usize, Vec<String>)>,
}

/// Every function and path in `src/`.
fn read_sources() -> Found {
    let mut found = Found::default();
    for (file, module) in sources() {
        let ast = parse(&file);
        let mut reader = Reader {
            file: &file,
            module,
            impl_type: None,
            functions: Vec::new(),
            uses: Vec::new(),
            paths: Vec::new(),
        };
        reader.visit_file(&ast);
        found.functions.append(&mut reader.functions);
        found.uses.append(&mut reader.uses);
        found.paths.extend(
            reader
                .paths
                .into_iter()
                .map(|(module, line, segments)| (file.clone(), module, line, segments)),
        );
    }
    found
}

/// The layers ARCHITECTURE.md lists in its block marked `layers`, top
/// first: each module's layer number.
fn layers() -> BTreeMap<String, usize> {
    let block = architecture_block("layers");
    let mut layer_of = BTreeMap::new();
    for (layer, line) in block.lines().enumerate() {
        for name in line.split_whitespace() {
            let previous = layer_of.insert(name.to_owned(), layer);
            assert!(previous.is_none(), "ARCHITECTURE.md lists {name} twice");
        }
    }
    layer_of
}

/// The lines of ARCHITECTURE.md's fenced block of `kind` (```` ```layers ````),
/// each without its `#` comment.
fn architecture_block(kind: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md");
    let text = std::fs::read_to_string(path).expect("read ARCHITECTURE.md");
    let block = text
        .split(&format!("```{kind}\n"))
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no ```{kind} block"));
    block
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default().trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn top_level_modules() -> Vec<String> {
    let mut names: Vec<String> = sources()
        .into_iter()
        .filter_map(|(_, module)| module.first().cloned())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn every_module_uses_only_the_layers_above_it() {
    let layer_of = layers();
    let modules = top_level_modules();
    let unlisted: Vec<&String> = modules
        .iter()
        .filter(|m| !layer_of.contains_key(*m))
        .collect();
    assert!(
        unlisted.is_empty(),
        "modules missing from ARCHITECTURE.md's layers: {unlisted:?}"
    );
    let uses = read_sources().uses;
    let mut broken = Vec::new();
    for u in &uses {
        if u.from == u.to || u.from.is_empty() || !modules.contains(&u.to) {
            continue;
        }
        if layer_of[&u.to] >= layer_of[&u.from] {
            broken.push(format!(
                "{}:{}: {} uses {}",
                u.file.strip_prefix(src()).unwrap_or(&u.file).display(),
                u.line,
                u.from,
                u.to
            ));
        }
    }
    assert!(
        uses.len() > 100,
        "the reader found only {} crate paths",
        uses.len()
    );
    assert!(
        broken.is_empty(),
        "uses against the layering of ARCHITECTURE.md:\n{}",
        broken.join("\n")
    );
}

#[test]
fn functions_longer_than_a_screen_are_listed_with_their_reason() {
    let functions = read_sources().functions;
    assert!(
        functions.len() > 500,
        "found only {} functions",
        functions.len()
    );
    let long: Vec<&Function> = functions.iter().filter(|f| f.lines > SCREEN).collect();
    let unlisted: Vec<String> = long
        .iter()
        .filter(|f| !LONG_FUNCTIONS.iter().any(|(name, _)| *name == f.name))
        .map(|f| {
            format!(
                "{}:{}: {} is {} lines",
                f.file.strip_prefix(src()).unwrap_or(&f.file).display(),
                f.line,
                f.name,
                f.lines
            )
        })
        .collect();
    let stale: Vec<&str> = LONG_FUNCTIONS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !long.iter().any(|f| f.name == *name))
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "functions over {SCREEN} lines not listed:\n{}\nlisted but no longer that long: {stale:?}",
        unlisted.join("\n")
    );
}

#[test]
fn words_outside_the_catalogue_are_listed_with_their_reason() {
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for (_, module, _, segments) in read_sources().paths {
        let text = segments.ends_with(&["Message".to_owned(), "Text".to_owned()]);
        // The catalogue's own module renders it; tests write what they like.
        let exempt = module == "i18n" || module.split("::").any(|m| m == "tests");
        if text && !exempt {
            *found.entry(module).or_default() += 1;
        }
    }
    let listed: BTreeMap<String, usize> = FOREIGN_WORDS
        .iter()
        .map(|(module, count, _)| ((*module).to_owned(), *count))
        .collect();
    assert_eq!(
        found, listed,
        "Message::Text by module: write the words into locales/*/messages.ftl, or list them with a reason"
    );
}

/// Whether a path (as its segments; a method call as `.name`) names a
/// file-system, clock, environment, process, terminal or network API of
/// the standard library or a dependency: a module ARCHITECTURE.md calls pure
/// names none.
fn is_io(segments: &[String]) -> bool {
    const MODULES: &[&str] = &["fs", "env", "process", "ToSocketAddrs"];
    const TYPES: &[&str] = &[
        "OpenOptions",
        "TcpStream",
        "TcpListener",
        "UdpSocket",
        "Command",
        "stdin",
        "stdout",
        "stderr",
    ];
    const METHODS: &[&str] = &[
        ".metadata",
        ".symlink_metadata",
        ".read_dir",
        ".read_link",
        ".canonicalize",
        ".try_exists",
        ".is_dir",
        ".elapsed",
    ];
    let has = |list: &[&str], s: &String| list.contains(&s.as_str());
    if let [method] = segments {
        // One segment is a local name (a variable `now`), or a method.
        return has(METHODS, method);
    }
    // `File` is a type of `std::fs`, but also a variant elsewhere
    // (`Place::File`): it counts first or after `fs`.
    let file = segments
        .iter()
        .enumerate()
        .any(|(i, s)| s == "File" && (i == 0 || segments[i - 1] == "fs"));
    // The command line's description (`clap::Command`) is no process.
    let command_line = segments.first().is_some_and(|s| s == "clap");
    file || segments
        .iter()
        .any(|s| has(MODULES, s) || (has(TYPES, s) && !command_line))
        || segments.last().is_some_and(|s| s == "now" || s == "system")
}

#[test]
fn modules_called_pure_name_no_file_clock_or_network_api() {
    let pure: Vec<String> = architecture_block("pure")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    assert!(
        pure.len() > 5,
        "ARCHITECTURE.md's pure block lists {pure:?}"
    );
    let found = read_sources();
    for module in &pure {
        assert!(
            found.paths.iter().any(|(_, m, _, _)| m == module),
            "ARCHITECTURE.md calls {module} pure, but there is no such module"
        );
    }
    let impure: Vec<String> = found
        .paths
        .iter()
        .filter(|(_, module, _, _)| {
            pure.iter()
                .any(|p| module == p || module.starts_with(&format!("{p}::")))
                && !module.split("::").any(|m| m == "tests")
        })
        .filter(|(_, _, _, segments)| is_io(segments))
        .map(|(file, module, line, segments)| {
            format!(
                "{}:{line}: {module} names {}",
                file.strip_prefix(src()).unwrap_or(file).display(),
                segments.join("::")
            )
        })
        .collect();
    assert!(
        impure.is_empty(),
        "modules ARCHITECTURE.md calls pure do I/O:\n{}",
        impure.join("\n")
    );
}
