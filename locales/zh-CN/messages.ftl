# syndicated 写给人看的文字，简体中文。

## 预览中标题前的标记。
draft = 草稿
scheduled = 定时发布

## 订阅页与各订阅源的页面。
what-is-a-feed = 订阅源（RSS、Atom 或 JSON Feed）把新文章送到你的阅读器：复制下面的地址，粘贴到 Feedly、Inoreader、NetNewsWire 等阅读器的“添加订阅”中即可。
subscribe = 订阅地址
subscribe-in = 一键订阅：
copy = 复制
copied = 已复制
latest = 最新文章
items = { $n } 篇文章
all-items = 查看全部 { $n } 篇
updated = 最近更新
family = 按{ $name }订阅
also-in = 其他文字
archive = 更早的文章（存档）
all-feeds = 全部订阅源
this-is-a-feed = 这是一个订阅源。在浏览器里你看到的是它的文章列表；阅读器会收到同一地址的订阅内容。
no-feed-here = 这个地址没有订阅源
feeds-here = 本站发布以下订阅源，在阅读器中订阅其中之一即可。
opml = 全部订阅源（OPML，可导入阅读器）

## 中文变体的名称。
variant-zh-hant = 繁体中文
variant-zh-tw = 繁体中文（台湾）
variant-zh-hk = 繁体中文（香港）
variant-zh-mo = 繁体中文（澳门）

## 订阅源家族按什么分。
facet-tags = 标签
facet-categories = 分类
facet-authors = 作者
facet-folders = 栏目
facet-languages = 语言

## 诊断：文件里哪里不对，以及怎么改。check、/healthz 和预览用编辑的语言，日志用英文。
warning = 警告：{ $message }

## 文章的前置元数据（front matter）。
fm-never-closed = 以 `{ $opened }` 开头的前置元数据没有结束（用单独一行 `{ $closer }` 结束它）
fm-yaml = YAML 前置元数据：{ $detail }
fm-toml = TOML 前置元数据：{ $detail }
fm-alias = 不支持别名（`*name`）；请把值直接写出来
fm-too-deep = 嵌套超过 { $depth } 层
fm-too-large = 太大：超过 { $count } 个值
fm-documents = 有不止一个文档；前置元数据应是一张键值表
fm-set-twice-at = `{ $key }` 设置了两次（另一次在第 { $line } 行）；只保留一个
fm-set-twice = `{ $key }` 设置了两次；只保留一个
fm-not-a-table = 前置元数据应由键和值组成，例如单独一行的 `title: …`
fm-must-be = `{ $key }` 应为{ $what }
fm-a-text = 文本
fm-a-person = 一个名字，或一张含 `name`（可选 `email` 和 `uri`）的表
fm-a-tag-list = 名称列表，例如 [经济, 民生]
fm-a-boolean = true 或 false
fm-a-feed-list = 订阅源名称列表，例如 [all]
fm-an-enclosure = 一个路径或 URL，或它们的列表；每一项也可以是含 `url`（可选 `type`、`length`、`duration` 和 `title`）的表
fm-tab = 这一行用了制表符缩进；YAML 只能用空格缩进
fm-unquoted-colon = `{ $key }`：含有“: ”的值必须加引号，例如 `{ $key }: "{ $value }"`
fm-list-open = `{ $key }`：以 `[` 开始的列表没有结束；用 `]` 结束它，例如 `{ $key }: [a, b]`
fm-table-open = `{ $key }`：以 `{"{"}` 开始的表没有结束；用 `{"}"}` 结束它，例如 `{ $key }: {"{"}name: a{"}"}`
fm-quote-open = `{ $key }`：以 `{ $quote }` 开始的值没有结束；用 `{ $quote }` 结束它
fm-not-a-date = “{ $text }”不是日期（请写成 2024-06-28 或 2024-06-28T09:00:00+08:00）
fm-no-year = “{ $text }”没有年份：请写上年份，例如 2024年{ $month }月{ $day }日 或 2024-{ $month }-{ $day }

