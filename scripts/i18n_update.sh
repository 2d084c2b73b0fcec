#!/usr/bin/env bash
# Refresh the interface translations after strings were added or changed in code or templates:
#   1. makemessages: add the new strings to citydiplo/locale/{es,pt,fr}/LC_MESSAGES/django.po, or, for the
#      files of an app that keeps its own catalogue (a citydiplo/<app>/locale folder), to that app's
#      catalogue (strings that were removed from the code are dropped);
#   2. compilemessages: rebuild the committed django.mo files;
#   3. report, per language, how many entries still need a translator: untranslated ones, and fuzzy ones
#      (gettext's guesses from a similar old string, which are not used until someone checks them and
#      removes the "#, fuzzy" line).
# Exit status: 0 when every language is complete, 1 when some entry needs work, 2 when gettext is missing.
# Needs GNU gettext (apt-get install -y gettext). Usage: scripts/i18n_update.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"
[ -x "$PYTHON" ] || PYTHON="$(command -v python3)"
LANGS=(es pt fr)

if ! command -v msgfmt >/dev/null || ! command -v msgattrib >/dev/null; then
  echo "GNU gettext is missing: apt-get install -y gettext" >&2
  exit 2
fi

# Run from the package folder so the catalogues land in citydiplo/locale (LOCALE_PATHS).
cd "$ROOT/citydiplo"
"$PYTHON" ../manage.py makemessages "${LANGS[@]/#/-l}" --ignore='static/vendor/*' --no-obsolete --verbosity 0
"$PYTHON" ../manage.py compilemessages --ignore='static/vendor/*' --verbosity 0

status=0
printf '%-40s %8s %12s %6s\n' catalogue entries untranslated fuzzy
for po in locale/*/LC_MESSAGES/django.po */locale/*/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  lang=$(basename "$(dirname "$(dirname "$po")")")
  # msgfmt's statistics leave the header out: "N translated messages, M fuzzy translations, K untranslated messages."
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1) || { echo "$stats" >&2; status=1; }
  number() { echo "$stats" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || echo 0; }
  translated=$(number translated)
  fuzzy=$(number fuzzy)
  untranslated=$(number untranslated)
  total=$((translated + fuzzy + untranslated))
  printf '%-40s %8d %12d %6d\n' "$po" "$total" "$untranslated" "$fuzzy"
  if [ $((untranslated + fuzzy)) -gt 0 ]; then
    status=1
    msgattrib --no-wrap --untranslated --no-obsolete "$po" | grep -E '^msgid "' | grep -v '^msgid ""$' \
      | head -n 15 | sed "s/^/  $lang to translate: /" || true
    msgattrib --no-wrap --only-fuzzy --no-obsolete "$po" | grep -E '^msgid "' | grep -v '^msgid ""$' \
      | head -n 15 | sed "s/^/  $lang fuzzy, check: /" || true
  fi
done

if [ "$status" -ne 0 ]; then
  echo "Translate the entries above in the catalogues listed (remove each \"#, fuzzy\"" >&2
  echo "line once its text is checked), then run this script again; tests/test_i18n.py checks the same." >&2
fi
exit "$status"
