# The words syndicated writes for people, in English (also for every
# language that has no catalogue of its own). Every message here is in
# zh-CN and zh-TW too, with the same variables: a test checks.

## A preview's marks on titles.
draft = Draft
scheduled = Scheduled

## The subscribe page and each feed's page.
what-is-a-feed = A feed (RSS, Atom or JSON Feed) brings new articles to your reader: copy an address below and paste it into your reader's "add feed" (Feedly, Inoreader, NetNewsWire and others).
subscribe = Subscribe
subscribe-in = Subscribe in:
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
no-feed-here = There is no feed at this address
feeds-here = This site publishes these feeds: subscribe to one of them in your reader.
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

## Diagnostics: what is wrong in a file, and the remedy. `check`, /healthz
## and the preview say them in the editor's language, the log in English.
# $message: the warning itself.
warning = warning: { $message }

## The front matter of an article.
# $opened: the fence it opened with (--- or +++); $closer: the one that ends it.
fm-never-closed = the front matter opened with `{ $opened }` is never closed (end it with a `{ $closer }` line)
# $detail: the YAML parser's own words.
fm-yaml = YAML front matter: { $detail }
# $detail: the TOML parser's own words.
fm-toml = TOML front matter: { $detail }
fm-alias = aliases (`*name`) are not supported; write the value out
fm-too-deep = nested more than { $depth } levels deep
fm-too-large = too large: more than { $count } values
fm-documents = more than one document; front matter is one table of keys
# $key: a front matter key; $line: where it was set first.
fm-set-twice-at = `{ $key }` is set twice (also on line { $line }); keep one
fm-set-twice = `{ $key }` is set twice; keep one
fm-not-a-table = front matter must be keys and values, such as `title: …` on its own line
# $what: one of the fm-a-* messages.
fm-must-be = `{ $key }` must be { $what }
fm-a-text = text
fm-a-person = a name, or a table with `name` and optionally `email` and `uri`
fm-a-tag-list = a list of names, such as [经济, 民生]
fm-a-boolean = true or false
fm-a-feed-list = a list of feed names, such as [all]
fm-an-enclosure = a path or URL, or a list of them, each of which may be a table with `url` and optionally `type`, `length`, `duration` and `title`
fm-tab = this line is indented with a tab; YAML indents with spaces only
# $value: the value as written, its quotes escaped.
fm-unquoted-colon = `{ $key }`: a value containing ': ' must be quoted, as in `{ $key }: "{ $value }"`
fm-list-open = `{ $key }`: the list opened with `[` is never closed; end it with `]`, as in `{ $key }: [a, b]`
fm-table-open = `{ $key }`: the table opened with `{"{"}` is never closed; end it with `{"}"}`, as in `{ $key }: {"{"}name: a{"}"}`
# $quote: ' or ".
fm-quote-open = `{ $key }`: the value opened with `{ $quote }` is never closed; end it with `{ $quote }`
# $text: the date as written.
fm-not-a-date = "{ $text }" is not a date (use 2024-06-28 or 2024-06-28T09:00:00+08:00)
# $month, $day: as written.
fm-no-year = "{ $text }" has no year: write it with one, as in 2024年{ $month }月{ $day }日 or 2024-{ $month }-{ $day }

## An article's fields.
# $key: a field or setting; $message: what is wrong with its value.
field = `{ $key }`: { $message }
article-no-title = no title: set `title` in the front matter or start the text with a `# heading`
article-no-date = no date: set `date` in the front matter (for example 2024-06-28 or 2024-06-28T09:00:00+08:00) or start the file name with one
# $detail: why the date in the file name is no moment in the site's zone.
article-name-date = the date in the file name: { $detail }
article-authors-both = set either `author` or `authors`, not both
# $what: article-the-title, or a field as `key`.
article-unfit-characters = removed characters that XML 1.0 does not allow or discourages from { $what }
article-the-title = the title
# $known: the key meant.
article-unknown-key-hint = unknown front matter key `{ $key }` is ignored; did you mean '{ $known }'?
article-unknown-key = unknown front matter key `{ $key }` is ignored
# $slug: the slug as written.
article-slug-slash = `slug`: "{ $slug }" must not contain `/`
# $value: as written.
article-not-positive = `{ $key }` must be a positive whole number, not "{ $value }"
article-episode-type = `episode_type` must be full, trailer or bonus, not "{ $value }"

