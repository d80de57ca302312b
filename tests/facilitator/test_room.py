"""The facilitator's room: scanning share files, the seven views, the summary and report."""

from __future__ import annotations

import json
import os
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _share_files
import pytest

from partnership_lib.core.files import write_atomically
from partnership_lib.core.store import AnswerKey, AnswerStore
from partnership_lib.documents.share import export_share_file, load_share_file
from partnership_lib.facilitator import demo, room, views
from partnership_lib.facilitator import report as room_report
from partnership_lib.facilitator.moderation import Moderation

T0 = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


def k(text: str) -> AnswerKey:
    return AnswerKey.parse(text)


# Where the contract (room_api.md) says each view reads its answers.
GRID = k("02_climate_for_change/activity3/stakeholders")
SKILL = "01_concepts_and_contexts/activity1/skills_{}"
OPP = "01_concepts_and_contexts/activity2/{}"
STAGE = k("01_concepts_and_contexts/stage_diagnosis/observed")
MOBIUS = k("03_influencing_and_negotiation/rate_relationship/ratings")
ASSESS = k("03_influencing_and_negotiation/self_assessment/ratings")
WALL = k("04_feedback_and_reflection/evaluation/notes")


def share_doc(learner: int, name: str, answers: dict, *, at: datetime = T0) -> dict:
    """A share file's document (learner number -> id), as export_share_file writes it."""
    rows = {(key.notebook, key.exercise, key.field): v for key, v in answers.items()}
    return _share_files.share_doc(f"{learner:032x}", name, rows, at=at)


def put(folder: Path, filename: str, doc: dict | str) -> Path:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def age(path: Path, seconds: float = 3600) -> None:
    """Make a file look ``seconds`` old (older than the scanner's retry window)."""
    past = time.time() - seconds
    os.utime(path, (past, past))


# ============================================================================ scanning


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    demo.write_demo_room(folder, 12)
    return folder


def test_demo_room_files_are_valid_share_files_for_fictional_learners(demo_folder):
    paths = sorted(demo_folder.glob("*.json"))
    assert len(paths) == 12
    loaded = [load_share_file(p) for p in paths]
    assert [s.display_name for s in loaded] == [f"Learner {i:02d} (demo)" for i in range(1, 13)]
    assert len({s.learner_id for s in loaded}) == 12
    # every view's exercise is answered by most of the room
    views = (GRID, k(SKILL.format("personal")), k(OPP.format("opportunities_case")))
    for key in (*views, STAGE, MOBIUS, ASSESS, WALL):
        assert sum(key in s.answers for s in loaded) >= 8, key
    assert not list(demo_folder.glob(".*")), "no temporary files are left behind"


def test_demo_learners_are_stable_and_seeded(tmp_path):
    a = demo.write_demo_room(tmp_path / "a", 3)
    b = demo.write_demo_room(tmp_path / "b", 5)
    c = demo.write_demo_room(tmp_path / "c", 3, seed=8)
    first = [load_share_file(p) for p in a]
    assert [s.answers for s in first] == [load_share_file(p).answers for p in b[:3]]
    assert first[0].answers != load_share_file(c[0]).answers


def test_demo_file_matches_what_a_real_store_exports(tmp_path):
    (path,) = demo.write_demo_room(tmp_path / "demo", 1)
    written = load_share_file(path)
    with AnswerStore(tmp_path / "answers.sqlite3") as store:
        store.save_many(written.answers.items())
        real = load_share_file(export_share_file(tmp_path / "real.json", store=store))
    assert real.answers == written.answers
    assert (
        json.loads(path.read_text()).keys()
        == json.loads((tmp_path / "real.json").read_text()).keys()
    )


def test_scan_collects_every_learner_once_in_name_order(demo_folder):
    r = room.scan_room(demo_folder)
    assert len(r) == 12 and r.skipped == () and r.superseded == ()
    assert [s.display_name for s in r.learners] == sorted(s.display_name for s in r.learners)
    assert r.folder == demo_folder and r.scanned_at.tzinfo is not None


