# The words syndicated writes for people, in English (also for every
# language that has no catalogue of its own). Every message here is in
# zh-CN and zh-TW too, with the same variables: a test checks.

## A preview's marks on titles.
draft = Draft
scheduled = Scheduled

## The subscribe page and each feed's page.
what-is-a-feed = A feed (RSS, Atom or JSON Feed) brings new articles to your reader: copy an address below and paste it into your reader's "add feed" (Feedly, Inoreader, NetNewsWire and others).
subscribe = Subscribe
copy = Copy
copied = Copied
latest = Latest
# $n: how many items a feed has.
items = { $n ->
    [one] { $n } item
   *[other] { $n } items
}
# $n: how many items the feed's page lists.
all-items = { $n ->
    [one] The one item
   *[other] All { $n } items
}
updated = Updated
# $name: what a family makes a feed per (facet-*).
family = By { $name }
also-in = Also in
archive = Older items (archive)
all-feeds = All feeds
this-is-a-feed = This is a feed. A browser shows its items; a feed reader gets the feed itself at the same address.
opml = All feeds (OPML, to import into a reader)

## The names of Chinese variants.
variant-zh-hant = Traditional Chinese
variant-zh-tw = Traditional Chinese (Taiwan)
variant-zh-hk = Traditional Chinese (Hong Kong)
variant-zh-mo = Traditional Chinese (Macau)

## What a feed family makes a feed per.
facet-tags = tag
facet-categories = category
facet-authors = author
facet-folders = section
facet-languages = language
