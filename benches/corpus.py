#!/usr/bin/env python3
"""Deterministic benchmark corpus for syndicated (and the same site for Hugo).

    python3 benches/corpus.py --articles N --out DIR [--seed 1]

writes

    DIR/syndicated.toml           site config (zh-CN, Asia/Shanghai)
    DIR/feeds/all.toml            one feed of every article, limit = 50
    DIR/feeds/tags.toml           with --tag-family: a feed per tag, limit = 50
    DIR/content/YYYY/MM/SLUG.md   N articles: YAML front matter + Chinese body
    DIR/hugo/                     a Hugo site (0.111) whose content/ is a
                                  symlink to ../content, rendering only
                                  index.xml (RSS, 50 items, full text)

Same arguments give byte-identical files: one seeded random.Random drives
everything, in a fixed order, and nothing depends on the clock, the
environment or dict order. Stdlib only; 100,000 articles take a few seconds.
"""

import argparse
import datetime
import os
import random
import sys

# Words the bodies and titles are made of: nouns, verbs, adjectives and
# connectives of local-news prose. The order is fixed; never sort a set here.
WORDS = (
    "拱墅区 杭州市 大运河 街道 社区 居民 群众 干部 企业 项目 园区 产业 经济 "
    "发展 建设 推进 落实 开展 举行 召开 部署 研究 服务 保障 提升 优化 完善 "
    "加快 深化 创新 改革 开放 治理 文化 旅游 教育 医疗 卫生 养老 托育 就业 "
    "交通 地铁 道路 公园 绿道 河道 环境 生态 安全 应急 消防 防汛 疫情 "
    "数字化 智慧 平台 数据 系统 网络 科技 人才 高校 研发 成果 转化 投资 "
    "招商 签约 开工 竣工 投用 运营 市场 消费 商圈 夜经济 文创 非遗 博物馆 "
    "图书馆 体育 赛事 亚运 志愿者 党建 基层 网格 物业 老旧小区 改造 加装 "
    "电梯 停车 垃圾分类 共同富裕 高质量 现代化 示范 试点 标杆 品牌 特色 "
    "重点 难点 堵点 痛点 民生 实事 工程 任务 目标 指标 机制 政策 措施 "
    "资金 补助 奖励 考核 督查 调研 座谈 会议 活动 仪式 论坛 讲座 展览 "
    "全面 积极 持续 有效 扎实 稳步 不断 进一步 切实 认真 主动 协同 联动 "
    "统筹 精准 精细 规范 有序 高效 便捷 温暖 美丽 和谐 幸福 "
    "和 与 及 以及 并 同时 此外 其中 为了 通过 围绕 聚焦 坚持 依托 "
    "今年 上半年 下半年 近日 日前 当天 目前 下一步 未来 三年 "
    "记者 通讯员 负责人 专家 学者 代表 委员 书记 区长 主任 站长 "
    "城市 乡村 街区 楼宇 厂房 仓库 码头 桥梁 隧道 站点 "
    "千 百 万 亿元 余家 多个 个 项 次 人次"
).split()

TAG_POOL = (
    "大运河 亚运会 消防 应急管理 科技创新 数字经济 营商环境 招商引资 城市更新 "
    "老旧小区 未来社区 共同富裕 文化旅游 非遗 教育 医疗 养老 托育 就业 "
    "交通 地铁 公园 绿道 河道治理 生态环境 垃圾分类 防汛 安全生产 食品安全 "
    "基层治理 党建 志愿服务 体育 图书馆 博物馆 文创 夜经济 商圈 楼宇经济 "
    "人才 高校 研发 数字化改革 智慧城市 民生实事 政务服务 法治 社保 住房"
).split()

CATEGORIES = ["时政", "经济", "社会", "文化", "科技", "生态", "教育", "体育"]

# Tags as a newsroom's grow: a few thousand distinct ones, with a long tail.
# TAG_POOL first (the common ones), then two-word tags made from WORDS, in a
# fixed order; each article takes 1-5 of them with Zipf-like weights
# (1 / rank), so a few tags are on many articles and most on a handful.
DISTINCT_TAGS = 3000


def make_tags(rng):
    tags = list(TAG_POOL)
    seen = set(tags)
    while len(tags) < DISTINCT_TAGS:
        tag = WORDS[rng.randrange(len(WORDS))] + WORDS[rng.randrange(len(WORDS))]
        if tag not in seen:
            seen.add(tag)
            tags.append(tag)
    weights = []
    total = 0.0
    for rank in range(1, len(tags) + 1):
        total += 1.0 / rank
        weights.append(total)
    return tags, weights