def test_a_missing_folder_is_one_skipped_entry(tmp_path):
    r = room.scan_room(tmp_path / "nowhere")
    assert len(r) == 0
    (skip,) = r.skipped
    assert skip.name == "nowhere"
    assert "does not exist" in skip.reason and skip.reason.startswith("folder ")


def test_bad_files_are_skipped_with_reasons_and_the_rest_kept(tmp_path):
    good = share_doc(1, "Ana", {GRID: [{"name": "Police", "power": 8, "interest": 7}]})
    put(tmp_path, "good.json", good)
    put(tmp_path, "a-bad-json.json", "{not json")
    put(tmp_path, "b-wrong-format.json", {**good, "format": "something-else"})
    put(tmp_path, "c-schema.json", {**good, "learner_id": "not-hex"})
    put(tmp_path, "d-half.json", json.dumps(good)[:57])
    put(tmp_path, "e-empty.json", "")
    put(tmp_path, ".hidden.json", "{not json")
    put(tmp_path, "notes.txt", "not a share file")
    (tmp_path / "f-folder.json").mkdir()
    for path in tmp_path.iterdir():
        age(path)
    r = room.scan_room(tmp_path)
    assert [s.display_name for s in r.learners] == ["Ana"]
    names = [s.name for s in r.skipped]
    assert names == sorted(names)
    assert names == [
        "a-bad-json.json",
        "b-wrong-format.json",
        "c-schema.json",
        "d-half.json",
        "e-empty.json",
        "f-folder.json",
    ]
    reasons = {s.name: s.reason for s in r.skipped}
    assert "is not valid JSON" in reasons["a-bad-json.json"]
    assert "wrong or missing 'format'" in reasons["b-wrong-format.json"]
    assert "learner_id" in reasons["c-schema.json"]
    assert "is not valid JSON" in reasons["d-half.json"]
    assert "is not a file" in reasons["f-folder.json"]
    assert all(str(tmp_path) not in s.name for s in r.skipped)


def test_the_newest_file_of_a_learner_wins(tmp_path):
    old = share_doc(7, "Bo (old)", {}, at=T0)
    new = share_doc(7, "Bo", {}, at=T0 + timedelta(minutes=5))
    other = share_doc(8, "Cy", {})
    # the older export has the newer file time: exported_at decides
    age(put(tmp_path, "bo-new.json", new), 600)
    put(tmp_path, "bo-old.json", old)
    put(tmp_path, "cy.json", other)
    r = room.scan_room(tmp_path)
    assert [s.display_name for s in r.learners] == ["Bo", "Cy"]
    assert r.superseded == ("bo-old.json",)


def test_same_export_time_falls_back_to_the_file_time(tmp_path):
    put(tmp_path, "first.json", share_doc(7, "first", {}))
    age(tmp_path / "first.json", 60)
    put(tmp_path, "second.json", share_doc(7, "second", {}))
    r = room.scan_room(tmp_path)
    assert [s.display_name for s in r.learners] == ["second"]
    assert r.superseded == ("first.json",)


def test_rescans_read_only_changed_files_and_forget_removed_ones(tmp_path):
    for i in range(3):
        age(put(tmp_path, f"l{i}.json", share_doc(i, f"L{i}", {})))
    scanner = room.RoomScanner(tmp_path)
    assert len(scanner.scan()) == 3 and scanner.last_reads == 3
    assert len(scanner.scan()) == 3 and scanner.last_reads == 0
    put(tmp_path, "l1.json", share_doc(1, "L1 again", {}, at=T0 + timedelta(hours=1)))
    r = scanner.scan()
    assert scanner.last_reads == 1
    assert "L1 again" in [s.display_name for s in r.learners]
    (tmp_path / "l2.json").unlink()
    r = scanner.scan()
    assert [s.display_name for s in r.learners] == ["L0", "L1 again"]
    assert scanner.last_reads == 0 and set(scanner._seen) == {"l0.json", "l1.json"}


