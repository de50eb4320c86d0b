"""ingest.crawl against a small Danish site served on loopback by http.server."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.crawl import Page, Validators, _Scope, crawl, normalize_url
from policyqa.errors import UsageError

OFF_SITE = "http://127.0.0.2:1/x"   # loopback, nothing listens: fetching it fails at once
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class _Server(ThreadingHTTPServer):
    """Serves a folder; records every request; extra routes for redirects, slow and unsized
    responses."""

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
        self.hits: Counter[str] = Counter()            # request path (with query) -> count
        self.request_headers: dict[str, dict[str, str]] = {}  # last headers per path
        self.redirects: dict[str, str] = {}            # path -> Location (301)
        # path -> (HTML body, Content-Length header or None)
        self.raw: dict[str, tuple[bytes, int | None]] = {}
        self.status: dict[str, int] = {}               # path -> error status sent
        self.slow: set[str] = set()                    # paths answered after 0.5 s

    def handle_error(self, request, client_address):
        pass  # the crawler hangs up on bodies it does not want, and on slow answers


class _Handler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler (Last-Modified / If-Modified-Since built in) plus an ETag
    with If-None-Match, and the test routes of _Server."""

    server: _Server
    etag: str | None = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.hits[self.path] += 1
        self.server.request_headers[self.path] = dict(self.headers)
        path = self.path.partition("?")[0]
        if path in self.server.slow:
            time.sleep(0.5)
        if path in self.server.status:
            self.send_error(self.server.status[path])
            return
        if path in self.server.redirects:
            self.send_response(301)
            self.send_header("Location", self.server.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in self.server.raw:
            body, length = self.server.raw[path]
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if length is not None:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            self.wfile.write(body)  # HTTP/1.0: the body ends when the connection closes
            return
        file = self.translate_path(self.path)
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if os.path.isfile(file):
            st = os.stat(file)
            self.etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'
            if self.headers.get("If-None-Match") == self.etag:
                self.send_response(304)
                self.end_headers()
                return
        super().do_GET()

    def end_headers(self):
        if self.etag:
            self.send_header("ETag", self.etag)
        super().end_headers()


class Site:
    def __init__(self, root: Path, server: _Server):
        self.root = root
        self.server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def write(self, path: str, content: str | bytes) -> None:
        file = self.root / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            file.write_text(content, encoding="utf-8")
        else:
            file.write_bytes(content)

    def page(self, path: str, title: str, *hrefs: str, head: str = "") -> None:
        links = "\n".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)
        self.write(path, f"<!doctype html><html><head><meta charset='utf-8'><title>{title}"
                         f"</title>{head}</head><body><h1>{title}</h1>"
                         f"<p>{title} handler om kommunens mål for 2030.</p><ul>{links}</ul>"
                         "</body></html>")

    @property
    def hits(self) -> Counter[str]:
        return self.server.hits

    def page_hits(self) -> Counter[str]:
        return Counter({p: n for p, n in self.hits.items() if p != "/robots.txt"})


@pytest.fixture
def site(tmp_path):
    server = _Server(tmp_path)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    s = Site(tmp_path, server)
    # The five-page section: index -> four pages; boliger loops back to index and to itself;
    # hjemloese leaves the section and the site; a PDF report and a logo image.
    s.page("/social/index.html", "Social- og boligpolitik",
           "boliger.html", "hjemloese.html", "rapport.pdf", "logo.png",
           "mailto:kontakt@kommune.dk", "javascript:void(0)", "tel:+4570101010", "#indhold")
    s.page("/social/boliger.html", "Flere almene boliger",
           "/social/", "boliger.html", "boliger.html#top", "?side=1", "?side=1#top",
           "dybt.html")
    s.page("/social/hjemloese.html", "Færre hjemløse", OFF_SITE, "/andet/side.html")
    s.write("/social/rapport.pdf", PDF)
    s.write("/social/logo.png", PNG)
    s.page("/social/dybt.html", "Bilag om boligstøtte", "dybere.html")
    s.page("/social/dybere.html", "Bilag om husleje")
    s.page("/andet/side.html", "Klima og miljø")
    yield s
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def run(start: str, **kw) -> list[Page]:
    kw.setdefault("delay", 0)
    kw.setdefault("timeout", 5)
    kw.setdefault("sleep", lambda s: None)
    return list(crawl(start, **kw))


