//! Tests of the HTML stage: decoding, URLs, `srcset`, foreign content,
//! removed characters, summary text and the allow-list.

use super::*;

fn base() -> Url {
    Url::parse("https://news.example/contact/").unwrap()
}

fn html(input: &str) -> String {
    process(input, &base(), false, 200).html
}

#[test]
fn references_in_attributes_are_decoded_before_resolving() {
    assert_eq!(
        html("<a href=\"&#109;&#97;&#105;&#108;&#116;&#111;&#58;desk@news.example\">desk</a>"),
        "<a href=\"mailto:desk@news.example\">desk</a>"
    );
    assert_eq!(
        html("<a href=\"&#x68;ttps://other.example/page\">x</a>"),
        "<a href=\"https://other.example/page\">x</a>"
    );
    assert_eq!(
        html("<a href=\"../about?a=1&amp;b=2\">x</a>"),
        "<a href=\"https://news.example/about?a=1&amp;b=2\">x</a>"
    );
}

#[test]
fn srcset_keeps_commas_inside_urls() {
    let out = html(
        "<img src=\"img/a.jpg\" srcset=\"https://cdn.example/image/upload/w_400,h_300,c_fill/a.jpg 400w, https://cdn.example/image/upload/w_800,h_600,c_fill/a.jpg 800w, small.jpg 1x\">",
    );
    assert_eq!(
        out,
        "<img src=\"https://news.example/contact/img/a.jpg\" srcset=\"https://cdn.example/image/upload/w_400,h_300,c_fill/a.jpg 400w, https://cdn.example/image/upload/w_800,h_600,c_fill/a.jpg 800w, https://news.example/contact/small.jpg 1x\">"
    );
}

#[test]
fn a_url_attribute_that_is_no_url_is_dropped() {
    assert_eq!(
        html("<a href=\"http://[x\" title=\"t\">a</a>"),
        "<a title=\"t\">a</a>"
    );
}

#[test]
fn srcset_parsing_follows_the_standard() {
    let c = parse_srcset(" a.jpg,b.jpg 2x ,, c,d.jpg 100w 50h, e.jpg (x, y) 3x");
    let shown: Vec<String> = c.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["a.jpg,b.jpg 2x", "c,d.jpg 100w 50h", "e.jpg (x, y) 3x"]
    );
}

#[test]
fn characters_xml_cannot_carry_are_removed_from_text_and_attributes() {
    let p = process(
        "<p title=\"a&#7;b\">ESC&#27;[31m red&#x1F; and &#xFFFE; here</p>",
        &base(),
        false,
        200,
    );
    assert_eq!(p.html, "<p title=\"ab\">ESC[31m red and  here</p>");
    assert_eq!((p.removed, p.first_removed), (4, Some('\u{7}')));
    assert_eq!(p.text, "ESC[31m red and here");
}

#[test]
fn a_scheme_hidden_by_a_removed_character_is_still_refused() {
    assert_eq!(
        html("<a href=\"java&#7;script:alert(1)\">x</a>"),
        "<a>x</a>"
    );
}

/// Regression: `<style>` inside `<svg>` was taken for raw text, so a
/// link after `<b>` (which ends foreign content) was neither decoded
/// nor resolved, and `java&#7;script:` became `javascript:` when the
/// character was removed at the end.
#[test]
fn foreign_content_is_read_as_the_tree_builder_reads_it() {
    let out = html(
        "<svg><style><b></b><a href=\"java&#7;script:alert(1)\">x</a><img src=\"rel.png\"></style></svg>",
    );
    assert!(!out.contains("javascript"), "{out}");
    assert!(!out.contains("\"rel.png\""), "{out}");
    // Trusted HTML has no sanitiser behind it: the rewriter alone must
    // read the link after `<b>` as HTML, and resolve it.
    let trusted = process(
        "<svg><style><b></b><a href=\"x&#7;\">y</a></style></svg>",
        &base(),
        true,
        200,
    );
    assert!(
        trusted
            .html
            .contains("<a href=\"https://news.example/contact/x\">y</a>"),
        "{}",
        trusted.html
    );
    // Inside an integration point, `<style>` is raw text again.
    let trusted = process(
        "<math><mi><style>a<b</style></mi></math>",
        &base(),
        true,
        200,
    );
    assert_eq!(trusted.html, "<math><mi><style>a<b</style></mi></math>");
}

#[test]
fn every_url_attribute_needs_an_allowed_scheme() {
    assert_eq!(
        html("<blockquote cite=\"javascript:alert(1)\">q</blockquote><q cite=\"src\">r</q>"),
        "<blockquote>q</blockquote><q cite=\"https://news.example/contact/src\">r</q>"
    );
    assert_eq!(
        html("<img srcset=\"data:image/png;base64,xx 1x, a.png 2x\">"),
        "<img srcset=\"https://news.example/contact/a.png 2x\">"
    );
}

#[test]
fn a_self_closing_flag_on_a_raw_text_element_is_ignored_as_browsers_do() {
    let p = process("<script/>if (a<b) x()</script>text", &base(), true, 200);
    assert_eq!(p.html, "<script />if (a<b) x()</script>text");
    assert_eq!(p.text, "text");
}

#[test]
fn scripts_handlers_and_javascript_urls_are_removed() {
    assert_eq!(
        html(
            "<p onclick=\"x()\">a<script>alert(1)</script><img src=\"x.png\" onerror=\"y()\"><a href=\"javascript:z()\">b</a></p>"
        ),
        "<p>a<img src=\"https://news.example/contact/x.png\"><a>b</a></p>"
    );
}

#[test]
fn trusted_html_is_kept_as_written_but_resolved_and_clean() {
    let p = process(
        "<p onclick=\"x()\">a<script>if (1 < 2) alert(1)</script><!-- note --><a href=\"b\">b</a></p>",
        &base(),
        true,
        200,
    );
    assert_eq!(
        p.html,
        "<p onclick=\"x()\">a<script>if (1 < 2) alert(1)</script><!-- note --><a href=\"https://news.example/contact/b\">b</a></p>"
    );
    assert_eq!(p.text, "ab");
}

#[test]
fn text_separates_blocks_and_alt_text() {
    let p = process(
        "<ul><li>Release one</li><li>Release two</li></ul><p><img src=\"a.png\" alt=\"chart\">Sales rose<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p><h2>Heading</h2><table><tr><td>甲</td><td>乙。</td></tr></table><pre>code</pre>",
        &base(),
        false,
        200,
    );
    assert_eq!(p.text, "Release one Release two chart Sales rose 甲 乙。");
}

/// Regression (found in testing): text inside `nav` and other blocks
/// was glued to its neighbours in the summary.
#[test]
fn every_block_separates_its_text() {
    let p = process(
        "<span>alpha</span><nav>beta</nav>gamma<main>delta</main><form>epsilon</form>",
        &base(),
        false,
        200,
    );
    assert_eq!(p.text, "alpha beta gamma delta epsilon");
    assert!(p.html.contains("<main>delta</main>"), "{}", p.html);
}

#[test]
fn references_are_located() {
    assert_eq!(first_reference_to("a\nb&#7;", '\u{7}'), Some(2));
    assert_eq!(first_reference_to("&#7;\n&#x1f;", '\u{1F}'), Some(2));
    assert_eq!(first_reference_to("&#65; &#10;", '\u{7}'), None);
}
