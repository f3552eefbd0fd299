"""Screenshots of each role's home page on a 375×667 phone, as a person sees it: docs/screenshots/*.png.

Run: .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--width 375] [--height 667]
(or `make screenshots`). The demo city is loaded into a scratch SQLite database under a scratch
TRAMA_VAR_DIR, a server is started on a free loopback port, and Debian's Chromium (through
Playwright; never a downloaded browser) signs in as each demo account and takes what fits in the
window, without scrolling: what a person sees first. The scratch directory is removed at the end.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TRAMA_CHROMIUM", "/usr/bin/chromium")
# (file name, demo account or None for the public home)
ROLES = [
    ("pubblico", None),
    ("coordinatrice", "coordinatrice"),
    ("operatore", "operatore"),
    ("partner", "partner"),
    ("antenna", "antenna"),
    ("cittadino", "cittadino"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def scratch_environment(var_dir):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "TRAMA_VAR_DIR": str(var_dir),
            "TRAMA_HTTPS": "0",
            "DJANGO_SETTINGS_MODULE": "trama.settings",
            # The pictures show each home, not the enrolment of an authenticator app.
            "TRAMA_REQUIRE_SECOND_FACTOR": "0",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    )
    return env


def wait_for(url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped ({server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url}")


def take(base_url, passwords, out, viewport):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
        )
        for name, username in ROLES:
            context = browser.new_context(base_url=base_url, locale="it-IT", viewport=viewport, is_mobile=True, has_touch=True, device_scale_factor=1)
            page = context.new_page()
            if username:
                page.goto("/account/accedi/")
                page.get_by_label("Nome per accedere o e-mail").fill(username)
                page.get_by_label("Password").fill(passwords[username])
                page.get_by_role("button", name="Accedi").last.click()
                page.wait_for_url(f"{base_url}/")
            else:
                page.goto("/")
            page.wait_for_load_state("networkidle")
            path = out / f"home-{name}.png"
            page.screenshot(path=str(path))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            context.close()
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--width", type=int, default=375)
    parser.add_argument("--height", type=int, default=667)
    args = parser.parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)

    var_dir = Path(tempfile.mkdtemp(prefix="trama-screenshots-"))
    env = scratch_environment(var_dir)
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    try:
        subprocess.run(manage + ["migrate", "--noinput"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(manage + ["load_demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        passwords = json.loads((var_dir / "demo-accounts.json").read_text())
        port = free_port()
        server = subprocess.Popen(
            manage + ["runserver", "--noreload", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base_url = f"http://127.0.0.1:{port}"
        wait_for(f"{base_url}/salute/", server)
        take(base_url, passwords, out, {"width": args.width, "height": args.height})
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
