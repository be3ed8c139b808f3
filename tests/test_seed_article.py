"""The acceptance example: examples/north-korea-kursk.txt, analysed end to end.

Attributions are looked up by their cue and source text, never by id or position, so the
assertions describe the product's behaviour rather than the extractor's bookkeeping.
"""

from __future__ import annotations

import pytest

from newsledger.model import Analysis, Attribution

KCNA = "Korean Central News Agency"
KIM = "Kim Jong Un"
KCNA_KIM = [KCNA, KIM]


def phrase_range(text: str, phrase: str) -> tuple[int, int]:
    assert text.count(phrase) == 1, f"{phrase!r} should occur exactly once in the seed"
    start = text.index(phrase)
    return start, start + len(phrase)


def cued_in(analysis: Analysis, phrase: str) -> list[Attribution]:
    """Attributions whose cue lies inside ``phrase`` (which occurs once in the text)."""
    start, end = phrase_range(analysis.text, phrase)
    return [a for a in analysis.attributions if start <= a.cue.start and a.cue.end <= end]


def one(attributions: list[Attribution], what: str) -> Attribution:
    assert len(attributions) == 1, f"expected one attribution for {what}, got {attributions!r}"
    return attributions[0]


def by_id(analysis: Analysis) -> dict[str, Attribution]:
    return {a.id: a for a in analysis.attributions}


def source_name(a: Attribution) -> str | None:
    return a.source.name if a.source else None


# --- the outermost source: BBC ------------------------------------------------------------


def bbc(seed: Analysis) -> Attribution:
    return one(
        [a for a in cued_in(seed, "According to BBC") if a.kind == "according_to"],
        "'According to BBC'",
    )


def test_according_to_bbc(seed: Analysis) -> None:
    a = bbc(seed)
    assert a.cue.text == "According to"
    assert source_name(a) == "BBC"
    assert "confirmed" in a.content.text
    assert a.parent is None
    assert a.chain == ["BBC"]


def test_confirmed_is_relayed_by_bbc(seed: Analysis) -> None:
    a = one(
        [
            a
            for a in seed.attributions
            if a.cue.text == "officially confirmed"  # the adverb belongs to the cue
            and a.source
            and a.source.text == "Pyongyang’s military"
        ],
        "'confirmed'",
    )
    assert a.parent == bbc(seed).id
    assert a.chain[0] == "BBC"
    assert "its soldiers helped Russian forces" in a.content.text


# --- KCNA and Kim -------------------------------------------------------------------------


def test_kcna_statement(seed: Analysis) -> None:
    a = one(
        [
            a
            for a in cued_in(
                seed, "In a statement released by the Korean Central News Agency (KCNA)"
            )
            if a.kind == "statement"
        ],
        "the KCNA statement",
    )
    assert source_name(a) == KCNA
    assert "Kim Jong Un sent troops" in a.content.text


def test_kcna_quoted_kim_as_saying(seed: Analysis) -> None:
    found = cued_in(seed, "The KCNA quoted Kim as saying")
    inner = one([a for a in found if source_name(a) == KIM], "Kim in 'quoted Kim as saying'")
    assert inner.chain == KCNA_KIM
    assert "annihilate and wipe out" in inner.content.text
    # the relay itself is KCNA's, and it is the inner attribution's parent
    assert inner.parent is not None
    outer = by_id(seed)[inner.parent]
    assert source_name(outer) == KCNA
    assert outer.source is not None and outer.source.text == "The KCNA"


def test_kim_added_quote(seed: Analysis) -> None:
    a = one(
        [
            a
            for a in seed.attributions
            if a.cue.text == "added"
            and a.content.text.startswith("“They who fought")
            and "Russian Federation,”" in a.content.text
        ],
        "'“They who fought … Russian Federation,” Kim added'",
    )
    assert a.kind == "direct"
    assert source_name(a) == KIM
    assert a.chain == KCNA_KIM


