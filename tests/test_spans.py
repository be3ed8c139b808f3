from newsledger.extract.spans import attribution_at
from newsledger.model import Analysis


def test_attribution_at_picks_innermost_content(seed: Analysis) -> None:
    text = seed.text
    start = text.index("14,000")
    found = attribution_at(seed, start, start + len("14,000"))
    assert found is not None
    owner = next(a for a in seed.attributions if a.id == found)
    assert owner.content.start <= start < owner.content.end
    assert "Ukrainian officials" in (owner.source.text if owner.source else "")
    assert attribution_at(seed, 0, 5) is None  # the headline-like first line is nobody's claim