## Reading the content folder and its files.
# $detail: the system's own words.
content-folder-unreadable = cannot read the content folder: { $detail }
content-folder-not-folder = the content folder is not a folder
content-folder-gone = cannot read the content folder
content-link-not-followed = a symbolic link, not followed; set `content.follow_symlinks = true` to publish what links point to
content-link-loop = a symbolic link to a folder that contains it, not followed
content-cannot-read = cannot read: { $detail }
# $len, $max: bytes.
content-too-large = the file is { $len } bytes, more than content.max_bytes ({ $max }); split it, or raise the limit
# $updated: the moment, as RFC 3339.
content-updated-future = `updated` is { $updated }, more than a day from now; feeds that show the article are dated then (check the year)
# $count: characters removed; $code: the first one's code point, in hex.
content-body-removed = removed { $count ->
    [one] 1 character
   *[other] { $count } characters
} that XML 1.0 does not allow or discourages from the text (the first is U+{ $code }); write the character itself, or leave it out
content-illegal-removed = removed { $count ->
    [one] 1 character
   *[other] { $count } characters
} that XML 1.0 does not allow (the first is U+{ $code })
# $byte: in hex; $offset: from the start of the file.
content-not-utf8 = not valid UTF-8 (invalid byte 0x{ $byte } at byte offset { $offset }); save the file as UTF-8
# $id: the article's id; $first: the file that has it first.
content-duplicate-id = id "{ $id }" is already used by { $first }; set a different `id` in one of them, or rename one

## Files and URLs an article names (pictures, enclosures, links).
# $problem: what is wrong with the file.
media-put-there = { $problem }; put the file there, or correct the path
# $value: as written; $mime: the type given.
media-bad-type = `type` of "{ $value }" must be a MIME type such as audio/mpeg, not "{ $mime }"
media-unknown-type = the type of "{ $value }" is not known from its name; give it as `type` (such as audio/mpeg)
media-bad-length = `length` of "{ $value }" must be a number of bytes, not "{ $length }"
media-no-length = "{ $value }" has no `length`; feeds say 0 bytes, and podcast apps show no size until they fetch it
media-bad-duration = `duration` of "{ $value }" must be seconds or H:MM:SS, not "{ $duration }"
# $code: the character's code point, in hex.
media-title-character = the `title` of "{ $value }" contains U+{ $code }, a character XML 1.0 does not allow
# $scheme: the URL's scheme, such as ftp.
media-scheme = "{ $value }" is a { $scheme }: URL; use an http or https URL, or a path inside the content folder
media-no-url = "{ $value }" makes no URL with `media_url` ({ $detail })
media-outside = "{ $value }" leads outside the content folder
media-no-file = "{ $value }" names no file
# $name: the file's path.
media-through-link = { $name } is reached through a symbolic link, which `content.follow_symlinks` does not allow
media-missing = { $name } does not exist
media-unreadable = { $name } cannot be read ({ $detail })
media-not-a-file = { $name } is not a file
url-scheme = "{ $value }" is a { $scheme }: URL; use an http or https URL
url-invalid = "{ $value }" is not a URL ({ $detail })

## What publishing finds about feeds and episodes.
# $first, $second: two things named together.
two-things = { $first } and { $second }
# $feed: the feed's name; $pictures: its logo or icon, or both (two-things).
feed-no-rss-image = { $feed }.rss gets no <image>: RSS 2.0 takes a GIF, JPEG or PNG, and { $pictures } is not one; give the site or the feed a PNG or JPEG `logo` or `icon` (Atom and JSON Feed keep this one)
# $url: the enclosure's URL.
episode-opus = `enclosures`: { $url } is Opus, which Apple Podcasts does not take; give the podcast feed { $feed } an MP3 or M4A (AAC) of it too
# $problem: what breaks the artwork rules.
episode-unfit-image = `image`: { $problem }; it is not this episode's artwork (itunes:image) in the podcast feed { $feed }, only its picture
episode-no-enclosure = left out of the podcast feed { $feed }: an episode needs `enclosures` (its sound or video)
# $n: how many items.
budget-summarised = { $n ->
    [one] 1 item cut to its summary
   *[other] { $n } items cut to their summaries
}
budget-left-out = the { $n } oldest { $n ->
    [one] item
   *[other] items
} left out
# $document: the document's name; $costs: budget-summarised, budget-left-out or both; $budget: bytes.
budget-over = { $document }: { $costs } to stay within max_bytes ({ $budget } bytes); raise `max_bytes` or lower `limit`