def test_a_half_written_file_is_retried_until_it_parses(tmp_path):
    full = json.dumps(share_doc(3, "Di", {}))
    # the same length, time and inode as the finished file: only the retry can see it
    path = put(tmp_path, "di.json", full[:-1] + " ")
    stat = path.stat()
    scanner = room.RoomScanner(tmp_path)
    r = scanner.scan()
    assert len(r) == 0 and r.skipped[0].name == "di.json"
    assert "is not valid JSON" in r.skipped[0].reason
    path.write_text(full, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_ino == stat.st_ino
    r = scanner.scan()
    assert [s.display_name for s in r.learners] == ["Di"] and r.skipped == ()
    # once parsed it is cached, young or not
    scanner.scan()
    assert scanner.last_reads == 0


def test_an_old_bad_file_is_not_read_again_until_it_changes(tmp_path):
    path = put(tmp_path, "bad.json", "{oops")
    age(path)
    scanner = room.RoomScanner(tmp_path)
    scanner.scan()
    assert scanner.last_reads == 1
    r = scanner.scan()
    assert scanner.last_reads == 0 and r.skipped[0].name == "bad.json"
    put(tmp_path, "bad.json", share_doc(4, "Ed", {}))
    r = scanner.scan()
    assert scanner.last_reads == 1 and [s.display_name for s in r.learners] == ["Ed"]


def test_a_rename_into_place_is_picked_up(tmp_path):
    scanner = room.RoomScanner(tmp_path)
    assert len(scanner.scan()) == 0
    write_atomically(tmp_path / "fi.json", json.dumps(share_doc(5, "Fi", {})))
    assert [s.display_name for s in scanner.scan().learners] == ["Fi"]


# ============================================================================ the views

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)> & "q" $x_1$ $'


def sh(name, power, interest):
    return {"name": name, "power": power, "interest": interest, "attitude": None}


SMALL = {
    "Ana": {
        GRID: [sh("Police", 8, 7), sh("Schools", 5, 5), sh("Local press", 2, 2)],
        k(SKILL.format("personal")): ["listening", "trust"],
        k(SKILL.format("team")): ["listening"],
        k(OPP.format("opportunities_case")): "- Pooling budgets\n- Sharing data",
        STAGE: ["frustration:0", "frustration:1", "forming:0"],
        MOBIUS: {"mutual_understanding": 2, "possibility": 4},
        ASSESS: {"shared_vision": 1, "fair_risks": 3, "more_together": 4},
        WALL: [
            {"id": 1, "colour": "pink", "text": "Great day"},
            {"id": 2, "colour": "blue", "text": "More time"},
        ],
    },
    "Bo": {
        GRID: [sh("the Police", 6, 9), sh("School", 4, 6), sh("Bad", 11, 3)],
        k(SKILL.format("personal")): ["listening", "made_up"],
        k(OPP.format("opportunities_case")): "pooling budgets.; Joint training",
        k(OPP.format("challenges_own")): "Staff turnover",
        STAGE: ["forming:0"],
        MOBIUS: {"mutual_understanding": 4, "possibility": 7, "commitment": True},
        ASSESS: {"shared_vision": 5, "fair_risks": 3, "more_together": 5},
        WALL: [
            {"id": 1, "colour": "pink", "text": "great  day"},
            {"id": 2, "colour": "purple", "text": "x"},
        ],
    },
    "Cy": {
        GRID: [sh("POLICE", 7, 8), sh("Local Press", 3, 3)],
        k(SKILL.format("team")): "listening",
        k(OPP.format("opportunities_case")): 42,
        STAGE: ["bogus:1"],
        MOBIUS: "high",
        ASSESS: {"shared_vision": 3, "fair_risks": 3, "more_together": 6},
        WALL: [{"colour": "green"}],
    },
    "Di": {GRID: "not a list", STAGE: []},
}


