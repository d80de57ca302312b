"""What a JupyterHub deployment of the workbook imports: one place for all hub logic of ours.

A ``jupyterhub_config.py`` (one machine: ``deploy/jupyterhub/``; Kubernetes:
``hub.extraConfig`` in ``deploy/kubernetes/config.yaml``) does::

    from partnership_lib.hub import HubSettings, configure
    configure(c, HubSettings.from_env())

:func:`configure` then sets up, with JupyterHub's own parts:

- **Login**: :class:`WorkshopAuthenticator`, JupyterHub's ``SharedPasswordAuthenticator``
  with three workshop rules: facilitator names need the facilitator password; a name
  somebody has already signed in with cannot be taken over with the workshop password
  (so learners cannot open each other's servers; the facilitator password lets a learner
  who lost their session back in); names of the machine's own accounts (``root``,
  ``daemon``, ...) are refused. Nobody is a JupyterHub admin: facilitators only need to
  read the room folder, which their Unix group gives them.
- **Accounts** (one machine): each hub user is a Unix account of the same name, created
  on first login (``useradd``) in the learners' group, or the facilitators' group for a
  facilitator; home folders are 0700. An existing account is used only if it is in one
  of those groups. On Kubernetes each user's pod runs as its own uid
  (:func:`partnership_lib.documents.room_drop.uid_for_name`), so the same Unix rules hold there.
- **The room folder**: a Unix drop box, ``root:<facilitators>`` mode 3773 (setgid,
  sticky, ``rwxrwx-wx``). Learners may create files in it but not list it, read
  others' files (written 0640 by :func:`partnership_lib.documents.room_drop.send_to_room`, so
  the facilitators' group reads them), or rename over or delete others' files (the
  sticky bit). Every server gets ``PARTNERSHIP_ROOM_DIR`` (the board and the send
  button read it) and ``PARTNERSHIP_HUB_USER``.
- **Notebooks**: each server starts through ``python -m partnership_lib.hub singleuser``,
  which copies the five session notebooks (and, for a facilitator, ``facilitator.ipynb`` and
  ``facilitator_moderation.ipynb``)
  into the home folder when they are missing, never over a learner's copy, then starts
  ``jupyterhub-singleuser`` in JupyterLab (``/lab``) in the home folder.

Why a start-up copy and not nbgitpuller: nbgitpuller needs a git server the learners'
servers can reach and merges upstream changes into the learner's files; a workshop wants
neither. The copy needs no network, runs as the learner (so a learner's symlink cannot
make it write elsewhere), is the same code on one machine and on Kubernetes, and a
learner's answers live in their own answer store, not in the notebook, so a fresh copy
of a deleted notebook loses nothing.

Settings come from environment variables (:meth:`HubSettings.from_env`):

==================================== =====================================================
``PARTNERSHIP_HUB_PASSWORD``         the workshop password learners type (8+ characters)
``PARTNERSHIP_HUB_FACILITATORS``     facilitator user names, separated by commas or spaces
``PARTNERSHIP_HUB_FACILITATOR_PASSWORD`` their password (8+ characters, not the workshop's)
``PARTNERSHIP_HUB_ROOM_DIR``         the room folder (default ``/srv/collaborative-working/room``)
``PARTNERSHIP_HUB_NOTEBOOKS``        where the session notebooks are copied from
                                     (default: ``notebooks/`` of this source checkout)
``PARTNERSHIP_HUB_LEARNER_GROUP``    Unix group of learner accounts (default ``workshop``)
``PARTNERSHIP_HUB_FACILITATOR_GROUP`` Unix group that reads the room (``workshop-facilitators``)
``PARTNERSHIP_HUB_FACILITATOR_GID``  its numeric id (needed on Kubernetes; default 30000 there)
``PARTNERSHIP_HUB_CREATE_USERS``     create missing Unix accounts on first login (default 1)
``PARTNERSHIP_HUB_CLAIM_NAMES``      refuse the workshop password for a name in use (default 1)
``PARTNERSHIP_HUB_PYTHON``           the single-user servers' Python (default: the hub's;
                                     ``python3`` on Kubernetes)
``PARTNERSHIP_HUB_PLATFORM``         ``unix`` (one machine, default) or ``kubernetes``
==================================== =====================================================
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

from tornado import web
from traitlets import Any as AnyTrait

from partnership_lib.documents.room_drop import (
    HUB_USER_ENV,
    ROOM_DIR_ENV,
    check_user_name,
    uid_for_name,
)

__all__ = [
    "DEFAULT_ROOM_DIR",
    "ENV",
    "HubSettings",
    "HubSetupError",
    "WorkshopAuthenticator",  # noqa: F822 (made on first use: it needs JupyterHub)
    "account_role",
    "blocking_directories",
    "configure",
    "ensure_account",
    "main",
    "prepare_room",
    "seed_notebooks",
    "session_notebooks",
]

DEFAULT_ROOM_DIR: Final = Path("/srv/collaborative-working/room")
#: The room folder's mode: setgid + sticky, owner rwx, group (facilitators) rwx, others -wx.
ROOM_MODE: Final = 0o3773
#: The facilitators' group id on Kubernetes when none is given.
DEFAULT_FACILITATOR_GID: Final = 30000
#: Which notebooks a learner gets: the numbered session notebooks.
SESSION_GLOB: Final = "[0-9][0-9]_*.ipynb"
FACILITATOR_NOTEBOOK: Final = "facilitator.ipynb"
#: What a facilitator gets besides: the board, and the moderation screen (not projected).
FACILITATOR_NOTEBOOKS: Final = (FACILITATOR_NOTEBOOK, "facilitator_moderation.ipynb")
ROLE_ENV: Final = "PARTNERSHIP_HUB_ROLE"
#: The single-user server's runtime folder (connection files, kernel sockets) in home.
RUNTIME_DIR: Final = ".jupyter-runtime"
NOTEBOOKS_ENV: Final = "PARTNERSHIP_HUB_NOTEBOOKS"
#: JupyterLab on a loaded 2-core machine can take over 30 s to answer when a room logs
#: in at once (benchmarks/bench_hub.py); JupyterHub's defaults would give up too soon.
SPAWN_TIMEOUT_SECONDS: Final = 180

#: Seconds a kernel with no notebook open on it may sit idle before it is stopped.
KERNEL_CULL_SECONDS: Final = 3600

Platform = Literal["unix", "kubernetes"]

#: Environment variable of each setting.
ENV: Final[Mapping[str, str]] = {
    "password": "PARTNERSHIP_HUB_PASSWORD",
    "facilitators": "PARTNERSHIP_HUB_FACILITATORS",
    "facilitator_password": "PARTNERSHIP_HUB_FACILITATOR_PASSWORD",
    "room_dir": "PARTNERSHIP_HUB_ROOM_DIR",
    "notebooks": NOTEBOOKS_ENV,
    "learner_group": "PARTNERSHIP_HUB_LEARNER_GROUP",
    "facilitator_group": "PARTNERSHIP_HUB_FACILITATOR_GROUP",
    "facilitator_gid": "PARTNERSHIP_HUB_FACILITATOR_GID",
    "create_users": "PARTNERSHIP_HUB_CREATE_USERS",
    "claim_names": "PARTNERSHIP_HUB_CLAIM_NAMES",
    "python": "PARTNERSHIP_HUB_PYTHON",
    "platform": "PARTNERSHIP_HUB_PLATFORM",
}

_MIN_PASSWORD = 8
_GROUP = re.compile(r"[a-z_][a-z0-9_-]{0,31}")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class HubSetupError(RuntimeError):
    """The hub cannot be set up as configured; the message names the setting and the fix."""


def _default_notebooks() -> Path:
    return Path(__file__).resolve().parent.parent / "notebooks"


# =========================================================================== settings


@dataclass(frozen=True, slots=True)
class HubSettings:
    """Everything a deployment chooses; see the module docstring for the variables.

    Raises ``ValueError`` naming the setting when a value cannot work.
    """

    password: str
    facilitators: frozenset[str] = frozenset()
    facilitator_password: str | None = None
    room_dir: Path = DEFAULT_ROOM_DIR
    notebooks: Path = field(default_factory=_default_notebooks)
    learner_group: str = "workshop"
    facilitator_group: str = "workshop-facilitators"
    facilitator_gid: int | None = None
    create_users: bool = True
    claim_names: bool = True
    python: str = sys.executable
    platform: Platform = "unix"

    def __post_init__(self) -> None:
        if not isinstance(self.password, str) or len(self.password) < _MIN_PASSWORD:
            raise ValueError(
                f"{ENV['password']}: the workshop password must be at least "
                f"{_MIN_PASSWORD} characters"
            )
        object.__setattr__(self, "facilitators", frozenset(self.facilitators))
        for name in self.facilitators:
            try:
                check_user_name(name)
            except ValueError as exc:
                raise ValueError(f"{ENV['facilitators']}: {exc}") from None
        if self.facilitators:
            fp = self.facilitator_password
            if not fp or len(fp) < _MIN_PASSWORD:
                raise ValueError(
                    f"{ENV['facilitator_password']}: facilitators are named, so they need "
                    f"their own password of at least {_MIN_PASSWORD} characters"
                )
            if fp == self.password:
                raise ValueError(
                    f"{ENV['facilitator_password']} must differ from {ENV['password']}: "
                    "with one password every learner could sign in as a facilitator"
                )
        object.__setattr__(self, "room_dir", Path(self.room_dir))
        object.__setattr__(self, "notebooks", Path(self.notebooks))
        if not self.room_dir.is_absolute():
            raise ValueError(f"{ENV['room_dir']}: {self.room_dir} must be an absolute path")
        for key in ("learner_group", "facilitator_group"):
            if not _GROUP.fullmatch(getattr(self, key)):
                raise ValueError(f"{ENV[key]}: {getattr(self, key)!r} is not a Unix group name")
        if self.learner_group == self.facilitator_group:
            raise ValueError(
                f"{ENV['learner_group']} and {ENV['facilitator_group']} must differ: "
                "the facilitators' group is the one that reads the room"
            )
        if self.facilitator_gid is not None and not 1 <= self.facilitator_gid < 2**31:
            raise ValueError(f"{ENV['facilitator_gid']}: {self.facilitator_gid} is not a group id")
        if self.platform not in ("unix", "kubernetes"):
            raise ValueError(f"{ENV['platform']}: {self.platform!r} is not 'unix' or 'kubernetes'")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> HubSettings:
        """Read the settings from ``PARTNERSHIP_HUB_*`` variables (see the module docstring)."""
        env = os.environ if environ is None else environ

        def get(key: str) -> str:
            return env.get(ENV[key], "").strip()

        def flag(key: str, default: bool) -> bool:
            value = get(key).lower()
            if not value:
                return default
            if value in _TRUE | _FALSE:
                return value in _TRUE
            raise ValueError(f"{ENV[key]}: {value!r} is not one of 1/0, yes/no, true/false")

        password = env.get(ENV["password"], "")
        if not password:
            raise ValueError(f"{ENV['password']} is not set: choose the workshop password")
        platform = get("platform") or "unix"
        gid_text = get("facilitator_gid")
        try:
            gid = int(gid_text) if gid_text else None
        except ValueError:
            raise ValueError(f"{ENV['facilitator_gid']}: {gid_text!r} is not a number") from None
        if gid is None and platform == "kubernetes":
            gid = DEFAULT_FACILITATOR_GID
        kwargs: dict[str, Any] = {
            "password": password,
            "facilitators": frozenset(re.split(r"[\s,]+", get("facilitators"))) - {""},
            "facilitator_password": env.get(ENV["facilitator_password"]) or None,
            "facilitator_gid": gid,
            "create_users": flag("create_users", True),
            "claim_names": flag("claim_names", True),
            "platform": platform,
            "python": get("python") or ("python3" if platform == "kubernetes" else sys.executable),
        }
        for key in ("room_dir", "notebooks", "learner_group", "facilitator_group"):
            if get(key):
                kwargs[key] = get(key)
        return cls(**kwargs)

    def role(self, name: str) -> Literal["learner", "facilitator"]:
        """``"facilitator"`` for a facilitator's name, else ``"learner"``."""
        return "facilitator" if name in self.facilitators else "learner"

    def server_environment(self, name: str) -> dict[str, str]:
        """The variables every single-user server of ``name`` gets."""
        return {
            ROOM_DIR_ENV: str(self.room_dir),
            HUB_USER_ENV: name,
            ROLE_ENV: self.role(name),
            NOTEBOOKS_ENV: str(self.notebooks),
        }


