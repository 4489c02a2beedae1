//! The sample site's feeds, reviewed by eye once: a change here is a change
//! every subscriber sees. Update with `INSTA_UPDATE=always cargo test` and
//! review the diff.

use crate::harness::Site;

#[test]
fn sample_site_feeds() {
    let site = Site::sample();
    site.build_ok();
    for name in ["all", "politics", "economy", "innovation", "podcast"] {
        for ext in ["rss", "atom", "json"] {
            let file = format!("{name}.{ext}");
            insta::assert_snapshot!(file.clone(), site.read(&format!("out/{file}")));
        }
    }
    for file in ["index.html", "feeds.opml"] {
        insta::assert_snapshot!(file, site.read(&format!("out/{file}")));
    }
}