def paths(pages: list[Page], site: Site, status: str | None = None) -> list[str]:
    return [p.url.removeprefix(site.base) for p in pages if status in (None, p.status)]


# -- depth, scope, loops -------------------------------------------------------------------

def test_depth_limits(site):
    start = site.url("/social/")
    assert paths(run(start, depth=0), site) == ["/social/"]
    assert paths(run(start, depth=1), site) == [
        "/social/", "/social/boliger.html", "/social/hjemloese.html", "/social/rapport.pdf",
        "/social/logo.png"]
    two = paths(run(start, depth=2), site)
    assert "/social/dybt.html" in two and "/social/dybere.html" not in two
    assert "/social/dybere.html" in paths(run(start, depth=3), site)


def test_link_loop_ends_with_each_page_fetched_once(site):
    pages = run(site.url("/social/"), depth=10)
    urls = [p.url for p in pages]
    assert len(urls) == len(set(urls))
    assert site.url("/social/boliger.html?side=1") in urls  # the query is kept, the #top not
    assert max(site.hits.values()) == 1, site.hits
    assert all("#" not in u for u in urls)


def test_same_site_stays_in_the_section_and_off_the_other_host(site):
    pages = run(site.url("/social/"), depth=5)
    assert not any(p.url.startswith("http://127.0.0.2") for p in pages)
    assert "/andet/side.html" not in site.hits  # outside the /social/ prefix
    # Without the trailing slash the whole host is in scope, the other host still not
    pages = run(site.url("/social/hjemloese.html"), depth=1)
    assert paths(pages, site) == ["/social/hjemloese.html", "/andet/side.html"]


def test_same_site_false_follows_other_hosts(site):
    pages = run(site.url("/social/hjemloese.html"), depth=1, same_site=False, timeout=2)
    off = [p for p in pages if p.url == OFF_SITE]
    assert len(off) == 1 and off[0].status == "failed"
    assert "robots.txt unreachable" in off[0].reason  # nothing listens there
    assert site.url("/andet/side.html") in [p.url for p in pages]


def test_scope_treats_www_as_the_same_host():
    scope = _Scope.of("https://www.kommune.dk/social/")
    assert scope.outside("https://kommune.dk/social/boliger") is None
    assert scope.outside("http://www.kommune.dk/social/") is None
    assert scope.outside("https://kommune.dk/andet/") == "outside /social/"
    assert scope.outside("https://www.region.dk/social/") == "off-site"


@pytest.mark.parametrize("url, expected", [
    ("HTTP://Kommune.DK:80/a?b=1#top", "http://kommune.dk/a?b=1"),
    ("https://kommune.dk:443", "https://kommune.dk/"),
    ("https://kommune.dk:8443/x", "https://kommune.dk:8443/x"),
    ("https://kommune.dk/høringer?emne=bolig støtte",
     "https://kommune.dk/h%C3%B8ringer?emne=bolig%20st%C3%B8tte"),
    ("https://kommune.dk/h%C3%B8ringer", "https://kommune.dk/h%C3%B8ringer"),
    ("mailto:kontakt@kommune.dk", None),
    ("javascript:void(0)", None),
    ("ftp://kommune.dk/fil", None),
    ("http://[::1", None),
])
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected


def test_links_resolve_against_base_href(site):
    site.page("/forside.html", "Forside", "side.html", head='<base href="/andet/">')
    assert paths(run(site.url("/forside.html"), depth=1), site) == [
        "/forside.html", "/andet/side.html"]


def test_link_rel_next_is_followed_and_stylesheets_are_not(site):
    site.write("/social/stil.css", "body { color: black }")
    site.page("/social/side1.html", "Høringer, side 1",
              head='<link rel="stylesheet" href="stil.css"><link rel="next" href="side2.html">')
    site.page("/social/side2.html", "Høringer, side 2")
    assert paths(run(site.url("/social/side1.html"), depth=1), site) == [
        "/social/side1.html", "/social/side2.html"]
    assert "/social/stil.css" not in site.hits