def test_as_per_kcna_kim_also_said(seed: Analysis) -> None:
    a = one(
        [a for a in cued_in(seed, "As per KCNA, Kim also said") if a.cue.text == "also said"],
        "'Kim also said'",
    )
    assert a.kind == "mixed"
    assert '"alliance and brotherhood"' in a.content.text
    assert source_name(a) == KIM
    assert a.chain == KCNA_KIM
    outer = one(
        [a for a in cued_in(seed, "As per KCNA") if a.kind == "according_to"], "'As per KCNA'"
    )
    assert source_name(outer) == KCNA


def test_he_also_vowed_continues_the_relay(seed: Analysis) -> None:
    a = one(cued_in(seed, "He also vowed"), "'He also vowed'")
    assert a.source is not None
    assert a.source.text == "He"
    assert a.source.name == KIM
    assert a.chain == KCNA_KIM
    assert "support Russian army" in a.content.text


def test_kim_is_relayed_by_kcna_at_least_three_times(seed: Analysis) -> None:
    relayed = [a for a in seed.attributions if a.chain == KCNA_KIM]
    assert len(relayed) >= 3, [(a.cue.text, a.chain) for a in seed.attributions]


def test_kremlin_statement_putin_said(seed: Analysis) -> None:
    a = one(
        [
            a
            for a in cued_in(seed, "In a statement by the Kremlin on Monday, Putin said")
            if a.cue.text == "said"
        ],
        "'Putin said'",
    )
    assert a.chain == ["Kremlin", "Vladimir Putin"]
    assert "North Korean friends played an active role" in a.content.text


def test_as_per_ukrainian_officials(seed: Analysis) -> None:
    a = one(cued_in(seed, "as per Ukrainian officials"), "'as per Ukrainian officials'")
    assert a.kind == "according_to"
    assert source_name(a) == "Ukrainian officials"
    assert "14,000 troops" in a.content.text


# --- invariants ---------------------------------------------------------------------------


def test_every_span_indexes_the_text(seed: Analysis, seed_text: str) -> None:
    assert seed.text == seed_text
    spans = seed.spans()
    assert spans
    for where, text, start, end in spans:
        assert 0 <= start <= end <= len(seed_text), where
        assert seed_text[start:end] == text, where


def test_parents_exist_and_chains_follow_them(seed: Analysis) -> None:
    ids = by_id(seed)
    assert len(ids) == len(seed.attributions), "attribution ids are unique"
    for a in seed.attributions:
        expected_last = a.source.name if a.source else "(unnamed)"
        assert a.chain, a.id
        assert a.chain[-1] == expected_last, a.id
        if a.parent is None:
            assert a.chain == [expected_last], a.id
        else:
            assert a.parent in ids, a.id
            assert a.parent != a.id
            assert a.chain[:-1] == ids[a.parent].chain, a.id


@pytest.mark.parametrize(
    ("name", "aliases"),
    [(KIM, {"Kim Jong-un", "Kim"}), (KCNA, {"KCNA"})],
)
def test_entities_and_aliases(seed: Analysis, name: str, aliases: set[str]) -> None:
    entity = one([e for e in seed.entities if e.name == name], f"entity {name!r}")
    assert aliases <= set(entity.aliases), entity.aliases
    for s, e in entity.mentions:
        assert seed.text[s:e] == name or seed.text[s:e] in entity.aliases


def test_attribution_sources_point_at_their_entities(seed: Analysis) -> None:
    entities = {e.id: e for e in seed.entities}
    for a in seed.attributions:
        if a.source and a.source.entity:
            assert a.source.entity in entities, a.id
            assert entities[a.source.entity].name == a.source.name, a.id


def test_article_info(seed: Analysis) -> None:
    assert seed.article.published == "2025-04-29"
    assert seed.article.id == "north-korea-kursk"
    assert len(seed.article.text_sha256) == 64
    assert not [i for i in seed.issues if i.kind in ("invalid_utf8", "truncated")]
