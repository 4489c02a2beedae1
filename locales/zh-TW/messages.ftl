# syndicated 寫給人看的文字，繁體中文。

## 預覽中標題前的標記。
draft = 草稿
scheduled = 排程發布

## 訂閱頁與各訂閱源的頁面。
what-is-a-feed = 訂閱源（RSS、Atom 或 JSON Feed）把新文章送到你的閱讀器：複製下面的網址，貼到 Feedly、Inoreader、NetNewsWire 等閱讀器的「新增訂閱」即可。
subscribe = 訂閱網址
subscribe-in = 一鍵訂閱：
copy = 複製
copied = 已複製
latest = 最新文章
items = { $n } 篇文章
all-items = 查看全部 { $n } 篇
updated = 最近更新
family = 依{ $name }訂閱
also-in = 其他文字
archive = 更早的文章（封存）
all-feeds = 全部訂閱源
this-is-a-feed = 這是一個訂閱源。在瀏覽器裡你看到的是它的文章列表；閱讀器會收到同一網址的訂閱內容。
no-feed-here = 這個位址沒有訂閱源
feeds-here = 本站發布以下訂閱源，在閱讀器中訂閱其中之一即可。
opml = 全部訂閱源（OPML，可匯入閱讀器）

## 中文變體的名稱。
variant-zh-hant = 繁體中文
variant-zh-tw = 繁體中文（台灣）
variant-zh-hk = 繁體中文（香港）
variant-zh-mo = 繁體中文（澳門）

## 訂閱源家族依什麼分。
facet-tags = 標籤
facet-categories = 分類
facet-authors = 作者
facet-folders = 欄目
facet-languages = 語言

## 診斷：檔案裡哪裡不對，以及怎麼改。check、/healthz 和預覽用編輯的語言，日誌用英文。
warning = 警告：{ $message }

## 文章的前置資料（front matter）。
fm-never-closed = 以 `{ $opened }` 開頭的前置資料沒有結束（用單獨一行 `{ $closer }` 結束它）
fm-yaml = YAML 前置資料：{ $detail }
fm-toml = TOML 前置資料：{ $detail }
fm-alias = 不支援別名（`*name`）；請把值直接寫出來
fm-too-deep = 巢狀超過 { $depth } 層
fm-too-large = 太大：超過 { $count } 個值
fm-documents = 有不止一份文件；前置資料應是一張鍵值表
fm-set-twice-at = `{ $key }` 設定了兩次（另一次在第 { $line } 行）；只保留一個
fm-set-twice = `{ $key }` 設定了兩次；只保留一個
fm-not-a-table = 前置資料應由鍵和值組成，例如單獨一行的 `title: …`
fm-must-be = `{ $key }` 應為{ $what }
fm-a-text = 文字
fm-a-person = 一個名字，或一張含 `name`（可選 `email` 和 `uri`）的表
fm-a-tag-list = 名稱清單，例如 [經濟, 民生]
fm-a-boolean = true 或 false
fm-a-feed-list = 訂閱源名稱清單，例如 [all]
fm-an-enclosure = 一個路徑或 URL，或它們的清單；每一項也可以是含 `url`（可選 `type`、`length`、`duration` 和 `title`）的表
fm-tab = 這一行用了定位字元縮排；YAML 只能用空格縮排
fm-unquoted-colon = `{ $key }`：含有「: 」的值必須加引號，例如 `{ $key }: "{ $value }"`
fm-list-open = `{ $key }`：以 `[` 開始的清單沒有結束；用 `]` 結束它，例如 `{ $key }: [a, b]`
fm-table-open = `{ $key }`：以 `{"{"}` 開始的表沒有結束；用 `{"}"}` 結束它，例如 `{ $key }: {"{"}name: a{"}"}`
fm-quote-open = `{ $key }`：以 `{ $quote }` 開始的值沒有結束；用 `{ $quote }` 結束它
fm-not-a-date = 「{ $text }」不是日期（請寫成 2024-06-28 或 2024-06-28T09:00:00+08:00）
fm-no-year = 「{ $text }」沒有年份：請寫上年份，例如 2024年{ $month }月{ $day }日 或 2024-{ $month }-{ $day }

