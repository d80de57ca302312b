"""The hub set-up without a hub: settings, configure(), the login rules, notebook seeding.

A real JupyterHub with real accounts is ``tests/hub/test_hub.py`` (``pytest -m hub``).
"""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from _helpers import DATA

pytest.importorskip("jupyterhub", reason="the hub extra is not installed")

from tornado import web
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from partnership_lib import hub
from partnership_lib.documents.room_drop import uid_for_name
from partnership_lib.hub import HubSettings, HubSetupError, configure, seed_notebooks

ROOT = DATA.parent
NOTEBOOKS = ROOT / "notebooks"
SESSIONS = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

ENV = {
    "PARTNERSHIP_HUB_PASSWORD": "workshop-pass",
    "PARTNERSHIP_HUB_FACILITATORS": "sam, kim",
    "PARTNERSHIP_HUB_FACILITATOR_PASSWORD": "facilitator-pass",
}


def settings(**changes) -> HubSettings:
    values = {
        "password": "workshop-pass",
        "facilitators": {"sam"},
        "facilitator_password": "facilitator-pass",
        "room_dir": Path("/srv/room"),
    }
    return HubSettings(**{**values, **changes})


# --------------------------------------------------------------------------- settings


def test_settings_come_from_the_environment_with_defaults():
    s = HubSettings.from_env(ENV)
    assert s.password == "workshop-pass" and s.facilitators == {"sam", "kim"}
    assert s.room_dir == hub.DEFAULT_ROOM_DIR and s.notebooks == NOTEBOOKS
    assert (s.learner_group, s.facilitator_group) == ("workshop", "workshop-facilitators")
    assert s.create_users and s.claim_names and s.platform == "unix"
    assert s.facilitator_gid is None
    k8s = HubSettings.from_env(
        {**ENV, "PARTNERSHIP_HUB_PLATFORM": "kubernetes", "PARTNERSHIP_HUB_CLAIM_NAMES": "no"}
    )
    assert k8s.python == "python3" and k8s.facilitator_gid == hub.DEFAULT_FACILITATOR_GID
    assert not k8s.claim_names
    assert s.role("kim") == "facilitator" and s.role("ali") == "learner"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"PARTNERSHIP_HUB_PASSWORD": ""}, "PARTNERSHIP_HUB_PASSWORD is not set"),
        ({"PARTNERSHIP_HUB_PASSWORD": "short"}, "at least 8 characters"),
        ({"PARTNERSHIP_HUB_FACILITATOR_PASSWORD": ""}, "need their own password"),
        ({"PARTNERSHIP_HUB_FACILITATOR_PASSWORD": "workshop-pass"}, "must differ"),
        ({"PARTNERSHIP_HUB_FACILITATORS": "Sam Smith"}, "not a usable user name"),
        ({"PARTNERSHIP_HUB_ROOM_DIR": "room"}, "must be an absolute path"),
        ({"PARTNERSHIP_HUB_LEARNER_GROUP": "bad group"}, "not a Unix group name"),
        ({"PARTNERSHIP_HUB_LEARNER_GROUP": "workshop-facilitators"}, "must differ"),
        ({"PARTNERSHIP_HUB_CREATE_USERS": "maybe"}, "PARTNERSHIP_HUB_CREATE_USERS"),
        ({"PARTNERSHIP_HUB_FACILITATOR_GID": "lots"}, "is not a number"),
        ({"PARTNERSHIP_HUB_PLATFORM": "windows"}, "'unix' or 'kubernetes'"),
    ],
)
def test_settings_that_cannot_work_are_refused_by_name(change, message):
    with pytest.raises(ValueError, match=message):
        HubSettings.from_env({**ENV, **change})


def test_every_server_is_told_the_room_its_user_and_role(tmp_path):
    env = settings(room_dir=tmp_path / "room").server_environment("sam")
    assert env == {
        "PARTNERSHIP_ROOM_DIR": str(tmp_path / "room"),
        "PARTNERSHIP_HUB_USER": "sam",
        "PARTNERSHIP_HUB_ROLE": "facilitator",
        "PARTNERSHIP_HUB_NOTEBOOKS": str(NOTEBOOKS),
    }


# --------------------------------------------------------------------------- configure


def test_configure_sets_up_login_servers_and_the_room_variable():
    c = Config()
    s = settings()
    configure(c, s, prepare=False)
    assert c.JupyterHub.authenticator_class is hub.WorkshopAuthenticator
    auth = c.WorkshopAuthenticator
    assert auth.workshop is s and auth.user_password == "workshop-pass"
    assert auth.allow_all is True and auth.admin_users == set()
    assert c.Spawner.cmd == [s.python, "-m", "partnership_lib.hub", "singleuser"]
    assert c.Spawner.default_url == "/lab" and c.Spawner.notebook_dir == "~"
    assert c.Spawner.args[0] == "--KernelManager.transport=ipc"
    assert "--MappingKernelManager.cull_idle_timeout=3600" in c.Spawner.args
    assert c.Spawner.environment == {"PARTNERSHIP_ROOM_DIR": "/srv/room"}
    assert callable(c.Spawner.pre_spawn_hook)
    assert "KubeSpawner" not in c


