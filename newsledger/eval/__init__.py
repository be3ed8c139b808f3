"""Evaluation harnesses for newsledger extractors.

One module per corpus (:mod:`.polnear`, :mod:`.tempeval`, :mod:`.quantities`, :mod:`.crossdoc`),
:mod:`.cofenet` (PolNeAR under CofeNet's protocol, with :mod:`.ptb`, a PTB tokenizer) and
:mod:`.checkout`, which finds the evaluation data; the package itself exports nothing.
"""

__all__: list[str] = []