## 文章的欄位。
field = `{ $key }`：{ $message }
article-no-title = 沒有標題：在前置資料中設定 `title`，或讓正文以 `# 標題` 開頭
article-no-date = 沒有日期：在前置資料中設定 `date`（例如 2024-06-28 或 2024-06-28T09:00:00+08:00），或讓檔名以日期開頭
article-name-date = 檔名中的日期：{ $detail }
article-authors-both = `author` 和 `authors` 只能設定其中一個
article-unfit-characters = 已從{ $what }中刪去 XML 1.0 不允許或不建議使用的字元
article-the-title = 標題
article-unknown-key-hint = 未知的前置資料鍵 `{ $key }` 已被忽略；你是不是想寫「{ $known }」？
article-unknown-key = 未知的前置資料鍵 `{ $key }` 已被忽略
article-slug-slash = `slug`：「{ $slug }」中不能有 `/`
article-not-positive = `{ $key }` 應為正整數，而不是「{ $value }」
article-episode-type = `episode_type` 應為 full、trailer 或 bonus，而不是「{ $value }」

## 讀取內容資料夾及其中的檔案。
content-folder-unreadable = 無法讀取內容資料夾：{ $detail }
content-folder-not-folder = 內容資料夾不是一個資料夾
content-folder-gone = 無法讀取內容資料夾
content-link-not-followed = 這是符號連結，沒有跟隨；若要發布連結指向的內容，請設定 `content.follow_symlinks = true`
content-link-loop = 這是指向其上層資料夾的符號連結，沒有跟隨
content-cannot-read = 無法讀取：{ $detail }
content-too-large = 檔案有 { $len } 位元組，超過 content.max_bytes（{ $max }）；請拆分檔案，或提高上限
content-updated-future = `updated` 是 { $updated }，比現在晚一天以上；顯示這篇文章的訂閱源會以那個時間為準（請檢查年份）
content-body-removed = 已從正文中刪去 { $count } 個 XML 1.0 不允許或不建議使用的字元（第一個是 U+{ $code }）；請直接寫出字元本身，或刪去它
content-illegal-removed = 已刪去 { $count } 個 XML 1.0 不允許的字元（第一個是 U+{ $code }）
content-not-utf8 = 不是有效的 UTF-8（位元組偏移 { $offset } 處有無效位元組 0x{ $byte }）；請把檔案存為 UTF-8
content-duplicate-id = id「{ $id }」已被 { $first } 使用；請在其中一篇設定不同的 `id`，或替其中一篇改名

## 文章提到的檔案和網址（圖片、附件、連結）。
media-put-there = { $problem }；請把檔案放到那裡，或改正路徑
media-bad-type = 「{ $value }」的 `type` 應為 MIME 類型（例如 audio/mpeg），而不是「{ $mime }」
media-unknown-type = 無法從名稱得知「{ $value }」的類型；請用 `type` 寫明（例如 audio/mpeg）
media-bad-length = 「{ $value }」的 `length` 應為位元組數，而不是「{ $length }」
media-no-length = 「{ $value }」沒有 `length`；訂閱源會寫 0 位元組，Podcast 應用程式在下載前也顯示不出大小
media-bad-duration = 「{ $value }」的 `duration` 應為秒數或 H:MM:SS，而不是「{ $duration }」
media-title-character = 「{ $value }」的 `title` 含有 U+{ $code }，這是 XML 1.0 不允許的字元
media-scheme = 「{ $value }」是 { $scheme }: 網址；請用 http 或 https 網址，或內容資料夾中的路徑
media-no-url = 「{ $value }」與 `media_url` 組不成網址（{ $detail }）
media-outside = 「{ $value }」指向內容資料夾之外
media-no-file = 「{ $value }」沒有指明檔案
media-through-link = { $name } 要經過符號連結才能找到，而 `content.follow_symlinks` 不允許這樣做
media-missing = { $name } 不存在
media-unreadable = 無法讀取 { $name }（{ $detail }）
media-not-a-file = { $name } 不是檔案
url-scheme = 「{ $value }」是 { $scheme }: 網址；請用 http 或 https 網址
url-invalid = 「{ $value }」不是網址（{ $detail }）

## 發布時發現的訂閱源和節目問題。
two-things = { $first } 和 { $second }
feed-no-rss-image = { $feed }.rss 沒有 <image>：RSS 2.0 只接受 GIF、JPEG 或 PNG，而 { $pictures } 不屬於這幾種；請替網站或訂閱源設定 PNG 或 JPEG 格式的 `logo` 或 `icon`（Atom 和 JSON Feed 仍使用現在這張）
episode-opus = `enclosures`：{ $url } 是 Opus 格式，Apple Podcasts 不接受；請為 Podcast 訂閱源 { $feed } 另外提供它的 MP3 或 M4A（AAC）版本
episode-unfit-image = `image`：{ $problem }；在 Podcast 訂閱源 { $feed } 中它不作為這一集的封面（itunes:image），只作為配圖
episode-no-enclosure = 未收入 Podcast 訂閱源 { $feed }：每一集都需要 `enclosures`（音訊或影片）
budget-summarised = { $n } 篇文章只保留摘要
budget-left-out = 最早的 { $n } 篇文章未收入
budget-over = { $document }：為不超過 max_bytes（{ $budget } 位元組），{ $costs }；請提高 `max_bytes` 或降低 `limit`

