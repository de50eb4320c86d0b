"""Read files, folders and URLs into RawDocuments, detecting the text encoding."""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.models import RawDocument
from policyqa.errors import DocumentError, UsageError

SUFFIX_KIND = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
CONTENT_TYPE_KIND = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Skipped:
    """Something a folder walk did not ingest, and why (listed in the ingest summary)."""

    source: str
    reason: str


def iter_targets(targets: list[str], skipped: list[Skipped] | None = None
                 ) -> Iterator[tuple[str, str | Path]]:
    """Expand the CLI's PATH|URL arguments into (source name, path or URL) pairs.

    Folders are walked recursively for supported suffixes; the source name is the path
    relative to the folder given, so `ingest corpus/` names files as in `corpus/`. The walk
    stays inside the folder: a symbolic link that leads out of it, a link loop, an unreadable
    sub-folder and an unsupported file type are appended to `skipped`, never followed silently.
    Paths are absolute, so a later `--prune` works from any working folder.
    """
    skipped = skipped if skipped is not None else []
    for target in targets:
        if is_url(target):
            yield target, target
            continue
        path = Path(target)
        if path.is_dir():
            yield from _walk(path, skipped)
        elif path.is_file():
            yield path.name, path.absolute()
        elif path.exists():
            raise UsageError(f"{target}: not a regular file or folder")
        else:
            raise UsageError(f"{target}: no such file or folder")


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[tuple[str, Path]]:
    root_abs = root.absolute()
    real_root = root.resolve()
    seen_dirs = {real_root}

    def rel(p: Path) -> str:
        return p.relative_to(root_abs).as_posix()

    def inside(p: Path) -> bool:
        return p == real_root or real_root in p.parents

    def visit(folder: Path) -> Iterator[tuple[str, Path]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as e:
            skipped.append(Skipped(rel(folder) or ".", f"folder cannot be read ({e.strerror})"))
            return
        for entry in entries:
            p = folder / entry.name
            if entry.name.startswith("."):
                continue  # hidden files and folders (.git, .DS_Store) are never documents
            link = entry.is_symlink()
            target = p.resolve() if link else p
            if link and not inside(target):
                skipped.append(Skipped(rel(p), "symbolic link leading out of the folder"))
                continue
            try:
                is_dir = entry.is_dir()  # follows links that stay inside
            except OSError:
                is_dir = False
            if is_dir:
                real = p.resolve()
                if real in seen_dirs:
                    skipped.append(Skipped(rel(p), "folder already visited (a symbolic link loop or a second link to it)"))
                    continue
                seen_dirs.add(real)
                yield from visit(p)
            elif entry.is_file():
                if p.suffix.lower() in SUFFIX_KIND:
                    yield rel(p), p
                else:
                    skipped.append(Skipped(rel(p), f"unsupported file type '{p.suffix or p.name}' "
                                           f"(supported: {', '.join(sorted(SUFFIX_KIND))})"))
            elif link:
                skipped.append(Skipped(rel(p), "broken symbolic link"))

    yield from visit(root_abs)


def load(source: str, target: str | Path, *, max_bytes: int, timeout: float = 15.0,
         progress: bool = False) -> RawDocument:
    """Read one file or URL. Raises DocumentError naming the source on any problem.
    `progress` shows a bar per page while scanned PDF pages are read by OCR."""
    if isinstance(target, str) and is_url(target):
        data, kind, header_charset = _fetch(target, max_bytes=max_bytes, timeout=timeout)
        path = target
    else:
        path = str(target)
        kind = SUFFIX_KIND.get(Path(path).suffix.lower())
        if kind is None:
            raise DocumentError(source, f"unsupported file type '{Path(path).suffix}' "
                                f"(supported: {', '.join(sorted(SUFFIX_KIND))})")
        try:
            size = Path(path).stat().st_size
            if size > max_bytes:
                raise DocumentError(source, f"file is {size / 1e6:.1f} MB, over the "
                                    f"{max_bytes / 1e6:.0f} MB limit (POLICYQA_MAX_FILE_MB)")
            data = Path(path).read_bytes()
        except OSError as e:
            raise DocumentError(source, f"cannot read file ({e.strerror or e})") from e
        header_charset = None
    return from_bytes(source, path, data, kind, header_charset, progress=progress)


def from_bytes(source: str, path: str, data: bytes, kind: str, charset: str | None = None, *,
               progress: bool = False) -> RawDocument:
    """A RawDocument from bytes already read (a file, a fetched or crawled page)."""
    header_charset = charset
    if not data.strip():
        raise DocumentError(source, "file is empty")
    digest = hashlib.sha256(data).hexdigest()
    if kind == "pdf":
        from ingest.pdf import pdf_text

        text, ocr_pages, warning = pdf_text(source, data, progress=progress)
        return RawDocument(source, path, "pdf", text, "pdf", digest, ocr_pages, warning)
    if kind == "docx":
        from ingest.office import docx_text

        return RawDocument(source, path, "docx", docx_text(source, data), "docx", digest)
    text, encoding = decode(data, header_charset, html=(kind == "html"))
    if _looks_binary(text):
        raise DocumentError(source, "looks like binary data, not text (wrong file type?)")
    return RawDocument(source, path, kind, text, encoding, digest)


def peek_hash(target: str | Path, max_bytes: int) -> str | None:
    """The sha256 of a local file's bytes (None for URLs or unreadable files), to skip
    unchanged files without reading them as documents."""
    if isinstance(target, str) and is_url(target):
        return None
    try:
        p = Path(target)
        if p.stat().st_size > max_bytes:
            return None
        return hashlib.sha256(p.read_bytes()).hexdigest()
    except OSError:
        return None


def decode(data: bytes, declared: str | None = None, *, html: bool = False) -> tuple[str, str]:
    """Decode bytes: BOM, then strict UTF-8, then a declared charset, then cp1252/latin-1.

    Danish material comes as UTF-8 and as cp1252/latin-1; strict UTF-8 almost never
    accepts cp1252 bytes by accident, so trying it first is safe.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    if html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore"))
    candidates += ["cp1252", "latin-1"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
        if enc.lower().replace("-", "") in {"utf8"}:
            continue
        return text, enc.lower()
    return data.decode("latin-1"), "latin-1"  # unreachable: latin-1 decodes every byte


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd")
    return bad / len(sample) > 0.02


def _fetch(url: str, *, max_bytes: int, timeout: float) -> tuple[bytes, str, str | None]:
    parsed = urllib.parse.urlparse(url)
    if not parsed.netloc:
        raise DocumentError(url, "not a valid URL")
    req = urllib.request.Request(url, headers={"User-Agent": "policyqa/0.1 (+offline-first Q&A)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type()
            charset = resp.headers.get_content_charset()
            data = resp.read(max_bytes + 1)
    except urllib.error.HTTPError as e:
        raise DocumentError(url, f"HTTP {e.code} {e.reason}") from e
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise DocumentError(url, f"cannot fetch ({reason})") from e
    if len(data) > max_bytes:
        raise DocumentError(url, f"response is over the {max_bytes / 1e6:.0f} MB limit")
    kind = CONTENT_TYPE_KIND.get(ctype)
    if kind is None:
        raise DocumentError(url, f"unsupported content type '{ctype}' (expected an HTML page, "
                            "text, PDF or Word document)")
    return data, kind, charset
