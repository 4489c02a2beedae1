# syndicated 寫給人看的文字，繁體中文。

## 預覽中標題前的標記。
draft = 草稿
scheduled = 排程發布

## 訂閱頁與各訂閱源的頁面。
what-is-a-feed = 訂閱源（RSS、Atom 或 JSON Feed）把新文章送到你的閱讀器：複製下面的網址，貼到 Feedly、Inoreader、NetNewsWire 等閱讀器的「新增訂閱」即可。
subscribe = 訂閱網址
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