## 訂閱源定義（feeds/NAME.toml）。
feed-no-variant = `{ $key }`：「{ $tag }」不是我們發布的中文變體；可用的有 { $known }
feed-family-title = `title`：訂閱源家族的標題需要含有 `{ $value }`，它會被替換成每個訂閱源的值，例如「拱墅新聞 · { $value }」
feed-family-retired = `retired`：訂閱源家族暫時不能停用；要停止發布它的訂閱源，請刪除它的定義
feed-moved-url = `{ $key }`：「{ $url }」不是以 http 或 https 開頭的完整網址；請寫讀者要去的地方，例如 "https://news.example/new.rss"
feed-moved-key = `moved_to.{ $key }`：遷移表只接受訂閱源所發布的每種格式各一個網址（rss、atom、json），還可以加上 `page`
feed-moved-missing = `moved_to`：這個訂閱源也發布 { $format } 格式；請在表中加上 `{ $format } = "網址"`，或者給所有文件寫同一個網址
feed-moved-status = `moved_status`：{ $value } 不是 301（永久移動）或 308（永久重新導向）
feed-moved-status-alone = `moved_status` 只用於已遷移的訂閱源；請加上 `moved_to = "網址"`，或者刪除它
feed-moved-retired = `moved_to`：停用的訂閱源回答 410 Gone，不會遷往任何地方；請刪除 `moved_to` 或 `retired`
feed-family-moved = `moved_to`：訂閱源家族暫時不能遷移；請刪除 `moved_to`
feed-moved-self = `moved_to`：{ $url } 就是這個訂閱源本身，讀者會被送回原處
feed-moved-loop = `moved_to`：{ $url } 又繞回這裡（{ $chain }），讀者會被無休止地轉來轉去；請讓其中一個指向別處
feed-moved-to-retired = `moved_to`：{ $url } 是已停用的訂閱源 { $feed }，它回答 410 Gone，讀者會因此取消訂閱；請指向仍在發布的訂閱源
feed-moved-nowhere = `moved_to`：{ $url } 在本站，但不是本站發布的任何訂閱源；請檢查名稱和副檔名（.rss、.atom、.json、.html）
feed-bad-name = 訂閱源名稱「{ $name }」只能由 ASCII 字母、數字、`-` 或 `_` 組成，因為它會成為訂閱源的網址
feed-named-page = 訂閱源不能叫 { $name }：它的頁面 /{ $name }.html 是本站自己的頁面（訂閱頁或「沒有訂閱源」頁）；請替檔案改名
feed-not-positive = `{ $key }`：{ $value } 不是{ $what }
feed-a-count-of-items = 正的文章數
feed-a-count = 正數
feed-no-formats = `formats`：至少寫出 "rss"、"atom"、"json" 中的一個
feed-bad-language = `language`：「{ $tag }」不是語言標籤（例如 zh-CN 或 en）
feed-family-only = `{ $key }` 只用於訂閱源家族；請加上 `each = "tags"`（或 categories、authors、folders、languages），或刪去它
feed-family-path = `path`：「{ $path }」應是一個由 ASCII 字母、數字、`-` 或 `_` 組成的資料夾名稱，例如 "tags"
feed-folder-unreadable = 無法讀取訂閱源資料夾：{ $detail }
feed-unreadable = 無法讀取訂閱源定義：{ $detail }
feed-archive-off = `archive_page_size` 只用於有封存的訂閱源；請加上 `archive = true`，或刪去它
feed-archive-size = `archive_page_size`：{ $value } 不是 1 到 { $max } 之間的文章數
feed-archive-over-limit = `archive_page_size`：{ $value } 大於 `limit`（{ $limit }）；訂閱文件包含比最後一個滿頁更新的文章，所以每頁最多 `limit` 篇：請調低它，或提高 `limit`
feed-filter-path = `{ $table }.path`：「{ $path }」應是內容資料夾中的資料夾，例如 "2024/06"
feed-excludes-all = `exclude.{ $key }` 排除了{ $why }，這個訂閱源永遠不會有內容；請刪去二者之一
feed-excludes-every = `filter.{ $key }` 的每一項
feed-excludes-required = `filter.{ $key }_all` 要求的「{ $value }」
feed-excludes-path = `exclude.path` 排除了「{ $path }」，而它包含 `filter.path`，這個訂閱源永遠不會有內容；請刪去二者之一