# =========================================================================== notebooks


def session_notebooks(folder: str | os.PathLike[str]) -> list[Path]:
    """The numbered session notebooks in ``folder`` (``00_...`` to ``04_...``), sorted."""
    return sorted(p for p in Path(folder).glob(SESSION_GLOB) if p.is_file())


def seed_notebooks(
    home: str | os.PathLike[str], *, source: str | os.PathLike[str], facilitator: bool = False
) -> list[Path]:
    """Copy the session notebooks into ``home`` where missing; never overwrite a file.

    A facilitator also gets ``facilitator.ipynb`` (the board). Each copy is created
    exclusively (``O_EXCL``), so an existing file, or a link where a notebook would go,
    is left exactly as it is. Copies are private to their owner (0600).

    Returns
    -------
    list of Path
        The notebooks copied now (empty on a later start).

    Raises
    ------
    HubSetupError
        If ``source`` holds no session notebooks.
    """
    source = Path(source)
    wanted = session_notebooks(source)
    if not wanted:
        raise HubSetupError(
            f"{NOTEBOOKS_ENV}: no session notebooks ({SESSION_GLOB}) in {source}; "
            "point it at the workbook's notebooks/ folder"
        )
    if facilitator:
        wanted += [source / n for n in FACILITATOR_NOTEBOOKS if (source / n).is_file()]
    home = Path(home)
    copied = []
    for notebook in wanted:
        target = home / notebook.name
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as out, open(notebook, "rb") as src:
            shutil.copyfileobj(src, out)
        copied.append(target)
    return copied