def test_nofollow_is_respected(site):
    site.page("/social/nyt.html", "Nyheder", "aaben.html",
              "dybt.html")  # a plain link to compare with
    site.write("/social/nyt.html", (site.root / "social/nyt.html").read_text().replace(
        '<a href="dybt.html">', '<a rel="nofollow noopener" href="dybt.html">'))
    site.page("/social/aaben.html", "Åben side", "dybere.html",
              head='<meta name="ROBOTS" content="noindex, NoFollow">')
    pages = run(site.url("/social/nyt.html"), depth=5)
    assert paths(pages, site) == ["/social/nyt.html", "/social/aaben.html"]
    assert "/social/dybt.html" not in site.hits and "/social/dybere.html" not in site.hits


def test_pages_come_as_they_are_fetched(site):
    pages = crawl(site.url("/social/"), depth=3, delay=0, sleep=lambda s: None)
    first = next(pages)
    assert first.status == "fetched" and b"Social- og boligpolitik" in first.data
    assert site.page_hits() == {"/social/": 1}  # nothing else fetched yet
    pages.close()


# -- content types, redirects, limits --------------------------------------------------------

def test_pdf_is_fetched_and_an_image_skipped(site):
    by_path = {p.url.removeprefix(site.base): p for p in run(site.url("/social/"), depth=1)}
    index = by_path["/social/"]
    assert (index.content_type, index.charset) == ("text/html", None)
    pdf = by_path["/social/rapport.pdf"]
    assert (pdf.status, pdf.content_type, pdf.data) == ("fetched", "application/pdf", PDF)
    png = by_path["/social/logo.png"]
    assert png.status == "skipped" and png.reason == "not HTML, PDF or text (image/png)"
    assert png.data == b""


def test_redirects_use_the_final_url_and_never_leave_the_site(site):
    site.server.redirects.update({"/social/gammel.html": "/social/boliger.html",
                                  "/social/ud.html": OFF_SITE})
    # igen.html redirects to a page fetched already: it yields nothing and fetches nothing
    site.server.redirects["/social/igen.html"] = "/social/boliger.html"
    site.page("/social/start.html", "Start", "gammel.html", "boliger.html", "ud.html",
              "igen.html")
    pages = run(site.url("/social/start.html"), depth=1)
    assert [(p.url.removeprefix(site.base), p.status) for p in pages] == [
        ("/social/start.html", "fetched"), ("/social/boliger.html", "fetched"),
        ("/social/ud.html", "skipped")]
    assert pages[2].reason == f"redirected off-site to {OFF_SITE}"
    assert site.hits["/social/boliger.html"] == 1


def test_redirect_loops_and_long_chains_fail(site):
    site.server.redirects.update({"/social/a.html": "/social/b.html", "/social/b.html": "a.html"})
    site.server.redirects.update({f"/social/r{i}.html": f"/social/r{i + 1}.html"
                                  for i in range(12)})
    site.page("/social/start.html", "Start", "a.html", "r0.html")
    pages = run(site.url("/social/start.html"), depth=1)
    assert [(p.url.removeprefix(site.base), p.status, p.reason) for p in pages[1:]] == [
        ("/social/a.html", "failed", f"redirect loop through {site.url('/social/a.html')}"),
        ("/social/r0.html", "failed", "more than 10 redirects")]
    assert site.hits["/social/a.html"] == 1 and "/social/r11.html" not in site.hits


def test_max_pages(site):
    pages = run(site.url("/social/"), depth=5, max_pages=3)
    assert [p.status for p in pages] == ["fetched"] * 3 + ["skipped"]
    assert pages[-1].reason == "page limit of 3 reached"
    assert sum(site.page_hits().values()) == 3


# -- robots.txt and politeness --------------------------------------------------------------

def test_robots_disallow_and_crawl_delay(site):
    site.write("/robots.txt", "User-agent: *\nDisallow: /social/hjemloese\nCrawl-delay: 3\n")
    # Reached three ways, yielded once
    site.server.redirects["/social/genvej.html"] = "/social/hjemloese.html"
    site.page("/social/index.html", "Social", "genvej.html", "hjemloese.html", "boliger.html")
    site.page("/social/boliger.html", "Flere almene boliger", "hjemloese.html")
    sleeps: list[float] = []
    pages = run(site.url("/social/"), depth=2, delay=0.5, sleep=sleeps.append)
    skipped = [p for p in pages if p.status == "skipped" and "robots" in p.reason]
    assert paths(skipped, site) == ["/social/hjemloese.html"]
    assert skipped[0].reason == "disallowed by robots.txt"
    assert "/social/hjemloese.html" not in site.hits
    assert site.hits["/robots.txt"] == 1
    requests = sum(site.hits.values())
    assert len(sleeps) == requests - 1  # before every request but the first
    assert all(2.5 < s <= 3 for s in sleeps), sleeps  # Crawl-delay, not delay


