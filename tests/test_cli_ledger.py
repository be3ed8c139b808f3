"""One CLI over a ledger: one ``--format`` vocabulary, the API's JSON, full-width tables when
piped, "no … found", help that reads well, whole-number search, safe entity merges, and
exports with claims and conflicts."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import typer.main
from test_crossdoc_common import A1, A2, K1
from typer.core import TyperGroup
from typer.testing import CliRunner, Result

warnings.filterwarnings("ignore", category=DeprecationWarning)
from fastapi.testclient import TestClient  # noqa: E402

from newsledger.cli import app  # noqa: E402
from newsledger.cli import output as cli_output  # noqa: E402
from newsledger.cli.helptext import reflow  # noqa: E402
from newsledger.ledger import Ledger  # noqa: E402
from newsledger.ledger.query import snippet  # noqa: E402
from newsledger.records import flatten  # noqa: E402
from newsledger.text import fts_query  # noqa: E402
from newsledger.web import create_app  # noqa: E402


def run(*args: str) -> Result:
    """The CLI as a pipe sees it (stdout not a terminal)."""
    return CliRunner().invoke(app, list(args))


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def client(example_ledger: Path) -> TestClient:
    return TestClient(create_app(str(example_ledger)), base_url="http://127.0.0.1")


# ------------------------------------------------------------------ one serializer
#: (command, the API path and parameters serving the same records, the key holding them)
SAME_AS_API: list[tuple[list[str], str, dict[str, Any], str | None]] = [
    (["query", "sources", "--limit", "20"], "/api/sources", {"limit": 20}, "sources"),
    (["query", "relays", "--limit", "50"], "/api/relays", {"limit": 50}, "relays"),
    (["query", "relays", "--source", "KCNA"], "/api/relays", {"source": "KCNA"}, "relays"),
    (
        ["query", "said", "--by", "Kim Jong Un", "--act", "all", "--limit", "50"],
        "/api/sources/" + quote("Kim Jong Un"),
        {"limit": 50},
        "attributions",
    ),
    (
        ["query", "about", "troops", "--act", "all", "--limit", "20"],
        "/api/search",
        {"q": "troops", "limit": 20},
        "attributions",
    ),
    (
        ["query", "about", "14,000", "--act", "all"],
        "/api/search",
        {"q": "14,000", "limit": 20},
        "attributions",
    ),
    (["claims", "--limit", "100"], "/api/claims", {"limit": 100}, "claims"),
    (
        ["claims", "--about", "killed", "--min-articles", "2", "--independence", "independent"],
        "/api/claims",
        {"about": "killed", "min_articles": 2, "independence": "independent", "limit": 50},
        "claims",
    ),
    (["conflicts", "--limit", "100"], "/api/conflicts", {"limit": 100}, "conflicts"),
    (["conflicts", "--kind", "quantity"], "/api/conflicts", {"kind": "quantity"}, "conflicts"),
]
#: commands printing JSON that no API endpoint serves (yet): their own shapes
EVALS = ("polnear", "crossdoc", "quantities", "ggt", "dates", "stories")
NO_API = {
    ("analyze",),  # POST /api/analyze: the same record, tested in test_web.py
    ("check",),
    ("timeline",),
    ("entities", "list"),
    ("entities", "show"),
    ("entities", "merge"),  # the merged entity, as `entities show` prints it (below)
    ("entities", "split"),  # the entity split off, as `entities show` prints it
    ("export",),  # files: the records above (test_export_has_claims_and_conflicts)
    ("watch",),  # a stream of new conflicts: /api/conflicts records in jsonl (test_watch.py)
    ("train", "attribution"),
    ("train", "measure-pairs"),  # the model written, as the file it writes
    *(("eval", name) for name in EVALS),
}


@pytest.mark.parametrize(("command", "path", "params", "key"), SAME_AS_API)
def test_cli_json_is_what_the_api_serves(
    client: TestClient,
    example_ledger: Path,
    command: list[str],
    path: str,
    params: dict[str, Any],
    key: str | None,
) -> None:
    printed = json.loads(ok(*command, "--db", str(example_ledger), "--format", "json"))
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    served = response.json()[key] if key else response.json()
    assert printed and printed == served
    assert list(printed[0]) == list(served[0])  # the same keys in the same order


def test_show_json_is_what_the_api_serves(
    client: TestClient, example_ledger: Path, example_seed_id: str
) -> None:
    shown = ok("show", example_seed_id, "--db", str(example_ledger), "-f", "json", "--text")
    served = client.get("/api/articles/" + quote(example_seed_id, safe="")).json()
    assert json.loads(shown) == served
    without = json.loads(ok("show", example_seed_id, "--db", str(example_ledger), "-f", "json"))
    assert "text" not in without and without == {k: v for k, v in served.items() if k != "text"}


def _json_commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    found: set[tuple[str, ...]] = set()
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, TyperGroup):
            found |= _json_commands(command, path)
        elif any("--format" in p.opts for p in command.params):
            found.add(path)
    return found


def test_every_json_command_is_compared_with_the_api_or_listed_without_one() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    compared = {tuple(c[:2]) if c[0] == "query" else tuple(c[:1]) for c, *_ in SAME_AS_API}
    compared.add(("show",))  # test_show_json_is_what_the_api_serves
    compared.add(("verdict",))  # test_verdict_json_is_the_conflict_the_api_serves
    assert _json_commands(root) - compared - NO_API == set()


# ------------------------------------------------------------------ one --format vocabulary
LISTS = [
    ["query", "sources"],
    ["query", "said", "--by", "Kim Jong Un"],
    ["query", "about", "troops"],
    ["query", "relays"],
    ["claims"],
    ["conflicts"],
    ["entities", "list"],
]


@pytest.mark.parametrize("command", LISTS, ids=lambda c: " ".join(c[:2]))
def test_every_list_command_speaks_every_format(example_ledger: Path, command: list[str]) -> None:
    db = ["--db", str(example_ledger)]
    records = json.loads(ok(*command, *db, "-f", "json"))
    assert isinstance(records, list) and records
    lines = [json.loads(line) for line in ok(*command, *db, "-f", "jsonl").splitlines()]
    assert lines == records
    rows = list(csv.DictReader(io.StringIO(ok(*command, *db, "-f", "csv"))))
    assert rows and len(rows) == len(records)
    assert set(rows[0]) == {c for r in records for c in flatten(r)}
    text = ok(*command, *db)  # text is the default
    assert text.strip() and not text.lstrip().startswith(("[", "{"))
    old = run(*command, *db, "--format", "table")  # deprecated, read as text
    assert old.exit_code == 0 and old.stdout == text
    assert "deprecated" in old.stderr
    bad = run(*command, *db, "--format", "yaml")
    assert bad.exit_code == 2 and "yaml" in bad.output


@pytest.mark.parametrize(
    "command",
    [["check"], ["timeline", "KCNA"], ["entities", "show", "Kim Jong Un"]],
    ids=lambda c: c[0],
)
def test_one_object_commands_speak_every_format(example_ledger: Path, command: list[str]) -> None:
    db = ["--db", str(example_ledger)]

    def out(*args: str) -> str:  # check exits 1: the hostile article is not cross-linked
        result = run(*command, *db, *args)
        assert result.exit_code in (0, 1) and not result.stderr, result.output
        return result.stdout

    record = json.loads(out("-f", "json"))
    assert isinstance(record, dict)
    assert out("-f", "jsonl").strip()
    assert list(csv.reader(io.StringIO(out("-f", "csv"))))
    assert out().strip()


def test_show_and_analyze_speak_every_format(example_ledger: Path, example_seed_id: str) -> None:
    db = ["--db", str(example_ledger)]
    record = json.loads(ok("show", example_seed_id, *db, "-f", "json"))
    assert json.loads(ok("show", example_seed_id, *db, "-f", "jsonl")) == record
    rows = list(csv.DictReader(io.StringIO(ok("show", example_seed_id, *db, "-f", "csv"))))
    assert [r["attribution_id"] for r in rows] == [a["id"] for a in record["attributions"]]
    assert rows[0]["article_id"] == example_seed_id


# ------------------------------------------------------------------ text for a person
def test_the_text_report_shows_figures_dates_entities_and_events(
    example_ledger: Path, example_seed_id: str
) -> None:
    text = ok("show", example_seed_id, "--db", str(example_ledger))
    for heading in ("Sources", "Attributions", "Figures", "Dates", "Entities", "Events", "Flags"):
        assert re.search(rf"^{heading}\b", text, re.MULTILINE), heading
    figure = next(line for line in text.splitlines() if "≈14,000" in line)
    assert "14,000 troops" in figure and "Ukrainian officials" in figure  # and its source
    assert "2025-04-28" in text  # "on Monday", resolved
    assert "Kim Jong-un" in text  # an alias in the entities
    assert "deploy" in text  # an event type


def test_piped_tables_keep_one_line_per_row(example_ledger: Path) -> None:
    db = str(example_ledger)
    conflicts = json.loads(ok("conflicts", "--db", db, "-f", "json"))
    text = ok("conflicts", "--db", db)
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert len(rows) == len(conflicts)  # no row folded over two lines
    explanation = max((c["explanation"] for c in conflicts), key=len)
    assert len(explanation) > 80
    assert any(explanation[:139] in row for row in rows)
    claims = ok("claims", "--db", db)
    assert max(len(line) for line in claims.splitlines()) > 80


def test_empty_results_say_none_was_found(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    Ledger(db).close()
    for command, what in (
        (["claims"], "no claims found"),
        (["conflicts"], "no conflicts found"),
        (["query", "sources"], "no sources found"),
        (["query", "relays"], "no relays found"),
        (["query", "about", "troops"], "no attributions found about 'troops'"),
        (["query", "said", "--by", "Kim"], "no attributions found for 'Kim'"),
        (["entities", "list"], "no entities found"),
    ):
        assert ok(*command, "--db", str(db)).strip() == what
        assert json.loads(ok(*command, "--db", str(db), "-f", "json")) == []
        assert ok(*command, "--db", str(db), "-f", "jsonl") == ""


# ------------------------------------------------------------------ help
def _commands(group: TyperGroup, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            out += _commands(command, (*prefix, name))
        else:
            out.append((*prefix, name))
    return out


def test_help_reads_well() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    for path in _commands(root):
        result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (path, result.output)
        usage = next(line for line in result.output.splitlines() if "Usage:" in line)
        assert "{" not in usage, usage
        assert not re.search(r"<(str|int|float|bool|list|path)", result.output), path
        command: Any = root
        for name in path:
            command = command.commands[name]
        for paragraph in (command.help or "").split("\n\n"):
            for line in paragraph.splitlines()[1:]:
                assert re.match(r"\s|[-*•] |\d+[.)] ", line), (path, paragraph)


def test_reflow_joins_the_lines_of_a_paragraph() -> None:
    text = """First line
    goes on.

    Second paragraph
    goes on too.
    - an item
    - another
    """
    assert reflow(text) == (
        "First line goes on.\n\nSecond paragraph goes on too.\n- an item\n- another"
    )


# ------------------------------------------------------------------ search
def test_a_number_with_separators_is_one_phrase() -> None:
    assert fts_query("14,000 troops") == '"14 000" "troops"'
    assert fts_query('troops" OR "x') == '"troops" "OR" "x"'
    text = "Some 3,000 joined a total of 14,000 troops."
    assert snippet(text, "14,000") == "Some 3,000 joined a total of [14,000] troops."
    assert snippet("They said 14 000 troops.", "14,000 troops") == "They said [14 000] [troops]."
    assert snippet("The troops were killed", "troop killing") == "The [troops] were [killed]"


def test_query_about_a_number_marks_whole_matches(example_ledger: Path) -> None:
    rows = json.loads(ok("query", "about", "14,000", "--db", str(example_ledger), "-f", "json"))
    assert rows
    for row in rows:
        assert "14,000" in row["content"]
        assert "[14,000]" in row["snippet"]
        assert "[14]" not in row["snippet"] and "[000]" not in row["snippet"]


# ------------------------------------------------------------------ entities
def _entities(db: str) -> list[dict[str, Any]]:
    return json.loads(ok("entities", "list", "--db", db, "--limit", "1000", "-f", "json"))


def test_verdict_json_is_the_conflict_the_api_serves(example_ledger: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(example_ledger, db)
    first = json.loads(ok("conflicts", "--db", db, "-f", "json"))[0]
    printed = json.loads(
        ok("verdict", str(first["id"]), "confirm", "--note", "checked", "--db", db, "-f", "json")
    )
    served = TestClient(create_app(db), base_url="http://127.0.0.1").get("/api/conflicts")
    [mine] = [c for c in served.json()["conflicts"] if c["id"] == first["id"]]
    assert printed == mine and (mine["verdict"], mine["verdict_note"]) == ("confirmed", "checked")
    rows = list(
        csv.reader(io.StringIO(ok("verdict", str(first["id"]), "clear", "--db", db, "-f", "csv")))
    )
    assert len(rows) == 2 and rows[0][0] == "id" and "a.value" in rows[0]
    assert rows[1][rows[0].index("verdict")] == ""
    assert "conflict" in run("verdict", str(first["id"]), "dismiss", "--db", db).stderr


def test_merge_and_split_print_the_entity_as_show_does(
    example_ledger: Path, tmp_path: Path
) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(example_ledger, db)
    a, b = [e for e in _entities(db) if e["type"] == "person"][:2]
    args = ("--db", db, "-f", "json")
    merged = json.loads(ok("entities", "merge", str(a["id"]), str(b["id"]), *args))
    assert merged == json.loads(ok("entities", "show", str(merged["id"]), *args))
    assert merged["name"] == a["name"] and len(merged["members"]) >= 2
    member = merged["members"][-1]
    ref = f"{member['article_id']}:{member['entity_id']}"
    lines = ok("entities", "split", str(merged["id"]), ref, "--db", db, "-f", "jsonl")
    assert [(m["article_id"], m["entity_id"]) for m in map(json.loads, lines.splitlines())] == [
        (member["article_id"], member["entity_id"])
    ]


def test_merges_that_make_no_sense_are_refused(example_ledger: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "copy.db")
    shutil.copy(example_ledger, db)
    entities = _entities(db)
    person = next(e for e in entities if e["type"] == "person")
    place = next(e for e in entities if e["type"] == "place" and e["kb"].get("geonames"))

    same = run("entities", "merge", str(person["id"]), person["name"], "--db", db)
    assert same.exit_code == 1 and "same ledger entity" in same.stderr
    assert "merged" not in same.stdout
    # two ledger entities that share a name ("Twin"): the name alone is ambiguous
    twins = [e["id"] for e in entities if e["type"] == "organization"][:2]
    with sqlite3.connect(db) as con:
        con.executemany(
            "INSERT INTO ledger_entity_keys(key, ledger_entity) VALUES ('n:twin', ?)",
            [(i,) for i in twins],
        )
    ambiguous = run("entities", "merge", "Twin", "Twin", "--db", db)
    assert ambiguous.exit_code == 1
    message = " ".join(ambiguous.stderr.split())
    assert "ambiguous" in message and "names 2 ledger entities" in message
    assert all(str(i) in message for i in twins)  # give one of these ids
    assert _entities(db) == entities  # nothing merged
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM entity_rules").fetchone()[0] == 0

    # a person and a place: merged, and the person keeps its own ids (no GeoNames id copied)
    across = run("entities", "merge", str(person["id"]), str(place["id"]), "--db", db)
    assert across.exit_code == 0, across.output
    kept = json.loads(ok("entities", "show", str(min(person["id"], place["id"])), "--db", db,
                         "-f", "json"))  # fmt: skip
    assert (kept["name"], kept["type"], kept["kb"]) == (person["name"], "person", person["kb"])


def test_rebuild_and_update_report_progress(tmp_path: Path) -> None:
    records = [A1, A2, K1]
    seen: list[tuple[int, int]] = []
    with Ledger(tmp_path / "l.db") as ledger:
        for r in records:
            ledger.add(r)
        ledger.complete_crossdoc(progress=lambda done, total: seen.append((done, total)))
        assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
        seen.clear()
        ledger.rebuild_crossdoc(progress=lambda done, total: seen.append((done, total)))
        assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_progress_bars_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not cli_output.show_progress()
    monkeypatch.setattr("sys.stderr", Tty())
    assert cli_output.show_progress()
    monkeypatch.setenv("CI", "true")
    assert not cli_output.show_progress()


# ------------------------------------------------------------------ export
def test_export_has_claims_and_conflicts(example_ledger: Path, tmp_path: Path) -> None:
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    db = str(example_ledger)
    claims = json.loads(ok("claims", "--db", db, "--limit", "100000", "-f", "json"))
    conflicts = json.loads(ok("conflicts", "--db", db, "--limit", "100000", "-f", "json"))
    folder = tmp_path / "jsonl"
    folder.mkdir()
    ok("export", "--db", db, "-o", str(folder))
    for name, records in (("claims", claims), ("conflicts", conflicts)):
        lines = (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line) for line in lines] == records
    assert (folder / "analyses.jsonl").is_file()
    one = ok("export", "--db", db, "-o", "-", "--records", "conflicts")
    assert [json.loads(line) for line in one.splitlines()] == conflicts
    members = sum(len(c["members"]) for c in claims)
    for fmt, read in (("parquet", pq.read_table), ("csv", pcsv.read_csv)):
        out = tmp_path / fmt
        ok("export", "--db", db, "-f", fmt, "-o", str(out))
        table = read(out / f"conflicts.{fmt}")
        assert table.num_rows == len(conflicts)
        assert {"a.value", "a.source", "b.value", "b.source", "verdict"} <= set(table.column_names)
        assert read(out / f"claims.{fmt}").num_rows == len(claims)
        assert read(out / f"claim_members.{fmt}").num_rows == members
    printed = list(csv.DictReader(io.StringIO(ok("conflicts", "--db", db, "-f", "csv"))))
    exported = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "conflicts.csv").read_text())))
    assert list(printed[0]) == list(exported[0])  # the same columns as `conflicts -f csv`
