"""A whole cohort on a real JupyterHub: one password, answers sent to the room, privacy holds.

Starts ``deploy/jupyterhub/jupyterhub_config.py`` itself on free 127.0.0.1 ports, with
real single-user JupyterLab servers run as 10 real Unix learner accounts and one
facilitator account (made with ``useradd``). Every learner signs in through the login
form with the workshop password, gets a server, and in their own kernel saves answers
different from everyone else's and sends them to the room twice (a draft, then the
final version). The facilitator's board, run in the facilitator's own kernel from the
notebook the hub gave them, must show exactly those 10 learners' final answers,
labelled by the hub user each file came from. From every learner's own kernel each
privacy rule is tried against another learner and must fail.

Needs root (``useradd``; LocalProcessSpawner switches to each account): without it the
module is skipped with one line, and under CI (``CI`` set) it fails. Run alone with
``pytest -m hub`` or ``make hub``. See ``harness.py`` for how the learners' servers
reach this Python when the checkout sits in a folder others cannot enter.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import stat
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from . import harness

pytestmark = pytest.mark.hub

N_LEARNERS = 10
NOTES = "04_feedback_and_reflection/evaluation/notes"
BACKGROUND = "00_partnership_scenario/scenario/background"
SESSION_NOTEBOOKS = sorted(p.name for p in harness.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
STORE = ".local/share/collaborative-working/answers.sqlite3"


# --------------------------------------------------------------------------- kernel code


def send_code(
    notes: list[dict[str, Any]], background: str, display_name: str, session_code: str
) -> str:
    """Save two answers in the learner's own store and send them with notebook 04's
    Send to the room button, with the session code the board projects."""
    return f"""
import json, os
from partnership_lib import AnswerKey, default_store
from partnership_lib.sessions.s04_reflection import share_panel
store = default_store()
store.save(AnswerKey.parse({NOTES!r}), json.loads({json.dumps(notes)!r}))
store.save(AnswerKey.parse({BACKGROUND!r}), {background!r})
panel = share_panel(store=store)
assert panel.room is not None, "no room folder on the hub"
panel.display_name.value = {display_name!r}
panel.session_code.value = {session_code!r}
panel.preview_button.click()
r = panel.send()
assert r is not None, panel.status.value
assert "to the room at" in panel.sent.value, panel.sent.value
print(json.dumps({{"path": str(r.path), "user": r.user, "answers": r.answers,
                  "replaced": r.replaced, "store": str(store.path)}}))
"""


def privacy_code(victim_share: str, victim_home: str, own_share: str) -> str:
    """Try every forbidden thing against another learner; print what happened to each."""
    return f"""
import json, os, sqlite3, uuid
room = os.environ["PARTNERSHIP_ROOM_DIR"]
share, home, own = {victim_share!r}, {victim_home!r}, {own_share!r}
store = os.path.join(home, {STORE!r})

def attempt(action):
    try:
        action()
    except (PermissionError, sqlite3.OperationalError) as exc:
        return "denied: " + str(exc)[:80]
    except Exception as exc:
        return f"ERROR {{type(exc).__name__}}: {{exc}}"
    return "ALLOWED"

def overwrite():
    fd = os.open(share, os.O_WRONLY)
    os.close(fd)

def replace():
    mine = os.path.join(room, ".attempt-" + uuid.uuid4().hex)
    with open(mine, "w") as f:
        f.write("{{}}")
    try:
        os.replace(mine, share)
    finally:
        if os.path.lexists(mine):
            os.unlink(mine)

def read_store_sqlite():
    with sqlite3.connect(f"file:{{store}}?mode=ro", uri=True) as db:
        db.execute("select count(*) from sqlite_master").fetchall()

