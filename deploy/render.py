"""Render deploy/nginx/ for one machine: the ports, paths and app servers of the shop.

python deploy/render.py > /etc/nginx/sites-enabled/shop.conf      # production
python deploy/render.py --standalone --run-dir /tmp/x --listen 127.0.0.1:8000
    (writes /tmp/x/nginx.conf and /tmp/x/shop.conf; then nginx -e stderr -p /tmp/x
     -c /tmp/x/nginx.conf runs it in the foreground: `make serve`, the cluster test)
"""

import argparse
import getpass
import re
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent


def render(template: Path, values: dict) -> str:
    def value(match):
        return str(values[match[1]])  # a KeyError names a value the template needs

    return re.sub(r"\{\{ *(\w+) *\}\}", value, template.read_text())


def upstream_servers(apps: list[str]) -> str:
    return "\n".join(f"    server {app} max_fails=3 fail_timeout=10s;" for app in apps)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listen", default="80", help="nginx's address or port (80)")
    parser.add_argument("--server-name", default="_")
    parser.add_argument(
        "--app",
        action="append",
        help="an app server's address, once for each (127.0.0.1:8001 and :8002)",
    )
    parser.add_argument("--static-root", default=str(ROOT / "staticfiles"))
    parser.add_argument("--media-root", default=str(ROOT / "media"))
    parser.add_argument("--access-log", help="(/var/log/nginx/shop.access.log, or in --run-dir)")
    parser.add_argument("--standalone", action="store_true", help="a whole nginx.conf too")
    parser.add_argument("--run-dir", help="--standalone: where nginx keeps its files")
    args = parser.parse_args(argv)

    values = {
        "listen": args.listen,
        "server_name": args.server_name,
        "upstream_servers": upstream_servers(args.app or ["127.0.0.1:8001", "127.0.0.1:8002"]),
        "static_root": args.static_root,
        "media_root": args.media_root,
        "deploy_root": DEPLOY,
        "access_log": args.access_log or "/var/log/nginx/shop.access.log",
    }
    if not args.standalone:
        sys.stdout.write(render(DEPLOY / "nginx" / "shop.conf", values))
        return
    if not args.run_dir:
        parser.error("--standalone needs --run-dir")
    run_dir = Path(args.run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    values.update(
        run_dir=run_dir,
        user=getpass.getuser(),
        error_log=run_dir / "error.log",
        access_log=args.access_log or run_dir / "access.log",
    )
    (run_dir / "shop.conf").write_text(render(DEPLOY / "nginx" / "shop.conf", values))
    (run_dir / "nginx.conf").write_text(render(DEPLOY / "nginx" / "standalone.conf", values))


if __name__ == "__main__":
    main()
