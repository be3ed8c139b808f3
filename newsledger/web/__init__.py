"""The local web UI and REST API over a ledger (``newsledger serve``)."""

from __future__ import annotations

from newsledger.web.app import create_app

__all__ = ["create_app"]
