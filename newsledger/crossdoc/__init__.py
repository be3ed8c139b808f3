"""Across articles, as a pure stage: identity keys, propositions, claim and conflict rules.

The modules here read typed records and text and return typed records; they hold no SQL.
Figures (counts with a unit class, facet and interval) are read from text by
:mod:`newsledger.extract.figures` (an article's own toll from its lead by
:mod:`newsledger.extract.tolls`) and compared by :mod:`.figures`; :mod:`.propositions` reads
what each attribution states (:func:`~newsledger.crossdoc.propositions.propositions_of` over an
:class:`~newsledger.crossdoc.propositions.ArticleFacts`), :mod:`.identity` the keys entities
merge by, :mod:`.claims` and :mod:`.conflicts` what decides over propositions and figures.
The ledger stores and queries the results (:mod:`newsledger.ledger.crossdoc_store`,
``Ledger.update_crossdoc`` / ``Ledger.rebuild_crossdoc``). Method and tables:
``docs/crossdoc.md``.
"""
