"""Machinery for browser tests: servers, notebook copies and page inspection.

The pytest fixtures that use this module live in ``tests/browser/conftest.py``.
Nothing here imports Playwright at import time, so the module stays importable
(and the tests can be skipped cleanly) on a machine without it.

Cell indices reported by every helper are 0-based positions in the notebook's
cell list (markdown cells included), the same numbering ``nbformat`` uses.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "tests" / "artifacts"
#: The folder whose ``voila.py`` ``make present`` reads (kernel culling).
PRESENT_CONFIG_DIR = REPO_ROOT / "deploy" / "voila"

# --------------------------------------------------------------------------------------
# Browser availability
# --------------------------------------------------------------------------------------

#: Environment variable that overrides the Chromium executable (also handy for proving
#: that the tests skip or fail when the browser is missing).
CHROMIUM_ENV = "PARTNERSHIP_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
#: Requests to any host but the local test servers are aborted (and recorded).
EXTERNAL_URL = re.compile(r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost)(?::\d+)?/)")


def chromium_path() -> Path:
    """The Chromium executable the tests drive (``$PARTNERSHIP_CHROMIUM`` or Debian's)."""
    return Path(os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM)


def in_ci() -> bool:
    """True when running under continuous integration (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        return "the 'playwright' Python package is not installed"
    path = chromium_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        return f"no Chromium executable at {path} (set ${CHROMIUM_ENV} to another path)"
    return None


# --------------------------------------------------------------------------------------
# Server processes
# --------------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isolated_env(base: Path) -> dict[str, str]:
    """Environment for a Jupyter process whose every Jupyter folder lives under ``base``.

    Writes a ``python3`` kernel spec pointing at this interpreter into the isolated data
    folder (so kernels use the project's venv whatever else is installed) and a page config
    that switches off JupyterLab's news pop-up.
    """
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "IPYTHONDIR": base / "ipython",
        "MPLCONFIGDIR": base / "matplotlib",
        "PARTNERSHIP_DATA_DIR": base / "learner-data",
    }
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    # Anything that could point Jupyter (or the kernel) back at the developer's own setup,
    # or leak the test process's settings into the kernel. MPLBACKEND=Agg (set by
    # tests/conftest.py) would stop the kernel from choosing the inline backend.
    for name in (
        "JUPYTER_PATH",
        "JUPYTER_CONFIG_PATH",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
        "JUPYTER_TOKEN",
        "MPLBACKEND",
        "PARTNERSHIP_CONTENT_DIR",
        "PYTEST_CURRENT_TEST",
        "PYTEST_ADDOPTS",
    ):
        env.pop(name, None)
    env.update({name: str(folder) for name, folder in dirs.items()})
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    # Inside a venv jupyter_core would otherwise search the venv's share/jupyter BEFORE the
    # (isolated) user data folder, so our kernel spec would not be the one used.
    env["JUPYTER_PREFER_ENV_PATH"] = "0"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["PYTHONUNBUFFERED"] = "1"

    kernel_dir = dirs["JUPYTER_DATA_DIR"] / "kernels" / "python3"
    kernel_dir.mkdir(parents=True, exist_ok=True)
    kernel_spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "metadata": {"debugger": True},
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(kernel_spec, indent=1), encoding="utf-8")

    labconfig = dirs["JUPYTER_CONFIG_DIR"] / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    page_config = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
    (labconfig / "page_config.json").write_text(json.dumps(page_config), encoding="utf-8")
    return env


def _http_get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def _pids_with_marker(marker: str) -> list[int]:
    """Processes whose command line mentions ``marker`` (a unique temporary path)."""
    needle = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            found.append(int(entry.name))
    return found


@dataclass
class ServerProcess:
    """A server started in its own process group, logging to ``log_path``."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path
    #: Unique folder of this server's isolated Jupyter dirs; kernels mention it on their
    #: command line (their connection file lives in it), which is how strays are found.
    home: Path

    def log_tail(self, lines: int = 60) -> str:
        """The last ``lines`` lines of the server log."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            return f"(cannot read {self.log_path}: {exc})"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the whole process group, then any kernel it left behind."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # stragglers in the group
        # Kernels run in sessions of their own (jupyter_client uses start_new_session).
        strays = _pids_with_marker(str(self.home))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in strays:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and (strays := _pids_with_marker(str(self.home))):
                time.sleep(0.1)
            if not strays:
                break


def _start_server(
    name: str,
    cmd: list[str],
    *,
    env: dict[str, str],
    home: Path,
    base_url: str,
    ready_path: str,
    cwd: Path,
    timeout: float,
) -> ServerProcess:
    log_path = home / f"{name.lower()}.log"
    with log_path.open("ab") as log:
        log.write(f"$ {' '.join(cmd)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ServerProcess(name, process, base_url, log_path, home)
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"{name} exited with code {process.returncode} before it was ready.\n"
                f"--- {log_path} (tail) ---\n{server.log_tail()}"
            )
        try:
            status, _ = _http_get(base_url + ready_path, timeout=2)
        except (OSError, urllib.error.URLError) as exc:
            last_error = str(exc)
        else:
            if status == 200:
                return server
            last_error = f"HTTP {status}"
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"{name} did not answer {base_url}{ready_path} within {timeout:.0f} s ({last_error}).\n"
        f"--- {log_path} (tail) ---\n{server.log_tail()}"
    )


@dataclass
class LabServer:
    """A running JupyterLab server (see :func:`start_jupyter_lab`)."""

    server: ServerProcess
    token: str
    #: Folder the server serves; notebooks are copied in here.
    root: Path
    #: ``PARTNERSHIP_DATA_DIR`` seen by the server and its kernels.
    data_dir: Path

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def url(self, path: str, query: str = "") -> str:
        """Absolute URL of ``path`` (relative to the server), token included."""
        sep = "&" if query else ""
        return f"{self.base_url}{path}?{query}{sep}token={self.token}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the REST API (``path`` like ``"api/sessions"``); returns decoded JSON."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def shutdown_sessions(self, path_prefix: str = "") -> None:
        """Shut down the kernel sessions of notebooks under ``path_prefix``."""
        for session in self.api("GET", "api/sessions"):
            if session.get("path", "").startswith(path_prefix):
                with contextlib.suppress(urllib.error.URLError):
                    self.api("DELETE", f"api/sessions/{session['id']}")

    def stop(self) -> None:
        self.server.stop()


def start_jupyter_lab(home: Path, *, timeout: float = 90.0) -> LabServer:
    """Start ``python -m jupyter lab`` from this interpreter, fully isolated under ``home``."""
    home.mkdir(parents=True, exist_ok=True)
    root = home / "root"
    root.mkdir(exist_ok=True)
    env = isolated_env(home)
    token = uuid.uuid4().hex
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--LabApp.expose_app_in_browser=True",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",  # ServerApp.token is deprecated
        f"--ServerApp.root_dir={root}",
        "--KernelSpecManager.ensure_native_kernel=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # never ask PyPI
    ]
    if os.geteuid() == 0:  # containers often run as root; Jupyter refuses without this
        cmd.append("--allow-root")
    server = _start_server(
        "JupyterLab",
        cmd,
        env=env,
        home=home,
        base_url=f"http://127.0.0.1:{port}/",
        ready_path=f"api/status?token={token}",
        cwd=root,
        timeout=timeout,
    )
    lab = LabServer(server, token, root, Path(env["PARTNERSHIP_DATA_DIR"]))
    try:
        _check_kernelspec(lab)
    except Exception:
        lab.stop()
        raise
    return lab


def _check_kernelspec(lab: LabServer) -> None:
    specs = lab.api("GET", "api/kernelspecs")
    python3 = specs.get("kernelspecs", {}).get("python3")
    argv = (python3 or {}).get("spec", {}).get("argv", [])
    if not argv or argv[0] != sys.executable:
        raise RuntimeError(
            "The JupyterLab test server would not start kernels with this venv's Python "
            f"({sys.executable}); its python3 kernel spec is {python3!r}."
        )


@dataclass
class VoilaServer:
    """A running Voilà server (see :func:`start_voila`)."""

    server: ServerProcess
    #: Folder Voilà serves; notebooks are copied in here.
    root: Path
    #: ``PARTNERSHIP_DATA_DIR`` seen by the server and its kernels.
    data_dir: Path

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def render_url(self, relative_path: str) -> str:
        """URL of ``voila/render/<relative_path>``."""
        return f"{self.base_url}voila/render/{urllib.parse.quote(relative_path)}"

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Shut down one page's kernel (Voilà keeps it running after the page closes)."""
        request = urllib.request.Request(f"{self.base_url}api/kernels/{kernel_id}", method="DELETE")
        with (
            contextlib.suppress(urllib.error.URLError),
            urllib.request.urlopen(request, timeout=10),
        ):
            pass

    def kernel(self, kernel_id: str) -> dict[str, Any] | None:
        """The server's model of one kernel (``execution_state``, ``connections``,
        ``last_activity``), or ``None`` once the server no longer has it.

        Voilà serves ``api/kernels/<id>`` but not the list ``api/kernels``; for every live
        kernel see :meth:`kernel_processes`.
        """
        status, body = _http_get(f"{self.base_url}api/kernels/{kernel_id}", timeout=10)
        if status == 404:
            return None
        if status != 200:
            raise RuntimeError(f"Voilà answered {status} for kernel {kernel_id}: {body[:200]!r}")
        return json.loads(body)

    def kernel_processes(self) -> dict[str, int]:
        """Kernel id -> pid of every kernel process this server has running now.

        Found by their connection files (``<runtime>/voila_*/kernel-<id>.json``), which
        only this server's kernels have on their command line.
        """
        runtime = str(self.server.home / "runtime")
        found = {}
        for pid in _pids_with_marker(runtime):
            with contextlib.suppress(OSError):
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                for arg in argv:
                    match = re.search(rb"kernel-([0-9a-f-]{36})\.json$", arg)
                    if match:
                        found[match.group(1).decode()] = pid
        return found

    def stop(self) -> None:
        self.server.stop()


def present_settings() -> Any:
    """The settings ``make present`` gives Voilà, read from :data:`PRESENT_CONFIG_DIR`.

    A traitlets ``Config``: ``present_settings().MappingKernelManager.cull_idle_timeout``.
    """
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("voila.py", path=str(PRESENT_CONFIG_DIR)).load_config()


def quicker_culling(*, idle: int, interval: int) -> list[str]:
    """Command-line settings that make ``make present``'s kernel culling act within seconds.

    ``cull_idle_timeout`` and ``cull_interval`` are each cut to at most ``idle`` and
    ``interval`` seconds; everything else stays as ``make present`` has it. A timeout of 0
    (culling off) stays 0, so a test that relies on culling fails when ``make present``
    would not cull. Pass the result as ``start_voila(..., extra_args=...)``.
    """
    kernels = present_settings().MappingKernelManager
    timeout = int(kernels.get("cull_idle_timeout", 0))
    every = int(kernels.get("cull_interval", 300))
    return [
        f"--MappingKernelManager.cull_idle_timeout={min(timeout, idle) if timeout > 0 else 0}",
        f"--MappingKernelManager.cull_interval={min(every, interval) if every > 0 else interval}",
    ]


def start_voila(
    home: Path,
    *,
    strip_sources: bool = True,
    show_tracebacks: bool = True,
    timeout: float = 90.0,
    present: bool = False,
    extra_args: Sequence[str] = (),
) -> VoilaServer:
    """Start ``python -m voila`` serving a fresh folder under ``home``.

    ``strip_sources=True`` (Voilà's default, and what learners see) hides code cells.
    ``show_tracebacks=True`` puts the real traceback in the page, which makes failures
    readable in test output.

    ``present=True`` serves with the settings ``make present`` uses: Voilà reads
    :data:`PRESENT_CONFIG_DIR`'s ``voila.py`` (kernel culling) first, and the XSRF check
    stays on, as it is there (so :meth:`VoilaServer.shutdown_kernel` is refused; ``stop``
    still ends every kernel). ``extra_args`` go on the command line, which wins over both
    files (``make present VOILA_ARGS=...`` overrides the same way).
    """
    home.mkdir(parents=True, exist_ok=True)
    root = home / "root"
    root.mkdir(exist_ok=True)
    env = isolated_env(home)
    # Voilà reads voila.json from the (isolated) config folder. Connection files go into
    # the isolated runtime folder so stray kernels can be found by path, and the XSRF
    # check is off so the harness can shut a page's kernel down over the REST API (the
    # server only listens on 127.0.0.1 and has no token, like Voilà's own default);
    # present=True keeps it on, as make present does.
    voila_config: dict[str, Any] = {"Voila": {"connection_dir_root": env["JUPYTER_RUNTIME_DIR"]}}
    if not present:
        voila_config["Voila"]["tornado_settings"] = {"disable_check_xsrf": True}
    config_dir = Path(env["JUPYTER_CONFIG_DIR"])
    (config_dir / "voila.json").write_text(json.dumps(voila_config, indent=1), encoding="utf-8")
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--strip_sources={strip_sources}",
        f"--show_tracebacks={show_tracebacks}",
    ]
    if present:
        # The first folder wins where both files set the same thing (traitlets).
        cmd += [f"--Voila.config_file_paths={d}" for d in (PRESENT_CONFIG_DIR, config_dir)]
    cmd += [*extra_args, str(root)]
    server = _start_server(
        "Voila",
        cmd,
        env=env,
        home=home,
        base_url=f"http://127.0.0.1:{port}/",
        ready_path="",
        cwd=root,
        timeout=timeout,
    )
    return VoilaServer(server, root, Path(env["PARTNERSHIP_DATA_DIR"]))


# --------------------------------------------------------------------------------------
# Notebook copies
# --------------------------------------------------------------------------------------


def copy_notebook(
    notebook: str | os.PathLike[str],
    root: Path,
    *,
    subdir: str | None = None,
    assets: Sequence[str] = (),
) -> str:
    """Copy ``notebook`` into ``root/<subdir>/`` and return its path relative to ``root``.

    Always a copy, so autosave in the browser never touches the committed notebook. Each
    call without ``subdir`` gets a random sub-folder, so no two tests share a notebook path
    (and therefore a kernel). ``assets`` are files or folders, relative to the notebook's
    folder, copied alongside it (e.g. ``["images"]`` for pictures the markdown shows).
    """
    source = Path(notebook)
    if not source.is_file():
        raise FileNotFoundError(f"notebook not found: {source}")
    folder = root / (subdir or uuid.uuid4().hex[:10])
    folder.mkdir(parents=True, exist_ok=True)
    destination = folder / source.name
    shutil.copyfile(source, destination)
    for asset in assets:
        origin = source.parent / asset
        if origin.is_dir():
            shutil.copytree(origin, folder / asset, dirs_exist_ok=True)
        elif origin.is_file():
            (folder / asset).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, folder / asset)
        else:
            raise FileNotFoundError(f"asset {asset!r} not found next to {source}")
    return destination.relative_to(root).as_posix()