@pytest.mark.parametrize("code, status, reason", [
    (403, "skipped", "disallowed by robots.txt (it answered HTTP 403 Forbidden)"),
    (503, "failed", "robots.txt unreachable (HTTP 503 Service Unavailable)"),
])
def test_robots_txt_refused_or_unavailable_fetches_nothing(site, code, status, reason):
    site.server.status["/robots.txt"] = code
    pages = run(site.url("/social/"), depth=1)
    assert [(p.status, p.reason) for p in pages] == [(status, reason)]
    assert site.page_hits() == {}


def test_robots_txt_gone_allows_everything(site):
    site.server.status["/robots.txt"] = 410
    assert len(run(site.url("/social/"), depth=1)) == 5


def test_robots_group_for_this_user_agent(site):
    site.write("/robots.txt", "User-agent: policyqa\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    pages = run(site.url("/social/"), depth=1)
    assert [(p.status, p.reason) for p in pages] == [("skipped", "disallowed by robots.txt")]
    assert site.page_hits() == {}


def test_time_between_pages_counts_towards_the_delay(site):
    sleeps: list[float] = []
    for _ in crawl(site.url("/social/"), depth=1, max_pages=3, delay=0.2, sleep=sleeps.append):
        time.sleep(0.2)  # the caller ingesting the page
    assert len(sleeps) == 1  # only between robots.txt and the start page
    assert sum(site.page_hits().values()) == 3


def test_delay_between_requests_to_one_host(site):
    sleeps: list[float] = []
    run(site.url("/social/"), depth=1, delay=1, sleep=sleeps.append)
    assert site.hits["/robots.txt"] == 1  # a 404: everything allowed, and it counts as a request
    assert len(sleeps) == sum(site.hits.values()) - 1
    assert all(0.5 < s <= 1 for s in sleeps), sleeps


# -- conditional GET ------------------------------------------------------------------------

def test_second_crawl_with_known_validators_is_not_modified(site):
    start = site.url("/social/boliger.html")
    first = run(start, depth=0)[0]
    assert first.status == "fetched"
    assert first.validators.etag and first.validators.last_modified
    # Keys are normalised like Page.url
    key = start.replace("http://", "HTTP://") + "#top"
    second = run(start, depth=1, known={key: first.validators})
    # A 304 has no body, so the page's links are not followed
    assert [(p.url, p.status, p.validators) for p in second] == [
        (start, "not_modified", first.validators)]
    assert site.server.request_headers["/social/boliger.html"]["If-None-Match"] == \
        first.validators.etag


def test_if_modified_since_alone_and_a_changed_page(site):
    start = site.url("/social/boliger.html")
    first = run(start, depth=0)[0]
    only_date = Validators(last_modified=first.validators.last_modified)
    assert run(start, depth=0, known={start: only_date})[0].status == "not_modified"
    site.page("/social/boliger.html", "Flere almene boliger, nu med tal")
    later = time.time() + 10
    os.utime(site.root / "social/boliger.html", (later, later))
    again = run(start, depth=0, known={start: first.validators})[0]
    assert again.status == "fetched" and b"nu med tal" in again.data
    assert again.validators.etag != first.validators.etag


# -- sitemaps ---------------------------------------------------------------------------------

def _urlset(*urls: str) -> str:
    entries = "".join(
        f"<url><loc> {u} </loc><lastmod>2024-05-01</lastmod><k:kilde>{u}.kilde</k:kilde>"
        f"<image:image><image:loc>{u}.png</image:loc></image:image></url>"
        for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
            'xmlns:k="urn:kommune">'
            f"{entries}</urlset>")


def _sitemapindex(*urls: str) -> str:
    return ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls) + "</sitemapindex>")