def make_room(folder: Path, learners: dict[str, dict]) -> room.Room:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (name, answers) in enumerate(learners.items(), start=1):
        put(folder, f"learner-{i}.json", share_doc(i, name, answers))
    return room.scan_room(folder)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return make_room(tmp_path_factory.mktemp("small"), SMALL)


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    return room.scan_room(tmp_path_factory.mktemp("empty"))


def test_views_are_the_seven_in_order_with_content_titles():
    assert [v.key for v in views.ROOM_VIEWS] == [
        "grid",
        "skills",
        "opportunities",
        "lifecycle",
        "mobius",
        "assessment",
        "wall",
    ]
    assert views.room_view("wall").title == "Post-it wall"
    assert all(v.intro.strip() and "\n" not in v.intro for v in views.ROOM_VIEWS)
    with pytest.raises(ValueError, match="unknown room view 'nope'; views: grid, skills"):
        views.room_view("nope")


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("The Police", "police"),
        ("  police. ", "police"),
        ("GP practices", "gp practice"),
        ("GP-practice", "gp practice"),
        ("Business", "business"),
        ("The", "the"),
        ("!!!", "!!!"),
    ],
)
def test_stakeholder_names_merge_by_normalised_name(spelling, key):
    assert views.normalise_name(spelling) == key


def test_grid_table_merges_names_and_measures_spread(small):
    t = views.grid_table(small)
    assert list(t["stakeholder"]) == ["Police", "Local press", "Schools"]
    police = t.iloc[0]
    assert police["learners"] == 3
    assert (police["power_mean"], police["interest_mean"]) == (7.0, 8.0)
    assert police["power_sd"] == pytest.approx(1.0) and police["interest_sd"] == pytest.approx(1.0)
    assert (police["power_min"], police["power_max"]) == (6, 8)
    assert police["quadrants"] == ("INVOLVE",) and not police["disagreement"]
    schools = t.set_index("stakeholder").loc["Schools"]
    # exactly 5 counts as high: (5, 5) is INVOLVE, (4, 6) is INFORM
    assert schools["quadrants"] == ("INVOLVE", "INFORM") and schools["disagreement"]
    assert schools["placements"] == (("INVOLVE", 1), ("INFORM", 1))
    assert (schools["power_mean"], schools["interest_mean"]) == (4.5, 5.5)
    assert t.attrs["answered"] == 3 and t.attrs["ignored"] == 2  # power 11; not a list


def test_grid_chart_shows_means_whiskers_and_disagreement(small):
    from _helpers import by_gid

    t = views.grid_table(small)
    ax = views.plot_room_grid(t)
    offsets = by_gid(ax, "stakeholders").get_offsets()
    assert offsets.tolist() == [[7, 8], [2.5, 2.5], [4.5, 5.5]]
    segments = [s.tolist() for s in by_gid(ax, "whiskers").get_segments()]
    assert segments[:2] == [[[6, 8], [8, 8]], [[7, 7], [7, 9]]]
    assert by_gid(ax, "disagreement").get_offsets().tolist() == [[4.5, 5.5]]
    assert by_gid(ax, "label:Schools (2) *").get_text() == "Schools (2) *"
    assert by_gid(ax, "label:Police (3)").get_text() == "Police (3)"
    legend = [x.get_text() for x in by_gid(ax, "room-key").get_texts()]
    assert legend[-1] == "Placed in different quadrants (*)"


def test_grid_description_names_the_disagreements(small):
    text = views.describe_room_grid(views.grid_table(small))
    assert "from 3 learners' stakeholder maps: 3 different stakeholders" in text
    assert (
        "The room disagrees about 1 (placed in more than one quadrant): Schools (INVOLVE 1, INFORM 1)."
        in text
    )
    assert (
        "Police, named by 3 learners: mean power 7, mean interest 8 (power 6 to 8, interest 7 to 9); INVOLVE 3."
        in text
    )
    assert "Ignored 2 malformed answers." in text