# --------------------------------------------------------------------------------------
# Reading a page: outputs, errors, widgets
# --------------------------------------------------------------------------------------

#: A widget's text repr, as shown when the widget did not render (e.g. no widget manager):
#: ``VBox(children=(...))``, ``IntSlider(value=0, description='Power')``, ``Output()``.
WIDGET_AS_TEXT = re.compile(
    r"\b[A-Z][A-Za-z0-9]+\((?:children|value|options|description)=|\bLabel\(value=|\bOutput\(\)"
)
ERROR_MIME = "application/vnd.jupyter.stderr"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# One record per `.jp-OutputArea-output` element. Works in JupyterLab (cell index from the
# notebook model, and `ename` from the model's error outputs), in Voilà (cell index from
# the `cell-index` attribute, 1-based there) and in nbconvert HTML (position of the cell).
_OUTPUTS_JS = """
() => {
  const records = [];
  const add = (el, cell, ename) => {
    // A widget that failed to render marks the output element itself.
    const own = el.classList.contains('jupyter-widgets');
    const views = Array.from(el.querySelectorAll('.jupyter-widgets'));
    records.push({
      cell: cell,
      mime: el.getAttribute('data-mime-type'),
      text: (el.innerText || el.textContent || '').slice(0, 4000),
      widget_views: own ? 0 : views.length,
      ename: ename,
    });
  };
  const app = window.jupyterapp;
  const isNb = (w) => w && w.content && Array.isArray(w.content.widgets) && w.sessionContext;
  let nb = app ? app.shell.currentWidget : null;
  if (app && !isNb(nb)) { nb = Array.from(app.shell.widgets('main')).find(isNb) || null; }
  if (nb) {
    nb.content.widgets.forEach((cell, i) => {
      const els = Array.from(cell.node.querySelectorAll('.jp-OutputArea-output'));
      const model = cell.model.type === 'code' ? cell.model.outputs.toJSON() : [];
      els.forEach((el, j) => {
        const out = model.length === els.length ? model[j] : null;
        const ename = out && out.output_type === 'error' ? `${out.ename}: ${out.evalue}` : null;
        add(el, i, ename);
      });
    });
    return records;
  }
  const cells = Array.from(document.querySelectorAll('.jp-Cell'));
  document.querySelectorAll('.jp-OutputArea-output').forEach((el) => {
    let cell = null;
    const voila = el.closest('[cell-index]');
    if (voila) { cell = Number(voila.getAttribute('cell-index')) - 1; }
    else if (el.closest('.jp-Cell')) { cell = cells.indexOf(el.closest('.jp-Cell')); }
    add(el, cell, null);
  });
  return records;
}
"""