## 訂閱源家族：不能作為訂閱源名稱的值。
family-unfit = { $noun }「{ $value }」不能作為訂閱源名稱（{ $why }）；它沒有自己的訂閱源
family-unfit-in = { $noun }「{ $value }」（在 { $file } 中）不能作為訂閱源名稱（{ $why }）；它沒有自己的訂閱源
family-noun-tags = 標籤
family-noun-categories = 分類
family-noun-authors = 作者
family-noun-folders = 資料夾
family-noun-languages = 語言
family-why-slash = 含有斜線
family-why-dot = 以點開頭
family-why-control = 含有控制字元
family-why-long = 超過 200 位元組
family-why-empty = 是空的
family-why-variant = 結尾與中文變體訂閱源的名稱相同

## 圖片：Podcast 目錄和閱讀器要求的封面、標誌和圖示。
art-missing = { $name }：檔案不存在
art-unreadable-picture = 無法把 { $name } 當作圖片讀取
art-not-picture = { $name } 不是本程式能讀取的圖片（{ $detail }）
art-not-square = { $name } 是 { $width } × { $height } 像素；Podcast 目錄要求正方形封面，每邊 1400 到 3000 像素
art-colours = { $name } 是{ $model }；Podcast 目錄要求 RGB 色彩空間的封面（請存為 RGB）
art-model-cmyk = CMYK 格式
art-model-ycck = YCCK（CMYK）格式
art-model-greyscale = 灰階圖
art-model-other = RGB 以外的色彩模式
art-transparent = { $name } 含有透明部分；Podcast 目錄要求封面不透明（請存為不帶 alpha 通道的圖片）
art-unreadable = { $name }：{ $why }；Podcast 目錄要求 JPEG 或 PNG 封面
art-why-unreadable = 無法讀取
art-why-not-jpeg = 不是 JPEG（{ $detail }）
art-why-not-png = 不是 PNG（{ $detail }）
art-why-neither = 既不是 JPEG 也不是 PNG
art-drawing = { $name } 是向量圖；Podcast 目錄要求 JPEG 或 PNG 封面
art-outside = 「{ $value }」既不是內容資料夾中的路徑（例如 images/icon.png），也不是網址
art-no-url = 「{ $value }」組不成網址（{ $detail }）
art-put-there = { $problem }；請把圖片放到那裡，或改正路徑
art-put-artwork = { $problem }；請把封面放到那裡，或改正路徑
art-not-jpeg-png = 「{ $value }」：Podcast 目錄要求 JPEG 或 PNG 封面

## 設定檔（syndicated.toml）和 Podcast 設定。
config-character = `{ $key }` 含有 U+{ $code }，這是 XML 1.0 不允許的字元
config-unreadable = 無法讀取設定檔：{ $detail }
config-max-bytes = `content.max_bytes`：至少應為 1024
config-no-authority = 沒有設定 `site.authority`，所以 id 用 `base_url` 的主機名稱產生，主機名稱一變 id 也會變；請在 [site] 中加上 `authority = "{ $host }"`，網站搬家時也保留它
config-bad-language = `site.language`：「{ $tag }」不是語言標籤（例如 zh-CN 或 en）
config-bad-zone = `site.timezone`：未知時區「{ $zone }」（請用 IANA 名稱，例如 Asia/Shanghai 或 UTC）
config-bad-authority = `site.authority`：「{ $value }」不是網域名稱或電子郵件地址
config-short-summary = `{ $key }`：摘要至少需要 10 個字元
config-small-feed = `{ $key }`：{ $value } 對訂閱源來說太小；至少用 { $min } 位元組（預設為 { $default }）
config-bad-url = `{ $key }`：「{ $value }」不是完整的 http 或 https 網址（例如 https://news.example.com/）
config-max-connections = `server.max_connections`：應在 1 到 { $max } 之間
config-debounce = `watch.debounce_ms`：{ $value } 超過一小時；請用不超過 { $max } 的毫秒數
config-seconds = `{ $key }`：{ $value } 不是 0 到一年之間的秒數
config-websub-timeout = `websub.timeout`：{ $value } 不是 0 到 600 之間的秒數
config-websub-attempts = `websub.attempts`：{ $value } 不是 1 到 100 之間的次數
config-bad-hub = `{ $key }`：「{ $value }」不是 hub 的完整 http 或 https 網址（例如 https://pubsubhubbub.appspot.com/）
config-min-interval = `server.min_interval`：{ $value } 不是 1 到 86400 之間的秒數
config-bad-network = `{ $key }`：「{ $value }」不是位址或網段（例如 10.0.0.0/8 或 ::1）
podcast-category = 「{ $value }」不是 Apple 的分類之一（{ $names }）
podcast-subcategory = 「{ $value }」不是 Apple 在 { $top } 下的子分類之一（{ $names }）
podcast-owner-email = `podcast.owner.email`：「{ $value }」不是電子郵件地址
podcast-type = `podcast.type`：「{ $value }」既不是 "episodic" 也不是 "serial"
podcast-required = Podcast 目錄要求填寫 `podcast.{ $key }`；請加上 { $example }
podcast-funding = `podcast.funding` 需要 http 或 https 的 `url` 和一段純文字 `text`

