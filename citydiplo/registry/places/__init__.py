"""Place names, countries and a GeoNames gazetteer, in pure Python (no Django).

* :mod:`.normalise`: ``name_key``/``name_variants``, comparison keys for names.
* :mod:`.countries`: ``country_resolve``/``country_name``, text <-> ISO alpha-2.
* :mod:`.gazetteer`: ``gazetteer()``/``Gazetteer``, lookup by name and by position.

Nothing is imported here on purpose: importing the package stays cheap, and
the gazetteer (numpy, ~1 s to load) is only paid for by code that uses it.
"""