def test_sitemap_pages_are_fetched(site):
    site.write("/sitemap.xml", _urlset(site.url("/social/boliger.html"),
                                       site.url("/social/rapport.pdf"), OFF_SITE))
    pages = run(site.url("/sitemap.xml"), depth=0)
    assert [(p.url.removeprefix(site.base), p.status) for p in pages] == [
        ("/social/boliger.html", "fetched"), ("/social/rapport.pdf", "fetched")]
    assert "/social/dybt.html" not in site.hits  # entries are level 0: depth 0 follows nothing
    # Only <loc> names a page: not an extension's <image:loc> or <k:kilde>
    assert "/social/boliger.html.png" not in site.hits
    assert "/social/boliger.html.kilde" not in site.hits
    deeper = paths(run(site.url("/sitemap.xml"), depth=1), site)
    assert "/social/dybt.html" in deeper


def test_nested_sitemap_index(site):
    index = _sitemapindex(*(site.url(p) for p in ("/kort/a.xml", "/kort/b.xml", "/kort/index.xml")))
    site.write("/kort/index.xml", index)  # lists itself: read once
    site.write("/kort/a.xml", _urlset(site.url("/social/boliger.html")))
    site.write("/kort/b.xml", _urlset(site.url("/social/dybt.html"),
                                      site.url("/social/boliger.html")))
    pages = run(site.url("/kort/index.xml"), depth=0)
    assert paths(pages, site) == ["/social/boliger.html", "/social/dybt.html"]
    assert site.hits["/kort/index.xml"] == 1


def test_sitemap_files_are_bounded(site, monkeypatch):
    monkeypatch.setattr("ingest.crawl.MAX_SITEMAPS", 2)
    site.write("/kort/index.xml", _sitemapindex(site.url("/kort/a.xml"), site.url("/kort/b.xml")))
    site.write("/kort/a.xml", _urlset(site.url("/social/boliger.html")))
    site.write("/kort/b.xml", _urlset(site.url("/social/dybt.html")))
    pages = run(site.url("/kort/index.xml"), depth=0)
    assert [(p.url.removeprefix(site.base), p.status, p.reason) for p in pages] == [
        ("/kort/b.xml", "skipped", "sitemap limit of 2 reached"),
        ("/social/boliger.html", "fetched", "")]
    assert "/kort/b.xml" not in site.hits


def test_xml_that_is_no_sitemap_fails(site):
    site.write("/feed.xml", "<rss><channel><title>Nyheder</title></channel></rss>")
    [page] = run(site.url("/feed.xml"))
    assert page.status == "failed" and "not a sitemap" in page.reason and "<rss>" in page.reason


# -- failures ---------------------------------------------------------------------------------

def test_404_fails_and_the_crawl_goes_on(site):
    site.page("/social/start.html", "Start", "mangler.html", "boliger.html")
    pages = run(site.url("/social/start.html"), depth=1)
    assert [(p.url.removeprefix(site.base), p.status) for p in pages] == [
        ("/social/start.html", "fetched"), ("/social/mangler.html", "failed"),
        ("/social/boliger.html", "fetched")]
    assert "404" in pages[1].reason and "\n" not in pages[1].reason


def test_over_max_bytes_fails(site):
    site.page("/social/stor.html", "Stor side " * 500)
    site.server.raw["/social/uden-laengde.html"] = (b"<p>" + b"x" * 5000 + b"</p>", None)
    # A declared length over the limit fails before the body is read
    site.server.raw["/social/erklaeret.html"] = (b"<p>kort</p>", 10**9)
    site.page("/social/start.html", "Start", "stor.html", "uden-laengde.html", "erklaeret.html")
    pages = run(site.url("/social/start.html"), depth=1, max_bytes=2000)
    assert [p.status for p in pages] == ["fetched", "failed", "failed", "failed"]
    assert {p.reason for p in pages[1:]} == {"over the 2 kB limit"}
    assert all(p.data == b"" for p in pages[1:])


def test_timeout_fails_and_the_crawl_goes_on(site):
    site.server.slow.add("/social/langsom.html")
    site.page("/social/langsom.html", "Langsom")
    site.page("/social/start.html", "Start", "langsom.html", "boliger.html")
    pages = run(site.url("/social/start.html"), depth=1, timeout=0.2)
    assert [p.status for p in pages] == ["fetched", "failed", "fetched"]
    assert "timed out" in pages[1].reason


def test_bad_arguments_fail_before_the_first_page():
    with pytest.raises(UsageError):
        crawl("ftp://kommune.dk/")
    with pytest.raises(UsageError):
        crawl("kommune.dk/social/")
    with pytest.raises(UsageError):
        crawl("https://kommune.dk/", depth=-1)