## 文章的字段。
field = `{ $key }`：{ $message }
article-no-title = 没有标题：在前置元数据中设置 `title`，或让正文以 `# 标题` 开头
article-no-date = 没有日期：在前置元数据中设置 `date`（例如 2024-06-28 或 2024-06-28T09:00:00+08:00），或让文件名以日期开头
article-name-date = 文件名中的日期：{ $detail }
article-authors-both = `author` 和 `authors` 只能设置其中一个
article-unfit-characters = 已从{ $what }中删去 XML 1.0 不允许或不建议使用的字符
article-the-title = 标题
article-unknown-key-hint = 未知的前置元数据键 `{ $key }` 已被忽略；你是不是想写“{ $known }”？
article-unknown-key = 未知的前置元数据键 `{ $key }` 已被忽略
article-slug-slash = `slug`：“{ $slug }”中不能有 `/`
article-not-positive = `{ $key }` 应为正整数，而不是“{ $value }”
article-episode-type = `episode_type` 应为 full、trailer 或 bonus，而不是“{ $value }”

## 读取内容文件夹及其中的文件。
content-folder-unreadable = 无法读取内容文件夹：{ $detail }
content-folder-not-folder = 内容文件夹不是一个文件夹
content-folder-gone = 无法读取内容文件夹
content-link-not-followed = 这是符号链接，没有跟随；若要发布链接指向的内容，请设置 `content.follow_symlinks = true`
content-link-loop = 这是指向其上级文件夹的符号链接，没有跟随
content-cannot-read = 无法读取：{ $detail }
content-too-large = 文件有 { $len } 字节，超过 content.max_bytes（{ $max }）；请拆分文件，或提高上限
content-updated-future = `updated` 是 { $updated }，比现在晚一天以上；显示这篇文章的订阅源会以那个时间为准（请检查年份）
content-body-removed = 已从正文中删去 { $count } 个 XML 1.0 不允许或不建议使用的字符（第一个是 U+{ $code }）；请直接写出字符本身，或删去它
content-illegal-removed = 已删去 { $count } 个 XML 1.0 不允许的字符（第一个是 U+{ $code }）
content-not-utf8 = 不是有效的 UTF-8（字节偏移 { $offset } 处有无效字节 0x{ $byte }）；请把文件存为 UTF-8
content-duplicate-id = id“{ $id }”已被 { $first } 使用；请在其中一篇设置不同的 `id`，或给其中一篇改名

## 文章提到的文件和网址（图片、附件、链接）。
media-put-there = { $problem }；请把文件放到那里，或改正路径
media-bad-type = “{ $value }”的 `type` 应为 MIME 类型（例如 audio/mpeg），而不是“{ $mime }”
media-unknown-type = 无法从名称得知“{ $value }”的类型；请用 `type` 写明（例如 audio/mpeg）
media-bad-length = “{ $value }”的 `length` 应为字节数，而不是“{ $length }”
media-no-length = “{ $value }”没有 `length`；订阅源会写 0 字节，播客应用在下载前也显示不出大小
media-bad-duration = “{ $value }”的 `duration` 应为秒数或 H:MM:SS，而不是“{ $duration }”
media-title-character = “{ $value }”的 `title` 含有 U+{ $code }，这是 XML 1.0 不允许的字符
media-scheme = “{ $value }”是 { $scheme }: 网址；请用 http 或 https 网址，或内容文件夹中的路径
media-no-url = “{ $value }”与 `media_url` 组不成网址（{ $detail }）
media-outside = “{ $value }”指向内容文件夹之外
media-no-file = “{ $value }”没有指明文件
media-through-link = { $name } 要经过符号链接才能找到，而 `content.follow_symlinks` 不允许这样做
media-missing = { $name } 不存在
media-unreadable = 无法读取 { $name }（{ $detail }）
media-not-a-file = { $name } 不是文件
url-scheme = “{ $value }”是 { $scheme }: 网址；请用 http 或 https 网址
url-invalid = “{ $value }”不是网址（{ $detail }）

## 发布时发现的订阅源和节目问题。
two-things = { $first } 和 { $second }
feed-no-rss-image = { $feed }.rss 没有 <image>：RSS 2.0 只接受 GIF、JPEG 或 PNG，而 { $pictures } 不属于这几种；请给站点或订阅源设置 PNG 或 JPEG 格式的 `logo` 或 `icon`（Atom 和 JSON Feed 仍使用现在这张）
episode-opus = `enclosures`：{ $url } 是 Opus 格式，Apple Podcasts 不接受；请为播客订阅源 { $feed } 另外提供它的 MP3 或 M4A（AAC）版本
episode-unfit-image = `image`：{ $problem }；在播客订阅源 { $feed } 中它不作为这一集的封面（itunes:image），只作为配图
episode-no-enclosure = 未收入播客订阅源 { $feed }：每一集都需要 `enclosures`（音频或视频）
budget-summarised = { $n } 篇文章只保留摘要
budget-left-out = 最早的 { $n } 篇文章未收入
budget-over = { $document }：为不超过 max_bytes（{ $budget } 字节），{ $costs }；请提高 `max_bytes` 或降低 `limit`

