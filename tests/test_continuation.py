"""Quotes that carry on the running speaker (newsledger.extract.continuation)."""

from __future__ import annotations

from newsledger.extract.chains import renumber
from newsledger.extract.continuation import continue_quotes
from newsledger.extract.quotes import find_quotes
from newsledger.model import Analysis, Attribution, Source, Span
from newsledger.pipeline import Analyzer


def _holding(analysis: Analysis, words: str) -> list[Attribution]:
    return [a for a in analysis.attributions if words in a.content.text]


def _record(text: str) -> Attribution:
    """ "“We are ready for the game,” said coach Daniel Ortiz." as one direct attribution."""
    q_end = text.index("”") + 1
    cue = text.index("said")
    src = text.index("Daniel")
    return Attribution(
        id="a1",
        kind="direct",
        cue=Span("said", cue, cue + 4),
        content=Span(text[:q_end], 0, q_end),
        source=Source("Daniel Ortiz", src, src + 12, name="Daniel Ortiz", type="person"),
        chain=["Daniel Ortiz"],
        confidence=0.9,
    )


def test_the_next_quote_of_the_paragraph_is_the_same_speakers() -> None:
    text = (
        "“We are ready for the game,” said coach Daniel Ortiz. "
        "“The players have trained all summer for this.”"
    )
    first = _record(text)
    out = continue_quotes(text, [first], find_quotes(text))
    assert [a.id for a in out] == ["a1", "a2"]
    second = out[1]
    assert second.content.text == "“The players have trained all summer for this.”"
    assert text[second.content.start : second.content.end] == second.content.text
    assert second.source == first.source and second.cue == first.cue
    assert second.kind == "direct" and second.chain == ["Daniel Ortiz"]
    assert second.confidence < first.confidence


def test_a_quote_paragraph_continues_and_narration_breaks_the_run() -> None:
    go_on = "“We are ready for the game,” said coach Daniel Ortiz.\n\n“We trained all summer.”"
    assert len(continue_quotes(go_on, [_record(go_on)], find_quotes(go_on))) == 2
    broken = (
        "“We are ready for the game,” said coach Daniel Ortiz. The team lost its last "
        "game in May. “We trained all summer for this.”"
    )
    assert len(continue_quotes(broken, [_record(broken)], find_quotes(broken))) == 1
    short = "“We are ready for the game,” said coach Daniel Ortiz. “Never.”"
    assert len(continue_quotes(short, [_record(short)], find_quotes(short))) == 1


def test_only_speech_and_writing_run_on() -> None:
    text = "“We are ready for the game,” said coach Daniel Ortiz.\n\n“We trained all summer.”"
    thought = _record(text)
    thought.act = "thought"
    assert len(continue_quotes(text, [thought], find_quotes(text))) == 1
    wrote = _record(text)
    wrote.act = "writing"
    out = continue_quotes(text, [wrote], find_quotes(text))
    assert [a.act for a in out] == ["writing", "writing"]


def test_renumber_keeps_parents() -> None:
    text = "x" * 20
    a = Attribution("a1", "indirect", Span("x", 0, 1), Span("xx", 2, 4), None)
    b = Attribution("a2", "indirect", Span("x", 5, 6), Span("xx", 7, 9), None, parent="a1")
    new = Attribution("", "direct", Span("x", 10, 11), Span("xx", 12, 14), None, parent="a1")
    out = renumber([a, new, b])
    assert [x.id for x in out] == ["a1", "a2", "a3"]
    assert out[1].parent == "a1" and out[2].parent == "a1"
    assert text  # the spans above index this text


def test_the_analyzer_gives_a_run_of_quotes_one_speaker(analyzer: Analyzer) -> None:
    text = (
        "The council voted on Monday.\n\n"
        "“The prime minister must come clean about what he knew,” said Conservative Leader "
        "Andrew Scheer. “Nothing less than full disclosure is acceptable.”"
    )
    analysis = analyzer.analyze(text)
    found = _holding(analysis, "full disclosure")
    assert found and found[0].source is not None
    assert found[0].source.name == "Andrew Scheer"