_WIDGETS_JS = """
() => Array.from(document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets'))
  .filter((el) => !el.classList.contains('jp-OutputArea-output'))
  .filter((el) => !el.parentElement.closest('.jupyter-widgets'))
  .map((el) => ({
    classes: Array.from(el.classList).filter((c) => c.startsWith('widget-')),
    text: (el.innerText || '').trim().slice(0, 300),
    visible: !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length),
  }))
"""


@dataclass(frozen=True)
class Output:
    """One rendered output (``.jp-OutputArea-output``)."""

    #: 0-based index of the cell in the notebook (``None`` if it cannot be told).
    cell: int | None
    #: ``data-mime-type`` of the output (``None`` for a widget view).
    mime: str | None
    text: str
    #: Number of rendered ``.jupyter-widgets`` elements inside.
    widget_views: int
    #: ``"ZeroDivisionError: division by zero"`` for an error output (JupyterLab only).
    ename: str | None = None

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        if len(text) > 300:
            text = text[:297] + "..."
        where = "cell ?" if self.cell is None else f"cell {self.cell}"
        label = self.ename or self.mime or "widget output"
        return f"{where} [{label}]: {text}"


@dataclass(frozen=True)
class WidgetView:
    """A top-level rendered ipywidgets view."""

    #: Its ``widget-*`` classes, e.g. ``("widget-inline-hbox", "widget-slider", ...)``.
    classes: tuple[str, ...]
    text: str
    visible: bool


