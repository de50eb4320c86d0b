"""Polite crawling of a site section or a sitemap, for `policyqa ingest URL --crawl`.

`crawl()` yields one `Page` per URL as it goes, so the caller can ingest while the crawl runs.
It fetches robots.txt once per origin and obeys it, waits between two requests to the same
host, sends conditional GETs for pages it has seen before, and fetches each normalised URL at
most once, so link cycles end. Only the standard library and BeautifulSoup (lxml) are used.
"""

from __future__ import annotations

import http.client
import mimetypes
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

from bs4 import BeautifulSoup

from policyqa.errors import UsageError

Status = Literal["fetched", "not_modified", "failed", "skipped"]

DEFAULT_PORTS = {"http": 80, "https": 443}
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What the ingest pipeline can read; anything else is skipped without reading its body.
INGESTIBLE_TYPES = HTML_TYPES | {"application/pdf", "text/plain", "text/markdown",
                                 "text/x-markdown",
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
XML_TYPES = frozenset({"application/xml", "text/xml"})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
# A sitemap index may list thousands of sitemaps; reading them all would never reach the pages.
MAX_SITEMAPS = 50
# Google reads the first 500 KiB of a robots.txt too; rules past that are ignored.
ROBOTS_MAX_BYTES = 512_000
# A Crawl-delay above this would stall the crawl for hours; the wait is capped instead.
MAX_CRAWL_DELAY = 60.0
# Characters left as they are when percent-encoding a path or query: the reserved ones and '%'
# itself, so that a URL that is already encoded comes out unchanged.
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


@dataclass(frozen=True)
class Validators:
    """HTTP cache validators remembered from the last fetch of a URL."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Page:
    """The outcome for one URL of a crawl."""

    url: str                  # final URL after redirects, normalised, without fragment (the
                              # URL that redirected, when the redirect is refused)
    status: Status
    data: bytes = b""         # the body, when fetched
    content_type: str = ""    # e.g. "text/html", "application/pdf", "text/plain"
    charset: str | None = None
    validators: Validators = Validators()  # from this response (ETag / Last-Modified)
    reason: str = ""          # one line, for failed and skipped pages
    links: tuple[str, ...] = ()  # the links an HTML page gives to follow (normalised), kept
                                 # by the caller so that a later crawl can follow them past
                                 # a not-modified page


def normalize_url(url: str) -> str | None:
    """The canonical form of an http(s) URL, or None for other schemes and malformed URLs.

    Scheme and host are lowercased, the default port and the fragment are dropped, an empty
    path becomes '/', non-ASCII characters are percent-encoded (hrefs such as '/høringer' are
    common on Danish sites and http.client only sends ASCII); the query is kept.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = parts.hostname or ""
        if not host.isascii():
            host = host.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if ":" in host:  # urlsplit strips the brackets of an IPv6 address
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(parts.path or "/", safe=_SAFE_PATH)
    return urlunsplit((scheme, netloc, path, quote(parts.query, safe=_SAFE_QUERY), ""))


def crawl(start: str, *, depth: int = 2, same_site: bool = True, max_pages: int = 200,
          delay: float = 1.0, timeout: float = 15.0, max_bytes: int = 25_000_000,
          known: Mapping[str, Validators] | None = None,
          known_links: Mapping[str, Sequence[str]] | None = None,
          user_agent: str = "policyqa/0.1 (+offline-first Q&A)",
          sleep: Callable[[float], None] = time.sleep) -> Iterator[Page]:
    """Crawl breadth-first from `start`, yielding a `Page` per URL as it is handled.

    depth: 0 fetches only the start page, 1 also the pages it links to, and so on. Links are
        read from `<a href>` and `<link rel=next>` of HTML pages only; `rel=nofollow` links and
        all links of a page with `<meta name=robots content=nofollow>` are not followed.
    same_site: only URLs on the start URL's host are followed (`www.x.dk` counts as `x.dk`;
        scheme and port are not compared). When the start URL's path ends in '/', as in
        `https://x.dk/social/`, the crawl also stays under that path. Links out of scope are
        dropped without a Page; a redirect out of scope gives a `skipped` Page naming the
        target, which is not fetched (redirects are followed hop by hop for that reason, and
        each hop is checked against robots.txt and deduplicated). The start URL is checked
        too: pass the final URL if it redirects elsewhere. False follows any host.
    max_pages: at most this many Pages are yielded, whatever their status, so at most this
        many pages are fetched; then one last `skipped` Page, "page limit of N reached", names
        the first URL left out and the crawl stops. robots.txt and sitemap files do not count.
    delay: seconds between two requests to the same host, robots.txt included, taken with
        `sleep`; time the caller spends between two Pages counts. A larger robots.txt
        Crawl-delay wins (whole seconds, as robotparser reads it; capped at MAX_CRAWL_DELAY).
    known: validators from an earlier crawl, keyed by Page.url. Those URLs are fetched with
        If-None-Match / If-Modified-Since; a 304 yields `not_modified` with the validators.
        A not-modified page's body is not sent again, so its links are taken from
        `known_links` (its Page.links of the earlier crawl); without them they are not followed.
    max_bytes, timeout: per response and per request. A larger body fails its page.

    If `start` is a sitemap (its path ends in '.xml', or it is served as XML, and its root is
    `<urlset>` or `<sitemapindex>`), its `<loc>` pages are crawled as start pages (level 0,
    so their links are followed when depth > 0); nested sitemap indexes are followed, at most
    MAX_SITEMAPS sitemap files in all. A sitemap yields no Page of its own unless it fails.

    robots.txt is read once per origin with urllib.robotparser semantics: a disallowed URL is
    `skipped` "disallowed by robots.txt"; a robots.txt answering 404 (any 4xx but 401/403)
    allows everything, 401/403 allow nothing; a 5xx or unreachable robots.txt fails that
    host's pages ("robots.txt unreachable (...)") as RFC 9309 says to assume a full disallow.

    Pages of other types than HTML, PDF or plain/markdown text are `skipped` with the type in
    the reason; HTTP errors, timeouts, connection errors, a redirect loop and more than
    MAX_REDIRECTS redirects give `failed` with a one-line reason, and the crawl goes on.

    Raises UsageError at once (not at the first `next()`) for a start that is no http(s) URL,
    or a negative depth, delay or limit.
    """
    start_url = normalize_url(start)
    if start_url is None:
        raise UsageError(f"cannot crawl {start!r}: not an http:// or https:// URL")
    if depth < 0 or max_pages < 1 or max_bytes < 1 or delay < 0 or timeout <= 0:
        raise UsageError("crawl needs depth >= 0, max_pages >= 1, max_bytes >= 1, delay >= 0 "
                         "and timeout > 0")
    crawler = _Crawler(start_url, depth=depth, same_site=same_site, max_pages=max_pages,
                       delay=delay, timeout=timeout, max_bytes=max_bytes, known=known or {},
                       known_links=known_links or {}, user_agent=user_agent, sleep=sleep)
    return crawler.run()


@dataclass(frozen=True)
class _Item:
    """A URL waiting in the crawl queue."""

    url: str
    level: int      # link distance from a start page
    sitemap: bool   # the start URL or an entry of a sitemap index, so it may be a sitemap


@dataclass(frozen=True)
class _Scope:
    """The part of the web a same-site crawl stays in."""

    site: str     # host without 'www.'
    prefix: str   # path prefix

    @classmethod
    def of(cls, start: str) -> _Scope:
        parts = urlsplit(start)
        return cls(_site(parts.hostname or ""), parts.path if parts.path.endswith("/") else "/")

    def outside(self, url: str) -> str | None:
        """Why a normalised URL is out of scope ("off-site", "outside /social/"), or None."""
        parts = urlsplit(url)
        if _site(parts.hostname or "") != self.site:
            return "off-site"
        if not parts.path.startswith(self.prefix):
            return f"outside {self.prefix}"
        return None


@dataclass(frozen=True)
class _Robots:
    """What one origin's robots.txt lets the crawler fetch."""

    rules: RobotFileParser | None  # None: nothing may be fetched
    refusal: str = "disallowed by robots.txt"
    status: Status = "skipped"

    def refuses(self, url: str, user_agent: str) -> bool:
        return self.rules is None or not self.rules.can_fetch(user_agent, url)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Turns redirects into HTTPErrors, so that the crawler checks scope, robots.txt and
    duplicates before it requests the target."""

    def redirect_request(self, req: urllib.request.Request, fp: object, code: int, msg: str,
                         headers: http.client.HTTPMessage, newurl: str) -> None:
        return None


class _Crawler:
    """The state of one crawl: queue, URLs seen, robots.txt rules and request times per host."""

    def __init__(self, start: str, *, depth: int, same_site: bool, max_pages: int,
                 delay: float, timeout: float, max_bytes: int, known: Mapping[str, Validators],
                 known_links: Mapping[str, Sequence[str]], user_agent: str,
                 sleep: Callable[[float], None]):
        self.start = start
        self.depth = depth
        self.scope = _Scope.of(start) if same_site else None
        self.max_pages = max_pages
        self.delay = delay
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Keyed like Page.url, whatever form the caller stored the URLs in
        self.known = {normalize_url(url) or url: v for url, v in known.items()}
        self.known_links = {normalize_url(url) or url: tuple(v) for url, v in known_links.items()}
        self.user_agent = user_agent
        self.sleep = sleep
        self.pages_opener = urllib.request.build_opener(_NoRedirect)
        # robots.txt often redirects (http -> https, x.dk -> www.x.dk); urllib may follow that
        self.robots_opener = urllib.request.build_opener()
        self.robots: dict[str, _Robots] = {}           # by origin
        self.host_delay: dict[str, float] = {}         # by netloc, where Crawl-delay > delay
        self.last_request: dict[str, float] = {}       # by netloc, time.monotonic()
        self.seen: set[str] = set()  # queued or tried: never queued again
        self.tried: set[str] = set()  # requested or refused by robots.txt: never tried again
        self.sitemaps_read = 0

    def run(self) -> Iterator[Page]:
        queue = deque([_Item(self.start, 0, sitemap=True)])
        self.seen.add(self.start)
        yielded = 0
        while queue:
            item = queue.popleft()
            if item.url in self.tried:
                continue  # already reached as the target of a redirect
            if yielded >= self.max_pages:
                yield Page(item.url, "skipped", reason=f"page limit of {self.max_pages} reached")
                return
            if item.sitemap and self.sitemaps_read >= MAX_SITEMAPS:
                yield Page(item.url, "skipped", reason=f"sitemap limit of {MAX_SITEMAPS} reached")
                yielded += 1
                continue
            page = self._fetch(item)
            if page is None:
                continue
            if page.status == "fetched" and item.sitemap and _maybe_sitemap(page):
                try:
                    kind, locs = _read_sitemap(page.data)
                except ValueError as e:
                    if page.content_type not in INGESTIBLE_TYPES:
                        page = replace(page, status="failed", data=b"",
                                       reason=f"not a sitemap ({e})")
                    # else an HTML or text page at a '.xml' URL: ingested as a page
                else:
                    self.sitemaps_read += 1
                    for loc in locs:
                        self._enqueue(queue, loc, 0, sitemap=kind == "sitemapindex")
                    continue
            if page.status == "fetched" and page.content_type in HTML_TYPES:
                page = replace(page, links=tuple(_links(page.data, page.charset, page.url)))
            elif page.status == "not_modified":
                page = replace(page, links=self.known_links.get(page.url, ()))
            yield page
            yielded += 1
            if item.level < self.depth:
                for link in page.links:
                    self._enqueue(queue, link, item.level + 1, sitemap=False)

    def _enqueue(self, queue: deque[_Item], url: str | None, level: int, *, sitemap: bool
                 ) -> None:
        if url is None or url in self.seen or (self.scope and self.scope.outside(url)):
            return
        self.seen.add(url)
        queue.append(_Item(url, level, sitemap))

    def _fetch(self, item: _Item) -> Page | None:
        """GET one queued URL, following redirects hop by hop; None when a redirect leads to a
        URL tried before this chain (its Page was yielded then)."""
        url = item.url
        chain: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            self.tried.add(url)
            self.seen.add(url)
            robots = self._robots(url)
            if robots.refuses(url, self.user_agent):
                return Page(url, robots.status, reason=robots.refusal)
            chain.append(url)
            known = self.known.get(url)
            try:
                with self._open(url, known) as resp:
                    return self._read(url, resp, item.sitemap)
            except urllib.error.HTTPError as e:
                e.close()
                location = e.headers.get("Location") if e.code in REDIRECT_CODES else None
                if location is None:
                    if e.code == 304 and known:
                        return Page(url, "not_modified", validators=_validators(e.headers, known))
                    return Page(url, "failed", reason=f"HTTP {e.code} {_one_line(e.reason)}")
                target = _resolve(url, location)
                if target is None:
                    return Page(url, "failed", reason=f"HTTP {e.code} redirect to an unusable "
                                                      f"URL ({_one_line(location)})")
                why = self.scope.outside(target) if self.scope else None
                if why:
                    return Page(url, "skipped", reason=f"redirected {why} to {target}")
                if target in chain:
                    return Page(item.url, "failed", reason=f"redirect loop through {target}")
                if target in self.tried:
                    return None
                url = target
            except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
                return Page(url, "failed", reason=f"cannot fetch ({_one_line(_cause(e))})")
        return Page(item.url, "failed", reason=f"more than {MAX_REDIRECTS} redirects")

    def _open(self, url: str, known: Validators | None) -> http.client.HTTPResponse:
        headers = {"User-Agent": self.user_agent}
        if known and known.etag:
            headers["If-None-Match"] = known.etag
        if known and known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        self._wait(urlsplit(url).netloc)
        request = urllib.request.Request(url, headers=headers)
        return self.pages_opener.open(request, timeout=self.timeout)

    def _read(self, url: str, resp: http.client.HTTPResponse, sitemap: bool) -> Page:
        """The Page for a 2xx response; the body is read only for types that can be used."""
        ctype = _content_type(resp.headers, url)
        if ctype not in INGESTIBLE_TYPES and not (sitemap and _maybe_sitemap_type(url, ctype)):
            return Page(url, "skipped", content_type=ctype,
                        reason=f"not HTML, PDF or text ({ctype})")
        too_big = Page(url, "failed", content_type=ctype,
                       reason=f"over the {_size(self.max_bytes)} limit")
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            return too_big
        data = resp.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            return too_big
        return Page(url, "fetched", data=data, content_type=ctype,
                    charset=resp.headers.get_content_charset(),
                    validators=_validators(resp.headers))

    def _robots(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self.robots:
            self.robots[origin] = self._read_robots(origin, parts.netloc)
        return self.robots[origin]

    def _read_robots(self, origin: str, netloc: str) -> _Robots:
        self._wait(netloc)
        request = urllib.request.Request(origin + "/robots.txt",
                                         headers={"User-Agent": self.user_agent})
        try:
            with self.robots_opener.open(request, timeout=self.timeout) as resp:
                # utf-8-sig: a BOM would otherwise hide the first User-agent line
                text = resp.read(ROBOTS_MAX_BYTES).decode("utf-8-sig", errors="replace")
        except urllib.error.HTTPError as e:
            e.close()
            status = f"HTTP {e.code} {_one_line(e.reason)}"
            if e.code in (401, 403):
                return _Robots(None, f"disallowed by robots.txt (it answered {status})")
            if 400 <= e.code < 500:
                text = ""  # no robots.txt: everything is allowed
            else:
                return _Robots(None, f"robots.txt unreachable ({status})", "failed")
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
            return _Robots(None, f"robots.txt unreachable ({_one_line(_cause(e))})", "failed")
        rules = RobotFileParser(origin + "/robots.txt")
        rules.parse(text.splitlines())
        crawl_delay = rules.crawl_delay(self.user_agent)
        if crawl_delay and float(crawl_delay) > self.delay:
            self.host_delay[netloc] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        return _Robots(rules)

    def _wait(self, netloc: str) -> None:
        """Sleep until this host's delay has passed since the last request to it."""
        last = self.last_request.get(netloc)
        if last is not None:
            pause = self.host_delay.get(netloc, self.delay) - (time.monotonic() - last)
            if pause > 0:
                self.sleep(pause)
        self.last_request[netloc] = time.monotonic()


def _site(host: str) -> str:
    return host.removeprefix("www.")


def _resolve(base: str, href: str) -> str | None:
    try:
        return normalize_url(urljoin(base, href.strip()))
    except ValueError:  # e.g. an invalid IPv6 literal
        return None


def _links(data: bytes, charset: str | None, page_url: str) -> list[str]:
    """The followable http(s) links of an HTML page, normalised, in document order."""
    soup = BeautifulSoup(data, "lxml", from_encoding=charset)
    for meta in soup.find_all("meta", attrs={"name": True, "content": True}):
        if (meta["name"].strip().lower() == "robots"
                and {"nofollow", "none"} & set(meta["content"].lower().replace(",", " ").split())):
            return []
    base_tag = soup.find("base", href=True)
    base = _resolve(page_url, base_tag["href"]) if base_tag else None
    links = []
    for tag in soup.find_all(["a", "link"], href=True):
        rel = tag.get("rel") or []
        rel = {r.lower() for r in (rel.split() if isinstance(rel, str) else rel)}
        if "nofollow" in rel or (tag.name == "link" and "next" not in rel):
            continue
        url = _resolve(base or page_url, tag["href"])  # mailto:, javascript:, tel: give None
        if url:
            links.append(url)
    return list(dict.fromkeys(links))


def _maybe_sitemap_type(url: str, content_type: str) -> bool:
    return content_type in XML_TYPES or urlsplit(url).path.lower().endswith(".xml")


def _maybe_sitemap(page: Page) -> bool:
    return _maybe_sitemap_type(page.url, page.content_type)


def _local_name(tag: str) -> str:
    """An XML tag without its namespace: sitemaps come with, without or with an old one."""
    return tag.rpartition("}")[2]


def _read_sitemap(data: bytes) -> tuple[str, list[str]]:
    """('urlset' or 'sitemapindex', the normalised <loc> URLs) of a sitemap.

    Raises ValueError if the data is not one. Only <loc> directly under <url> or <sitemap> is
    read: extensions such as <image:loc> sit deeper and name no page.
    """
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as e:
        raise ValueError(f"not valid XML: {e}") from e
    kind = _local_name(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise ValueError(f"the root element is <{kind}>, not <urlset> or <sitemapindex>")
    locs = []
    for entry in root:
        if _local_name(entry.tag) not in ("url", "sitemap"):
            continue
        for field in entry:
            if _local_name(field.tag) == "loc" and field.text:
                url = normalize_url(field.text)
                if url:
                    locs.append(url)
    return kind, locs


def _content_type(headers: http.client.HTTPMessage, url: str) -> str:
    if headers.get("Content-Type"):
        return headers.get_content_type()
    # Without the header, email.message would say text/plain; the suffix is a better guess
    return mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"


def _validators(headers: http.client.HTTPMessage, known: Validators | None = None
                ) -> Validators:
    """This response's validators; a 304 may leave them out, then the known ones stand."""
    known = known or Validators()
    return Validators(etag=headers.get("ETag") or known.etag,
                      last_modified=headers.get("Last-Modified") or known.last_modified)


def _cause(error: Exception) -> object:
    # URLError wraps the socket error (refused, timed out, unknown host) in .reason
    return getattr(error, "reason", None) or error


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _size(n: int) -> str:
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"
