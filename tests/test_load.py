import http.server
import threading

import pytest

from ingest.load import decode, iter_targets, load
from policyqa.errors import DocumentError, UsageError

DANISH = "Antallet af hjemløse skal reduceres. Æblet, øen og åen: ÆØÅ æøå."


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "latin-1", "utf-8-sig"])
def test_encodings_keep_danish_letters(tmp_path, encoding):
    f = tmp_path / "doc.txt"
    f.write_bytes(DANISH.encode(encoding))
    raw = load("doc.txt", f, max_bytes=10**6)
    assert raw.text.strip() == DANISH


def test_cp1252_quotes_and_euro_survive():
    text, enc = decode("“Målet” koster 5 € – ikke mere".encode("cp1252"))
    assert text == "“Målet” koster 5 € – ikke mere" and enc == "cp1252"


def test_html_meta_charset_is_used():
    data = '<html><head><meta charset="iso-8859-1"></head><body>Ø</body></html>'.encode("latin-1")
    text, enc = decode(data, html=True)
    assert "Ø" in text and enc == "iso-8859-1"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"   \n\n ", "empty"),
    (bytes(range(256)) * 20, "binary"),
])
def test_bad_files_raise_one_clear_error(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(DocumentError) as e:
        load("bad.txt", f, max_bytes=10**6)
    assert reason in str(e.value) and "bad.txt" in str(e.value)


def test_size_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("ord " * 1000)
    with pytest.raises(DocumentError, match="limit"):
        load("big.txt", f, max_bytes=100)


def test_unsupported_suffix(tmp_path):
    f = tmp_path / "x.pptx"
    f.write_bytes(b"PK")
    with pytest.raises(DocumentError, match="unsupported"):
        load("x.pptx", f, max_bytes=100)


def test_folders_are_walked_and_named_relative(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub" / "b.md").write_text("b")
    (tmp_path / "c.bin").write_text("c")
    (tmp_path / ".hidden.txt").write_text("h")
    names = [n for n, _ in iter_targets([str(tmp_path)])]
    assert names == ["a.txt", "sub/b.md"]


def test_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        list(iter_targets([str(tmp_path / "nope")]))


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        pages = {
            "/page.html": ("text/html; charset=utf-8",
                           "<html><head><title>Mål | Kommune</title></head><body><nav>Menu</nav>"
                           "<main><h1>Mål for hjemløshed</h1><p>Antallet af hjemløse skal "
                           "reduceres med 25 procent.</p></main></body></html>".encode()),
            "/data.json": ("application/json", b"{}"),
        }
        if self.path not in pages:
            self.send_error(404, "Not Found")
            return
        ctype, body = pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def web():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_url_html_page(web):
    raw = load(f"{web}/page.html", f"{web}/page.html", max_bytes=10**6, timeout=5)
    assert raw.kind == "html" and "hjemløse" in raw.text


@pytest.mark.parametrize("path,reason", [("/data.json", "content type"), ("/missing", "404")])
def test_url_errors(web, path, reason):
    with pytest.raises(DocumentError, match=reason):
        load(web + path, web + path, max_bytes=10**6, timeout=5)


def test_unreachable_url():
    with pytest.raises(DocumentError, match="cannot fetch"):
        load("http://127.0.0.1:9/x.html", "http://127.0.0.1:9/x.html", max_bytes=10**6, timeout=2)