def test_skills_table_and_heatmap(small):
    from _helpers import by_gid

    t = views.skills_table(small)
    assert list(t["key"]) == ["listening", "trust"]
    assert t.iloc[0][["Personal", "Team", "total"]].tolist() == [2, 1, 3]
    assert t.attrs["ignored"] == 2  # an unknown skill, and text instead of a list
    ax = views.plot_room_skills(t)
    assert by_gid(ax, "heatmap").get_array().tolist()[0] == [2, 0, 0, 1, 0]
    assert by_gid(ax, "cell:listening:Personal").get_text() == "2"
    assert by_gid(ax, "cell:trust:Personal").get_text() == "1"
    text = views.describe_room_skills(t)
    assert "Listening: 3 choices (Personal 2, Team 1)." in text and "Ignored 2" in text


def test_items_split_on_lines_bullets_and_semicolons():
    assert views.split_items("- Pooling budgets\n* sharing data;  3) Joint   work.\n\n") == [
        "Pooling budgets",
        "sharing data",
        "Joint work",
    ]


def test_opportunities_are_grouped_and_counted(small):
    from _helpers import by_gid

    t = views.opportunities_table(small)
    rows = [tuple(r) for r in t[["kind", "group", "item", "count"]].itertuples(index=False)]
    assert rows == [
        ("Opportunities", "Case study group", "Pooling budgets", 2),
        ("Opportunities", "Case study group", "Joint training", 1),
        ("Opportunities", "Case study group", "Sharing data", 1),
        ("Challenges", "Own experience group", "Staff turnover", 1),
    ]
    assert t.attrs["ignored"] == 1
    ax = views.plot_room_opportunities(t)
    assert by_gid(ax, "bar:Opportunities:Case study group:1").get_width() == 2
    assert by_gid(ax, "count:Opportunities:1").get_text() == "2"
    assert by_gid(ax, "bar:Challenges:Own experience group:1").get_hatch() in (None, "")
    assert by_gid(ax, "bar:Opportunities:Case study group:1").get_hatch() == "//"
    text = views.describe_room_opportunities(t)
    assert "Pooling budgets (2: Case study group 2)" in text


def test_lifecycle_votes(small):
    from _helpers import by_gid

    t = views.lifecycle_table(small)
    assert dict(zip(t["key"], t["votes"], strict=True)) == {
        "forming": 1,
        "frustration": 1,
        "functioning": 0,
        "flying": 0,
        "failing": 0,
    }
    assert (t.attrs["ignored"], t.attrs["undecided"], t.attrs["answered"]) == (1, 1, 3)
    ax = views.plot_room_lifecycle(t)
    assert by_gid(ax, "votes:forming").get_height() == pytest.approx(0.5)
    assert by_gid(ax, "votes:flying").get_height() == 0
    assert by_gid(ax, "vote-count:frustration").get_text() == "1 vote"
    text = views.describe_room_lifecycle(t)
    assert "Most votes: Forming and Frustration." in text
    assert "1 learner ticked nothing" in text and "Ignored 1 malformed answer." in text


def test_mobius_profile(small):
    from _helpers import by_gid

    t = views.mobius_table(small).set_index("key")
    assert t.loc["mutual_understanding", ["n", "mean", "count_2", "count_4"]].tolist() == [
        2,
        3,
        1,
        1,
    ]
    assert t.loc["possibility", "n"] == 1 and t.loc["commitment", "n"] == 0
    assert t.attrs["ignored"] == 3  # 7, True, and text instead of ratings
    ax = views.plot_room_mobius(t.reset_index())
    dots = by_gid(ax, "dots:mutual_understanding")
    assert dots.get_offsets()[:, 0].tolist() == [1, 2, 3, 4, 5]
    sizes = dots.get_sizes()
    assert sizes[0] == 0 and sizes[1] == sizes[3] > 0
    assert by_gid(ax, "mean:mutual_understanding").get_xdata()[0] == 3
    assert by_gid(ax, "count:mutual_understanding:4").get_text() == "1"
    text = views.describe_room_mobius(t.reset_index())
    assert "Mutual understanding: mean 3 from 2 ratings (1: 0, 2: 1, 3: 0, 4: 1, 5: 0)." in text


