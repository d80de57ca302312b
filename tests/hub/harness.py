"""A real JupyterHub on loopback, real Unix accounts, and clients that act as the learners.

Used by ``tests/hub/test_hub.py`` and ``benchmarks/bench_hub.py``. Everything here needs
root (``useradd``, and JupyterHub's LocalProcessSpawner switching to each account).

- :class:`Accounts` creates Unix groups and accounts with ``useradd``/``groupadd`` and
  removes exactly those (``userdel --remove``) at the end.
- :class:`TraverseGrant` solves the "unknown checkout path" problem. Learners' servers
  run as the learners, so the Python they run, its packages and the workbook must be
  reachable by other users. A CI clone often sits under ``/root`` (mode 0700), and a
  pyenv Python may too. The grant adds only the "others may pass through" bit (o+x,
  never o+r: nobody can list those folders) to the folders on the way that lack it,
  for the duration of the run, then puts every mode back exactly as it was. Files
  themselves must already be world-readable (a normal clone and venv are); if not,
  :meth:`TraverseGrant.probe` says which path a learner cannot read and the run stops.
- :class:`Hub` runs ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` (the
  one-machine deployment itself) on free 127.0.0.1 ports, and stops it and everything
  it started.
- :class:`HubClient` logs in through the login form, gets an API token, spawns the
  server, and :class:`Kernel` runs code in a kernel through the server's REST API and
  websocket, both via the hub's proxy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts"

#: Seconds a server may take to start on a loaded 2-core machine.
SPAWN_WAIT = 240.0


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set (to anything but 0/false/no)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def unavailable_reason() -> str | None:
    """Why a real hub cannot run here, or None when it can."""
    import importlib.util

    if os.geteuid() != 0:
        return "a real JupyterHub with Unix accounts needs root (useradd, LocalProcessSpawner)"
    for tool in ("useradd", "userdel", "groupadd", "groupdel"):
        if not any(Path(d, tool).exists() for d in ("/usr/sbin", "/sbin", "/usr/bin")):
            return f"{tool} is not installed"
    if importlib.util.find_spec("jupyterhub") is None:
        return "the 'jupyterhub' package is not installed (pip install -e '.[hub]')"
    if not PROXY.exists():
        return f"{PROXY.relative_to(ROOT)} is missing (run npm ci)"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_ports() -> set[int]:
    """Every TCP port something on this machine listens on (from /proc/net/tcp{,6})."""
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table, encoding="ascii") as f:
            for line in list(f)[1:]:
                parts = line.split()
                if parts[3] == "0A":  # TCP_LISTEN
                    ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


def processes_of(uids: Iterable[int]) -> list[Any]:
    """Live processes whose real or effective uid is one of ``uids``."""
    import psutil

    wanted = set(uids)
    out = []
    for proc in psutil.process_iter(["uids"]):
        with contextlib.suppress(psutil.Error):
            if {proc.info["uids"].real, proc.info["uids"].effective} & wanted:
                out.append(proc)
    return out


# --------------------------------------------------------------------------- accounts


@dataclass
class Accounts:
    """Unix groups and accounts made for one run; :meth:`remove` deletes exactly those."""

    prefix: str = field(default_factory=lambda: "plh" + secrets.token_hex(2))
    groups: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    #: names the hub may create (removed too, if it did)
    expected: list[str] = field(default_factory=list)

    @property
    def learner_group(self) -> str:
        return f"{self.prefix}-learners"

    @property
    def facilitator_group(self) -> str:
        return f"{self.prefix}-facilitators"

    def name(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"

    def add_group(self, group: str) -> None:
        subprocess.run(["groupadd", group], check=True, capture_output=True)
        self.groups.append(group)

    def add_user(self, name: str, group: str) -> None:
        """``useradd`` with a home folder, in ``group``: as an organiser would pre-create one."""
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "--groups", group, name],
            check=True,
            capture_output=True,
        )
        self.users.append(name)

    def uids(self) -> list[int]:
        import pwd

        out = []
        for name in [*self.users, *self.expected]:
            with contextlib.suppress(KeyError):
                out.append(pwd.getpwnam(name).pw_uid)
        return out

    def remove(self) -> list[str]:
        """Delete the accounts (with their homes) and groups; return what could not be."""
        import grp
        import pwd

        problems = []
        for name in [*self.users, *self.expected]:
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
            # userdel warns (exit 12) when the mail spool is missing; the account is gone
            with contextlib.suppress(KeyError):
                pwd.getpwnam(name)
                problems.append(f"userdel {name}: {done.stderr.strip()}")
        for group in self.groups:
            try:
                grp.getgrnam(group)
            except KeyError:
                continue
            done = subprocess.run(["groupdel", group], capture_output=True, text=True)
            if done.returncode != 0:
                problems.append(f"groupdel {group}: {done.stderr.strip()}")
        return problems


class TraverseGrant:
    """Let other users pass through the folders on the way to ``paths``, for a while.

    Only the o+x bit is added, and only where it is missing; :meth:`restore` puts every
    changed folder back to its exact old mode. See the module docstring for why.
    """

    def __init__(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        from partnership_lib.hub import blocking_directories

        self.changed: dict[Path, int] = {}
        for path in paths:
            for folder in blocking_directories(path):
                if folder not in self.changed:
                    mode = stat.S_IMODE(folder.stat().st_mode)
                    self.changed[folder] = mode
                    os.chmod(folder, mode | stat.S_IXOTH)

    def restore(self) -> None:
        for folder, mode in reversed(self.changed.items()):
            with contextlib.suppress(FileNotFoundError):
                os.chmod(folder, mode)

    @staticmethod
    def probe(user: str, python: str) -> str | None:
        """Run the learners' Python as ``user``; return what went wrong, or None."""
        code = (
            "import jupyterhub.singleuser, jupyterlab, ipykernel, partnership_lib.hub, "
            "partnership_lib.documents.room_drop, partnership_lib.facilitator.room; "
            f"open({str(NOTEBOOKS / '00_partnership_scenario.ipynb')!r}).close()"
        )
        done = subprocess.run(
            ["runuser", "-u", user, "--", python, "-c", code],
            capture_output=True,
            text=True,
            cwd="/",
            timeout=120,
            check=False,
        )
        if done.returncode == 0:
            return None
        return (done.stderr or done.stdout).strip().splitlines()[-1]


