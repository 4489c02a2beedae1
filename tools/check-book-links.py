#!/usr/bin/env python3
"""Every link inside the book leads somewhere: a page mdBook wrote and, when
the link names a heading (`page.html#id`, `#id`), an element with that id.
So does every link from the README into the repository (its chapters).
Links to other sites are not followed.

    python3 tools/check-book-links.py target/book

Exit status 1, with one line per dead link, when any is dead.
"""
import html.parser
import os
import re
import sys
import urllib.parse


class Page(html.parser.HTMLParser):
    """The ids and the link targets of one HTML page."""

    def __init__(self):
        super().__init__()
        self.ids = set()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and tag == "a" and value is not None:
                self.links.append(value)


def read(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        page.feed(f.read())
    return page


def main(root):
    pages = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if name.endswith(".html"):
                path = os.path.normpath(os.path.join(folder, name))
                pages[path] = read(path)
    if not pages:
        print(f"check-book-links: no page in {root}", file=sys.stderr)
        return 1
    dead = []
    for path, page in sorted(pages.items()):
        for link in page.links:
            parsed = urllib.parse.urlsplit(link)
            if parsed.scheme or parsed.netloc:
                continue
            target = path
            if parsed.path:
                target = os.path.normpath(
                    os.path.join(os.path.dirname(path), urllib.parse.unquote(parsed.path))
                )
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
            fragment = urllib.parse.unquote(parsed.fragment)
            if target.endswith(".html"):
                found = pages.get(target)
                if found is None:
                    dead.append(f"{path}: {link}: no such page")
                elif fragment and fragment not in found.ids:
                    dead.append(f"{path}: {link}: no heading #{fragment}")
            elif not os.path.exists(target):
                dead.append(f"{path}: {link}: no such file")
    dead += readme_links("README.md")
    for line in dead:
        print(f"check-book-links: {line}", file=sys.stderr)
    return 1 if dead else 0


def readme_links(readme):
    """The README's links to files of the repository that do not exist."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    dead = []
    for link in re.findall(r"\]\(([^)\s]+)\)", text):
        parsed = urllib.parse.urlsplit(link)
        if parsed.scheme or parsed.netloc or not parsed.path:
            continue
        if not os.path.exists(urllib.parse.unquote(parsed.path)):
            dead.append(f"{readme}: {link}: no such file")
    return dead


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/book"))