def test_assessment_spread_calls_out_the_widest_disagreements(small):
    from _helpers import by_gid

    t = views.assessment_table(small)
    items = t[t["level"] == "item"].set_index("key")
    sv = items.loc["shared_vision"]
    assert (sv["n"], sv["mean"], sv["min"], sv["max"], sv["range"]) == (3, 3, 1, 5, 4)
    assert sv["sd"] == pytest.approx(2.0)
    assert items.loc["more_together", "n"] == 2  # the 6 is ignored
    assert list(items.index[items["widest"]]) == ["shared_vision", "more_together"]
    assert not items.loc["fair_risks", "widest"]  # everyone gave 3: no spread
    leadership = t[(t["level"] == "dimension") & (t["dimension"] == "Leadership")].iloc[0]
    assert leadership["n"] == 5 and leadership["mean"] == pytest.approx(3.6)
    assert t.attrs["ignored"] == 1
    ax = views.plot_room_assessment(t)
    assert by_gid(ax, "range:shared_vision").get_xdata().tolist() == [1, 5]
    assert by_gid(ax, "mean:shared_vision").get_marker() == "D"
    assert by_gid(ax, "mean:fair_risks").get_marker() == "o"
    assert by_gid(ax, "widest:shared_vision").get_text() == "widest disagreement"
    assert [a.get_gid() for a in ax.texts if str(a.get_gid()).startswith("widest:")] == [
        "widest:shared_vision",
        "widest:more_together",
    ]
    text = views.describe_room_assessment(t)
    widest_line = text.splitlines()[1]
    assert widest_line.startswith("Widest disagreement, worth discussing: ")
    assert "mean 3, SD 2, from 1 to 5, 3 ratings" in widest_line


def test_wall_merges_identical_notes(small):
    from _helpers import by_gid

    t = views.wall_table(small)
    rows = [tuple(r) for r in t[["colour", "note", "count"]].itertuples(index=False)]
    assert rows == [("Pink", "Great day", 2), ("Blue", "More time", 1)]
    assert t.attrs["ignored"] == 2  # an unknown colour, a note without text
    ax = views.plot_room_wall(t)
    assert by_gid(ax, "note-text:1").get_text().replace("\n", " ") == "2×: Great day"
    assert ax.get_title(loc="left") == "The room's evaluation: 3 notes, 2 different"
    assert "3 notes from 2 learners" in views.describe_room_wall(t)


@pytest.mark.parametrize("style_name", ["workbook", "projector"])
@pytest.mark.parametrize("key", [v.key for v in views.ROOM_VIEWS])
def test_every_chart_draws_in_both_styles(small, key, style_name):
    from partnership_lib.core.style import style_context

    view = views.room_view(key)
    with style_context(style_name):
        ax = view.plot(view.table(small))
    ax.figure.draw_without_rendering()
    assert ax.figure.get_size_inches()[0] == (16 if style_name == "projector" else 10)


@pytest.mark.parametrize("key", [v.key for v in views.ROOM_VIEWS])
def test_an_empty_room_shows_no_answers_yet(empty, key):
    from _helpers import by_gid

    view = views.room_view(key)
    table = view.table(empty)
    assert table.empty
    assert view.describe(table) == f"{view.title}: no answers yet."
    ax = view.plot(table)
    assert by_gid(ax, "empty").get_text() == "No answers yet"
    ax.figure.draw_without_rendering()


