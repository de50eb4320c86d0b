"""The deploy/ example must speak the project's real settings and commands. The servers it
describes run in tests/test_shared_store.py; the containers, proxy and units themselves do not
run here."""

from __future__ import annotations

import re
import shlex

import yaml

from conftest import ROOT
from policyqa.settings import Settings

DEPLOY = ROOT / "deploy"
FIELDS = {f"POLICYQA_{name.upper()}" for name in Settings.model_fields}
# variables of the compose file and the Caddyfile themselves, not read by policyqa
PROXY_ONLY = {"POLICYQA_PUBLIC_HOST", "POLICYQA_LOGIN_USER", "POLICYQA_LOGIN_HASH"}


def _commands() -> set[str]:
    import typer.main

    from ui.cli import app

    group = typer.main.get_command(app)
    return set(group.commands)


def test_compose_services_use_real_settings_and_commands():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert {"postgres", "chroma", "ui1", "ui2", "ingest", "caddy"} <= set(services)
    commands = _commands()
    for name in ("ui1", "ui2", "ingest"):
        svc = services[name]
        env = svc.get("environment") or {}
        keys = {k for k in env if k.startswith("POLICYQA_")}
        assert {"POLICYQA_CATALOG_URL", "POLICYQA_CHROMA_URL"} <= keys, name
        assert keys <= FIELDS, f"{name}: {sorted(keys - FIELDS)} are not settings"
        cmd = svc["command"] if isinstance(svc["command"], list) else shlex.split(svc["command"])
        assert cmd[0] == "policyqa" and cmd[1] in commands, cmd
    assert "ingest" in services["ingest"].get("profiles", [])
    published = [n for n, s in services.items() if s.get("ports")]
    assert published == ["caddy"]  # the UIs, PostgreSQL and Chroma are not reachable from outside


def test_systemd_units_and_env_file_use_real_settings_and_commands():
    commands = _commands()
    env = (DEPLOY / "systemd" / "policyqa.env.example").read_text(encoding="utf-8")
    keys = set(re.findall(r"^#?(POLICYQA_[A-Z_]+)=", env, re.M))
    assert "POLICYQA_CATALOG_URL" in keys and keys <= FIELDS, sorted(keys - FIELDS)
    for unit in (DEPLOY / "systemd").glob("policyqa-*.service"):
        for line in unit.read_text(encoding="utf-8").splitlines():
            if line.startswith("ExecStart=") and "/policyqa " in line:
                words = shlex.split(line.split("=", 1)[1])
                assert words[1] in commands, (unit.name, line)


def test_every_policyqa_variable_named_in_deploy_is_a_setting():
    text = "\n".join(p.read_text(encoding="utf-8") for p in DEPLOY.rglob("*") if p.is_file())
    named = set(re.findall(r"POLICYQA_[A-Z_]+[A-Z]", text)) - PROXY_ONLY
    assert named <= FIELDS, sorted(named - FIELDS)
