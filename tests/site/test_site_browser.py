"""The built site in a real browser: Debian's headless Chromium, driven by Selenium.

The site is served by http.server on 127.0.0.1 (as any web host would), and also
opened from disk (file://); the browser may fetch nothing from anywhere else.
Deque's axe-core (npm, tests/site/axe) checks the pages for accessibility.
A screenshot of the home page is kept in test-artifacts/ for people to look at.

Skipped, with the reason, only when Chromium or axe-core is missing on a developer
machine; under CI (`CI` set) either missing is a failure: `.ci/run` installs both.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from site_support import (
    PAYLOAD_MARK,
    BuiltSite,
    build,
    bundled_site,  # noqa: F401 (fixture)
    funnel_site,  # noqa: F401 (fixture)
    hostile_site,  # noqa: F401 (fixture)
)

from conftest import REPO

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# What mkdocs-material renders itself, left out of the accessibility check: its search dialog
# (role="dialog" with no accessible name) and its "Made with Material for MkDocs" footer line
# (low contrast). Everything else on a page, leadspec's own markup and styles, must pass.
MATERIAL_OWN = (".md-search", ".md-copyright")
# The bundled stages in lifecycle order, as the diagram and the navigation list them.
LIFECYCLE = (
    "response",
    "valid_response",
    "mql",
    "sal",
    "sql",
    "customer",
    "closed_lost",
    "nurture",
    "disqualified",
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = REPO / "test-artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1400",
)


def _require_browser() -> None:
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    if not missing:
        return
    _missing(
        f"headless Chromium is not installed ({', '.join(missing)} missing): "
        "`apt-get install chromium chromium-driver` (CI does this in .ci/run)"
    )


def _missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message + "; under CI it must run")
    pytest.skip(message)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def serve() -> Iterator[Any]:
    """serve(folder) -> base URL of a local web server for that folder (stopped afterwards)."""
    servers: list[http.server.ThreadingHTTPServer] = []
    urls: dict[Path, str] = {}

    def start(folder: Path) -> str:
        if folder in urls:
            return urls[folder]
        handler = functools.partial(_Quiet, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        urls[folder] = f"http://127.0.0.1:{server.server_address[1]}/"
        return urls[folder]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    _require_browser()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(condition: Any, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the page")
        time.sleep(0.1)


def _open(driver: Any, url: str) -> None:
    driver.get(url)
    _wait(lambda: driver.execute_script("return document.readyState") == "complete")


def _problems(driver: Any, base: str) -> list[str]:
    """Console errors, and requests to anywhere but the local server, since the last call."""
    found = [
        f"console: {entry['message']}" for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
    ]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            # chrome:// and data: are the browser's own; anything on the network must be the site.
            if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")) and not url.startswith(base):
                found.append(f"request to {url}")
    return found


def _accessibility_problems(driver: Any) -> list[str]:
    """axe-core's violations on the open page, outside what mkdocs-material renders itself."""
    if not AXE.is_file():
        _missing("axe-core is not installed: `(cd tests/site/axe && npm ci)` (CI does this in .ci/run)")
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations = driver.execute_async_script(
        """const done = arguments[arguments.length - 1];
        axe.run({exclude: arguments[0].map(selector => [selector])}, {resultTypes: ['violations']})
          .then(result => done(result.violations.flatMap(v => v.nodes.map(
            node => `${v.id} (${v.help}): ${node.target.join(' ')}: ${node.html.slice(0, 120)}`))))
          .catch(error => done([`axe failed: ${error}`]));""",
        list(MATERIAL_OWN),
    )
    return list(violations)


def _without_repeated_code_pages(pages: list[Path]) -> list[Path]:
    """Every page, the diagnostic codes' pages (one template) only by their index and LS205: quicker."""
    return [page for page in pages if "/codes/" not in page.as_posix() or page.stem in ("index", "ls205")]