# =========================================================================== Unix accounts

_ACCOUNT_LOCK = threading.Lock()  # useradd and groupadd lock /etc/passwd; one at a time


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise HubSetupError(f"{' '.join(command)} failed: {done.stderr.strip() or done.stdout}")


def _group_gid(group: str) -> int | None:
    import grp

    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        return None


def ensure_group(group: str, gid: int | None = None) -> int:
    """The id of Unix group ``group``, creating it (``groupadd``) when missing."""
    with _ACCOUNT_LOCK:
        found = _group_gid(group)
        if found is None:
            _run(["groupadd", *(["--gid", str(gid)] if gid is not None else []), group])
            found = _group_gid(group)
        assert found is not None
    if gid is not None and found != gid:
        raise HubSetupError(f"group {group} has id {found}, but {gid} was asked for")
    return found


def _groups_of(name: str) -> set[str]:
    import grp
    import pwd

    entry = pwd.getpwnam(name)
    return {g.gr_name for g in grp.getgrall() if name in g.gr_mem or g.gr_gid == entry.pw_gid}


def account_role(name: str, settings: HubSettings) -> Literal["learner", "facilitator"] | None:
    """Which workshop group the existing Unix account ``name`` is in; None if neither.

    Raises ``KeyError`` when there is no such account.
    """
    groups = _groups_of(name)
    if settings.facilitator_group in groups:
        return "facilitator"
    if settings.learner_group in groups:
        return "learner"
    return None


