"""The sample report opened in headless Chromium: no errors, no requests, no script runs, fits a phone.

One report is generated for the whole module (the sample journal plus one hostile entry) and one
browser is launched; screenshots land in the test's tmp output folder.
"""
from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLES

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
# Ingest drops real tags from Markdown, but entities decode to literal "<script>" text in the
# reflection, which is exactly what the report must then show as text.
HOSTILE = (
    "---\ndate: 2025-06-10\ncompany: \"<img src=x onerror=window.pwned=3>\"\noutcome: rejected\n---\n"
    "My mind went blank when they asked about &lt;script&gt;window.pwned = 1&lt;/script&gt; in the code. "
    "I was nervous &lt;img src=x onerror=\"window.pwned = 2\"&gt; and {{ 7*7 }} the whole time.\n"
)


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp):
    from reflect_nlp import analyze
    from reflect_nlp.report import write_outputs

    root = tmp_path_factory.mktemp("browser")
    journal = root / "journal"
    shutil.copytree(SAMPLES, journal)
    (journal / "2025-06-10-evil.md").write_text(HOSTILE)
    analysis = analyze(journal, nlp=nlp)
    assert analysis.reflections and any("<script>" in r.text for r in analysis.reflections)
    out = root / "out"
    write_outputs(analysis, out, formats="html", figures=False)
    return analysis, out / "report.html"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, path, width):
    """Open the report at ``width`` px, recording console errors and every request."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "requests": []}
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, seen


@pytest.fixture(scope="module", params=[1280, 390])
def opened(request, browser, report):
    analysis, path = report
    page, seen = _open(browser, path, request.param)
    shot = path.parent / f"screenshot-{request.param}.png"
    page.screenshot(path=str(shot), full_page=True)
    yield request.param, page, seen, shot
    page.close()


def test_no_console_errors_and_no_requests(opened, report):
    _, page, seen, _ = opened
    assert seen["errors"] == []
    assert seen["requests"] == [report[1].as_uri()]  # the page itself, nothing else


def test_injected_script_did_not_run_and_shows_as_text(opened):
    _, page, _, _ = opened
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("script").count() == 0
    text = page.locator("#evidence").text_content()  # includes quotes folded into <details>
    assert "<script>window.pwned = 1</script>" in text and "{{ 7*7 }}" in text
    assert '<img src=x onerror="window.pwned = 2">' in text
    assert "<img src=x onerror=window.pwned=3>" in page.inner_text("body")


def test_every_chart_is_visible(opened):
    _, page, _, _ = opened
    charts = page.locator("figure.chart svg")
    assert charts.count() == 4
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert charts.nth(i).is_visible() and box["width"] > 100 and box["height"] > 50
    labels = page.locator("figure.chart [role=img]")
    assert all(len(labels.nth(i).get_attribute("aria-label")) > 20 for i in range(labels.count()))


def test_no_horizontal_overflow(opened):
    width, page, _, _ = opened
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Nothing pokes out of the viewport either (wide tables and charts scroll inside their box).
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap, .svg'))"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName)")
    assert wide == []


def test_screenshots_written(opened):
    width, _, _, shot = opened
    assert shot.stat().st_size > 10_000 and shot.read_bytes()[:4] == b"\x89PNG"


def test_counts_on_page_match_frames(report, browser):
    analysis, path = report
    page, _ = _open(browser, path, 1280)
    lede = page.inner_text("header .lede")
    assert lede.startswith(f"{len(analysis.entries)} interviews")
    marks = page.locator("#evidence article mark").count()
    assert 0 < marks <= len(analysis.weak_spots)
    page.close()


def test_print_layout(report, browser):
    page, _ = _open(browser, report[1], 700)
    page.emulate_media(media="print")
    assert page.locator("nav").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 700
    charts = page.locator("figure.chart svg")
    assert all(charts.nth(i).bounding_box()["width"] <= 700 for i in range(charts.count()))
    assert len(page.pdf()) > 10_000  # Chromium lays the whole report out on paper
    page.close()


def test_a_10000_entry_report_opens_and_stays_readable(browser, tmp_path):
    """Issue 15: charts summarise a long journal; the page loads, every chart shows, nothing overflows."""
    from test_report import _long_journal

    from reflect_nlp.report import write_outputs

    write_outputs(_long_journal(10_000), tmp_path, formats="html", figures=False)
    path = tmp_path / "report.html"
    assert path.stat().st_size < 2_000_000  # summarised charts, capped tables: not 10,000 of everything
    for width in (1280, 390):
        page, seen = _open(browser, path, width)
        assert seen["errors"] == [] and [u for u in seen["requests"] if not u.startswith("file:")] == []
        assert page.locator("#ws-h").inner_text() == "Weak spots by period"
        charts = page.locator("figure.chart svg")
        assert charts.count() == 4 and all(charts.nth(i).is_visible() for i in range(4))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"long-{width}.png"), full_page=True)
        page.close()
