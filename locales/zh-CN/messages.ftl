# syndicated 写给人看的文字，简体中文。

## 预览中标题前的标记。
draft = 草稿
scheduled = 定时发布

## 订阅页与各订阅源的页面。
what-is-a-feed = 订阅源（RSS、Atom 或 JSON Feed）把新文章送到你的阅读器：复制下面的地址，粘贴到 Feedly、Inoreader、NetNewsWire 等阅读器的“添加订阅”中即可。
subscribe = 订阅地址
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