def test_on_kubernetes_each_user_runs_as_their_own_uid_and_facilitators_read_the_room():
    c = Config()
    configure(c, settings(platform="kubernetes", facilitator_gid=4242), prepare=False)

    class Spawner:
        def __init__(self, name):
            self.user = type("User", (), {"name": name})()

    ali, sam = Spawner("ali"), Spawner("sam")
    assert c.KubeSpawner.uid(ali) == c.KubeSpawner.gid(ali) == uid_for_name("ali")
    assert c.KubeSpawner.fs_gid(sam) == uid_for_name("sam")
    assert c.KubeSpawner.supplemental_gids(sam) == [4242]
    assert c.KubeSpawner.supplemental_gids(ali) == []


def test_the_one_machine_config_file_calls_configure(monkeypatch, tmp_path):
    prepared = []
    monkeypatch.setattr(hub, "prepare_room", lambda folder, **kw: prepared.append((folder, kw)))
    monkeypatch.setattr(hub, "ensure_group", lambda group, gid=None: prepared.append(group))
    for key, value in {**ENV, "PARTNERSHIP_HUB_ROOM_DIR": str(tmp_path / "room")}.items():
        monkeypatch.setenv(key, value)
    path = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
    c = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    assert c.JupyterHub.spawner_class == "jupyterhub.spawner.LocalProcessSpawner"
    proxy = Path(c.ConfigurableHTTPProxy.command[0])
    assert proxy == ROOT / "node_modules" / ".bin" / "configurable-http-proxy"
    assert c.WorkshopAuthenticator.workshop.facilitators == {"sam", "kim"}
    assert c.Spawner.environment == {"PARTNERSHIP_ROOM_DIR": str(tmp_path / "room")}
    if os.geteuid() == 0:  # configure() prepares the room only as root
        assert prepared == [
            "workshop",
            (tmp_path / "room", {"group": "workshop-facilitators", "gid": None}),
        ]


# --------------------------------------------------------------------------- login


class Handler:
    """The part of a JupyterHub request handler the authenticator uses."""

    def __init__(self, existing=()):
        self.existing = set(existing)

    def find_user(self, name):
        return object() if name in self.existing else None


def login(name, password, *, existing=(), **changes):
    auth = hub.WorkshopAuthenticator(
        workshop=settings(**changes), user_password="workshop-pass", allow_all=True
    )
    return asyncio.run(
        auth.authenticate(Handler(existing), {"username": name, "password": password})
    )


def test_learners_sign_in_with_the_workshop_password_and_are_never_admins():
    assert login("ali", "workshop-pass") == {"name": "ali", "admin": False}
    assert login("  Ali ", "workshop-pass") == {"name": "ali", "admin": False}
    assert login("ali", "wrong-password") is None
    assert login("ali", "workshop-pass é") is None  # no crash on non-ASCII text


def test_facilitators_need_their_own_password_and_are_not_admins_either():
    assert login("sam", "facilitator-pass") == {"name": "sam", "admin": False}
    assert login("sam", "workshop-pass") is None


def test_a_name_in_use_cannot_be_taken_with_the_workshop_password():
    with pytest.raises(web.HTTPError) as refused:
        login("ali", "workshop-pass", existing={"ali"})
    assert refused.value.status_code == 403 and "already signed in" in refused.value.log_message
    # the facilitator lets a learner who lost their session back in
    assert login("ali", "facilitator-pass", existing={"ali"}) == {"name": "ali", "admin": False}
    # and the rule can be switched off
    assert login("ali", "workshop-pass", existing={"ali"}, claim_names=False)["name"] == "ali"


@pytest.mark.parametrize("name", ["al i", "1ali", "ali/../x", "", "a" * 40])
def test_names_that_are_not_plain_names_are_refused_with_a_reason(name):
    with pytest.raises(web.HTTPError) as refused:
        login(name, "workshop-pass")
    assert "lower-case letters" in refused.value.log_message


def test_the_machines_own_accounts_cannot_be_used():
    with pytest.raises(web.HTTPError) as refused:
        login("root", "workshop-pass")
    assert "own accounts" in refused.value.log_message
    with pytest.raises(web.HTTPError):
        login("root", "facilitator-pass")
    # on Kubernetes there are no Unix accounts to protect
    assert login("root", "workshop-pass", platform="kubernetes")["name"] == "root"


