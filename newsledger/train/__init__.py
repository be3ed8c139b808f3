"""Training the pipeline's learned components (``newsledger train …``).

:mod:`.attribution` trains the attribution tagger; the package itself exports nothing.
"""

__all__: list[str] = []
