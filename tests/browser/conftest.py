"""Fixtures for browser tests (run with ``pytest -m browser``).

One Chromium, one JupyterLab server and one Voilà server per session (each started only
when a test needs it); one browser context and page per test. The machinery lives in
``harness.py``; see its docstrings.

Chromium or Playwright missing: the tests SKIP with one line, or FAIL under ``CI=true``
(decided in :func:`browser_requirements` only). ``PARTNERSHIP_CHROMIUM`` overrides the
browser path (default ``/usr/bin/chromium``).

When a test fails, its report gets a screenshot (``tests/artifacts/<test>-failure.png``),
the page's console messages and the tail of the server logs.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import harness

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@dataclass
class PageLog:
    """What the page said while the test ran."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    #: External requests (anything but 127.0.0.1/localhost), all aborted.
    blocked: list[str] = field(default_factory=list)


PAGE_LOG = pytest.StashKey[PageLog]()
SKIP_REASON = "browser tests need Chromium and Playwright"


# --------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_requirements() -> Path:
    """The Chromium executable, or skip (outside CI) / fail (under ``CI=true``) without it.

    The only place that decides whether browser tests can run; every browser fixture
    depends on it, so no server is started when they cannot.
    """
    reason = harness.browser_unavailable_reason()
    if reason is None:
        return harness.chromium_path()
    if harness.in_ci():
        pytest.fail(
            f"Browser tests cannot run under CI: {reason}. Install Debian's 'chromium' "
            "package and the 'playwright' Python package (never 'playwright install').",
            pytrace=False,
        )
    pytest.skip(f"{SKIP_REASON}: {reason}")


@pytest.fixture(scope="session")
def chromium_browser(browser_requirements: Path) -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(browser_requirements),
            headless=True,
            args=list(harness.CHROMIUM_ARGS),
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser context and page for one test (1280x900, en-GB).

    Requests to anything but the local servers are aborted and listed in the test's
    :class:`PageLog` (``request.node.stash[PAGE_LOG]``).
    """
    log = PageLog()
    request.node.stash[PAGE_LOG] = log
    context = chromium_browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(30_000)

    def block(route: Any) -> None:
        log.blocked.append(route.request.url)
        route.abort()

    context.route(harness.EXTERNAL_URL, block)
    new_page = context.new_page()
    new_page.on("console", lambda m: log.console.append(f"{m.type}: {m.text}"))
    new_page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    yield new_page
    context.close()


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[..., Path]:
    """``screenshot(suffix="", *, full_page=True) -> Path``.

    Saves ``tests/artifacts/<test name>[-suffix].png``.
    """

    def take(suffix: str = "", *, full_page: bool = True) -> Path:
        name = request.node.name + (f"-{suffix}" if suffix else "")
        return harness.save_screenshot(page, name, full_page=full_page)

    return take


# --------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def jupyter_lab(
    browser_requirements: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[harness.LabServer]:
    """A JupyterLab server for the session, isolated in a temporary folder."""
    lab = harness.start_jupyter_lab(tmp_path_factory.mktemp("jupyter-lab"))
    yield lab
    lab.stop()


@pytest.fixture(scope="session")
def voila_server(
    browser_requirements: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[harness.VoilaServer]:
    """A Voilà server for the session (sources stripped, as learners see it)."""
    voila = harness.start_voila(tmp_path_factory.mktemp("voila"))
    yield voila
    voila.stop()


def _test_folder(request: pytest.FixtureRequest) -> str:
    return f"{harness.artifact_name(request.node.name)[:60]}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def open_in_lab(
    page: Page, jupyter_lab: harness.LabServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., str]]:
    """``open_in_lab(notebook, *, assets=(), timeout=60.0) -> str``.

    Opens a copy of ``notebook`` on ``page`` (see :func:`harness.open_lab_notebook`). The
    copy goes into a folder of this test's own in the server root; its path relative to
    the root is returned. The test's kernels are shut down afterwards.
    """
    folder = _test_folder(request)

    def open_copy(notebook: str | Path, **kwargs: Any) -> str:
        return harness.open_lab_notebook(page, jupyter_lab, notebook, subdir=folder, **kwargs)

    yield open_copy
    jupyter_lab.shutdown_sessions(f"{folder}/")


@pytest.fixture
def open_in_voila(
    page: Page, voila_server: harness.VoilaServer, request: pytest.FixtureRequest
) -> Iterator[Callable[..., str]]:
    """``open_in_voila(notebook, *, expect_widgets=True, timeout=120.0, cell_timeout=60.0,
    assets=()) -> str``.

    Renders a copy of ``notebook`` in Voilà on ``page`` and waits until it has finished
    (see :func:`harness.open_voila`); returns the copy's relative path. The page's kernel
    is shut down afterwards.
    """
    folder = _test_folder(request)
    kernels: list[str] = []

    def open_copy(notebook: str | Path, **kwargs: Any) -> str:
        try:
            return harness.open_voila(page, voila_server, notebook, subdir=folder, **kwargs)
        finally:
            with contextlib.suppress(Exception):  # never hide why the page failed
                if kernel_id := harness.voila_kernel_id(page):
                    kernels.append(kernel_id)

    yield open_copy
    for kernel_id in kernels:
        voila_server.shutdown_kernel(kernel_id)


# --------------------------------------------------------------------------------------
# Diagnostics on failure
# --------------------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and report.when in {"setup", "call"}:
        _attach_diagnostics(item, report)
    if report.skipped and isinstance(report.longrepr, tuple) and SKIP_REASON in report.longrepr[2]:
        # pytest gives a fixture's skip the test's own location, so `-ra` would print one
        # line per test. One location for all of them folds the summary into one line.
        report.longrepr = (__file__, None, report.longrepr[2])
    return report


def _attach_diagnostics(item: pytest.Item, report: pytest.TestReport) -> None:
    values = getattr(item, "funcargs", {}).values()
    for value in values:
        if isinstance(value, harness.LabServer | harness.VoilaServer):
            server = value.server
            report.sections.append(
                (f"{server.name} server log (tail of {server.log_path})", server.log_tail())
            )
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if page is not None and not page.is_closed():
        try:
            path = harness.save_screenshot(page, f"{item.name}-failure")
        except Exception as exc:  # a failure report must never raise
            report.sections.append(("browser screenshot", f"could not save one: {exc}"))
        else:
            report.sections.append(("browser screenshot", f"{path} (page: {page.url})"))
    log = item.stash.get(PAGE_LOG, None)
    if log is not None:
        lines = log.console[-40:] + [f"pageerror: {e}" for e in log.page_errors]
        lines += [f"blocked external request: {u}" for u in log.blocked]
        report.sections.append(("browser console", "\n".join(lines) or "(nothing)"))
