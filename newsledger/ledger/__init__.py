"""The ledger: analyses stored in SQLite, ingested in bulk, queried by source and content.

:class:`Ledger` (in :mod:`.store`) writes and reads records; :mod:`.ingest` reads, filters and
analyzes inputs into a ledger; :mod:`.query` holds the queries the CLI, API and UI share.
"""

from newsledger.ledger.store import Ledger, connect

__all__ = ["Ledger", "connect"]
