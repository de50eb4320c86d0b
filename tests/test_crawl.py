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
        self.unsized: dict[str, bytes] = {}            # path -> HTML body sent without length
        self.slow: set[str] = set()                    # paths answered after 1 s


class _Handler(SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler (Last-Modified / If-Modified-Since built in) plus an ETag
    with If-None-Match, and the test routes of _Server."""

    server: _Server
    etag: str | None = None

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self.server.hits[self.path] += 1
        self.server.request_headers[self.path] = dict(self.headers)
        path = self.path.partition("?")[0]
        if path in self.server.slow:
            time.sleep(1)
        if path in self.server.redirects:
            self.send_response(301)
            self.send_header("Location", self.server.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path in self.server.unsized:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(self.server.unsized[path])  # HTTP/1.0: the body ends at close
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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
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
    ("https://kommune.dk/høringer?emne=bolig støtte", "https://kommune.dk/h%C3%B8ringer?emne=bolig%20st%C3%B8tte"),
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
    site.page("/social/start.html", "Start", "gammel.html", "boliger.html", "ud.html")
    pages = run(site.url("/social/start.html"), depth=1)
    assert [(p.url.removeprefix(site.base), p.status) for p in pages] == [
        ("/social/start.html", "fetched"), ("/social/boliger.html", "fetched"),
        ("/social/ud.html", "skipped")]
    assert pages[2].reason == f"redirected off-site to {OFF_SITE}"
    assert site.hits["/social/boliger.html"] == 1


def test_max_pages(site):
    pages = run(site.url("/social/"), depth=5, max_pages=3)
    assert [p.status for p in pages] == ["fetched"] * 3 + ["skipped"]
    assert pages[-1].reason == "page limit of 3 reached"
    assert sum(site.page_hits().values()) == 3


# -- robots.txt and politeness --------------------------------------------------------------

def test_robots_disallow_and_crawl_delay(site):
    site.write("/robots.txt", "User-agent: *\nDisallow: /social/hjemloese\nCrawl-delay: 3\n")
    sleeps: list[float] = []
    pages = run(site.url("/social/"), depth=1, delay=0.5, sleep=sleeps.append)
    skipped = [p for p in pages if p.status == "skipped" and "robots" in p.reason]
    assert paths(skipped, site) == ["/social/hjemloese.html"]
    assert skipped[0].reason == "disallowed by robots.txt"
    assert "/social/hjemloese.html" not in site.hits
    assert site.hits["/robots.txt"] == 1
    requests = sum(site.hits.values())
    assert len(sleeps) == requests - 1  # before every request but the first
    assert all(2.9 < s <= 3 for s in sleeps), sleeps


def test_robots_group_for_this_user_agent(site):
    site.write("/robots.txt", "User-agent: policyqa\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    pages = run(site.url("/social/"), depth=1)
    assert [(p.status, p.reason) for p in pages] == [("skipped", "disallowed by robots.txt")]
    assert site.page_hits() == {}


def test_delay_between_requests_to_one_host(site):
    sleeps: list[float] = []
    run(site.url("/social/"), depth=1, delay=0.25, sleep=sleeps.append)
    assert site.hits["/robots.txt"] == 1  # a 404: everything allowed, and it counts as a request
    assert len(sleeps) == sum(site.hits.values()) - 1
    assert all(0.2 < s <= 0.25 for s in sleeps), sleeps


# -- conditional GET ------------------------------------------------------------------------

def test_second_crawl_with_known_validators_is_not_modified(site):
    start = site.url("/social/boliger.html")
    first = run(start, depth=0)[0]
    assert first.status == "fetched"
    assert first.validators.etag and first.validators.last_modified
    second = run(start, depth=1, known={first.url: first.validators})
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
        f"<url><loc> {u} </loc><image:image><image:loc>{u}.png</image:loc></image:image></url>"
        for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            f"{entries}</urlset>")


def test_sitemap_pages_are_fetched(site):
    site.write("/sitemap.xml", _urlset(site.url("/social/boliger.html"),
                                       site.url("/social/rapport.pdf"), OFF_SITE))
    pages = run(site.url("/sitemap.xml"), depth=0)
    assert [(p.url.removeprefix(site.base), p.status) for p in pages] == [
        ("/social/boliger.html", "fetched"), ("/social/rapport.pdf", "fetched")]
    assert "/social/dybt.html" not in site.hits  # entries are level 0: depth 0 follows nothing
    assert "/social/boliger.html.png" not in site.hits  # <image:loc> names no page
    deeper = paths(run(site.url("/sitemap.xml"), depth=1), site)
    assert "/social/dybt.html" in deeper


def test_nested_sitemap_index(site):
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             + "".join(f"<sitemap><loc>{site.url(p)}</loc></sitemap>"
                       for p in ("/kort/a.xml", "/kort/b.xml", "/kort/index.xml"))
             + "</sitemapindex>")
    site.write("/kort/index.xml", index)  # lists itself: read once
    site.write("/kort/a.xml", _urlset(site.url("/social/boliger.html")))
    site.write("/kort/b.xml", _urlset(site.url("/social/dybt.html"),
                                      site.url("/social/boliger.html")))
    pages = run(site.url("/kort/index.xml"), depth=0)
    assert paths(pages, site) == ["/social/boliger.html", "/social/dybt.html"]
    assert site.hits["/kort/index.xml"] == 1


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
    site.server.unsized["/social/uden-laengde.html"] = b"<p>" + b"x" * 5000 + b"</p>"
    site.page("/social/start.html", "Start", "stor.html", "uden-laengde.html")
    pages = run(site.url("/social/start.html"), depth=1, max_bytes=2000)
    assert [p.status for p in pages] == ["fetched", "failed", "failed"]
    assert {p.reason for p in pages[1:]} == {"over the 2 kB limit"}
    assert all(p.data == b"" for p in pages[1:])


def test_timeout_fails_and_the_crawl_goes_on(site):
    site.server.slow.add("/social/langsom.html")
    site.page("/social/langsom.html", "Langsom")
    site.page("/social/start.html", "Start", "langsom.html", "boliger.html")
    pages = run(site.url("/social/start.html"), depth=1, timeout=0.3)
    assert [p.status for p in pages] == ["fetched", "failed", "fetched"]
    assert "timed out" in pages[1].reason


def test_bad_arguments_fail_before_the_first_page():
    with pytest.raises(UsageError):
        crawl("ftp://kommune.dk/")
    with pytest.raises(UsageError):
        crawl("kommune.dk/social/")
    with pytest.raises(UsageError):
        crawl("https://kommune.dk/", depth=-1)