## Feed definitions (feeds/NAME.toml).
# $key: the setting; $tag: as written; $known: the variants published, listed.
feed-no-variant = `{ $key }`: "{ $tag }" is no Chinese variant we publish; use { $known }
# $value: the placeholder each feed's value replaces.
feed-family-title = `title`: a feed family's title needs `{ $value }`, which each feed's value replaces, such as "拱墅新闻 · { $value }"
feed-family-retired = `retired`: a feed family cannot be retired yet; delete its definition to stop publishing its feeds
# $url: the URL written; $key: the key (moved_to or moved_to.rss, …).
feed-moved-url = `{ $key }`: "{ $url }" is not an absolute http or https URL; write where the feed's readers go, such as "https://news.example/new.rss"
feed-moved-key = `moved_to.{ $key }`: a table of moves takes one URL for each format the feed is published in (rss, atom, json) and, if you like, `page`
feed-moved-missing = `moved_to`: the feed is published as { $format } too; add `{ $format } = "URL"` to the table, or give one URL for every document
feed-moved-status = `moved_status`: { $value } is not 301 (Moved Permanently) or 308 (Permanent Redirect)
feed-moved-status-alone = `moved_status` is for a feed that moved; add `moved_to = "URL"`, or remove it
feed-moved-retired = `moved_to`: a retired feed answers 410 Gone and moves nowhere; remove `moved_to` or `retired`
feed-family-moved = `moved_to`: a feed family cannot move yet; remove `moved_to`
feed-moved-self = `moved_to`: { $url } is this feed itself; readers would be sent back where they are
# $chain: the feeds on the way, "a → b → a".
feed-moved-loop = `moved_to`: { $url } leads back here ({ $chain }); readers would be sent round for ever: point one of them elsewhere
# $feed: the retired feed's name.
feed-moved-to-retired = `moved_to`: { $url } is the feed { $feed }, which is retired and answers 410 Gone: readers would unsubscribe; point at a live feed
feed-moved-nowhere = `moved_to`: { $url } is on this site but names no feed it publishes; check the name and the extension (.rss, .atom, .json, .html)
# $name: the feed's name, from its file name.
feed-bad-name = feed name "{ $name }" must be ASCII letters, digits, `-` or `_`, as it becomes the feed's URL
feed-named-page = a feed cannot be named { $name }: its page, /{ $name }.html, is the site's own (the subscribe page, or the page of missing feeds); rename the file
# $value: as written; $what: feed-a-count-of-items or feed-a-count.
feed-not-positive = `{ $key }`: { $value } is not { $what }
feed-a-count-of-items = a positive number of items
feed-a-count = a positive number
feed-no-formats = `formats`: name at least one of "rss", "atom", "json"
feed-bad-language = `language`: "{ $tag }" is not a language tag (for example zh-CN or en)
feed-family-only = `{ $key }` is for feed families; add `each = "tags"` (or categories, authors, folders, languages), or remove it
# $path: as written.
feed-family-path = `path`: "{ $path }" must be one folder name of ASCII letters, digits, `-` or `_`, such as "tags"
# $detail: the system's own words.
feed-folder-unreadable = cannot read the feeds folder: { $detail }
feed-unreadable = cannot read the feed definition: { $detail }
feed-archive-off = `archive_page_size` is for feeds with an archive; add `archive = true`, or remove it
# $max: the largest page size.
feed-archive-size = `archive_page_size`: { $value } is not a number of items from 1 to { $max }
# $limit: the feed's `limit`.
feed-archive-over-limit = `archive_page_size`: { $value } is more than `limit` ({ $limit }); the subscription document holds the items newer than the last full page, so a page holds at most `limit` items: lower it, or raise `limit`
# $table: filter or exclude; $path: as written.
feed-filter-path = `{ $table }.path`: "{ $path }" must be a folder inside the content folder, such as "2024/06"
# $why: feed-excludes-every or feed-excludes-required.
feed-excludes-all = `exclude.{ $key }` leaves out { $why }, so the feed can never show anything; remove one of the two
feed-excludes-every = every one of `filter.{ $key }`
feed-excludes-required = "{ $value }", which `filter.{ $key }_all` requires
feed-excludes-path = `exclude.path` leaves out "{ $path }", which holds `filter.path`, so the feed can never show anything; remove one of the two