results = {{
    "list the room folder": attempt(lambda: os.listdir(room)),
    "read another learner's share file": attempt(lambda: open(share, "rb").read(1)),
    "overwrite another learner's share file": attempt(overwrite),
    "replace another learner's share file": attempt(replace),
    "rename another learner's share file": attempt(
        lambda: os.rename(share, os.path.join(room, "taken.json"))),
    "delete another learner's share file": attempt(lambda: os.unlink(share)),
    "read another learner's answer store": attempt(lambda: open(store, "rb").read(1)),
    "open another learner's answer store in SQLite": attempt(read_store_sqlite),
    "list another learner's home folder": attempt(lambda: os.listdir(home)),
    "read another learner's notebook": attempt(
        lambda: open(os.path.join(home, "04_feedback_and_reflection.ipynb"), "rb").read(1)),
    "read another learner's data folder": attempt(
        lambda: os.listdir(os.path.join(home, ".local/share/collaborative-working"))),
}}
controls = {{
    "read my own share file": attempt(lambda: open(own, "rb").read(1)),
    "read my own answer store": attempt(
        lambda: open(os.path.expanduser("~/{STORE}"), "rb").read(1)),
}}
print(json.dumps({{"attempts": results, "controls": controls}}))
"""


# The board as the facilitator opens it before the room sends (the code of the notebook
# the hub gave them): it starts a session and shows its code, which learners type in.
FACILITATOR_OPEN = """
import json, os
cells = json.load(open(os.path.expanduser("~/facilitator.ipynb")))["cells"]
shell = get_ipython()
widget = None
for cell in cells:
    if cell["cell_type"] == "code":
        widget = shell.run_cell("".join(cell["source"])).result
board = widget.board
print(json.dumps({"session_code": board.session_code}))
"""

FACILITATOR_CODE = f"""
import json, os
from partnership_lib import AnswerKey, room
from partnership_lib.documents.room_drop import identify_owner

def learners(r):
    return [{{"owner": identify_owner(f.path), "display_name": f.display_name,
              "notes": f.answers.get(AnswerKey.parse({NOTES!r})),
              "background": f.answers.get(AnswerKey.parse({BACKGROUND!r}))}}
            for f in r.learners]

scan = room.scan_room(os.environ["PARTNERSHIP_ROOM_DIR"], session_code=board.session_code)
assert board.scan() is not None, board.status.value
print(json.dumps({{"scan": learners(scan), "board": learners(board.room),
                  "skipped": [s.reason for s in scan.skipped],
                  "board_skipped": [s.reason for s in board.room.skipped]}}))
