"""The shipped deployment files stay in step with the code: every variable documented, every file valid.

nginx and systemd checks run where those tools are installed (Debian: nginx-light, systemd); the compose
check needs PyYAML. Each is skipped, with the reason, where its tool is missing.
"""

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEPLOY = BASE_DIR / "deploy"
QUEUES = {"default", "reports", "certificates"}

# os.environ.get("X"), os.environ["X"], os.getenv("X"), env_bool("X"), env_list("X"), config(env="X").
ENV_READ = re.compile(
    r"""(?:os\.environ\.get\(|os\.getenv\(|os\.environ\[|\benv_bool\(|\benv_list\(|\benv=)"""
    r"""\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def variables_read_by(paths) -> set[str]:
    return {name for path in paths for name in ENV_READ.findall(path.read_text())}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_env_example_documents_every_variable_the_settings_and_gunicorn_read():
    read = variables_read_by([*sorted((BASE_DIR / "lms" / "settings").glob("*.py")), DEPLOY / "gunicorn.conf.py"])
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.MULTILINE))

    # The pattern must keep finding the variables we know about, or this test would pass vacuously.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "MFA_ENCRYPTION_KEY", "GUNICORN_WORKERS"} <= read
    assert read - documented == set(), "add these to deploy/env.example, each with a comment"


def test_compose_runs_the_same_services_as_the_systemd_layout():
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read docker-compose.yml")
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]

    assert {"postgres", "redis", "release", "web", "beat", "nginx"} <= set(services)
    worker_queues = {
        re.search(r"--queues (\S+)", " ".join(service["command"])).group(1)
        for name, service in services.items()
        if name.startswith("worker-")
    }
    assert worker_queues == QUEUES
    assert [name for name, service in services.items() if " beat" in " ".join(service.get("command", []))] == ["beat"]
    assert services["web"]["command"] == ["gunicorn", "--config", "deploy/gunicorn.conf.py", "lms.wsgi:application"]
    nginx_mounts = " ".join(services["nginx"]["volumes"])
    assert "./deploy/nginx/lms.conf:" in nginx_mounts
    assert "./deploy/nginx/docker-upstream.conf:" in nginx_mounts


@pytest.mark.skipif(not (shutil.which("nginx") and shutil.which("openssl")), reason="needs nginx and openssl")
def test_nginx_site_passes_nginx_t_with_both_upstream_files():
    result = subprocess.run(
        ["sh", str(DEPLOY / "nginx" / "check.sh")],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HTTP_PORT": str(free_port()), "HTTPS_PORT": str(free_port())},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.count("test is successful") == 2


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    # The units point at /srv/lms/app; point them at this checkout and interpreter so the binaries exist.
    bin_dir = str(Path(sys.executable).parent)
    units = []
    for source in sorted((DEPLOY / "systemd").iterdir()):
        text = source.read_text().replace("/srv/lms/app/.venv/bin", bin_dir).replace("/srv/lms/app", str(BASE_DIR))
        if "@." in source.name:
            names = [source.name.replace("@.", f"@{queue}.") for queue in sorted(QUEUES)]
        else:
            names = [source.name]
        for name in names:
            (tmp_path / name).write_text(text)
            units.append(f"./{name}")

    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unknown" not in result.stderr, result.stderr
    assert len(units) == 6
