"""report.html in a real browser: headless Chromium parses and draws it, with no network.

Chromium comes from the system packages (``apt-get install chromium``; .ci/run installs
it). Where it is missing the test is skipped, except in CI (the ``CI`` environment variable
set, as CI services and .ci/run's caller set it), where a missing browser is a failure:
CI must never pass without having drawn the page.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess

import pytest

from conftest import HOSTILE_LINES

WIDTH, HEIGHT = 1200, 900


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must render report.html: install chromium (see .ci/run)")
    pytest.skip("chromium is not installed (apt-get install chromium); required in CI")


def headless(chromium, tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-background-networking", "--disable-component-update",
                           "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=120)


def test_chromium_draws_report_html_without_running_or_loading_anything(chromium, xlsx_run,
                                                                         tmp_path):
    import lxml.html

    page = (xlsx_run[0] / "report.html").resolve().as_uri()
    dom = headless(chromium, tmp_path, "--dump-dom", page)
    assert dom.returncode == 0, dom.stderr[-2000:]
    doc = lxml.html.document_fromstring(dom.stdout)
    assert not doc.xpath("//script")  # the <script> in a report stayed text
    shown = doc.text_content()
    for line in HOSTILE_LINES[1:]:
        assert line in shown
    assert len(doc.xpath("//table[@class='heatmap']/tbody/tr")) == 6
    assert len(doc.xpath("//section[@class='report']")) == 6

    png = tmp_path / "page.png"
    shot = headless(chromium, tmp_path, f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png}",
                    page)
    assert shot.returncode == 0, shot.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    assert len(data) > 20_000  # a drawn page, not a blank one (a blank PNG is a few KB)
