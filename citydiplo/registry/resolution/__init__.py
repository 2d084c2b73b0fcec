"""Place name resolution: free-text city names from any list -> the right GeoNames place / actor.

* :mod:`.engine`: :class:`~.engine.PlaceResolver`, the rules (pure Python, shared by importers, the CLI,
  the review queue and the benchmark).
* :mod:`.admin_areas`: admin area text ("Hessen", "DE-HE", "05") -> GeoNames admin1 codes.
* :mod:`.models`: PlaceAlias (remembered choices) and PlaceReview (the review queue), registered in the
  registry app.
* :mod:`.services` (writes), :mod:`.selectors` (reads, and ``resolver_for`` to build a resolver with an
  organisation's aliases and the registry), :mod:`.views`/:mod:`.urls` (the review queue UI).
* :mod:`.synth`: synthetic rows for the benchmark (``citydiplo synth places``).

Nothing is imported here on purpose: importing the package stays cheap.
"""
