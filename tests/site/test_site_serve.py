"""`leadspec site serve`: a local preview that follows edits to the definitions."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from site_support import HEAD, STAGES

from conftest import write_definitions


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, text: str, process: subprocess.Popen[str], timeout: float = 90.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the preview stopped: {process.communicate()[1]}")
        page = _fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


def test_preview_serves_the_site_and_follows_a_definition_edit(tmp_path: Path) -> None:
    project = tmp_path / "p"
    write_definitions(project, {"all.yaml": HEAD + STAGES})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "leadspec", "site", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "stages/fresh.html", "<h1", process)
        definitions = project / "definitions" / "all.yaml"
        definitions.write_text(
            definitions.read_text(encoding="utf-8").replace("label: Fresh", "label: Brand new lead"),
            encoding="utf-8",
        )
        page = _wait_for(base + "stages/fresh.html", "Brand new lead", process)
        assert "livereload" in page  # the browser reloads by itself
        # A broken edit keeps the last good pages and says what is wrong.
        definitions.write_text(
            definitions.read_text(encoding="utf-8").replace("score >= 90", "scor >= 90"), encoding="utf-8"
        )
        time.sleep(3)
        assert "Brand new lead" in (_fetch(base + "stages/fresh.html") or "")
        assert process.poll() is None
    finally:
        process.terminate()
        try:
            output, errors = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, errors = process.communicate()
    assert "LS207" in output and "the site was not built" in errors
    assert "Traceback" not in errors