def _search_box(driver: Any) -> Any:
    """Open the search (the header field on a wide window) and return its input."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
        _wait(box.is_displayed)
    box.click()
    return box


def test_home_page_draws_the_lifecycle_as_svg(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:
    from selenium.webdriver.common.by import By

    base = serve(bundled_site.public)
    _problems(browser, base)
    _open(browser, base + "index.html")
    svg = browser.find_element(By.CSS_SELECTOR, "svg.ls-lifecycle")
    assert svg.size["width"] > 400 and svg.size["height"] > 400
    boxes = browser.find_elements(By.CSS_SELECTOR, "svg.ls-lifecycle a.ls-stage")
    assert [box.get_attribute("data-stage") for box in boxes] == list(LIFECYCLE)
    assert all(box.size["width"] > 50 for box in boxes)  # really drawn, not just present
    label = browser.execute_script(
        "return document.querySelector('svg.ls-lifecycle').getAttribute('aria-labelledby')"
    )
    assert browser.find_element(By.ID, label.split()[0]).get_attribute("textContent") == "The lead lifecycle"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-home.png"))
    # Selecting a stage in the diagram opens its page.
    browser.execute_script(
        "document.querySelector('a.ls-stage[data-stage=\"mql\"]').dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    _wait(lambda: browser.current_url.endswith("stages/mql.html"))
    assert _problems(browser, base) == []


def test_dark_palette_switch(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:
    from selenium.webdriver.common.by import By

    base = serve(bundled_site.public)
    _open(browser, base + "index.html")
    before = browser.execute_script("return document.body.getAttribute('data-md-color-scheme')")
    browser.find_element(By.CSS_SELECTOR, "label.md-header__button[for^='__palette']:not([hidden])").click()
    after = _wait(
        lambda: (
            (s := browser.execute_script("return document.body.getAttribute('data-md-color-scheme')"))
            != before
            and s
        )
    )
    assert {before, after} == {"default", "slate"}
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / f"site-home-{after}.png"))
    browser.execute_script("localStorage.clear()")


def test_stage_page_shows_its_criteria_sentence(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:
    from selenium.webdriver.common.by import By

    base = serve(bundled_site.public)
    _open(browser, base + "stages/mql.html")
    text = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "A lead is in Marketing Qualified Lead when:" in text
    assert "(either SDR status is working or accepted or" in text
    assert "or MQL bar is met)" in text
    assert 'sdr_status == "rejected" and days_since_last_touch < 30' in text  # the exact expression too
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-stage-mql.png"))
    # The named condition the criteria use links to its glossary entry, which says what it is in words.
    browser.find_element(By.LINK_TEXT, "MQL bar").click()
    entry = browser.find_element(By.ID, "condition-mql_bar").find_element(By.XPATH, "..")
    assert browser.current_url.endswith("glossary.html#condition-mql_bar")
    glossary = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "Named condition mql_bar, used by Valid Response, Marketing Qualified Lead, Nurture" in glossary
    assert "It is met when: Email verified is yes and ICP fit score is at least 40" in glossary
    assert entry is not None


def test_hovering_an_abbreviation_shows_its_expansion(
    browser: Any, serve: Any, bundled_site: BuiltSite
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    base = serve(bundled_site.public)
    _open(browser, base + "stages/sal.html")
    mql = next(el for el in browser.find_elements(By.CSS_SELECTOR, "article abbr") if el.text == "MQL")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mql)
    ActionChains(browser).move_to_element(mql).perform()
    assert browser.execute_script("return document.querySelector('article abbr:hover')?.textContent") == "MQL"
    assert mql.get_attribute("title") == "Marketing Qualified Lead"
    assert mql.value_of_css_property("cursor") == "help"


def test_search_finds_a_stage(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:

    base = serve(bundled_site.public)
    _problems(browser, base)
    _open(browser, base + "glossary.html")
    box = _search_box(browser)
    box.send_keys("Sales Accepted")
    links = "return [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)"
    hrefs = _wait(
        lambda: [h for h in browser.execute_script(links) if urlsplit(h).path.endswith("/stages/sal.html")]
    )
    assert hrefs
    box.clear()
    box.send_keys("MQL")
    first = _wait(lambda: [h for h in browser.execute_script(links)[:1] if "h=mql" in h])
    assert urlsplit(first[0]).path.endswith("/stages/mql.html"), first  # the stage itself comes first
    box.clear()
    box.send_keys("Outside our sales regions")  # a picklist value
    assert _wait(
        lambda: [
            h
            for h in browser.execute_script(links)
            if urlsplit(h).fragment == "value-rejection_reason-outside_territory"
        ]
    )
    box.clear()
    box.send_keys("budget")
    texts = "return [...document.querySelectorAll('.md-search-result__item')].map(item => item.textContent)"
    assert _wait(lambda: [text for text in browser.execute_script(texts) if "budget" in text.lower()])
    assert _problems(browser, base) == []


def test_search_works_opened_from_disk(browser: Any, bundled_site: BuiltSite) -> None:
    """mkdocs.yml promises the site works opened from disk: the search too, fetching nothing."""
    base = bundled_site.public.as_uri() + "/"
    _problems(browser, base)
    _open(browser, base + "stages/sal.html")
    box = _search_box(browser)
    box.send_keys("Marketing Qualified")
    links = "return [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href)"
    found = _wait(
        lambda: [h for h in browser.execute_script(links) if h.startswith(base + "stages/mql.html")]
    )
    browser.get(found[0])
    _wait(lambda: browser.current_url.startswith(base + "stages/mql.html"))
    assert (
        "A lead is in Marketing Qualified Lead when:" in browser.find_element("css selector", "article").text
    )
    assert _problems(browser, base) == []


def test_hostile_definitions_run_nothing(browser: Any, serve: Any, hostile_site: BuiltSite) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    base = serve(hostile_site.public)
    _problems(browser, base)
    # Every page carries the hostile names in its navigation.
    for path in _without_repeated_code_pages(hostile_site.pages()):
        page = path.relative_to(hostile_site.public).as_posix()
        _open(browser, base + page)
        assert browser.execute_script(f"return typeof window.{PAYLOAD_MARK}") == "undefined", page
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 - reading it is the check
    _open(browser, base + "stages/prospect.html")
    text = browser.find_element(By.CSS_SELECTOR, "article").text
    assert "<script>window.leadspecPwned='definition'</script>" in text
    # Search results render HTML: the payload must come back as text there too.
    box = _search_box(browser)
    box.send_keys("Prospect")
    texts = "return [...document.querySelectorAll('.md-search-result__item')].map(item => item.textContent)"
    assert _wait(lambda: [text for text in browser.execute_script(texts) if "<img src=x" in text])
    time.sleep(0.5)
    assert browser.execute_script(f"return typeof window.{PAYLOAD_MARK}") == "undefined"
    assert _problems(browser, base) == []


def test_every_stage_in_the_diagram_is_reached_by_keyboard(
    browser: Any, serve: Any, bundled_site: BuiltSite
) -> None:
    """Tab from "Skip to content" walks the diagram's stages in lifecycle order; Enter opens one."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base = serve(bundled_site.public)
    _open(browser, base + "index.html")
    browser.execute_script(
        "window.focused = [];"
        "document.addEventListener('focusin', e => window.focused.push("
        "e.target.getAttribute('data-stage') || e.target.getAttribute('class') || e.target.tagName))"
    )
    ActionChains(browser).send_keys(Keys.TAB, Keys.ENTER, *[Keys.TAB] * 12).perform()
    focused = browser.execute_script("return window.focused")
    assert "md-skip" in focused[0], focused
    stages = [name for name in focused if name in list(LIFECYCLE)]
    assert stages == list(LIFECYCLE), focused
    first = focused.index("response")
    assert focused[first : first + len(stages)] == stages  # one after the other, nothing in between
    mql = browser.find_element("css selector", 'a.ls-stage[data-stage="mql"]')
    assert mql.accessible_name == "Marketing Qualified Lead (MQL): owned by Marketing"  # what a reader hears
    browser.execute_script("arguments[0].focus()", mql)
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    _wait(lambda: browser.current_url.endswith("stages/mql.html"))