def test_an_empty_view_renders_with_an_empty_table(empty):
    out = views.render_view(empty, "assessment")
    assert out.chart.png.startswith(b"\x89PNG") and out.chart.alt == out.text
    assert '<td colspan="9">No answers yet</td>' in out.html


# ============================================================================ HTML, report, export

RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    answers = {
        GRID: [sh(HOSTILE, 8, 8), sh(f"{HOSTILE} 2", 2, 2)],
        k(OPP.format("opportunities_case")): f"{HOSTILE}\n- second {HOSTILE}",
        k(OPP.format("challenges_own")): HOSTILE,
        k(SKILL.format("personal")): ["listening"],
        STAGE: ["forming:0"],
        MOBIUS: {"possibility": 3},
        ASSESS: {"shared_vision": 2},
        WALL: [{"id": 1, "colour": "pink", "text": HOSTILE}],
        k("03_influencing_and_negotiation/rate_relationship/relationship"): HOSTILE,
    }
    folder = tmp_path_factory.mktemp("hostile")
    make_room(folder, {HOSTILE: answers, "Plain": {GRID: [sh(HOSTILE, 7, 7)]}})
    put(folder, "<img src=x onerror=alert(1)>.json", "{broken")
    put(folder, "old.json", share_doc(2, "Plain (old)", {}, at=T0 - timedelta(days=1)))
    return room.scan_room(folder)


@pytest.fixture(scope="module")
def hostile_crowd(tmp_path_factory):
    """Three learners with the same hostile answers (enough for a threshold of 3), their
    free text approved, so every hostile string reaches the views."""
    answers = {
        GRID: [sh(HOSTILE, 8, 8)],
        k(OPP.format("opportunities_case")): f"{HOSTILE}\n- second {HOSTILE}",
        WALL: [{"id": 1, "colour": "pink", "text": HOSTILE}],
    }
    folder = tmp_path_factory.mktemp("hostile-crowd")
    r = make_room(folder, {f"{HOSTILE} {i}": answers for i in range(3)})
    Moderation(folder).approve_all(views.free_text_items(r))
    return r


@pytest.fixture(scope="module")
def report(hostile):
    return room_report.room_report_html(hostile, title=f"Room {HOSTILE}")


def assert_escaped(html: str) -> None:
    for raw in RAW:
        assert raw not in html
    assert "<script" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("key", ["grid", "opportunities", "wall"])
def test_hostile_text_is_escaped_in_every_view(hostile_crowd, key):
    out = views.render_view(hostile_crowd, key, threshold=3)
    assert_escaped(out.html)
    assert HOSTILE in out.text  # the plain-text description keeps it as typed


@pytest.fixture(scope="module")
def small_x3(tmp_path_factory):
    """Each of SMALL's learners three times over: every stakeholder is named by at least
    three learners, so a threshold of 3 shows the whole grid."""
    learners = {f"{name} {i}": answers for name, answers in SMALL.items() for i in range(3)}
    return make_room(tmp_path_factory.mktemp("small-x3"), learners)


def test_view_html_is_an_accessible_section(small_x3):
    out = views.render_view(small_x3, "grid", threshold=3)
    html = out.html
    assert html.startswith('<section class="pl-room-view" id="room-grid"')
    assert '<h2 id="h-room-grid">Combined power-interest grid</h2>' in html
    assert html.count("<img ") == 1 and ' alt="Combined power-interest grid from' in html
    assert '<details class="pl-room-table-details"><summary>Show as table</summary>' in html
    assert re.search(
        r"<caption[^>]*>Combined power-interest grid: the numbers behind the chart</caption>", html
    )
    left = ' style="text-align:left;vertical-align:top"'  # JupyterLab right-aligns cells
    assert '<th scope="col" style="text-align:left">Mean power</th>' in html
    assert f'<th scope="row"{left}>Schools</th>' in html
    assert (
        f"<td{left}>INVOLVE, INFORM</td>" in html and f"<td{left}>INVOLVE 3, INFORM 3</td>" in html
    )
    assert '<p class="note">Ignored 6 malformed answers.</p>' in html
    # the chart's description stays folded on the board; the report unfolds it
    assert '<details class="pl-chart-description"><summary>' in html
    assert out.chart.alt == out.text and out.table.equals(views.grid_table(small_x3))