## 文章的其他問題。
article-bad-id = `id`：「{ $id }」不是完整的 URI（例如 tag:example.com,2024-06-28:fire）
article-no-link = 無法用「{ $relative }」產生連結：{ $detail }
article-bad-link = 無法讀取連結「{ $link }」：{ $detail }
article-transcript-type = `transcript`：無法從名稱得知「{ $value }」的類型；請把它命名為 .vtt、.srt、.html 或 .json
article-bad-lang = `lang`：「{ $lang }」不是語言標籤（例如 zh-CN 或 en）；依網站的語言處理
article-exclude-unknown = `exclude_from` 寫了「{ $name }」，但沒有這個訂閱源（現有的訂閱源是 { $names }）；這篇文章仍會出現在它本該出現的每個訂閱源中
family-same-path = 這個家族的訂閱源會放在 /{ $prefix }/，而 { $first } 的訂閱源已經在那裡；請設定另一個 `path`
permalink-unclosed = 「{ $template }」中的 `{"{"}` 沒有閉合
permalink-placeholder = 「{ $template }」中有未知的佔位符 `{"{"}{ $token }{"}"}`（可用 {"{"}dir{"}"}、{"{"}slug{"}"}、{"{"}year{"}"}、{"{"}month{"}"} 或 {"{"}day{"}"}）
listen-bad = 「{ $text }」不是主機加連接埠（例如 127.0.0.1:8080、localhost:8080 或 [::1]:8080）

## check 的最後一行（build 的用英文）。
check-summary = { $articles } 篇文章，{ $feeds } 個訂閱源，{ $drafts } 篇草稿，{ $scheduled } 篇排程發布，{ $errors } 個錯誤，{ $warnings } 個警告

## init 印出的內容。
init-wrote = 已寫入 { $path }
init-no-zone = 注意：本機的時區沒有 IANA 名稱，所以設定裡寫的是 timezone = "UTC"；請把 site.timezone 改成你的時區（例如 Asia/Taipei）
init-serve = 執行：syndicated --config { $dir } serve，然後開啟它顯示的位址（http://localhost:8080/，或 --port 指定的連接埠）

## init 和 new 做不到的事。
scaffold-exists = { $path } 已經存在；`init` 只在沒有網站的地方寫新網站（請換一個資料夾，或直接編輯那個網站）
scaffold-write = 寫入 { $path } 時出錯：{ $detail }
scaffold-outside = `--dir { $dir }` 應是內容資料夾中的資料夾（不能有 `..`，也不能是絕對路徑）
scaffold-no-title = `new` 需要一個標題，例如：syndicated new "運河早安"

## check 對尚未準備好發布的網站的提示。
ready-example-url = `site.base_url` 是 { $url }，這是專供範例用的網域：閱讀器連不到；請改成網站真正發布的網址
ready-local-url = `site.base_url` 是 { $url }，指向本機：試用沒問題，但別處的閱讀器連不到；請改成網站真正發布的網址
ready-local-authority = `site.authority` 是 localhost，而它會成為每篇文章永久 id 的一部分：請在發布前把它設成你擁有的網域名稱或電子郵件地址（例如 news.example.com），設定後不要再改
feed-empty = `{ $feed }` 還沒有任何文章：閱讀器會收到一個空的訂閱源，日期是 1970-01-01（沒有文章給它日期）；請發布一篇它會顯示的文章，或檢查它的 `filter`

## 啟動時。
listen-in-use = 無法在 { $address } 上監聽：已有其他程式在那裡監聽；請停掉它，或用 --port { $port } 換一個連接埠
listen-in-use-by = 無法在 { $address } 上監聽：{ $name }（程序 { $pid }）正在那裡監聽；請停掉它，或用 --port { $port } 換一個連接埠
config-missing = 這裡沒有設定檔：執行 `syndicated init` 寫一個新網站，或用 --config PATH 指定（一個檔案，或網站所在的資料夾）
