"""Change history of every record (django-simple-history): field diffs on each record's page, reverting a
field or a whole record, and an organisation's activity feed by term of government.

The historical tables themselves are made by each app (see citydiplo/registry/translation.py); this app
reads them for any model that subclasses accounts.records.Record and has a history, so a new app's
records get the same pages without code here.
"""