def collect_outputs(page: Page) -> list[Output]:
    """Every rendered output on a JupyterLab, Voilà or exported-HTML page."""
    return [
        Output(
            cell=r["cell"],
            mime=r["mime"],
            text=_ANSI.sub("", r["text"]),
            widget_views=r["widget_views"],
            ename=r["ename"],
        )
        for r in page.evaluate(_OUTPUTS_JS)
    ]


def _is_error(output: Output) -> bool:
    if output.ename or output.mime == ERROR_MIME:
        return True
    if output.widget_views:  # its text is the widgets'; outputs nested in them are checked
        return False
    return "Traceback" in output.text or output.text.lstrip().startswith("Error displaying widget")


def error_outputs(page: Page) -> list[Output]:
    """Outputs that show an error: stderr, a traceback, an ``ename``, a broken widget."""
    return [o for o in collect_outputs(page) if _is_error(o)]


def widgets_as_text(page: Page) -> list[Output]:
    """Outputs that show a widget's text repr (``VBox(children=...)``) instead of the widget."""
    return [
        o
        for o in collect_outputs(page)
        if o.widget_views == 0 and WIDGET_AS_TEXT.search(o.text) is not None
    ]


def rendered_widgets(page: Page) -> list[WidgetView]:
    """Top-level ipywidgets views rendered in outputs (children of a box are not counted)."""
    return [
        WidgetView(tuple(r["classes"]), r["text"], r["visible"]) for r in page.evaluate(_WIDGETS_JS)
    ]


