"""The ledger: analyses stored in SQLite, ingested in bulk, queried by source and content.

:class:`Ledger` (in :mod:`.store`) writes and reads records; :mod:`.query` holds the queries
the CLI, API and UI share. Ingest (reading, analyzing and storing inputs) is
:mod:`newsledger.ingest`, one stage above.
"""

from newsledger.ledger.store import (
    Ledger,
    LedgerCheck,
    LedgerWriteError,
    connect,
    is_write_failure,
)

__all__ = ["Ledger", "LedgerCheck", "LedgerWriteError", "connect", "is_write_failure"]