## Feed families: a value that cannot name a feed.
# $noun: family-noun-*; $value: the value; $why: family-why-*.
family-unfit = { $noun } "{ $value }" cannot name a feed ({ $why }); it has no feed of its own
# $file: an article that has the value.
family-unfit-in = { $noun } "{ $value }" (in { $file }) cannot name a feed ({ $why }); it has no feed of its own
family-noun-tags = tag
family-noun-categories = category
family-noun-authors = author
family-noun-folders = folder
family-noun-languages = language
family-why-slash = it holds a slash
family-why-dot = it starts with a dot
family-why-control = it holds a control character
family-why-long = it is longer than 200 bytes
family-why-empty = it is empty
family-why-variant = it ends as the name of a Chinese variant's feed does

## Pictures: artwork, logos and icons, as podcast directories and readers want them.
# $name: the picture's path.
art-missing = { $name }: it does not exist
art-unreadable-picture = { $name } could not be read as a picture
# $detail: the reader's own words.
art-not-picture = { $name } is not a picture this daemon can read ({ $detail })
# $width, $height: pixels.
art-not-square = { $name } is { $width } × { $height } pixels; podcast directories ask for square artwork of 1400 to 3000 pixels a side
# $model: art-model-*.
art-colours = { $name } is { $model }; podcast directories take artwork in the RGB colour space (save it as RGB)
art-model-cmyk = CMYK
art-model-ycck = YCCK (CMYK)
art-model-greyscale = greyscale
art-model-other = in a colour model other than RGB
art-transparent = { $name } has transparency; podcast directories take artwork without it (save it without an alpha channel)
# $why: art-why-* (with the decoder's own words in $detail).
art-unreadable = { $name }: { $why }; podcast directories take JPEG or PNG artwork
art-why-unreadable = it could not be read
art-why-not-jpeg = not a JPEG ({ $detail })
art-why-not-png = not a PNG ({ $detail })
art-why-neither = it is neither a JPEG nor a PNG
art-drawing = { $name } is a drawing; podcast directories take JPEG or PNG artwork
# $value: as written.
art-outside = "{ $value }" is not a path inside the content folder (such as images/icon.png) or a URL
art-no-url = "{ $value }" makes no URL ({ $detail })
# $problem: what is wrong with the file.
art-put-there = { $problem }; put the picture there, or correct the path
art-put-artwork = { $problem }; put the artwork there, or correct the path
art-not-jpeg-png = "{ $value }": podcast directories take JPEG or PNG artwork

