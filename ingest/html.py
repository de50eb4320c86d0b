"""Turn an HTML page into markdown-like text (headings '#', bullets '• '), dropping page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

# Elements that never hold document content.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "input", "select", "textarea", "nav", "aside", "dialog", "link", "meta",
)
# id/class/role words that mark furniture (cookie banners, menus, share bars, newsletter boxes).
_FURNITURE = re.compile(
    r"(^|[\s_-])(cookie|consent|gdpr|banner|newsletter|nyhedsbrev|subscribe|tilmeld|menu|navbar|"
    r"navigation|nav|breadcrumbs?|brødkrumme|share|social-?links|some-links|skip|skiplink|"
    r"sidebar|related|relaterede|search|søg|footer|site-header|masthead|toolbar|pagination|"
    r"print|popup|modal|overlay|widget|ad|advert|promo)([\s_-]|$)",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "blockquote", "pre",
    "table", "tr", "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "td", "th", "body", "html",
    "thead", "tbody", "tfoot", "caption",
}
# Cells and items never run together when a container's text is read as one
_SEPARATED = {"td", "th", "li", "p", "div", "dt", "dd", "tr"}


@dataclass(frozen=True)
class HtmlMeta:
    title: str | None
    date: str | None  # raw date string from <time> or meta tags
    description: str | None
    site: str | None = None  # the site's name (og:site_name, or "Page title | Site name")


def html_to_text(markup: str) -> tuple[str, HtmlMeta]:
    """Convert HTML to markdown-like text and page metadata. Never raises on malformed HTML."""
    soup = BeautifulSoup(markup, "lxml")
    meta = _meta(soup)
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    _drop_furniture(root)
    lines: list[str] = []
    _walk(root, lines, depth=0)
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return text, meta


def _meta(soup: BeautifulSoup) -> HtmlMeta:
    title = None
    # "Page title | Site name"
    parts = re.split(r"\s+[|–—-]\s+", soup.title.string.strip()) if soup.title and soup.title.string else []
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = " ".join(h1.get_text(" ", strip=True).split())
    elif parts:
        title = parts[0].strip() or None
    date = None
    for attrs in (
        {"property": "article:published_time"},
        {"name": "date"},
        {"name": "dcterms.date"},
        {"name": "DC.date"},
        {"itemprop": "datePublished"},
    ):
        m = soup.find("meta", attrs=attrs)
        if m and m.get("content"):
            date = m["content"][:10]
            break
    if date is None:
        t = soup.find("time")
        if t:
            date = (t.get("datetime") or t.get_text(" ", strip=True) or "")[:40] or None
    desc = soup.find("meta", attrs={"name": "description"})
    site = None
    og = soup.find("meta", attrs={"property": "og:site_name"})
    if og and og.get("content", "").strip():
        site = " ".join(og["content"].split())
    elif len(parts) > 1 and 0 < len(parts[-1].split()) <= 5:
        site = parts[-1].strip()
    return HtmlMeta(title, date, desc.get("content") if desc else None, site)


def _drop_furniture(root: Tag) -> None:
    for tag in list(root.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.parent is None:
            continue
        if tag.name in ("main", "article", "h1"):
            continue
        attrs = getattr(tag, "attrs", None) or {}
        words = " ".join(
            [attrs.get("id") or "", " ".join(attrs.get("class") or []), attrs.get("role") or "",
             attrs.get("aria-label") or ""]
        )
        if tag.name in ("header", "footer") or (words.strip() and _FURNITURE.search(words)):
            if tag.find("h1") or tag.find("main") or tag.find("article"):
                continue  # an article header holds the title: keep it
            tag.decompose()


def _inline_text(tag: Tag) -> str:
    parts = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif node.name == "br":
            parts.append("\n")
        elif node.name in _SEPARATED:
            parts.append(" ")
        elif node.name == "img" and node.get("alt"):
            pass  # alt text of images is not document content
    text = "".join(parts)
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _has_block_child(tag: Tag) -> bool:
    return any(isinstance(c, Tag) and c.name in _BLOCK_TAGS and c.name != "br" for c in tag.children)


def _walk(tag: Tag, out: list[str], depth: int) -> None:
    if depth > 200:  # pathological nesting: flatten what is left
        text = _inline_text(tag)
        if text:
            out += ["", text, ""]
        return
    name = tag.name
    if name and re.fullmatch(r"h[1-6]", name):
        text = " ".join(tag.get_text(" ", strip=True).split())
        if text:
            out += ["", "#" * int(name[1]) + " " + text, ""]
        return
    if name == "li" and not _has_block_child(tag):
        text = " ".join(_inline_text(tag).split())
        if text:
            out.append("• " + text)
        return
    if name == "tr":
        cells = [" ".join(c.get_text(" ", strip=True).split()) for c in tag.find_all(["td", "th"])]
        cells = [c for c in cells if c]
        if cells:
            out.append(" | ".join(cells))
        return
    if name in ("p", "dd", "dt", "figcaption", "blockquote", "pre", "address") or (
        name in _BLOCK_TAGS and not _has_block_child(tag)
    ):
        text = _inline_text(tag)
        if text:
            out += ["", text, ""]
        return
    # a container: walk children, gathering loose inline text into paragraphs
    buf: list[str] = []

    def flush() -> None:
        text = " ".join("".join(buf).split())
        if text:
            out.extend(["", text, ""])
        buf.clear()

    for child in tag.children:
        if isinstance(child, NavigableString):
            buf.append(str(child))
        elif isinstance(child, Tag):
            if child.name in _BLOCK_TAGS:
                flush()
                _walk(child, out, depth + 1)
                if child.name in ("ul", "ol", "table"):
                    out.append("")
            else:
                buf.append(child.get_text(" "))
    flush()