def _refusal(name: str) -> str:
    return (
        f"The name {name!r} belongs to one of this computer's own accounts, so it cannot be "
        "used in the workshop. Please choose another name."
    )


def ensure_account(name: str, settings: HubSettings) -> Path:
    """Make sure hub user ``name`` has a usable Unix account; return its home folder.

    A missing account is created (when ``create_users``) with a home folder of mode
    0700, in the learners' group, or the facilitators' group for a facilitator. An
    existing account must already be in one of the two groups: the machine's own
    accounts are never handed to a hub user. A learner's account found in the
    facilitators' group is refused (it could read the room).
    """
    import pwd

    check_user_name(name)
    role = settings.role(name)
    group = settings.facilitator_group if role == "facilitator" else settings.learner_group
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        if not settings.create_users:
            raise HubSetupError(
                f"There is no account for {name!r} on this machine; ask the facilitator."
            ) from None
        ensure_group(group, settings.facilitator_gid if role == "facilitator" else None)
        with _ACCOUNT_LOCK:
            _run(
                [
                    "useradd",
                    "--create-home",
                    "--shell",
                    "/bin/bash",
                    "--groups",
                    group,
                    "--comment",
                    f"Collaborative Working {role}",
                    name,
                ]
            )
        entry = pwd.getpwnam(name)
    else:
        found = account_role(name, settings)
        if found is None:
            raise HubSetupError(_refusal(name))
        if found == "facilitator" and role == "learner":
            raise HubSetupError(
                f"The account {name!r} is in the facilitators' group "
                f"{settings.facilitator_group} but is not a named facilitator; remove it "
                f"from the group (gpasswd -d {name} {settings.facilitator_group}) or name "
                "it a facilitator."
            )
        if role == "facilitator" and found != "facilitator":
            ensure_group(group, settings.facilitator_gid)
            with _ACCOUNT_LOCK:
                _run(["usermod", "--append", "--groups", group, name])
    home = Path(entry.pw_dir)
    st = os.lstat(home)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != entry.pw_uid:
        raise HubSetupError(f"the home folder {home} of {name!r} is not a folder it owns")
    os.chmod(home, 0o700)
    return home