def test_pages_have_no_accessibility_violations(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:
    """One page of each kind in the light palette, and the two with diagrams in the dark one too."""
    from selenium.webdriver.common.by import By

    base = serve(bundled_site.public)
    pages = [
        "index.html",
        "stages/mql.html",
        "glossary.html",
        "fields.html",
        "picklists.html",
        "sla.html",
        "targets.html",
        "reference/format.html",
        "reference/codes/ls207.html",
        "404.html",
    ]
    found: dict[str, list[str]] = {}
    for page in pages:
        _open(browser, base + page)
        if problems := _accessibility_problems(browser):
            found[page] = problems
    toggle = "label.md-header__button[for^='__palette']:not([hidden])"
    browser.find_element(By.CSS_SELECTOR, toggle).click()  # the dark palette is kept for what follows
    try:
        for page in ("index.html", "targets.html"):
            _open(browser, base + page)
            assert (
                browser.execute_script("return document.body.getAttribute('data-md-color-scheme')") == "slate"
            )
            if problems := _accessibility_problems(browser):
                found[f"{page} (dark)"] = problems
    finally:
        browser.execute_script("localStorage.clear()")
    assert found == {}


def test_funnel_page_draws_its_charts(browser: Any, serve: Any, funnel_site: BuiltSite) -> None:
    """The Funnel health page: three SVG charts with a bar per figure, drawn, accessible, offline."""
    from selenium.webdriver.common.by import By

    base = serve(funnel_site.public)
    _problems(browser, base)
    _open(browser, base + "funnel.html")
    charts = browser.find_elements(By.CSS_SELECTOR, "article svg.ls-funnel")
    assert [chart.get_attribute("data-chart") for chart in charts] == ["volumes", "conversion", "compliance"]
    drawn = browser.execute_script(
        """return [...document.querySelectorAll('svg.ls-funnel')].map(svg => [svg.dataset.chart,
          [...svg.querySelectorAll('g.ls-f-row')].map(row => [row.dataset.stage || row.dataset.from || row.dataset.sla,
            [...row.querySelectorAll('rect.ls-f-bar')].map(bar => [bar.dataset.kind, bar.getBoundingClientRect().width])])])"""
    )
    rows = dict(drawn)
    assert [name for name, _ in rows["volumes"]][:3] == ["response", "valid_response", "mql"]
    assert all({kind for kind, _ in bars} <= {"target", "actual"} and bars for _, bars in rows["volumes"])
    assert all([kind for kind, _ in bars] == ["rate"] for _, bars in rows["conversion"])
    assert all(bars and bars[0][0] == "met" for _, bars in rows["compliance"])
    assert all(width > 0.5 for _, bars in drawn for _, row_bars in bars for _, width in row_bars)
    # The chart's name is what a screen reader announces; the table under it has the same figures.
    title = browser.execute_script(
        "const svg = document.querySelector('svg[data-chart=\"compliance\"]');"
        "return document.getElementById(svg.getAttribute('aria-labelledby').split(' ')[0]).textContent"
    )
    assert title == "SLA compliance per hand-off in 2026-Q3"
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "site-funnel.png"))
    assert _problems(browser, base) == []
    assert _accessibility_problems(browser) == []
    # Opened from disk too, nothing fetched.
    disk = funnel_site.public.as_uri() + "/"
    _open(browser, disk + "funnel.html")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.ls-funnel g.ls-f-row rect")) > 30
    assert _problems(browser, disk) == []