## 订阅源定义（feeds/NAME.toml）。
feed-no-variant = `{ $key }`：“{ $tag }”不是我们发布的中文变体；可用的有 { $known }
feed-family-title = `title`：订阅源家族的标题需要含有 `{ $value }`，它会被替换成每个订阅源的值，例如“拱墅新闻 · { $value }”
feed-family-retired = `retired`：订阅源家族暂时不能停用；要停止发布它的订阅源，请删除它的定义
feed-moved-url = `{ $key }`：“{ $url }”不是以 http 或 https 开头的完整网址；请写读者要去的地方，例如 "https://news.example/new.rss"
feed-moved-key = `moved_to.{ $key }`：迁移表只接受订阅源所发布的每种格式各一个网址（rss、atom、json），还可以加上 `page`
feed-moved-missing = `moved_to`：这个订阅源也发布 { $format } 格式；请在表中加上 `{ $format } = "网址"`，或者给所有文档写同一个网址
feed-moved-status = `moved_status`：{ $value } 不是 301（永久移动）或 308（永久重定向）
feed-moved-status-alone = `moved_status` 只用于已迁移的订阅源；请加上 `moved_to = "网址"`，或者删除它
feed-moved-retired = `moved_to`：停用的订阅源回答 410 Gone，不会迁往任何地方；请删除 `moved_to` 或 `retired`
feed-family-moved = `moved_to`：订阅源家族暂时不能迁移；请删除 `moved_to`
feed-moved-self = `moved_to`：{ $url } 就是这个订阅源本身，读者会被送回原处
feed-moved-loop = `moved_to`：{ $url } 又绕回这里（{ $chain }），读者会被无休止地转来转去；请让其中一个指向别处
feed-moved-to-retired = `moved_to`：{ $url } 是已停用的订阅源 { $feed }，它回答 410 Gone，读者会因此退订；请指向仍在发布的订阅源
feed-moved-nowhere = `moved_to`：{ $url } 在本站，但不是本站发布的任何订阅源；请检查名称和扩展名（.rss、.atom、.json、.html）
feed-bad-name = 订阅源名称“{ $name }”只能由 ASCII 字母、数字、`-` 或 `_` 组成，因为它会成为订阅源的网址
feed-named-page = 订阅源不能叫 { $name }：它的页面 /{ $name }.html 是本站自己的页面（订阅页或“没有订阅源”页）；请给文件改名
feed-not-positive = `{ $key }`：{ $value } 不是{ $what }
feed-a-count-of-items = 正的文章数
feed-a-count = 正数
feed-no-formats = `formats`：至少写出 "rss"、"atom"、"json" 中的一个
feed-bad-language = `language`：“{ $tag }”不是语言标签（例如 zh-CN 或 en）
feed-family-only = `{ $key }` 只用于订阅源家族；请加上 `each = "tags"`（或 categories、authors、folders、languages），或删去它
feed-family-path = `path`：“{ $path }”应是一个由 ASCII 字母、数字、`-` 或 `_` 组成的文件夹名，例如 "tags"
feed-folder-unreadable = 无法读取订阅源文件夹：{ $detail }
feed-unreadable = 无法读取订阅源定义：{ $detail }
feed-archive-off = `archive_page_size` 只用于有存档的订阅源；请加上 `archive = true`，或删去它
feed-archive-size = `archive_page_size`：{ $value } 不是 1 到 { $max } 之间的文章数
feed-archive-over-limit = `archive_page_size`：{ $value } 大于 `limit`（{ $limit }）；订阅文档包含比最后一个满页更新的文章，所以每页最多 `limit` 篇：请调低它，或提高 `limit`
feed-filter-path = `{ $table }.path`：“{ $path }”应是内容文件夹中的文件夹，例如 "2024/06"
feed-excludes-all = `exclude.{ $key }` 排除了{ $why }，这个订阅源永远不会有内容；请删去二者之一
feed-excludes-every = `filter.{ $key }` 的每一项
feed-excludes-required = `filter.{ $key }_all` 要求的“{ $value }”
feed-excludes-path = `exclude.path` 排除了“{ $path }”，而它包含 `filter.path`，这个订阅源永远不会有内容；请删去二者之一

