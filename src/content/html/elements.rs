//! What the HTML Standard says of each element and attribute, as far as
//! rewriting needs it: which attributes hold URLs, which elements hold raw
//! text, which end foreign (SVG, MathML) content, which are void, skipped
//! in the summary text, or blocks that separate its words.

use html5ever::tokenizer::Tag;
use html5ever::tokenizer::states::RawKind;

/// Attributes whose value is one URL (HTML Standard, "URL-valued attributes").
pub(super) fn is_url_attribute(element: &str, attribute: &str) -> bool {
    matches!(
        (element, attribute),
        (
            _,
            "href" | "src" | "cite" | "action" | "formaction" | "longdesc" | "xlink:href"
        ) | ("video", "poster")
            | ("object", "data")
            | (_, "background")
    )
}

/// Elements whose content the tokenizer reads as raw text.
pub(super) fn raw_kind(element: &str) -> Option<RawKind> {
    match element {
        "script" => Some(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
        "textarea" | "title" => Some(RawKind::Rcdata),
        _ => None,
    }
}

/// Start tags that end foreign content (HTML Standard §13.2.6.5): an HTML
/// element that cannot be SVG or MathML, so the tree builder leaves the
/// `svg` or `math` element for it.
pub(super) fn breaks_out_of_foreign_content(tag: &Tag) -> bool {
    let name: &str = &tag.name;
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "strike"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    ) || (name == "font"
        && tag
            .attrs
            .iter()
            .any(|a| matches!(&*a.name.local, "color" | "face" | "size")))
}

/// SVG and MathML elements whose content is HTML again (HTML integration
/// points and MathML text integration points).
pub(super) fn is_integration_point(element: &str) -> bool {
    matches!(
        element,
        "foreignObject"
            | "foreignobject"
            | "desc"
            | "title"
            | "mi"
            | "mo"
            | "mn"
            | "ms"
            | "mtext"
            | "annotation-xml"
    )
}

/// Elements with no end tag.
pub(super) fn is_void(element: &str) -> bool {
    matches!(
        element,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements whose text is no part of a summary: headings (the title and
/// section titles), code blocks, scripts and the like.
pub(super) fn is_skipped(element: &str) -> bool {
    matches!(
        element,
        "h1" | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "script"
            | "style"
            | "template"
            | "noscript"
            | "textarea"
            | "title"
            | "iframe"
            | "xmp"
            | "noembed"
            | "noframes"
    )
}

/// Elements that end a line of text: their text is a block of its own.
pub(super) fn is_block(element: &str) -> bool {
    matches!(
        element,
        "p" | "li"
            | "td"
            | "th"
            | "tr"
            | "blockquote"
            | "div"
            | "dd"
            | "dt"
            | "figcaption"
            | "figure"
            | "br"
            | "hr"
            | "ul"
            | "ol"
            | "dl"
            | "table"
            | "caption"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "details"
            | "summary"
            | "address"
            | "main"
            | "nav"
            | "hgroup"
            | "center"
            | "search"
            | "menu"
            | "dir"
            | "fieldset"
            | "legend"
            | "form"
    )
}
