"""AGPL-3.0 section 13: when the operator names the source repository, every page links to it."""

from __future__ import annotations


def test_footer_links_to_the_source_when_configured(client, db, settings):
    settings.CITYDIPLO_SOURCE_URL = "https://example.org/our-citydiplo"
    body = client.get("/").content.decode()
    assert 'href="https://example.org/our-citydiplo"' in body


def test_footer_has_no_source_link_when_not_configured(client, db, settings):
    settings.CITYDIPLO_SOURCE_URL = ""
    assert "Source code" not in client.get("/").content.decode()