## 订阅源家族：不能作为订阅源名称的值。
family-unfit = { $noun }“{ $value }”不能作为订阅源名称（{ $why }）；它没有自己的订阅源
family-unfit-in = { $noun }“{ $value }”（在 { $file } 中）不能作为订阅源名称（{ $why }）；它没有自己的订阅源
family-noun-tags = 标签
family-noun-categories = 分类
family-noun-authors = 作者
family-noun-folders = 文件夹
family-noun-languages = 语言
family-why-slash = 含有斜杠
family-why-dot = 以点开头
family-why-control = 含有控制字符
family-why-long = 超过 200 字节
family-why-empty = 是空的
family-why-variant = 结尾与中文变体订阅源的名称相同

## 图片：播客目录和阅读器要求的封面、标志和图标。
art-missing = { $name }：文件不存在
art-unreadable-picture = 无法把 { $name } 当作图片读取
art-not-picture = { $name } 不是本程序能读取的图片（{ $detail }）
art-not-square = { $name } 是 { $width } × { $height } 像素；播客目录要求正方形封面，每边 1400 到 3000 像素
art-colours = { $name } 是{ $model }；播客目录要求 RGB 色彩空间的封面（请存为 RGB）
art-model-cmyk = CMYK 格式
art-model-ycck = YCCK（CMYK）格式
art-model-greyscale = 灰度图
art-model-other = RGB 以外的色彩模式
art-transparent = { $name } 含有透明部分；播客目录要求封面不透明（请存为不带 alpha 通道的图片）
art-unreadable = { $name }：{ $why }；播客目录要求 JPEG 或 PNG 封面
art-why-unreadable = 无法读取
art-why-not-jpeg = 不是 JPEG（{ $detail }）
art-why-not-png = 不是 PNG（{ $detail }）
art-why-neither = 既不是 JPEG 也不是 PNG
art-drawing = { $name } 是矢量图；播客目录要求 JPEG 或 PNG 封面
art-outside = “{ $value }”既不是内容文件夹中的路径（例如 images/icon.png），也不是网址
art-no-url = “{ $value }”组不成网址（{ $detail }）
art-put-there = { $problem }；请把图片放到那里，或改正路径
art-put-artwork = { $problem }；请把封面放到那里，或改正路径
art-not-jpeg-png = “{ $value }”：播客目录要求 JPEG 或 PNG 封面

## 配置文件（syndicated.toml）和播客设置。
config-character = `{ $key }` 含有 U+{ $code }，这是 XML 1.0 不允许的字符
config-unreadable = 无法读取配置文件：{ $detail }
config-max-bytes = `content.max_bytes`：至少应为 1024
config-no-authority = 没有设置 `site.authority`，所以 id 用 `base_url` 的主机名生成，主机名一变 id 也会变；请在 [site] 中加上 `authority = "{ $host }"`，网站搬家时也保留它
config-bad-language = `site.language`：“{ $tag }”不是语言标签（例如 zh-CN 或 en）
config-bad-zone = `site.timezone`：未知时区“{ $zone }”（请用 IANA 名称，例如 Asia/Shanghai 或 UTC）
config-bad-authority = `site.authority`：“{ $value }”不是域名或电子邮件地址
config-short-summary = `{ $key }`：摘要至少需要 10 个字符
config-small-feed = `{ $key }`：{ $value } 对订阅源来说太小；至少用 { $min } 字节（默认为 { $default }）
config-bad-url = `{ $key }`：“{ $value }”不是完整的 http 或 https 网址（例如 https://news.example.com/）
config-max-connections = `server.max_connections`：应在 1 到 { $max } 之间
config-debounce = `watch.debounce_ms`：{ $value } 超过一小时；请用不超过 { $max } 的毫秒数
config-seconds = `{ $key }`：{ $value } 不是 0 到一年之间的秒数
config-websub-timeout = `websub.timeout`：{ $value } 不是 0 到 600 之间的秒数
config-websub-attempts = `websub.attempts`：{ $value } 不是 1 到 100 之间的次数
config-bad-hub = `{ $key }`：“{ $value }”不是 hub 的完整 http 或 https 网址（例如 https://pubsubhubbub.appspot.com/）
config-min-interval = `server.min_interval`：{ $value } 不是 1 到 86400 之间的秒数
config-bad-network = `{ $key }`：“{ $value }”不是地址或网段（例如 10.0.0.0/8 或 ::1）
podcast-category = “{ $value }”不是 Apple 的分类之一（{ $names }）
podcast-subcategory = “{ $value }”不是 Apple 在 { $top } 下的子分类之一（{ $names }）
podcast-owner-email = `podcast.owner.email`：“{ $value }”不是电子邮件地址
podcast-type = `podcast.type`：“{ $value }”既不是 "episodic" 也不是 "serial"
podcast-required = 播客目录要求填写 `podcast.{ $key }`；请加上 { $example }
podcast-funding = `podcast.funding` 需要 http 或 https 的 `url` 和一段纯文本 `text`