def test_without_account_creation_a_missing_account_is_refused():
    with pytest.raises(web.HTTPError):
        login("nobody-here-xyz", "workshop-pass", create_users=False)


# --------------------------------------------------------------------------- notebooks


def test_the_first_start_copies_the_five_session_notebooks_privately(tmp_path):
    copied = seed_notebooks(tmp_path, source=NOTEBOOKS)
    assert [p.name for p in copied] == SESSIONS and len(SESSIONS) == 5
    for path in copied:
        assert path.read_bytes() == (NOTEBOOKS / path.name).read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (tmp_path / "facilitator.ipynb").exists()
    assert not (tmp_path / "diagram_gallery.ipynb").exists()


def test_a_later_start_never_overwrites_and_brings_back_a_deleted_notebook(tmp_path):
    seed_notebooks(tmp_path, source=NOTEBOOKS)
    mine = tmp_path / SESSIONS[4]
    mine.write_text("my own copy", encoding="utf-8")
    (tmp_path / SESSIONS[0]).unlink()
    again = seed_notebooks(tmp_path, source=NOTEBOOKS)
    assert [p.name for p in again] == [SESSIONS[0]]
    assert mine.read_text(encoding="utf-8") == "my own copy"


def test_a_link_where_a_notebook_would_go_is_never_followed(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    home.mkdir()
    (home / SESSIONS[1]).symlink_to(elsewhere)
    seed_notebooks(home, source=NOTEBOOKS)
    assert not elsewhere.exists()


def test_a_facilitator_also_gets_the_board(tmp_path):
    copied = seed_notebooks(tmp_path, source=NOTEBOOKS, facilitator=True)
    assert [p.name for p in copied] == [
        *SESSIONS,
        "facilitator.ipynb",
        "facilitator_moderation.ipynb",
    ]


def test_a_folder_without_notebooks_is_a_setup_error(tmp_path):
    with pytest.raises(HubSetupError, match="no session notebooks"):
        seed_notebooks(tmp_path, source=tmp_path / "empty")


def test_the_seed_command_copies_into_a_home(tmp_path, capsys):
    assert hub.main(["seed", "--home", str(tmp_path), "--source", str(NOTEBOOKS)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == SESSIONS
    assert hub.main(["seed", "--home", str(tmp_path), "--source", str(NOTEBOOKS)]) == 0
    assert "nothing to copy" in capsys.readouterr().out


# --------------------------------------------------------------------------- the room


def test_folders_others_cannot_pass_are_found(tmp_path):
    closed = tmp_path / "closed"
    inner = closed / "inner"
    inner.mkdir(parents=True)
    os.chmod(tmp_path, 0o755)
    os.chmod(closed, 0o700)
    try:
        blocked = hub.blocking_directories(inner)
        assert closed in blocked and inner not in blocked
    finally:
        os.chmod(closed, 0o755)
    assert closed not in hub.blocking_directories(inner)


# --------------------------------------------------------------------------- Kubernetes


def test_the_kubernetes_values_run_the_same_configure_and_agree_with_themselves(monkeypatch):
    import yaml

    values = yaml.safe_load((ROOT / "deploy" / "kubernetes" / "config.yaml").read_text("utf-8"))
    env = {}
    for key, value in values["hub"]["extraEnv"].items():
        env[key] = value if isinstance(value, str) else f"secret-{key.lower()}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    c = Config()
    for code in values["hub"]["extraConfig"].values():
        exec(compile(code, "hub.extraConfig", "exec"), {"c": c})
    s = c.WorkshopAuthenticator.workshop
    assert s.platform == "kubernetes" and c.JupyterHub.authenticator_class.__name__ == (
        "WorkshopAuthenticator"
    )
    singleuser = values["singleuser"]
    assert c.Spawner.cmd == singleuser["cmd"]
    assert c.Spawner.default_url == singleuser["defaultUrl"]
    assert singleuser["storage"]["type"] == "dynamic"
    mounts = {m["name"]: m["mountPath"] for m in singleuser["storage"]["extraVolumeMounts"]}
    assert mounts["room"] == str(s.room_dir) == env["PARTNERSHIP_HUB_ROOM_DIR"]
    claim = singleuser["storage"]["extraVolumes"][0]["persistentVolumeClaim"]["claimName"]
    assert claim == "workshop-room"
    (init,) = singleuser["initContainers"]
    assert init["command"][:4] == ["python3", "-m", "partnership_lib.hub", "room"]
    assert init["command"][4] == str(s.room_dir)
    assert int(init["command"][init["command"].index("--gid") + 1]) == s.facilitator_gid
    assert callable(c.KubeSpawner.uid) and callable(c.KubeSpawner.supplemental_gids)
    # the chart's single uid and fsGid would put every learner in one account
    assert "uid" not in singleuser and "fsGid" not in singleuser