def pending_widgets(page: Page) -> list[Output]:
    """Widget outputs still showing ``Loading widget...``."""
    return [o for o in collect_outputs(page) if o.text.strip() == "Loading widget..."]


def _listing(items: list[Any], limit: int = 15) -> str:
    lines = [f"  - {item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"  ... and {len(items) - limit} more")
    return "\n".join(lines)


def assert_no_error_outputs(page: Page) -> None:
    """Fail listing every error output (cell, error name, text)."""
    errors = error_outputs(page)
    assert not errors, f"{len(errors)} error output(s) on {page.url}:\n{_listing(errors)}"


def assert_no_widgets_as_text(page: Page) -> None:
    """Fail listing every output that shows a widget as plain text."""
    found = widgets_as_text(page)
    assert not found, (
        f"{len(found)} output(s) show a widget as text instead of rendering it "
        f"(is the widget manager missing?) on {page.url}:\n{_listing(found)}"
    )


def assert_widgets_rendered(page: Page, minimum: int = 1) -> list[WidgetView]:
    """Fail unless at least ``minimum`` top-level widget views rendered; return them."""
    views = rendered_widgets(page)
    if len(views) < minimum:
        outputs = collect_outputs(page)
        raise AssertionError(
            f"expected at least {minimum} rendered ipywidgets view(s) (.jupyter-widgets), "
            f"found {len(views)} on {page.url}. Outputs on the page:\n"
            + (_listing(outputs) if outputs else "  (none)")
        )
    return views


_CUT_OFF_JS = """() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const ctx = document.createElement('canvas').getContext('2d');
  const out = [];
  const seen = new Set();
  const selector = 'button, label, .widget-label, select, .widget-readout, summary';
  for (const area of document.querySelectorAll('.jp-OutputArea-output')) {
    for (const el of area.querySelectorAll(selector)) {
      if (seen.has(el) || !visible(el)) continue;
      seen.add(el);
      // A label given no width on purpose is the accessible name of a box whose words
      // are shown above it: not text a learner reads there.
      if (el.clientWidth < 2) continue;
      let text, need;
      if (el.tagName === 'SELECT') {
        const option = el.options[el.selectedIndex];
        if (!option) continue;
        const cs = getComputedStyle(el);
        ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        text = option.text.replace(/\\u00a0/g, ' ').trim();
        need = ctx.measureText(text).width + parseFloat(cs.paddingLeft) +
          parseFloat(cs.paddingRight);
        if (need <= el.clientWidth + 1) continue;
      } else {
        text = (el.innerText || '').replace(/\\s+/g, ' ').trim();
        if (!text || el.scrollWidth <= el.clientWidth + 1) continue;
        need = el.scrollWidth;
      }
      out.push(`${el.tagName.toLowerCase()} '${text.slice(0, 80)}' needs ` +
        `${Math.round(need)} px but has ${el.clientWidth} px`);
    }
  }
  return out;
}"""


def cut_off_labels(page: Page) -> list[str]:
    """Controls and labels in cell outputs whose text does not fit their box (cut off
    with an ellipsis or hidden), including a drop-down's chosen option."""
    return page.evaluate(_CUT_OFF_JS)


def assert_no_cut_off_labels(page: Page) -> None:
    found = list(dict.fromkeys(cut_off_labels(page)))
    assert not found, f"{len(found)} label(s) cut off:\n" + _listing(found, limit=40)


def assert_page_healthy(page: Page, *, min_widgets: int = 0) -> None:
    """All three checks at once, reporting every problem together."""
    problems = []
    if errors := error_outputs(page):
        problems.append(f"error outputs:\n{_listing(errors)}")
    if as_text := widgets_as_text(page):
        problems.append(f"widgets shown as text:\n{_listing(as_text)}")
    if len(views := rendered_widgets(page)) < min_widgets:
        problems.append(f"only {len(views)} rendered widget view(s), expected {min_widgets}")
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def wait_for_widgets(page: Page, *, minimum: int = 0, timeout: float = 30.0) -> list[WidgetView]:
    """Wait until no widget output is still loading and ``minimum`` views are rendered.

    The count must also hold still for two polls in a row, since views render one by one.
    """
    deadline = time.monotonic() + timeout
    previous: tuple[int, int] | None = None
    while True:
        views = rendered_widgets(page)
        pending = pending_widgets(page)
        snapshot = (len(views), len(pending))
        if not pending and len(views) >= minimum and snapshot == previous:
            return views
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"widgets did not settle within {timeout:.0f} s: {len(views)} rendered "
                f"(expected at least {minimum}), {len(pending)} still loading:\n"
                f"{_listing(pending)}"
            )
        previous = snapshot
        time.sleep(0.25)


