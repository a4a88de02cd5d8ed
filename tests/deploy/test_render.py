import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_rendered_nginx_configuration_is_valid(tmp_path):
    if not shutil.which("nginx", path="/usr/sbin"):
        pytest.skip("needs nginx (apt-get install nginx)")
    subprocess.run(
        [sys.executable, "deploy/render.py", "--standalone", "--run-dir", str(tmp_path)]
        + ["--listen", "127.0.0.1:18799", "--app", "127.0.0.1:18798"],
        cwd=ROOT,
        check=True,
    )
    conf = (tmp_path / "shop.conf").read_text()
    assert "server 127.0.0.1:18798 max_fails=3 fail_timeout=10s;" in conf
    assert "{{" not in conf
    checked = subprocess.run(
        ["/usr/sbin/nginx", "-t", "-e", "stderr", "-p", str(tmp_path)]
        + ["-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
