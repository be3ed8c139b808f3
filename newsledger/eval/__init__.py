"""Evaluation harnesses for newsledger extractors.

One module per corpus (:mod:`.polnear`, :mod:`.tempeval`, :mod:`.quantities`, :mod:`.crossdoc`)
and :mod:`.checkout`, which finds the evaluation data; the package itself exports nothing.
"""

__all__: list[str] = []