def pick_tags(rng, tags, cumulative):
    want = rng.randint(1, 5)
    chosen = []
    while len(chosen) < want:
        tag = rng.choices(tags, cum_weights=cumulative)[0]
        if tag not in chosen:
            chosen.append(tag)
    return chosen

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志新文斌宇浩凯晨欣怡佳雨婷雪琳颖楠朝飞龙佳颖瑜晓燕嘉")

FIRST_YEAR, LAST_YEAR = 2019, 2024
SENTENCE_POOL = 6000  # distinct sentences the bodies are drawn from


def make_authors(rng, n=80):
    pool = []
    seen = set()
    while len(pool) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in seen:
            seen.add(name)
            pool.append(name)
    return pool


def make_sentences(rng, n):
    """n sentences of 5-16 words with ，、 inside and 。 at the end."""
    out = []
    choices = rng.choices
    for _ in range(n):
        words = choices(WORDS, k=rng.randint(5, 16))
        parts = [words[0]]
        for w in words[1:]:
            r = rng.random()
            if r < 0.14:
                parts.append("，")
            elif r < 0.22:
                parts.append("、")
            parts.append(w)
        out.append("".join(parts) + "。")
    return out


def make_title(rng):
    words = rng.choices(WORDS, k=rng.randint(3, 7))
    if rng.random() < 0.3:
        cut = rng.randint(1, len(words) - 1)
        return "".join(words[:cut]) + "，" + "".join(words[cut:])
    return "".join(words)


def make_body(rng, sentences, target, links):
    """Paragraphs of whole sentences until about `target` characters."""
    paras = []
    size = 0
    n_sent = len(sentences)
    while size < target:
        if paras and rng.random() < 0.2:
            head = "## " + "".join(rng.choices(WORDS, k=rng.randint(2, 4)))
            paras.append(head)
            size += len(head)
        para = []
        psize = 0
        want = rng.randint(80, 400)
        while psize < want and size + psize < target:
            s = sentences[rng.randrange(n_sent)]
            para.append(s)
            psize += len(s)
        if links and rng.random() < 0.06:
            text, href = links[rng.randrange(len(links))]
            para.append("详见[%s](%s)。" % (text, href))
        text = "".join(para)
        paras.append(text)
        size += len(text)
    return "\n\n".join(paras) + "\n"


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


SYNDICATED_TOML = """\
# Benchmark corpus written by benches/corpus.py; do not edit.
[site]
title = "拱墅新闻（基准测试）"
description = "benches/corpus.py 生成的基准测试语料"
base_url = "https://bench.example/"
language = "zh-CN"
timezone = "Asia/Shanghai"
authority = "bench.example"
author = "拱墅报"

[paths]
content = "content"
feeds = "feeds"
"""

ALL_FEED_TOML = """\
title = "拱墅新闻（基准测试）"
description = "全部文章"
limit = 50
"""

# Hugo 0.111: render only the home page's RSS (index.xml). Pages have no
# output of their own; sections, taxonomies, sitemap, robots.txt and 404 are
# off. Content is the same folder syndicated reads (hugo/content is a symlink).
HUGO_CONFIG = """\
# Benchmark site written by benches/corpus.py; do not edit.
baseURL = "https://bench.example/"
languageCode = "zh-cn"
title = "拱墅新闻（基准测试）"
timeZone = "Asia/Shanghai"
hasCJKLanguage = true
disableKinds = ["taxonomy", "term", "section", "sitemap", "robotsTXT", "404"]
enableRobotsTXT = false

[outputs]
home = ["RSS"]
page = []
section = []
taxonomy = []
term = []

[services.rss]
limit = 50

# An empty output list falls back to HTML on 0.111 (and warns once per page
# for the missing layout): render no page, but keep its permalink.
[[cascade]]
  [cascade._build]
    render = "link"
    list = "always"
  [cascade._target]
    kind = "page"
"""

