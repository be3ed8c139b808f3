"""Speech acts (newsledger.extract.acts): what each attribution reports, and that the ledger
keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsledger.ledger import Ledger
from newsledger.model import SPEECH_ACTS, Analysis
from newsledger.pipeline import Analyzer
from newsledger.resources import speech_acts


def _act(analysis: Analysis, content_word: str) -> str:
    for a in analysis.attributions:
        if content_word in a.content.text:
            return a.act
    raise AssertionError(f"no attribution holds {content_word!r}: {analysis.attributions}")


def test_the_lexicon_names_only_known_acts() -> None:
    acts = speech_acts()
    assert set(acts.verbs.values()) <= set(SPEECH_ACTS)
    assert set(acts.nouns.values()) <= set(SPEECH_ACTS)
    assert acts.quote_acts <= acts.claim_acts <= set(SPEECH_ACTS)
    assert "say" not in acts.verbs  # unlisted cues are speech


@pytest.mark.parametrize(
    ("sentence", "word", "act"),
    [
        ("The minister said that the bridge would reopen in May.", "bridge", "speech"),
        ("Ms. Ortiz wrote that the bridge would reopen in May.", "bridge", "writing"),
        ("Mr. Dunn tweeted that the bridge would reopen in May.", "bridge", "writing"),
        ("Ms. Ortiz believes that the bridge will reopen in May.", "bridge", "thought"),
        ("Mr. Dunn fears that the bridge will stay closed.", "bridge", "thought"),
        ("She plans to apply to law school next year.", "law school", "intent"),
        ("The study found that most drivers ignore the limit.", "drivers", "finding"),
        ("Engineers saw that the bridge was cracked.", "cracked", "perception"),
        ("According to the report, the bridge was unsafe.", "unsafe", "finding"),
        ("According to police, the driver was not hurt.", "driver", "speech"),
        ("The senator criticized the new trade deal on Tuesday.", "trade deal", "stance"),
        ("The mayor vowed to rebuild the bridge by spring.", "rebuild", "intent"),
        ("The mayor vowed that the bridge would reopen by spring.", "reopen", "speech"),
        ("The company declined to say why the plant was closing.", "plant", "intent"),
        ("The data suggest that drivers ignore the limit.", "drivers", "finding"),
        ("Mr. Dunn suggested that drivers ignore the limit.", "drivers", "speech"),
        # asking is no asserting: an embedded question, whatever its cue
        ("Reporters asked whether the ferry would sail on Sunday.", "ferry", "question"),
        ("The union asked if other depots would hold a vote.", "depots", "question"),
        ("The reporter wondered whether the levee had failed.", "levee", "question"),
        ("He said if the talks fail, the strike will go on.", "strike", "speech"),
        # a bid to act, said to someone: a request, kept among the claims
        ("Officials urged residents to boil their drinking water.", "boil", "request"),
        ("The utility reminded customers to unplug their heaters.", "unplug", "request"),
        ("The court ordered the firm to pay the workers.", "pay", "decision"),
        ("The mayor said the firm would pay the workers.", "pay", "speech"),
        # only a commitment said to someone turns an intention into a claim
        ("The coach decided that he wanted a younger squad.", "younger squad", "intent"),
        ('The coach decided to drop "the old guard."', "old guard", "intent"),
        ("The coach promised that the squad would be younger.", "younger", "speech"),
        # saying what a thing is, is a claim; talking about it, a stance
        ("The senator called the new trade deal a disgrace.", "disgrace", "speech"),
        ("Police described the attack on the depot as a robbery.", "robbery", "speech"),
        ("The senator described the new trade deal in detail.", "trade deal", "stance"),
    ],
)
def test_the_act_of_a_cue(analyzer: Analyzer, sentence: str, word: str, act: str) -> None:
    assert _act(analyzer.analyze(sentence), word) == act


def test_questions_are_no_claims_and_requests_are() -> None:
    acts = speech_acts()
    assert "question" not in acts.claim_acts
    assert "request" in acts.claim_acts and "request" in acts.quote_acts


@pytest.mark.parametrize(
    ("text", "content"),
    [
        # the pronoun of a relative clause stands for the noun: the content follows the cue
        (
            "He had two wounds that police said did not appear self-inflicted.",
            "did not appear self-inflicted",
        ),
        ("It ended six deaths that the coroner said are unrelated.", "are unrelated"),
    ],
)
def test_a_cue_inside_a_relative_clause(analyzer: Analyzer, text: str, content: str) -> None:
    found = [a for a in analyzer.analyze(text).attributions if a.cue.text == "said"]
    assert [a.content.text for a in found] == [content]
    assert not found[0].content_parts


@pytest.mark.parametrize(
    "text",
    [
        "Tell him why you think the beard would look great.",
        "Please ask her whether the shop opens on Sunday.",
        "It is fair to say that the chamber is a theatre.",
    ],
)
def test_words_to_the_reader_are_nobodys_claim(analyzer: Analyzer, text: str) -> None:
    assert analyzer.analyze(text).attributions == []


def test_the_ledger_keeps_the_act(analyzer: Analyzer, tmp_path: Path) -> None:
    text = (
        "The mayor said the bridge would reopen in May. "
        "Residents fear that the repairs will take longer."
    )
    analysis = analyzer.analyze(text, id="bridge")
    assert {a.act for a in analysis.attributions} == {"speech", "thought"}
    with Ledger(tmp_path / "x.db") as ledger:
        ledger.add(analysis)
        stored = ledger.get("bridge")
    assert stored is not None
    assert [a.act for a in stored.attributions] == [a.act for a in analysis.attributions]
    # a record written before acts existed reads as speech
    data = analysis.to_dict()
    for a in data["attributions"]:
        del a["act"]
    assert {a.act for a in Analysis.from_dict(data, text).attributions} == {"speech"}


def test_the_cli_lists_claims_unless_asked_for_every_act(tmp_path: Path) -> None:
    import json as _json

    from typer.testing import CliRunner

    from newsledger.cli import app

    db = tmp_path / "l.db"
    text = tmp_path / "a.txt"
    text.write_text(
        "Mayor Ann Lee said the bridge would reopen in May. Ann Lee fears the repairs will "
        "take longer.",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(text), "--db", str(db)]).exit_code == 0

    def acts(*extra: str) -> list[str]:
        result = runner.invoke(
            app, ["query", "said", "--by", "Ann Lee", "--db", str(db), "--format", "json", *extra]
        )
        assert result.exit_code == 0, result.output
        return sorted(r["act"] for r in _json.loads(result.output))

    assert acts() == ["speech"]
    assert acts("--act", "all") == ["speech", "thought"]
    assert acts("--act", "thought") == ["thought"]
    bad = runner.invoke(app, ["query", "said", "--by", "x", "--db", str(db), "--act", "nope"])
    assert bad.exit_code == 2 and "unknown act" in bad.output
