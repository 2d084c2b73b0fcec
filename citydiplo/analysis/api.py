"""The analysis endpoints of the REST API (see citydiplo/api.py for authentication and errors)."""

from ninja import Router

router = Router(tags=["analysis"])