def learners_python_paths() -> list[Path]:
    """What a learner's server must be able to reach: this Python, its packages, the workbook."""
    import sysconfig

    paths = {
        Path(os.path.realpath(sys.executable)),
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sysconfig.get_paths()["purelib"]),
        Path(sysconfig.get_paths()["stdlib"]),
        ROOT,
        NOTEBOOKS,
    }
    return sorted(paths)


# --------------------------------------------------------------------------- the hub


@dataclass
class HubConfig:
    """What one hub run is given (becomes PARTNERSHIP_HUB_* variables)."""

    password: str
    facilitators: Sequence[str]
    facilitator_password: str
    room_dir: Path
    learner_group: str
    facilitator_group: str

    def environment(self) -> dict[str, str]:
        return {
            "PARTNERSHIP_HUB_PASSWORD": self.password,
            "PARTNERSHIP_HUB_FACILITATORS": ",".join(self.facilitators),
            "PARTNERSHIP_HUB_FACILITATOR_PASSWORD": self.facilitator_password,
            "PARTNERSHIP_HUB_ROOM_DIR": str(self.room_dir),
            "PARTNERSHIP_HUB_NOTEBOOKS": str(NOTEBOOKS),
            "PARTNERSHIP_HUB_LEARNER_GROUP": self.learner_group,
            "PARTNERSHIP_HUB_FACILITATOR_GROUP": self.facilitator_group,
            "PARTNERSHIP_HUB_PYTHON": sys.executable,
        }