board.close()
"""


# --------------------------------------------------------------------------- the run


@dataclass
class Run:
    """Everything the cohort did, for the tests to check."""

    cohort: harness.Cohort
    clients: dict[str, harness.HubClient]
    sends: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    final_notes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    display_names: dict[str, str] = field(default_factory=dict)
    privacy: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    victims: dict[str, str] = field(default_factory=dict)
    board: dict[str, Any] = field(default_factory=dict)


def _notes(name: str, round_: str) -> list[dict[str, Any]]:
    return [
        {"id": 1, "colour": "pink", "text": f"{round_}: what worked for {name}"},
        {"id": 2, "colour": "green", "text": f"{round_}: {name} still wants to learn"},
    ]


@pytest.fixture(scope="module")
def run() -> Iterator[Run]:
    reason = harness.unavailable_reason()
    if reason is not None:
        if harness.in_ci():
            pytest.fail(f"the hub test cannot run under CI: {reason}", pytrace=False)
        pytest.skip(f"hub test: {reason}")
    kernels: list[harness.Kernel] = []
    with harness.cohort(N_LEARNERS, extra_names=["new"]) as cohort:
        try:
            yield _act(cohort, kernels)
        finally:
            for kernel in kernels:
                kernel.close()


def _act(cohort: harness.Cohort, kernels: list[harness.Kernel]) -> Run:
    names = [*cohort.learners, cohort.facilitator]
    clients = {name: harness.HubClient(cohort.hub, name) for name in names}

    def sign_in(name: str) -> None:
        password = cohort.facilitator_password if name == cohort.facilitator else cohort.password
        clients[name].login(password)
        clients[name].create_token()
        clients[name].request_spawn()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(sign_in, names))
        list(pool.map(lambda n: clients[n].wait_ready(), names))
        opened = dict(zip(names, pool.map(lambda n: clients[n].kernel(), names), strict=True))
    kernels += opened.values()
    result = Run(cohort, clients)

    learners = cohort.learners
    # One learner types another's name as the name the facilitator sees: the board
    # must still label the file by the account it came from.
    for i, name in enumerate(learners):
        result.display_names[name] = learners[(i + 3) % len(learners)] if i == 2 else f"T{i}"

    session_code = opened[cohort.facilitator].json(FACILITATOR_OPEN)["session_code"]
    assert session_code, "the board opened without a session code"

    def send(name: str) -> list[dict[str, Any]]:
        out = []
        for round_ in ("draft", "final"):
            code = send_code(
                _notes(name, round_),
                f"Write to {name}@example.org about the {round_} plan",
                result.display_names[name],
                session_code,
            )
            out.append(opened[name].json(code))
        return out

    with ThreadPoolExecutor(4) as pool:
        result.sends = dict(zip(learners, pool.map(send, learners), strict=True))
    result.final_notes = {name: _notes(name, "final") for name in learners}

    result.board = opened[cohort.facilitator].json(FACILITATOR_CODE)

    for i, name in enumerate(learners):
        result.victims[name] = learners[(i + 1) % len(learners)]

    def attack(name: str) -> dict[str, dict[str, str]]:
        victim = result.victims[name]
        code = privacy_code(
            result.sends[victim][-1]["path"],
            pwd.getpwnam(victim).pw_dir,
            result.sends[name][-1]["path"],
        )
        return opened[name].json(code)

    with ThreadPoolExecutor(4) as pool:
        result.privacy = dict(zip(learners, pool.map(attack, learners), strict=True))
    return result


# --------------------------------------------------------------------------- tests


def test_each_learner_sent_twice_and_the_second_replaced_the_first(run: Run):
    for name, (draft, final) in run.sends.items():
        assert draft["user"] == final["user"] == name
        assert final["path"] == draft["path"], f"{name}: a second send must replace the first"
        assert not draft["replaced"] and final["replaced"]
        assert draft["answers"] == final["answers"] == 2
        assert final["store"] == str(Path(pwd.getpwnam(name).pw_dir) / STORE)


def test_the_facilitators_board_shows_exactly_each_learners_final_answers(run: Run):
    for view in ("scan", "board"):
        shown = run.board[view]
        owners = [entry["owner"] for entry in shown]
        assert sorted(owners) == sorted(run.cohort.learners), f"{view}: {owners}"
        for entry in shown:
            owner = entry["owner"]
            assert entry["notes"] == run.final_notes[owner], f"{view}: {owner}"
            # anonymised on the way: the e-mail address never reached the room
            assert entry["background"] == "Write to [e-mail 1] about the final plan"
            assert entry["display_name"] == run.display_names[owner]
    assert run.board["skipped"] == [] and run.board["board_skipped"] == []


def test_a_learner_typing_another_name_is_still_labelled_by_their_account(run: Run):
    learners = run.cohort.learners
    impostor, claimed = learners[2], run.display_names[learners[2]]
    assert claimed in learners and claimed != impostor
    entries = [e for e in run.board["board"] if e["display_name"] == claimed]
    assert [e["owner"] for e in entries] == [impostor]
    assert entries[0]["notes"] == run.final_notes[impostor]


def test_every_privacy_rule_holds_from_every_learners_kernel(run: Run):
    for name in run.cohort.learners:
        victim = run.victims[name]
        assert victim != name
        home = Path(pwd.getpwnam(victim).pw_dir)
        # the targets exist, so a refusal is the permission, not a missing file
        assert (home / STORE).is_file() and Path(run.sends[victim][-1]["path"]).is_file()
        attempts = run.privacy[name]["attempts"]
        assert len(attempts) == 11
        broken = {rule: what for rule, what in attempts.items() if not what.startswith("denied")}
        assert not broken, f"{name} against {victim}: {broken}"
        controls = run.privacy[name]["controls"]
        assert set(controls.values()) == {"ALLOWED"}, f"{name}: {controls}"


def test_the_room_is_a_drop_box_and_the_files_are_for_facilitators_only(run: Run):
    import grp

    room = run.cohort.room_dir
    st = room.stat()
    assert stat.S_IMODE(st.st_mode) == 0o3773 and st.st_uid == 0
    assert grp.getgrgid(st.st_gid).gr_name == run.cohort.accounts.facilitator_group
    for name, sends in run.sends.items():
        path = Path(sends[-1]["path"])
        assert path.parent == room
        fst = path.stat()
        assert stat.S_IMODE(fst.st_mode) == 0o640, path.name
        assert pwd.getpwuid(fst.st_uid).pw_name == name
        assert fst.st_gid == st.st_gid  # the setgid bit gave it the facilitators' group
    # nothing else is there: no temporary file, no attempt left behind, nothing replaced;
    # only the board's own record of the session code, written by the facilitator
    listed = sorted(os.listdir(room))
    own = [n for n in listed if n.startswith(".")]
    assert own == [".session.json"], own
    assert pwd.getpwuid((room / own[0]).stat().st_uid).pw_name == run.cohort.facilitator
    sent = [n for n in listed if not n.startswith(".")]
    assert sent == sorted(Path(s[-1]["path"]).name for s in run.sends.values())


def test_homes_are_private_and_hold_the_session_notebooks(run: Run):
    for name in [*run.cohort.learners, run.cohort.facilitator]:
        entry = pwd.getpwnam(name)
        home = Path(entry.pw_dir)
        assert stat.S_IMODE(home.stat().st_mode) == 0o700, name
        wanted = list(SESSION_NOTEBOOKS)
        if name == run.cohort.facilitator:
            wanted += ["facilitator.ipynb", "facilitator_moderation.ipynb"]
        for notebook in wanted:
            nst = (home / notebook).stat()
            assert nst.st_uid == entry.pw_uid and stat.S_IMODE(nst.st_mode) == 0o600
        assert (name == run.cohort.facilitator) == (home / "facilitator.ipynb").exists()
    assert len(SESSION_NOTEBOOKS) == 5


def test_kernels_talk_to_their_server_over_private_unix_sockets(run: Run):
    name = run.cohort.learners[3]
    kernel = run.clients[name].kernel()
    try:
        info = kernel.json(
            "import json, os, stat\n"
            "from ipykernel.connect import get_connection_file, get_connection_info\n"
            "c = json.loads(get_connection_info())\n"
            "folder = os.path.dirname(get_connection_file())\n"
            "print(json.dumps({'transport': c['transport'], 'folder': folder,\n"
            "                  'mode': stat.S_IMODE(os.stat(folder).st_mode)}))"
        )
    finally:
        kernel.close()
    assert info["transport"] == "ipc"
    assert info["folder"] == f"{pwd.getpwnam(name).pw_dir}/.jupyter-runtime"
    assert info["mode"] & 0o777 == 0o700  # (jupyter_core also sets the sticky bit)


def test_a_later_start_never_overwrites_a_learners_notebook(run: Run):
    name = run.cohort.learners[0]
    client = run.clients[name]
    path = "04_feedback_and_reflection.ipynb"
    model = client.server_api("GET", f"/contents/{path}").json()
    model["content"]["cells"].insert(
        0, {"cell_type": "markdown", "metadata": {}, "source": "My own note, keep it"}
    )
    put = client.server_api("PUT", f"/contents/{path}", json={"type": "notebook", **model})
    assert put.status_code == 200, put.text
    assert client.server_api("DELETE", "/contents/00_partnership_scenario.ipynb").status_code == 204
    client.stop_server()
    client.request_spawn()
    client.wait_ready()
    again = client.server_api("GET", f"/contents/{path}").json()
    assert again["content"]["cells"][0]["source"] == "My own note, keep it"
    # a deleted notebook comes back, fresh
    fresh = client.server_api("GET", "/contents/00_partnership_scenario.ipynb")
    assert fresh.status_code == 200


def test_a_wrong_password_is_refused(run: Run):
    client = harness.HubClient(run.cohort.hub, run.cohort.accounts.name("x1"))
    with pytest.raises(harness.LoginRefused) as refused:
        client.login(run.cohort.password + "-wrong")
    assert refused.value.status == 403 and "Invalid username or password" in refused.value.message
    assert not client.logged_in_cookie()


def test_the_facilitators_name_needs_the_facilitators_password(run: Run):
    client = harness.HubClient(run.cohort.hub, run.cohort.facilitator)
    with pytest.raises(harness.LoginRefused, match="Invalid username or password"):
        client.login(run.cohort.password)


def test_nobody_can_sign_in_as_a_learner_who_already_has(run: Run):
    victim = run.cohort.learners[4]
    with pytest.raises(harness.LoginRefused, match="already signed in as") as refused:
        harness.HubClient(run.cohort.hub, victim).login(run.cohort.password)
    assert refused.value.status == 403
    # the facilitator can let a learner who lost their session back in
    rescue = harness.HubClient(run.cohort.hub, victim)
    rescue.login(run.cohort.facilitator_password)
    assert rescue.logged_in_cookie()


@pytest.mark.parametrize("name", ["root", "daemon", "Not A Name"])
def test_the_machines_own_accounts_and_odd_names_are_refused(run: Run, name: str):
    with pytest.raises(harness.LoginRefused) as refused:
        harness.HubClient(run.cohort.hub, name).login(run.cohort.password)
    assert refused.value.status == 403
    assert "own accounts" in refused.value.message or "lower-case" in refused.value.message


def test_learners_and_facilitators_are_not_admins(run: Run):
    for name in [run.cohort.learners[0], run.cohort.learners[-1], run.cohort.facilitator]:
        me = run.clients[name].hub_api("GET", "/user")
        assert me.status_code == 200 and me.json()["name"] == name
        assert me.json()["admin"] is False
        assert run.clients[name].hub_api("GET", "/users").status_code == 403


def test_a_learner_cannot_reach_another_learners_server(run: Run):
    learner, other = run.cohort.learners[5], run.cohort.learners[6]
    client = run.clients[learner]
    for path in ("/contents", "/kernels"):
        reply = client.server_api("GET", path, user=other)
        assert reply.status_code in (302, 403), (path, reply.status_code)
        assert other not in reply.text or reply.status_code == 302
    assert client.server_api("GET", "/contents").status_code == 200  # their own works


def test_a_new_name_gets_a_new_private_account(run: Run):
    import grp

    name = run.cohort.accounts.name("new")
    with pytest.raises(KeyError):
        pwd.getpwnam(name)
    client = harness.HubClient(run.cohort.hub, name)
    client.login(run.cohort.password)
    client.create_token()
    client.request_spawn()
    client.wait_ready()
    entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert name in grp.getgrnam(run.cohort.accounts.learner_group).gr_mem
    assert name not in grp.getgrnam(run.cohort.accounts.facilitator_group).gr_mem
    listing = client.server_api("GET", "/contents").json()["content"]
    assert sorted(e["name"] for e in listing if e["name"].endswith(".ipynb")) == SESSION_NOTEBOOKS
    with contextlib.suppress(Exception):
        client.stop_server()