# --------------------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------------------

# State of the notebook panel (the current widget, or else the first notebook open).
_LAB_STATE_JS = """
() => {
  const app = window.jupyterapp;
  const dialog = document.querySelector('.jp-Dialog');
  const state = {app: !!app, dialog: dialog ? dialog.innerText.trim().slice(0, 600) : null,
                 notebook: null, run: window.__harnessRunAll || null};
  if (!app) return state;
  const isNb = (w) => w && w.content && Array.isArray(w.content.widgets) && w.sessionContext;
  let nb = app.shell.currentWidget;
  if (!isNb(nb)) { nb = Array.from(app.shell.widgets('main')).find(isNb) || null; }
  if (!nb) return state;
  const session = nb.sessionContext.session;
  const kernel = session ? session.kernel : null;
  state.notebook = {
    path: nb.context.path,
    ready: nb.context.isReady,
    kernel: kernel ? {connection: kernel.connectionStatus, status: kernel.status} : null,
    cells: nb.content.widgets.map((cell, i) => {
      const m = cell.model;
      const code = m.type === 'code';
      const source = m.sharedModel.getSource();
      return {
        index: i, type: m.type, source: source.slice(0, 160), empty: source.trim() === '',
        count: code ? m.executionCount : null, state: code ? m.executionState : null,
        errors: code ? m.outputs.toJSON().filter((o) => o.output_type === 'error')
          .map((o) => `${o.ename}: ${o.evalue}`) : [],
      };
    }),
  };
  return state;
}
"""

_START_RUN_ALL_JS = """
() => {
  const app = window.jupyterapp;
  const run = {done: false, result: null, error: null};
  window.__harnessRunAll = run;
  app.commands.execute('notebook:clear-all-cell-outputs')
    .then(() => app.commands.execute('notebook:run-all-cells'))
    .then((result) => { run.result = result; run.done = true; },
          (error) => { run.error = String(error); run.done = true; });
}
"""


class NotebookRunError(AssertionError):
    """Run All did not complete: a cell raised, stalled, or the kernel died."""


@dataclass(frozen=True)
class RunReport:
    """What :func:`run_all_cells` saw."""

    path: str
    seconds: float
    #: Indices of non-empty code cells that ran / did not run.
    executed: tuple[int, ...]
    not_run: tuple[int, ...]
    #: ``(cell index, "ename: evalue")`` for every error output.
    errors: tuple[tuple[int, str], ...] = field(default=())


def _lab_state(page: Page) -> dict[str, Any]:
    return page.evaluate(_LAB_STATE_JS)


def _source_hint(cell: dict[str, Any]) -> str:
    first = cell["source"].strip().splitlines()[0] if cell["source"].strip() else ""
    return f"{first[:80]!r}"


def open_lab_notebook(
    page: Page,
    lab: LabServer,
    notebook: str | os.PathLike[str],
    *,
    subdir: str | None = None,
    assets: Sequence[str] = (),
    timeout: float = 60.0,
) -> str:
    """Copy ``notebook`` into the server root and open the copy at ``lab/tree/<copy>?reset``.

    Returns the copy's path relative to the server root. ``?reset`` starts from a blank
    workspace so nothing from an earlier test is restored.
    """
    relative = copy_notebook(notebook, lab.root, subdir=subdir, assets=assets)
    url = lab.url(f"lab/tree/{urllib.parse.quote(relative)}", "reset")
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while True:
        state = _lab_state(page)
        nb = state["notebook"]
        if nb and nb["path"] == relative and nb["ready"]:
            return relative
        if state["dialog"]:
            raise NotebookRunError(f"dialog while opening {relative}: {state['dialog']}")
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"JupyterLab did not open {relative} within {timeout:.0f} s "
                f"(jupyterapp present: {state['app']}, notebook: {nb and nb['path']})"
            )
        time.sleep(0.2)