class _ProjectSite(_Quiet):
    """GitHub Pages for a project site: the build under /lead-lifecycle/, 404.html for anything missing."""

    prefix = "/lead-lifecycle/"
    root: Path

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = urlsplit(self.path).path
        if path.startswith(self.prefix):
            self.path = "/" + path.removeprefix(self.prefix)
            if Path(self.translate_path(self.path)).is_file():
                super().do_GET()
                return
        body = (self.root / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_page_not_found_works_under_a_sub_path(browser: Any, bundled_site: BuiltSite) -> None:
    """Built with --site-url for a GitHub Pages project site, a missing page shows the styled 404."""
    from selenium.webdriver.common.by import By

    out = bundled_site.project / "public-under-a-path"
    result = build(
        bundled_site.project, "--out", str(out), "--site-url", "https://acme.github.io/lead-lifecycle"
    )
    assert result.exit_code == 0, result.stderr
    handler = type("Handler", (_ProjectSite,), {"root": out})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/lead-lifecycle/"
        _problems(browser, base)
        _open(browser, base + "stages/no-such-stage.html")
        header = browser.find_element(By.CSS_SELECTOR, "header.md-header")
        assert header.value_of_css_property("position") == "sticky"  # material's stylesheet is loaded
        assert "404 - Not found" in browser.find_element(By.CSS_SELECTOR, "article").text
        link = browser.find_element(By.CSS_SELECTOR, "nav.md-nav--primary a[href$='stages/mql.html']")
        assert link.get_attribute("href") == base + "stages/mql.html"
        browser.execute_script("arguments[0].click()", link)
        _wait(lambda: browser.current_url == base + "stages/mql.html")
        assert (
            "A lead is in Marketing Qualified Lead when:"
            in browser.find_element(By.CSS_SELECTOR, "article").text
        )
        missing = f"console: {base}stages/no-such-stage.html - Failed to load resource: "
        assert [p for p in _problems(browser, base) if not (p.startswith(missing) and "404" in p)] == []
    finally:
        server.shutdown()
        server.server_close()


def test_no_page_logs_a_console_error(browser: Any, serve: Any, bundled_site: BuiltSite) -> None:
    base = serve(bundled_site.public)
    _problems(browser, base)
    seen: dict[str, list[str]] = {}
    for path in _without_repeated_code_pages(bundled_site.pages()):
        page = path.relative_to(bundled_site.public).as_posix()
        _open(browser, base + page)
        problems = _problems(browser, base)
        if problems:
            seen[page] = problems
    assert seen == {}