# =========================================================================== the room


def blocking_directories(path: str | os.PathLike[str]) -> list[Path]:
    """The folders on the way to ``path`` that other users may not pass through (no o+x).

    Learners' servers run as the learners, so the room folder, the Python they run and
    the workbook must be reachable by "others". The last component is included.
    """
    target = Path(os.path.realpath(path))
    out = []
    for folder in [*reversed(target.parents), target]:
        try:
            st = folder.stat()
        except OSError:
            break
        if stat.S_ISDIR(st.st_mode) and not st.st_mode & stat.S_IXOTH:
            out.append(folder)
    return out


def prepare_room(folder: str | os.PathLike[str], *, group: str, gid: int | None = None) -> Path:
    """Create (or repair) the room folder as a drop box; needs root.

    The folder becomes ``root:<group>`` mode 3773: learners may create files in it but
    not list it; the setgid bit gives every new file the group, so the facilitators
    read files written 0640; the sticky bit stops anyone renaming over or deleting a
    file that is not theirs. Files already in it are left alone. Missing parent folders
    are created 0755.

    Raises
    ------
    HubSetupError
        If the folder is a symbolic link or not a folder, or others cannot reach it.
    """
    folder = Path(folder)
    gid = ensure_group(group, gid)
    old = os.umask(0o022)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    finally:
        os.umask(old)
    st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode):
        raise HubSetupError(f"the room folder {folder} is not a folder (or is a link)")
    os.chown(folder, 0, gid)
    os.chmod(folder, ROOM_MODE)
    blocked = blocking_directories(folder.parent)
    if blocked:
        raise HubSetupError(
            f"learners cannot reach the room folder {folder}: {blocked[0]} does not let "
            f"other users through (chmod o+x {blocked[0]}, or choose another room folder)"
        )
    return folder


# =========================================================================== spawning


def _unix_pre_spawn_hook(settings: HubSettings) -> Callable[[Any], Any]:
    async def pre_spawn_hook(spawner: Any) -> None:
        name = spawner.user.name
        await asyncio.to_thread(ensure_account, name, settings)
        spawner.environment = {**spawner.environment, **settings.server_environment(name)}

    return pre_spawn_hook


def _kubernetes_pre_spawn_hook(settings: HubSettings) -> Callable[[Any], Any]:
    def pre_spawn_hook(spawner: Any) -> None:
        from jupyterhub import orm

        name = spawner.user.name
        mine = uid_for_name(name)
        for (other,) in spawner.user.db.query(orm.User.name):
            if other != name and _safe_uid(other) == mine:
                raise HubSetupError(
                    f"The name {name!r} cannot be used here (it would share an id with "
                    "another user). Please choose another name."
                )
        spawner.environment = {**spawner.environment, **settings.server_environment(name)}

    return pre_spawn_hook


def _safe_uid(name: str) -> int | None:
    try:
        return uid_for_name(name)
    except ValueError:
        return None


