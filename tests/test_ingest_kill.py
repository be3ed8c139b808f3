"""kill -9 at chosen points of an ingest, then a rerun: the cross-document tables end up
holding the same articles, claims and conflicts as after one uninterrupted run.

The ingest runs in a subprocess that sends itself SIGKILL at the chosen point: after the
k-th article is committed, inside the k-th article's cross-document transaction, or after
every article is stored but before the cross-document update starts."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT, SEED_PUBLISHED

EXAMPLES = ROOT / "examples"
DRIVER = textwrap.dedent(
    """
    import os, signal, sys
    from newsledger.cli import main
    from newsledger.ledger import store
    from newsledger.ledger.claims import ClaimIndex

    point, k = sys.argv[1], int(sys.argv[2])
    calls = [0]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def counted(real, before):
        def wrapper(*args, **kwargs):
            calls[0] += 1
            if before and calls[0] == k:
                die()
            out = real(*args, **kwargs)
            if not before and calls[0] == k:
                die()
            return out
        return wrapper

    if point == "stored":  # right after the k-th article's commit
        store.Ledger.add = counted(store.Ledger.add, before=False)
    elif point == "crossdoc":  # inside the k-th article's cross-document transaction
        ClaimIndex.count_article = counted(ClaimIndex.count_article, before=True)
    elif point == "finish":  # every article stored, no cross-document row yet
        store.Ledger.finish_run = counted(store.Ledger.finish_run, before=True)
    sys.argv = ["newsledger", "ingest", *sys.argv[3:]]
    main()
    """
)


def crossdoc_state(db: Path) -> dict[str, object]:
    con = sqlite3.connect(db)
    try:
        members = {
            r[0]
            for r in con.execute(
                "SELECT article_id FROM ledger_entity_members"
                " UNION SELECT article_id FROM claim_members"
            )
        }
        return {
            "articles": con.execute("SELECT count(*) FROM articles").fetchone()[0],
            "crossdoc_articles": sorted(members),
            "claims": con.execute("SELECT count(*) FROM claims").fetchone()[0],
            "claim_members": con.execute("SELECT count(*) FROM claim_members").fetchone()[0],
            "conflicts": con.execute("SELECT count(*) FROM conflicts").fetchone()[0],
            "pending": con.execute("SELECT count(*) FROM crossdoc_pending").fetchone()[0],
        }
    finally:
        con.close()


def run(tmp_path: Path, db: Path, point: str, k: int) -> subprocess.CompletedProcess[str]:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [str(EXAMPLES), "--db", str(db), "--published", SEED_PUBLISHED]
    return subprocess.run(
        [sys.executable, str(driver), point, str(k), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_kill_9_at_three_points_then_rerun_gives_the_clean_cross_document_tables(
    tmp_path: Path,
) -> None:
    clean_db = tmp_path / "clean.db"
    clean = run(tmp_path, clean_db, "none", 0)
    assert clean.returncode == 0, clean.stderr
    expected = crossdoc_state(clean_db)
    assert expected["pending"] == 0 and expected["crossdoc_articles"]
    for point, k in (("stored", 5), ("crossdoc", 7), ("finish", 1)):
        db = tmp_path / f"{point}.db"
        killed = run(tmp_path, db, point, k)
        assert killed.returncode == -9, (point, killed.stderr)
        left = crossdoc_state(db)
        rerun = run(tmp_path, db, "none", 0)
        assert rerun.returncode == 0, rerun.stderr
        after = crossdoc_state(db)
        print(  # the measurement, shown with -s
            f"kill -9 at {point}#{k}: {left['articles']} stored, "
            f"{len(left['crossdoc_articles'])} in crossdoc, {left['pending']} pending; "  # type: ignore[arg-type]
            f"after the rerun {len(after['crossdoc_articles'])} in crossdoc "  # type: ignore[arg-type]
            f"(clean run: {len(expected['crossdoc_articles'])}), "  # type: ignore[arg-type]
            f"{after['claims']} claims ({expected['claims']}), "
            f"{after['conflicts']} conflicts ({expected['conflicts']})"
        )
        assert after == expected, point