## The config file (syndicated.toml) and a podcast's settings.
# $key: the setting; $code: the character's code point, in hex.
config-character = `{ $key }` contains U+{ $code }, a character XML 1.0 does not allow
config-unreadable = cannot read the config file: { $detail }
config-max-bytes = `content.max_bytes`: must be at least 1024
# $host: the host of base_url.
config-no-authority = `site.authority` is not set, so ids are made with the host of `base_url` and would change with it; add `authority = "{ $host }"` to [site] and keep it when the site moves
config-bad-language = `site.language`: "{ $tag }" is not a language tag (for example zh-CN or en)
config-bad-zone = `site.timezone`: unknown time zone "{ $zone }" (use an IANA name such as Asia/Shanghai or UTC)
config-bad-authority = `site.authority`: "{ $value }" is not a domain name or e-mail address
config-short-summary = `{ $key }`: a summary needs at least 10 characters
# $min, $default: bytes.
config-small-feed = `{ $key }`: { $value } is too small for a feed; use at least { $min } bytes (the default is { $default })
config-bad-url = `{ $key }`: "{ $value }" is not an absolute http or https URL (for example https://news.example.com/)
config-max-connections = `server.max_connections`: must be between 1 and { $max }
config-debounce = `watch.debounce_ms`: { $value } is more than an hour; use a number of milliseconds up to { $max }
config-seconds = `{ $key }`: { $value } is not a number of seconds between 0 and one year
config-websub-timeout = `websub.timeout`: { $value } is not a number of seconds between 0 and 600
config-websub-attempts = `websub.attempts`: { $value } is not a number of attempts from 1 to 100
config-bad-hub = `{ $key }`: "{ $value }" is not an absolute http or https URL of a hub (for example https://pubsubhubbub.appspot.com/)
config-min-interval = `server.min_interval`: { $value } is not a number of seconds from 1 to 86400
config-bad-network = `{ $key }`: "{ $value }" is not an address or a network (for example 10.0.0.0/8 or ::1)
# $names: the categories (or subcategories) there are.
podcast-category = "{ $value }" is not one of Apple's categories ({ $names })
# $top: the category.
podcast-subcategory = "{ $value }" is not one of Apple's subcategories of { $top } ({ $names })
podcast-owner-email = `podcast.owner.email`: "{ $value }" is not an e-mail address
podcast-type = `podcast.type`: "{ $value }" is neither "episodic" nor "serial"
# $example: a line to add.
podcast-required = `podcast.{ $key }` is required by podcast directories; add { $example }
podcast-funding = `podcast.funding` needs an http or https `url` and a plain `text`

## More about an article.
# $id: as written.
article-bad-id = `id`: "{ $id }" is not an absolute URI (for example tag:example.com,2024-06-28:fire)
# $relative: the path the permalink template made; $detail: why.
article-no-link = cannot make a link from "{ $relative }": { $detail }
article-bad-link = cannot read the link "{ $link }": { $detail }
article-transcript-type = `transcript`: the type of "{ $value }" is not known from its name; name it .vtt, .srt, .html or .json
article-bad-lang = `lang`: "{ $lang }" is not a language tag (for example zh-CN or en); the site's language applies
# $name: as written; $names: the feeds there are.
article-exclude-unknown = `exclude_from` names "{ $name }", which is no feed (the feeds are { $names }); the article stays in every feed it would be in
# $prefix: the folder; $first: the family already served there.
family-same-path = the feeds of this family would be served in /{ $prefix }/, as those of { $first } are; set another `path`
# $template: as written.
permalink-unclosed = unclosed `{"{"}` in "{ $template }"
# $token: the placeholder's name.
permalink-placeholder = unknown placeholder `{"{"}{ $token }{"}"}` in "{ $template }" (use {"{"}dir{"}"}, {"{"}slug{"}"}, {"{"}year{"}"}, {"{"}month{"}"} or {"{"}day{"}"})
# $text: as written.
listen-bad = "{ $text }" is not a host and port (for example 127.0.0.1:8080, localhost:8080 or [::1]:8080)

## The last line of `check` (and of `build`, in English).
# Each variable is a count.
check-summary = { $articles ->
    [one] 1 article
   *[other] { $articles } articles
}, { $feeds ->
    [one] 1 feed
   *[other] { $feeds } feeds
}, { $drafts ->
    [one] 1 draft
   *[other] { $drafts } drafts
}, { $scheduled } scheduled, { $errors ->
    [one] 1 error
   *[other] { $errors } errors
}, { $warnings ->
    [one] 1 warning
   *[other] { $warnings } warnings
}

## What `init` prints.
# $path: a file written.
init-wrote = wrote { $path }
init-no-zone = note: this system's time zone has no IANA name, so the config says timezone = "UTC"; set site.timezone to yours (for example Asia/Shanghai)
# $dir: the site's folder.
init-serve = serve it: syndicated --config { $dir } serve, then open the address it prints (http://localhost:8080/, or the port given with --port)

## What `init` and `new` cannot do.
# $path: the file.
scaffold-exists = { $path } exists already; `init` writes a new site only where there is none (choose another folder, or edit that one)
scaffold-write = writing { $path }: { $detail }
# $dir: as given.
scaffold-outside = `--dir { $dir }` must be a folder inside the content folder (no `..`, not absolute)
scaffold-no-title = `new` needs a title, as in: syndicated new "Canal morning news"

## What `check` says of a site not ready to publish.
# $url: the base_url.
ready-example-url = `site.base_url` is { $url }, a name reserved for examples: feed readers cannot reach it; set the address the site is published at
ready-local-url = `site.base_url` is { $url }, on this machine: fine to try the site, but no reader elsewhere can reach it; set the address the site is published at
ready-local-authority = `site.authority` is localhost, and it becomes part of every article's permanent id: set it to a domain name or e-mail address you own (for example news.example.com), once, before publishing
# $feed: the feed's name.
feed-empty = `{ $feed }` shows no item yet: readers get an empty feed, dated 1970-01-01 as no item dates it; publish an article it shows, or check its `filter`

## Starting up.
# $address: host and port; $port: another port to try.
listen-in-use = cannot listen on { $address }: another program is listening there; stop it, or serve on another port with --port { $port }
# $name, $pid: the program listening there.
listen-in-use-by = cannot listen on { $address }: { $name } (process { $pid }) is listening there; stop it, or serve on another port with --port { $port }
config-missing = there is no config file here: run `syndicated init` to write a new site, or name one with --config PATH (a file, or a site's folder)