## 文章的其他问题。
article-bad-id = `id`：“{ $id }”不是完整的 URI（例如 tag:example.com,2024-06-28:fire）
article-no-link = 无法用“{ $relative }”生成链接：{ $detail }
article-bad-link = 无法读取链接“{ $link }”：{ $detail }
article-transcript-type = `transcript`：无法从名称得知“{ $value }”的类型；请把它命名为 .vtt、.srt、.html 或 .json
article-bad-lang = `lang`：“{ $lang }”不是语言标签（例如 zh-CN 或 en）；按站点的语言处理
article-exclude-unknown = `exclude_from` 写了“{ $name }”，但没有这个订阅源（现有的订阅源是 { $names }）；这篇文章仍会出现在它本该出现的每个订阅源中
family-same-path = 这个家族的订阅源会放在 /{ $prefix }/，而 { $first } 的订阅源已经在那里；请设置另一个 `path`
permalink-unclosed = “{ $template }”中的 `{"{"}` 没有闭合
permalink-placeholder = “{ $template }”中有未知的占位符 `{"{"}{ $token }{"}"}`（可用 {"{"}dir{"}"}、{"{"}slug{"}"}、{"{"}year{"}"}、{"{"}month{"}"} 或 {"{"}day{"}"}）
listen-bad = “{ $text }”不是主机加端口（例如 127.0.0.1:8080、localhost:8080 或 [::1]:8080）

## check 的最后一行（build 的用英文）。
check-summary = { $articles } 篇文章，{ $feeds } 个订阅源，{ $drafts } 篇草稿，{ $scheduled } 篇定时发布，{ $errors } 个错误，{ $warnings } 个警告

## init 打印的内容。
init-wrote = 已写入 { $path }
init-no-zone = 注意：本机的时区没有 IANA 名称，所以配置里写的是 timezone = "UTC"；请把 site.timezone 改成你的时区（例如 Asia/Shanghai）
init-serve = 运行：syndicated --config { $dir } serve，然后打开它显示的地址（http://localhost:8080/，或 --port 指定的端口）

## init 和 new 做不到的事。
scaffold-exists = { $path } 已经存在；`init` 只在没有站点的地方写新站点（请换一个文件夹，或直接编辑那个站点）
scaffold-write = 写入 { $path } 时出错：{ $detail }
scaffold-outside = `--dir { $dir }` 应是内容文件夹中的文件夹（不能有 `..`，也不能是绝对路径）
scaffold-no-title = `new` 需要一个标题，例如：syndicated new "运河早安"

## check 对尚未准备好发布的站点的提示。
ready-example-url = `site.base_url` 是 { $url }，这是专供示例用的域名：阅读器访问不到；请改成站点真正发布的地址
ready-local-url = `site.base_url` 是 { $url }，指向本机：试用没问题，但别处的阅读器访问不到；请改成站点真正发布的地址
ready-local-authority = `site.authority` 是 localhost，而它会成为每篇文章永久 id 的一部分：请在发布前把它设成你拥有的域名或电子邮件地址（例如 news.example.com），设定后不要再改
feed-empty = `{ $feed }` 还没有任何文章：阅读器会收到一个空的订阅源，日期是 1970-01-01（没有文章给它日期）；请发布一篇它会显示的文章，或检查它的 `filter`

## 启动时。
listen-in-use = 无法在 { $address } 上监听：已有其他程序在那里监听；请停掉它，或用 --port { $port } 换一个端口
listen-in-use-by = 无法在 { $address } 上监听：{ $name }（进程 { $pid }）正在那里监听；请停掉它，或用 --port { $port } 换一个端口
config-missing = 这里没有配置文件：运行 `syndicated init` 写一个新站点，或用 --config PATH 指定（一个文件，或站点所在的文件夹）
