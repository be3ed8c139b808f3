"""The ``newsledger analyze`` command: formats, input order, bad inputs and exit codes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEED_PATH
from typer.testing import CliRunner, Result

from newsledger.cli import app
from newsledger.model import SCHEMA

GOOD = "The minister said that taxes would rise next year.\n"
# A wide terminal, so Rich does not wrap names or messages in the captured output.
WIDE = {"COLUMNS": "300"}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: str | bytes | None = None) -> Result:
    return runner.invoke(app, ["analyze", *args], input=input, env=WIDE)


def json_lines(stdout: str) -> list[dict]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def one_line(message: str) -> str:
    """The message with all whitespace runs (including wrapping) as single spaces."""
    return " ".join(message.split())


@pytest.fixture
def good(tmp_path: Path) -> Path:
    path = tmp_path / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


# --- output formats -----------------------------------------------------------------------


def test_json_one_input_is_one_object(runner: CliRunner) -> None:
    result = invoke(runner, str(SEED_PATH), "--format", "json", "--published", "2025-04-29")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)  # the whole output is one (indented) object
    assert isinstance(record, dict)
    assert record["schema"] == SCHEMA
    assert record["article"]["published"] == "2025-04-29"
    assert record["attributions"]


def test_json_two_inputs_are_two_lines_in_input_order(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    second = tmp_path / "b-second.txt"
    second.write_text("Police said two people were hurt.\n", encoding="utf-8")
    result = invoke(runner, str(second), str(good), "--format", "json")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    records = [json.loads(line) for line in lines]
    assert [r["article"]["id"] for r in records] == [
        str(tmp_path / "b-second"),
        str(tmp_path / "good"),
    ]
    assert all(r["schema"] == SCHEMA for r in records)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_jsonl_input_with_three_records(runner: CliRunner, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "one", "text": "The minister said that taxes would rise."},
        {"id": "two", "text": "Police said two people were hurt.", "published": "2024-01-02"},
        {"id": "three", "text": "According to the mayor, the bridge is closed."},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke(runner, str(path), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 3
    records = json_lines(result.stdout)
    assert [r["article"]["id"] for r in records] == ["one", "two", "three"]
    assert records[1]["article"]["published"] == "2024-01-02"


def test_stdin(runner: CliRunner) -> None:
    result = invoke(runner, "-", "--format", "json", "--published", "2025-04-29", input=GOOD)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["article"]["id"] == "stdin"
    assert record["article"]["published"] == "2025-04-29"
    assert [a["cue"]["text"] for a in record["attributions"]] == ["said"]


def test_text_format_prints_source_names(runner: CliRunner) -> None:
    result = invoke(runner, str(SEED_PATH), "--format", "text")
    assert result.exit_code == 0, result.output
    for name in ("BBC", "Korean Central News Agency", "Kim Jong Un", "Vladimir Putin"):
        assert name in result.stdout
    assert "Korean Central News Agency → Kim Jong Un" in result.stdout


# --- bad inputs: reported, the rest still printed, exit 1 ---------------------------------


def check_partial_failure(result: Result, good: Path, *needles: str) -> dict:
    assert result.exit_code == 1, result.output
    records = json_lines(result.stdout)
    assert [r["article"]["id"] for r in records][-1] == str(good.with_suffix(""))
    message = one_line(result.stderr)
    for needle in needles:
        assert needle in message, result.stderr
    return records[-1]


def test_empty_file(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = invoke(runner, str(bad), str(good), "--format", "jsonl")
    check_partial_failure(result, good, str(bad), "empty")
    assert len(json_lines(result.stdout)) == 1


def test_binary_file(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    result = invoke(runner, str(bad), str(good), "--format", "jsonl")
    check_partial_failure(result, good, str(bad), "binary")
    assert len(json_lines(result.stdout)) == 1


def test_invalid_utf8_is_analysed_and_flagged(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("The mayor said the café would reopen.\n".encode("latin-1"))
    result = invoke(runner, str(path), "--format", "json", "--published", "2025-04-29")
    # not a failure: the bad bytes are replaced, flagged, and the article is analysed
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    issues = [i for i in record["issues"] if i["kind"] == "invalid_utf8"]
    assert len(issues) == 1
    assert issues[0]["text"] == "\ufffd"
    assert issues[0]["start"] == len("The mayor said the caf")
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert "\ufffd" in text
    assert record["article"]["text_sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert [a["cue"]["text"] for a in record["attributions"]] == ["said"]


def test_invalid_utf8_and_bad_file_with_good_file(
    runner: CliRunner, tmp_path: Path, good: Path
) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("The mayor said the café would reopen.\n".encode("latin-1"))
    empty = tmp_path / "blank.txt"
    empty.write_bytes(b"  \n")
    result = invoke(runner, str(path), str(empty), str(good), "--format", "jsonl")
    check_partial_failure(result, good, str(empty), "empty")
    records = json_lines(result.stdout)
    assert len(records) == 2
    assert any(i["kind"] == "invalid_utf8" for i in records[0]["issues"])
    assert str(path) not in one_line(result.stderr)


def test_huge_file_is_refused_by_name(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    big = tmp_path / "huge.txt"
    line = b"The minister said that taxes would rise next year, and nobody was surprised.\n"
    with big.open("wb") as f:
        f.write(line * (20_000_000 // len(line) + 1))
    assert big.stat().st_size >= 20_000_000
    result = invoke(runner, str(big), str(good), "--format", "jsonl")
    assert result.exit_code == 1, result.output
    records = json_lines(result.stdout)
    assert records[-1]["article"]["id"] == str(good.with_suffix(""))
    message = one_line(result.stderr)
    assert str(big) in message
    assert "too large" in message and "limit" in message


def test_csv_without_text_column(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    bad = tmp_path / "feed.csv"
    bad.write_text("id,body\n1,The minister said that taxes would rise.\n", encoding="utf-8")
    result = invoke(runner, str(bad), str(good), "--format", "jsonl")
    check_partial_failure(result, good, str(bad), "'text' column")
    assert len(json_lines(result.stdout)) == 1


def test_missing_file(runner: CliRunner, tmp_path: Path, good: Path) -> None:
    missing = tmp_path / "nope.txt"
    result = invoke(runner, str(missing), str(good), "--format", "jsonl")
    check_partial_failure(result, good, str(missing), "no such file")


def test_published_not_a_date(runner: CliRunner, good: Path) -> None:
    result = invoke(runner, str(good), "--published", "notadate")
    assert result.exit_code == 2
    assert "notadate" in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert result.stdout == ""


# --- parallel -----------------------------------------------------------------------------


def test_jobs_2_matches_jobs_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    texts = {
        "a.txt": "The minister said that taxes would rise.",
        "b.txt": "Angela Merkel arrived. “We will act,” she said.",
        "sub/c.txt": "According to the police, the suspect fled the scene.",
        "d.txt": "Reuters quoted the minister as saying that talks had failed.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    one = invoke(runner, str(folder), "--format", "jsonl", "--jobs", "1")
    two = invoke(runner, str(folder), "--format", "jsonl", "--jobs", "2")
    assert one.exit_code == 0, one.output
    assert two.exit_code == 0, two.output
    records = json_lines(one.stdout)
    assert len(records) == 4
    assert [r["article"]["id"] for r in records] == [
        str(folder / "a"),
        str(folder / "b"),
        str(folder / "d"),
        str(folder / "sub" / "c"),
    ]
    assert json_lines(two.stdout) == records


# --- the real command, in a subprocess ----------------------------------------------------


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COLUMNS", None)
    return subprocess.run(
        [sys.executable, "-c", "from newsledger.cli import main; main()", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # runs the CLI in fresh interpreters
def test_subprocess_exit_codes(tmp_path: Path, good: Path) -> None:
    ok = run_cli("analyze", str(good), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["schema"] == SCHEMA

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = run_cli("analyze", str(empty), str(good), "--format", "jsonl")
    assert failed.returncode == 1, failed.stderr
    assert len(json_lines(failed.stdout)) == 1
    assert str(empty) in one_line(failed.stderr)

    usage = run_cli("analyze", str(good), "--published", "notadate")
    assert usage.returncode == 2
    assert "notadate" in usage.stderr


@pytest.mark.slow  # runs the CLI in fresh interpreters
def test_subprocess_error_names_a_long_path_on_one_line(tmp_path: Path, good: Path) -> None:
    deep = tmp_path / ("a-rather-long-directory-name-" * 2) / "and-another-long-directory-name"
    deep.mkdir(parents=True)
    empty = deep / "empty.txt"
    empty.write_bytes(b"")
    result = run_cli("analyze", str(empty), str(good), "--format", "jsonl")
    assert result.returncode == 1
    assert f"{empty}: empty article" in result.stderr.splitlines()[0]