def configure(c: Any, settings: HubSettings | None = None, *, prepare: bool | None = None) -> None:
    """Apply the workshop's hub set-up to the JupyterHub config object ``c``.

    Parameters
    ----------
    c
        The ``c`` of a ``jupyterhub_config.py`` (a ``traitlets.config.Config``).
    settings
        Default: :meth:`HubSettings.from_env`.
    prepare
        Create the Unix groups and the room folder now (needs root). Default: on the
        ``unix`` platform when running as root. On Kubernetes the room is prepared by
        ``python -m partnership_lib.hub room`` in an init container.
    """
    settings = settings if settings is not None else HubSettings.from_env()
    if prepare is None:
        prepare = settings.platform == "unix" and os.geteuid() == 0
    if prepare:
        ensure_group(settings.learner_group)
        prepare_room(
            settings.room_dir, group=settings.facilitator_group, gid=settings.facilitator_gid
        )

    auth = c.WorkshopAuthenticator
    c.JupyterHub.authenticator_class = _authenticator_class()
    auth.workshop = settings
    auth.user_password = settings.password
    auth.allow_all = True  # anyone with the workshop password may sign in...
    auth.admin_users = set()  # ...and nobody is an admin
    auth.username_pattern = r"^[a-z][a-z0-9_-]{0,31}$"

    c.Spawner.cmd = [settings.python, "-m", "partnership_lib.hub", "singleuser"]
    c.Spawner.default_url = "/lab"
    c.Spawner.notebook_dir = "~"
    c.Spawner.start_timeout = SPAWN_TIMEOUT_SECONDS
    c.Spawner.http_timeout = SPAWN_TIMEOUT_SECONDS
    c.Spawner.environment = {ROOM_DIR_ENV: str(settings.room_dir)}
    # Kernels talk to their server over Unix sockets in the learner's private runtime
    # folder, not TCP ports on 127.0.0.1: a room starting 30 kernels at once otherwise
    # loses some to "Address already in use" races, and no other account can even
    # reach a learner's kernel.
    c.Spawner.args = [
        "--KernelManager.transport=ipc",
        # A kernel whose notebook tab was closed without shutting it down is stopped after
        # an hour idle: over a day a learner opens five notebooks, each kernel 100-150 MB.
        f"--MappingKernelManager.cull_idle_timeout={KERNEL_CULL_SECONDS}",
        "--MappingKernelManager.cull_interval=300",
    ]

    if settings.platform == "unix":
        c.Spawner.pre_spawn_hook = _unix_pre_spawn_hook(settings)
    else:
        fac_gid = settings.facilitator_gid or DEFAULT_FACILITATOR_GID
        c.Spawner.pre_spawn_hook = _kubernetes_pre_spawn_hook(settings)
        c.KubeSpawner.uid = _uid_of_spawner
        c.KubeSpawner.gid = _uid_of_spawner
        c.KubeSpawner.fs_gid = _uid_of_spawner
        c.KubeSpawner.supplemental_gids = lambda spawner: (
            [fac_gid] if spawner.user.name in settings.facilitators else []
        )


def _uid_of_spawner(spawner: Any) -> int:
    return uid_for_name(spawner.user.name)


# =========================================================================== login


def _make_authenticator() -> type:
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    class WorkshopAuthenticator(SharedPasswordAuthenticator):
        """JupyterHub's SharedPasswordAuthenticator with the workshop's rules.

        - Learners sign in with the workshop password, as ``SharedPasswordAuthenticator``
          checks it; never as admins.
        - A facilitator's name needs the facilitator password; facilitators are not admins.
        - A name somebody has already signed in with is refused with the workshop
          password (no taking over another learner's server). A learner who lost their
          session signs in again with the facilitator's help: the facilitator password
          opens any learner's name.
        - Names that are not plain lower-case names, and (one machine) names of the
          machine's own accounts, are refused with a message saying why.
        """

        workshop = AnyTrait(
            None, allow_none=True, help="The HubSettings (set by configure())."
        ).tag(config=True)

        async def authenticate(self, handler: Any, data: Mapping[str, str]) -> Any:
            settings: HubSettings = self.workshop
            if settings is None:
                raise web.HTTPError(500, "WorkshopAuthenticator.workshop is not configured")
            name = self.normalize_username(str(data.get("username", "")).strip())
            password = str(data.get("password", ""))
            try:
                check_user_name(name)
            except ValueError:
                raise web.HTTPError(
                    403,
                    "Please use a name of lower-case letters and digits (a hyphen or "
                    "underscore may follow), starting with a letter, e.g. jsmith or table3-ali.",
                ) from None
            fac_ok = bool(settings.facilitator_password) and secrets.compare_digest(
                password.encode("utf-8"), str(settings.facilitator_password).encode("utf-8")
            )
            if name in settings.facilitators:
                return {"name": name, "admin": False} if fac_ok else None
            if fac_ok:
                learner_ok = False
            elif not password.isascii():  # compare_digest refuses non-ASCII text
                return None
            else:
                model = await super().authenticate(handler, {**data, "username": name})
                learner_ok = bool(model)
                if not learner_ok:
                    return None
            if settings.platform == "unix" and not _usable_unix_name(name, settings):
                raise web.HTTPError(403, _refusal(name))
            if learner_ok and settings.claim_names and handler.find_user(name) is not None:
                raise web.HTTPError(
                    403,
                    f"Somebody has already signed in as {name!r}. If that was you, ask the "
                    "facilitator to sign you in again; otherwise choose another name.",
                )
            return {"name": name, "admin": False}

    return WorkshopAuthenticator