class Hub:
    """``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` on free loopback ports."""

    def __init__(self, state_dir: Path, config: HubConfig) -> None:
        self.state_dir = state_dir
        self.config = config
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = state_dir / "jupyterhub.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.proxy_pid: int | None = None

    def start(self, timeout: float = 90.0) -> None:
        import requests

        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("JUPYTER", "PARTNERSHIP_", "IPYTHON", "MPL", "PYTHON"))
        }
        env.update(self.config.environment())
        env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '/usr/bin:/bin')}"
        command = [
            sys.executable,
            "-m",
            "jupyterhub",
            "-f",
            str(CONFIG),
            f"--JupyterHub.bind_url=http://127.0.0.1:{self.port}",
            f"--JupyterHub.hub_bind_url=http://127.0.0.1:{self.hub_port}",
            f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{self.api_port}",
            "--JupyterHub.cleanup_servers=True",
        ]
        log = open(self.log_path, "ab")  # noqa: SIM115 (kept open for the process's life)
        self.process = subprocess.Popen(
            command,
            cwd=self.state_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited ({self.process.returncode}):\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/hub/api/", timeout=5).status_code == 200:
                    pid_file = self.state_dir / "jupyterhub-proxy.pid"
                    if pid_file.exists():
                        self.proxy_pid = int(pid_file.read_text().strip())
                    return
            time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log()}")

    def log(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM the hub (it stops the servers and the proxy it started), then make sure."""
        import psutil

        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        if self.proxy_pid is not None:
            with contextlib.suppress(psutil.Error):
                proxy = psutil.Process(self.proxy_pid)
                if "configurable-http-proxy" in " ".join(proxy.cmdline()):
                    proxy.terminate()
                    proxy.wait(10)

    @property
    def ports(self) -> set[int]:
        return {self.port, self.hub_port, self.api_port}


# --------------------------------------------------------------------------- clients


class LoginRefused(Exception):
    """The login form said no; ``message`` is what it showed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


_XSRF_INPUT = re.compile(r'name="_xsrf"\s+value="([^"]+)"')
_LOGIN_ERROR = re.compile(r'<p class="login_error">\s*(.*?)\s*</p>', re.S)


class HubClient:
    """One person at a browser: login form, then the hub's and their server's REST APIs."""

    def __init__(self, hub: Hub, name: str) -> None:
        import requests

        self.hub = hub
        self.name = name
        self.session = requests.Session()
        self.token: str | None = None

    # ---- login
    def login(self, password: str) -> None:
        """Sign in through the login form; raise :class:`LoginRefused` when refused."""
        page = self.session.get(f"{self.hub.url}/hub/login", timeout=30)
        page.raise_for_status()
        found = _XSRF_INPUT.search(page.text)
        assert found, "the login form has no _xsrf field"
        reply = self.session.post(
            f"{self.hub.url}/hub/login",
            data={"username": self.name, "password": password, "_xsrf": found.group(1)},
            allow_redirects=False,
            timeout=60,
        )
        if reply.status_code != 302:
            error = _LOGIN_ERROR.search(reply.text)
            message = re.sub(r"\s+", " ", error.group(1)) if error else reply.text[:300]
            raise LoginRefused(reply.status_code, message)

    def logged_in_cookie(self) -> bool:
        return any(c.name.startswith("jupyterhub-hub-login") for c in self.session.cookies)

    def create_token(self) -> str:
        """An API token of this user's own, asked for with the login cookie (and XSRF)."""
        home = self.session.get(f"{self.hub.url}/hub/home", timeout=60)
        home.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", path="/hub/")
        reply = self.session.post(
            f"{self.hub.url}/hub/api/users/{self.name}/tokens",
            json={"note": "hub test", "expires_in": 3600},
            headers={"X-XSRFToken": xsrf or ""},
            timeout=60,
        )
        reply.raise_for_status()
        self.token = reply.json()["token"]
        return self.token

    # ---- REST
    def _headers(self) -> dict[str, str]:
        assert self.token, "create_token() first"
        return {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kwargs: Any) -> Any:
        import requests

        return requests.request(
            method,
            f"{self.hub.url}/hub/api{path}",
            headers=self._headers(),
            timeout=kwargs.pop("timeout", 60),
            allow_redirects=False,
            **kwargs,
        )

    def server_api(self, method: str, path: str, *, user: str | None = None, **kwargs: Any) -> Any:
        """A request to ``/user/<user>/api<path>`` (default: this user's own server)."""
        import requests

        return requests.request(
            method,
            f"{self.hub.url}/user/{user or self.name}/api{path}",
            headers=self._headers(),
            timeout=kwargs.pop("timeout", 60),
            allow_redirects=False,
            **kwargs,
        )

    # ---- the server
    def request_spawn(self) -> None:
        reply = self.hub_api("POST", f"/users/{self.name}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"spawn {self.name}: {reply.status_code} {reply.text[:300]}")

    def wait_ready(self, timeout: float = SPAWN_WAIT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.hub_api("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                # the proxy route exists once the hub calls it ready; the API answers then
                if self.server_api("GET", "/status").status_code == 200:
                    return
            elif not model.get("pending") and not server:
                raise RuntimeError(f"the server of {self.name} stopped:\n{self.hub.log(40)}")
            time.sleep(0.25)
        raise RuntimeError(f"the server of {self.name} was not ready in {timeout:.0f} s")

    def stop_server(self, timeout: float = 60.0) -> None:
        self.hub_api("DELETE", f"/users/{self.name}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.hub_api("GET", f"/users/{self.name}").json()
            if not model.get("servers") and not model.get("pending"):
                return
            time.sleep(0.25)
        raise RuntimeError(f"the server of {self.name} did not stop in {timeout:.0f} s")

    def kernel(self, notebook: str | None = None) -> Kernel:
        """Start a kernel (in a notebook session when ``notebook`` is given) and connect."""
        if notebook is None:
            reply = self.server_api("POST", "/kernels", json={"name": "python3"})
            reply.raise_for_status()
            kernel_id = reply.json()["id"]
        else:
            body = {"path": notebook, "type": "notebook", "name": notebook}
            body["kernel"] = {"name": "python3"}
            reply = self.server_api("POST", "/sessions", json=body)
            reply.raise_for_status()
            kernel_id = reply.json()["kernel"]["id"]
        return Kernel(self, kernel_id)


class KernelError(Exception):
    """Code run in a kernel raised; the message is the traceback's last lines."""


class Kernel:
    """A kernel's websocket (``/api/kernels/<id>/channels``) through the hub's proxy."""

    def __init__(self, client: HubClient, kernel_id: str, *, timeout: float = SPAWN_WAIT) -> None:
        self.client = client
        self.id = kernel_id
        self.session = uuid.uuid4().hex
        self._handshake(timeout)

    #: Reconnect before a request when the websocket was quiet this long (seconds). The
    #: server pings every 30 s and closes a socket whose pings go unanswered; this client
    #: answers pings only while it reads.
    QUIET = 15.0

    def _connect(self) -> None:
        import websocket

        self._last = time.monotonic()
        url = self.client.hub.url.replace("http://", "ws://")
        self.ws = websocket.create_connection(
            f"{url}/user/{self.client.name}/api/kernels/{self.id}/channels"
            f"?session_id={self.session}",
            header=[f"Authorization: token {self.client.token}"],
            timeout=120,
        )

    def _handshake(self, timeout: float) -> None:
        """Connect and wait for the kernel's first reply, reconnecting if the server gives up.

        On a loaded machine a new kernel can take longer to answer than the server waits
        (its ``kernel_info_timeout``), and the server then drops the websocket.
        """
        import websocket

        deadline = time.monotonic() + timeout
        problem: Exception | None = None
        while time.monotonic() < deadline:
            try:
                self._connect()
                self._request("kernel_info_request", {}, timeout=deadline - time.monotonic())
                return
            except (KernelError, OSError, websocket.WebSocketException) as exc:
                problem = exc
                self.close()
                time.sleep(1)
        raise KernelError(f"{self.client.name}'s kernel never answered: {problem}")

    def _send(self, msg_type: str, content: dict[str, Any]) -> str:
        if time.monotonic() - self._last > self.QUIET:
            self.close()
            self._connect()
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": self.client.name,
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": dt.datetime.now(dt.UTC).isoformat(),
        }
        message = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        self.ws.send(json.dumps({**message, "channel": "shell", "buffers": []}))
        return msg_id

    def _replies(self, msg_id: str, timeout: float) -> Iterator[dict[str, Any]]:
        """The messages answering ``msg_id``, as they come, until ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                text = self.ws.recv()
                self._last = time.monotonic()
                if not text:
                    raise ConnectionError("the server closed the websocket")
                msg = json.loads(text)
            except Exception as exc:
                raise KernelError(f"no answer from {self.client.name}'s kernel: {exc}") from exc
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                yield msg

    def _request(self, msg_type: str, content: dict[str, Any], *, timeout: float) -> None:
        reply = msg_type.replace("_request", "_reply")
        for msg in self._replies(self._send(msg_type, content), timeout):
            if msg["msg_type"] == reply:
                return

    def execute(self, code: str, *, timeout: float = 120.0) -> str:
        """Run ``code``; return what it printed; raise :class:`KernelError` if it raised."""
        content = {
            "code": code,
            "silent": False,
            "store_history": False,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        out: list[str] = []
        error: str | None = None
        replied = idle = False
        for msg in self._replies(self._send("execute_request", content), timeout):
            kind = msg["msg_type"]
            if kind == "stream" and msg["content"]["name"] == "stdout":
                out.append(msg["content"]["text"])
            elif kind == "error":
                tb = "\n".join(msg["content"]["traceback"][-3:])
                error = re.sub(r"\x1b\[[0-9;]*m", "", tb)
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            if replied and idle:
                break
        if error is not None:
            raise KernelError(f"{self.client.name}: {error}")
        return "".join(out)

    def json(self, code: str, **kwargs: Any) -> Any:
        """Run ``code``, which prints one JSON document last; return it parsed."""
        text = self.execute(code, **kwargs).strip().splitlines()
        return json.loads(text[-1])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


# --------------------------------------------------------------------------- the run


@dataclass
class Cohort:
    """A hub with its accounts, ready to log people in; one context manager for all of it."""

    learners: list[str]
    facilitator: str
    password: str
    facilitator_password: str
    accounts: Accounts
    hub: Hub
    room_dir: Path
    base: Path


@contextlib.contextmanager
def cohort(n_learners: int, *, extra_names: Sequence[str] = ()) -> Iterator[Cohort]:
    """Accounts for ``n_learners`` learners and one facilitator, and a running hub.

    ``extra_names`` are names the hub itself may create accounts for (removed at the
    end too). On leaving, the hub is stopped, its processes checked gone, the accounts,
    groups and folders removed and folder modes restored; a problem in that clean-up
    raises ``AssertionError`` after everything possible was cleaned.
    """
    import shutil

    accounts = Accounts()
    base = Path(tempfile.mkdtemp(prefix=f"{accounts.prefix}-"))
    os.chmod(base, 0o755)  # learners pass through it to the room
    grant: TraverseGrant | None = None
    hub: Hub | None = None
    problems: list[str] = []
    try:
        accounts.add_group(accounts.learner_group)
        accounts.add_group(accounts.facilitator_group)
        learners = [accounts.name(f"l{i:02d}") for i in range(1, n_learners + 1)]
        facilitator = accounts.name("fac")
        accounts.add_user(facilitator, accounts.facilitator_group)
        for name in learners:
            accounts.add_user(name, accounts.learner_group)
        accounts.expected += [accounts.name(x) for x in extra_names]
        grant = TraverseGrant(learners_python_paths())
        problem = TraverseGrant.probe(facilitator, sys.executable)
        if problem:
            raise RuntimeError(
                f"a learner's server could not start Python from {sys.executable}: {problem}. "
                "Its files must be readable by other users (a clone and venv made with "
                "umask 022 are)."
            )
        state = base / "hub"
        state.mkdir(mode=0o700)
        config = HubConfig(
            password="workshop-" + secrets.token_hex(4),
            facilitators=[facilitator],
            facilitator_password="facilitate-" + secrets.token_hex(6),
            room_dir=base / "room",
            learner_group=accounts.learner_group,
            facilitator_group=accounts.facilitator_group,
        )
        hub = Hub(state, config)
        hub.start()
        yield Cohort(
            learners=learners,
            facilitator=facilitator,
            password=config.password,
            facilitator_password=config.facilitator_password,
            accounts=accounts,
            hub=hub,
            room_dir=config.room_dir,
            base=base,
        )
    finally:
        uids = accounts.uids()
        if hub is not None:
            hub.stop()
            still = processes_of(uids)
            if still:
                problems.append(
                    "processes of the test accounts outlived the hub: "
                    + ", ".join(f"{p.pid} {p.name()}" for p in still)
                )
                for proc in still:
                    with contextlib.suppress(Exception):
                        proc.kill()
            left = hub.ports & listening_ports()
            if left:
                problems.append(f"ports still listening after the hub stopped: {sorted(left)}")
        problems += accounts.remove()
        if grant is not None:
            grant.restore()
        if hub is not None and hub.log_path.exists():
            # kept for a failing run to be read (tests/artifacts/ is not committed)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.log_path, ARTIFACTS / f"jupyterhub-{accounts.prefix}.log")
        shutil.rmtree(base, ignore_errors=True)
    if problems:
        raise AssertionError("clean-up: " + "; ".join(problems))