# Hugo's own RSS template, plus the full text (.Content) in <content:encoded>
# and the tags as <category>, as syndicated's RSS carries them.
HUGO_RSS = """\
{{- $pages := .Site.RegularPages -}}
{{- $limit := .Site.Config.Services.RSS.Limit -}}
{{- if ge $limit 1 }}{{ $pages = $pages | first $limit }}{{ end -}}
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\" standalone=\\"yes\\"?>" | safeHTML }}
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>{{ .Site.Title }}</title>
    <link>{{ .Permalink }}</link>
    <description>{{ .Site.Title }}</description>
    <language>{{ .Site.LanguageCode }}</language>
    {{- with .OutputFormats.Get "RSS" }}
    {{ printf "<atom:link href=%q rel=\\"self\\" type=%q />" .Permalink .MediaType | safeHTML }}
    {{- end }}
    {{- range $pages }}
    <item>
      <title>{{ .Title }}</title>
      <link>{{ .Permalink }}</link>
      <pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" | safeHTML }}</pubDate>
      <guid>{{ .Permalink }}</guid>
      {{- range .Params.tags }}
      <category>{{ . }}</category>
      {{- end }}
      <description>{{ .Summary | html }}</description>
      <content:encoded>{{ .Content | html }}</content:encoded>
    </item>
    {{- end }}
  </channel>
</rss>
"""


TAG_FAMILY_TOML = """\
# Benchmark corpus written by benches/corpus.py; do not edit.
each = "tags"
title = "拱墅新闻 · {value}"
limit = 50
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, required=True, metavar="N")
    ap.add_argument("--out", required=True, metavar="DIR")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--tag-family",
        action="store_true",
        help="also write feeds/tags.toml: a feed family with a feed per tag",
    )
    args = ap.parse_args(argv)
    n = args.articles
    if n < 1:
        ap.error("--articles must be at least 1")
    out = args.out
    content = os.path.join(out, "content")
    if os.path.exists(content):
        ap.error("%s already exists; give a new --out" % content)

    rng = random.Random(args.seed)
    authors = make_authors(rng)
    sentences = make_sentences(rng, SENTENCE_POOL)
    tag_list, tag_weights = make_tags(rng)

    # Distinct publication times (seconds since FIRST_YEAR-01-01 00:00 local),
    # so that "newest 50" is the same set and order for every tool.
    start = datetime.datetime(FIRST_YEAR, 1, 1)
    span = int((datetime.datetime(LAST_YEAR + 1, 1, 1) - start).total_seconds())
    if n > span:
        ap.error("--articles is larger than the number of seconds in %d-%d" % (FIRST_YEAR, LAST_YEAR))
    seconds = rng.sample(range(span), n)

    made_dirs = set()
    links = []  # (text, relative href) of articles already written
    for i, sec in enumerate(seconds):
        when = start + datetime.timedelta(seconds=sec)
        ym = "%04d/%02d" % (when.year, when.month)
        folder = os.path.join(content, str(when.year), "%02d" % when.month)
        if folder not in made_dirs:
            os.makedirs(folder, exist_ok=True)
            made_dirs.add(folder)
        slug = "n%06d" % i

        title = make_title(rng)
        who = rng.sample(authors, 1 if rng.random() < 0.7 else 2)
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        tags = pick_tags(rng, tag_list, tag_weights)
        # The last sentence, a link and the blank lines may add ~150 chars.
        target = rng.randint(300, 2850)
        body = make_body(rng, sentences, target, links)

        text = (
            "---\n"
            "title: %s\n"
            "date: %s+08:00\n"
            "authors: [%s]\n"
            "category: %s\n"
            "tags: [%s]\n"
            "---\n\n%s"
        ) % (title, when.strftime("%Y-%m-%dT%H:%M:%S"), ", ".join(who), category, ", ".join(tags), body)
        write(os.path.join(folder, slug + ".md"), text)

        # A relative link to this article from later ones, resolved against
        # their own page (https://bench.example/YYYY/MM/SLUG/).
        if len(links) < 200 or rng.random() < 0.01:
            href = "../../../%s/%s/" % (ym, slug)
            if len(links) < 200:
                links.append((title, href))
            else:
                links[rng.randrange(len(links))] = (title, href)

    os.makedirs(os.path.join(out, "feeds"), exist_ok=True)
    write(os.path.join(out, "syndicated.toml"), SYNDICATED_TOML)
    write(os.path.join(out, "feeds", "all.toml"), ALL_FEED_TOML)
    if args.tag_family:
        write(os.path.join(out, "feeds", "tags.toml"), TAG_FAMILY_TOML)

    hugo = os.path.join(out, "hugo")
    os.makedirs(os.path.join(hugo, "layouts"), exist_ok=True)
    write(os.path.join(hugo, "config.toml"), HUGO_CONFIG)
    write(os.path.join(hugo, "layouts", "index.rss.xml"), HUGO_RSS)
    link = os.path.join(hugo, "content")
    if not os.path.islink(link):
        os.symlink(os.path.join("..", "content"), link)
    return 0


if __name__ == "__main__":
    sys.exit(main())