def wait_for_kernel_idle(page: Page, *, timeout: float = 60.0) -> None:
    """Wait until the open notebook's kernel is connected and idle.

    Fails at once if a dialog (kernel chooser, "kernel died", ...) is open, with its text.
    """
    deadline = time.monotonic() + timeout
    while True:
        state = _lab_state(page)
        if state["dialog"]:
            raise NotebookRunError(f"dialog open while waiting for the kernel: {state['dialog']}")
        nb = state["notebook"]
        kernel = nb and nb["kernel"]
        if kernel and kernel["connection"] == "connected" and kernel["status"] == "idle":
            return
        if time.monotonic() > deadline:
            raise TimeoutError(
                f"kernel not connected and idle within {timeout:.0f} s (notebook: "
                f"{nb and nb['path']}, kernel: {kernel})"
            )
        time.sleep(0.2)


def run_all_cells(
    page: Page, *, timeout: float = 120.0, cell_timeout: float = 60.0, raise_on_error: bool = True
) -> RunReport:
    """Run All in the open notebook and wait until it has finished.

    Waits for the kernel (connected, idle), clears all outputs, runs
    ``notebook:run-all-cells``, then waits until the command has finished, no cell is
    running and the kernel is idle, and widget views have settled. ``timeout`` covers the
    whole run; a single cell running longer than ``cell_timeout`` fails at once, naming the
    cell. With ``raise_on_error`` (default) a cell that raised, or cells that never ran, fail
    the run with :class:`NotebookRunError`; otherwise they are only reported.
    """
    start = time.monotonic()
    deadline = start + timeout
    wait_for_kernel_idle(page, timeout=timeout)
    page.evaluate(_START_RUN_ALL_JS)
    current: int | None = None
    current_since = time.monotonic()
    while True:
        state = _lab_state(page)
        nb = state["notebook"]
        if nb is None:
            raise NotebookRunError("the notebook panel disappeared during Run All")
        cells = {c["index"]: c for c in nb["cells"]}
        running = [c for c in nb["cells"] if c["state"] == "running"]
        kernel = nb["kernel"]
        where = f"cell {running[0]['index']} {_source_hint(running[0])}" if running else "no cell"
        if state["dialog"]:
            raise NotebookRunError(f"dialog during Run All ({where} running): {state['dialog']}")
        if kernel is None or kernel["status"] in {"dead", "restarting", "autorestarting"}:
            raise NotebookRunError(
                f"kernel {kernel and kernel['status']} while {where} was running"
            )
        run = state["run"] or {}
        if run.get("done") and not running and kernel["status"] == "idle":
            break
        now = time.monotonic()
        head = running[0]["index"] if running else None
        if head != current:
            current, current_since = head, now
        elif current is not None and now - current_since > cell_timeout:
            raise NotebookRunError(
                f"cell {current} {_source_hint(cells[current])} still running after "
                f"{cell_timeout:.0f} s ({len(running)} cell(s) queued) in {nb['path']}"
            )
        if now > deadline:
            raise NotebookRunError(
                f"Run All did not finish within {timeout:.0f} s in {nb['path']} ({where} "
                f"running, kernel {kernel['status']})"
            )
        time.sleep(0.2)
    if run.get("error"):
        raise NotebookRunError(f"notebook:run-all-cells failed: {run['error']}")
    wait_for_widgets(page, timeout=max(5.0, deadline - time.monotonic()))

    code = [c for c in nb["cells"] if c["type"] == "code" and not c["empty"]]
    report = RunReport(
        path=nb["path"],
        seconds=time.monotonic() - start,
        executed=tuple(c["index"] for c in code if c["count"] is not None),
        not_run=tuple(c["index"] for c in code if c["count"] is None),
        errors=tuple((c["index"], e) for c in nb["cells"] for e in c["errors"]),
    )
    if raise_on_error and (report.errors or report.not_run):
        details = [f"Run All in {report.path} did not complete cleanly."]
        details += [f"  cell {i} raised {e}" for i, e in report.errors]
        if report.not_run:
            details.append(f"  cells that never ran: {list(report.not_run)}")
        tracebacks = [o for o in error_outputs(page) if o.ename]
        if tracebacks:
            details.append("First traceback:\n" + tracebacks[0].text[-2500:])
        raise NotebookRunError("\n".join(details))
    return report


# --------------------------------------------------------------------------------------
# Voilà
# --------------------------------------------------------------------------------------