def _usable_unix_name(name: str, settings: HubSettings) -> bool:
    try:
        return account_role(name, settings) is not None
    except KeyError:
        return settings.create_users


def _authenticator_class() -> type:
    cls = globals().get("WorkshopAuthenticator")
    if cls is None:
        cls = _make_authenticator()
        cls.__module__ = __name__
        cls.__qualname__ = "WorkshopAuthenticator"
        globals()["WorkshopAuthenticator"] = cls
    return cls


def __getattr__(name: str) -> Any:
    # The authenticator needs JupyterHub; the rest of this module does not.
    if name == "WorkshopAuthenticator":
        return _authenticator_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# =========================================================================== command line


def _singleuser(argv: list[str]) -> int:
    """Seed the notebooks as the learner, then become ``jupyterhub-singleuser``."""
    os.umask(0o077)
    home = Path.home()
    try:
        os.chmod(home, 0o700)
    except OSError as exc:
        print(f"partnership_lib.hub: could not make {home} private: {exc}", file=sys.stderr)
    # A kernel's Unix sockets live here; the default runtime folder is deep enough that a
    # long user name would pass the 107-byte limit of a socket's path.
    os.environ.setdefault("JUPYTER_RUNTIME_DIR", str(home / RUNTIME_DIR))
    source = os.environ.get(NOTEBOOKS_ENV) or str(_default_notebooks())
    try:
        copied = seed_notebooks(
            home, source=source, facilitator=os.environ.get(ROLE_ENV) == "facilitator"
        )
    except (OSError, HubSetupError) as exc:  # a missing notebook must not stop the server
        print(f"partnership_lib.hub: notebooks not copied: {exc}", file=sys.stderr)
    else:
        if copied:
            names = ", ".join(p.name for p in copied)
            print(f"partnership_lib.hub: copied {names} into {home}", file=sys.stderr)
    os.chdir(home)
    command = [sys.executable, "-m", "jupyterhub.singleuser", *argv]
    sys.stderr.flush()
    os.execv(command[0], command)
    return 1  # not reached


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m partnership_lib.hub {room,seed,singleuser}``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["singleuser"]:
        return _singleuser(args[1:])  # everything after it is jupyterhub-singleuser's
    parser = argparse.ArgumentParser(
        prog="python -m partnership_lib.hub", description="The workbook's JupyterHub set-up."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    room = sub.add_parser("room", help="create the room folder as a drop box (as root)")
    room.add_argument("folder", nargs="?", type=Path, help="default: $PARTNERSHIP_HUB_ROOM_DIR")
    room.add_argument("--group", default=None, help="default: $PARTNERSHIP_HUB_FACILITATOR_GROUP")
    room.add_argument("--gid", type=int, default=None, help="the group's id (Kubernetes)")
    seed = sub.add_parser("seed", help="copy missing session notebooks into a home folder")
    seed.add_argument("--home", type=Path, default=None, help="default: your home folder")
    seed.add_argument("--source", type=Path, default=None, help="default: the workbook's")
    seed.add_argument("--facilitator", action="store_true", help="also the board notebook")
    sub.add_parser("singleuser", help="seed, then start jupyterhub-singleuser (the server cmd)")
    ns = parser.parse_args(args)
    try:
        if ns.command == "room":
            env = os.environ
            folder = ns.folder or Path(env.get(ENV["room_dir"], "") or DEFAULT_ROOM_DIR)
            group = ns.group or env.get(ENV["facilitator_group"]) or "workshop-facilitators"
            gid = ns.gid
            if gid is None and env.get(ENV["facilitator_gid"], "").strip():
                gid = int(env[ENV["facilitator_gid"]])
            done = prepare_room(folder, group=group, gid=gid)
            print(f"room folder {done} ready: root:{group}, mode {ROOM_MODE:o}")
        elif ns.command == "seed":
            source = ns.source or Path(os.environ.get(NOTEBOOKS_ENV) or _default_notebooks())
            copied = seed_notebooks(
                ns.home or Path.home(), source=source, facilitator=ns.facilitator
            )
            print("\n".join(str(p) for p in copied) or "nothing to copy: every notebook is there")
    except (HubSetupError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