def test_summary_counts_learners_skipped_and_superseded(hostile):
    html = room_report.room_summary_html(hostile)
    assert_escaped(html)
    assert "2 learners in the room" in html
    assert "Skipped 1 file that could not be used:" in html
    assert "<code>&lt;img src=x onerror=alert(1)&gt;.json</code>: is not valid JSON" in html
    assert "1 older file replaced by a newer file from the same learner:" in html
    assert "<li><code>old.json</code></li>" in html


def test_summary_of_a_clean_room(small):
    html = room_report.room_summary_html(small)
    assert "4 learners in the room" in html
    assert "Every share file in the folder could be read." in html
    assert "older file" not in html


def test_report_is_self_contained_printable_and_escaped(report):
    import re

    assert report.startswith("<!DOCTYPE html>")
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "img-src data:; style-src 'unsafe-inline'\">" in report
    )
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", report)
    assert "@import" not in report and "url(" not in report
    assert_escaped(report)
    assert f"<title>Room {HOSTILE}</title>".replace("<", "&lt;") not in report  # escaped once
    imgs = re.findall(r"<img\b[^>]*>", report)
    assert len(imgs) == 7 and all(re.search(r'\balt="[^"]+"', i) for i in imgs)
    assert all('src="data:image/png;base64,' in i for i in imgs)
    assert report.count('<section class="pl-room-view"') == 7
    assert "break-before: page" in report and "@media print" in report
    assert report.count('<details class="pl-room-table-details" open>') == 7
    assert report.count('<details class="pl-chart-description" open>') == 7
    assert 'class="pl-room-summary"' in report and "Skipped 1 file" in report


def test_report_of_the_demo_room_names_no_address(tmp_path, monkeypatch):
    demo.write_demo_room(tmp_path, 3)
    monkeypatch.setattr(views, "render_view", _fake_render)
    html = room_report.room_report_html(room.scan_room(tmp_path))
    assert not re.search(r"https?:", html, re.I)


def _fake_render(r, key, *, style_name=None, threshold=None, moderation=None):
    """render_view without drawing (for the report's and export's plumbing)."""
    from partnership_lib.charts.chart import Chart

    view = views.room_view(key)
    table = views.shown_table(r, key, threshold=threshold, moderation=moderation)
    text = view.describe(table)
    chart = Chart(png=b"\x89PNG fake", alt=text, width=10, height=10)
    return views.ViewOutput(key, view.title, chart, table, text, "")


def test_export_writes_the_report_atomically_where_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(views, "render_view", _fake_render)
    folder = tmp_path / "room"
    r = make_room(folder, {"Ana": SMALL["Ana"]})
    default = room_report.export_room_report(r)
    assert default.parent == folder.resolve()
    assert re.fullmatch(r"room-report-\d{8}-\d{4}\.html", default.name)
    assert default.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert room.scan_room(folder).skipped == ()  # the report is not mistaken for a share file
    assert room_report.export_room_report(r, tmp_path / "mine.html") == tmp_path / "mine.html"
    out = tmp_path / "out"
    out.mkdir()
    assert room_report.export_room_report(r, out).parent == out.resolve()
    assert (
        room_report.export_room_report(r, "named.html", folder=out) == out.resolve() / "named.html"
    )
    with pytest.raises(ValueError, match="not a plain file name"):
        room_report.export_room_report(r, "../escape.html", folder=out)
    assert not [p for p in tmp_path.rglob(".*.tmp")]
