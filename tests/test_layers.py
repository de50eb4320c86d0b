"""Dependencies run one way: policyqa/ (settings, errors, process helpers) imports nothing of
the project; ingest/ imports only policyqa/; assistant/ imports ingest/ and policyqa/; ui/ (the
web UI and the CLI) and evals/ sit on top. Checked on the source, every import statement
included (those inside functions too)."""

from __future__ import annotations

import ast

from conftest import ROOT

ALLOWED = {
    "policyqa": set(),
    "ingest": {"policyqa"},
    "assistant": {"policyqa", "ingest"},
    "ui": {"policyqa", "ingest", "assistant", "evals"},
    "evals": {"policyqa", "ingest", "assistant"},
}


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED)


def test_packages_depend_one_way():
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for dep in _imports(path) - allowed - {package}:
                wrong.append(f"{path.relative_to(ROOT)} imports {dep}")
    assert not wrong, "\n".join(wrong)


def test_no_environment_is_written_at_import_time():
    """Setting process-wide variables is the entry points' business (ui/cli.py main, launch)."""
    wrong = []
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                text = ast.unparse(node)
                if "os.environ" in text and not isinstance(node, (ast.FunctionDef, ast.ClassDef,
                                                                  ast.AsyncFunctionDef)):
                    wrong.append(f"{path.relative_to(ROOT)}: {text[:80]}")
    assert not wrong, "\n".join(wrong)