_VOILA_STATE_JS = """
() => {
  const loading = document.getElementById('loading');
  const text = document.getElementById('loading_text');
  const outputs = Array.from(document.querySelectorAll('.jp-OutputArea-output'));
  const scripts = 'script[type="application/vnd.voila.cell-output+json"]';
  const config = document.getElementById('jupyter-config-data');
  let kernelId = null;
  try { kernelId = config ? JSON.parse(config.textContent).kernelId : null; } catch (e) {}
  return {
    ready: document.readyState,
    loading: !!loading,
    text: loading && text ? text.innerText : '',
    scripts: document.querySelectorAll(scripts).length,
    outputs: outputs.length,
    pending: outputs.filter((o) => (o.textContent || '').trim() === 'Loading widget...').length,
    widgets: document.querySelectorAll('.jp-OutputArea-output .jupyter-widgets').length,
    errors: outputs.filter(
      (o) => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr').length,
    kernelId: kernelId,
  };
}
"""


def voila_kernel_id(page: Page) -> str | None:
    """The kernel id of a Voilà page (from its ``jupyter-config-data``)."""
    return page.evaluate(_VOILA_STATE_JS)["kernelId"]


def open_voila(
    page: Page,
    voila: VoilaServer,
    notebook: str | os.PathLike[str],
    *,
    expect_widgets: bool = True,
    timeout: float = 120.0,
    cell_timeout: float = 60.0,
    subdir: str | None = None,
    assets: Sequence[str] = (),
    query: str = "",
) -> str:
    """Copy ``notebook`` into Voilà's root, open ``voila/render/<copy>`` and wait for it.

    ``query`` is appended to the URL (``"projector=1"``); Voilà hands it to the kernel.

    Voilà executes the cells on the server while it streams the page ("Executing 3 of 7"),
    then removes the spinner and the front end renders outputs and widgets. This returns
    once the spinner is gone, every output has rendered, no widget is still loading and
    (with ``expect_widgets``) at least one widget view exists, or an error output is
    shown. A cell executing longer than ``cell_timeout`` fails at once, naming it.
    Returns the copy's path relative to Voilà's root.
    """
    relative = copy_notebook(notebook, voila.root, subdir=subdir, assets=assets)
    from playwright.sync_api import Error as PlaywrightError

    url = voila.render_url(relative) + (f"?{query}" if query else "")
    response = page.goto(url, wait_until="commit", timeout=timeout * 1000)
    if response is None or response.status >= 400:
        page.wait_for_load_state("domcontentloaded")
        body = " ".join(page.inner_text("body").split())[:600]
        status = response.status if response else "no response"
        raise NotebookRunError(f"Voilà answered {status} for {relative}: {body}")
    start = time.monotonic()
    deadline = start + timeout
    stage, stage_since = "starting", start
    previous = None
    while True:
        try:
            state = page.evaluate(_VOILA_STATE_JS)
        except PlaywrightError:  # the document is still being replaced
            time.sleep(0.1)
            continue
        now = time.monotonic()
        if state["loading"]:
            match = re.search(r"Executing (\d+) of (\d+)", state["text"] or "")
            label = f"cell {int(match.group(1)) - 1}" if match else "kernel start"
            if label != stage:
                stage, stage_since = label, now
            elif now - stage_since > cell_timeout:
                raise NotebookRunError(
                    f"Voilà stuck on {stage} of {relative} for more than {cell_timeout:.0f} s"
                )
        else:
            settled = (
                state["ready"] == "complete" and state["scripts"] == 0 and state["pending"] == 0
            )
            enough = not expect_widgets or state["widgets"] > 0 or state["errors"] > 0
            snapshot = (state["outputs"], state["widgets"], state["errors"])
            if settled and enough and snapshot == previous:
                return relative
            previous = snapshot if settled else None
        if now > deadline:
            raise NotebookRunError(
                f"Voilà page for {relative} not ready within {timeout:.0f} s: {state}"
            )
        time.sleep(0.25)


# --------------------------------------------------------------------------------------
# Static HTML files, screenshots
# --------------------------------------------------------------------------------------


def open_html_recording_requests(
    page: Page, html_file: str | os.PathLike[str], *, settle_ms: int = 750
) -> list[str]:
    """Open a local HTML file (``file://``) and return every request it made.

    The document's own URL is left out, as are ``data:`` and ``blob:`` URLs (no network).
    Includes requests from workers and WebSocket connections. External requests are
    aborted by the ``page`` fixture, but they are still recorded here.
    """
    url = Path(html_file).resolve().as_uri()
    seen: list[str] = []

    def on_request(request: Any) -> None:
        seen.append(request.url)

    def on_websocket(websocket: Any) -> None:
        seen.append(websocket.url)

    context: BrowserContext = page.context
    context.on("request", on_request)
    page.on("websocket", on_websocket)
    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(settle_ms)
    finally:
        context.remove_listener("request", on_request)
        page.remove_listener("websocket", on_websocket)
    return [u for u in seen if u != url and not u.startswith(("data:", "blob:"))]


def artifact_name(name: str) -> str:
    """A file-name-safe version of a test name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:150] or "page"


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` to ``tests/artifacts/<name>.png`` and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{artifact_name(name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
