"""The product's controlled list of themes, written by the citydiplo project (not third-party data).

Each theme: key, names in en/es/pt/fr, and the SDG goals it mainly contributes to. The list is installed
by a data migration and refreshed by `citydiplo load-reference`; users cannot add free-text themes, so
networks, projects, objectives and the analysis all speak of the same things.
"""

from __future__ import annotations

# key, en, es, pt, fr, SDG goals
THEMES: list[tuple[str, str, str, str, str, list[int]]] = [
    ("climate", "Climate", "Clima", "Clima", "Climat", [13, 7, 11]),
    (
        "mobility",
        "Mobility and transport",
        "Movilidad y transporte",
        "Mobilidade e transporte",
        "Mobilité et transports",
        [11, 9],
    ),
    (
        "water",
        "Water and sanitation",
        "Agua y saneamiento",
        "Água e saneamento",
        "Eau et assainissement",
        [6],
    ),
    ("energy", "Energy", "Energía", "Energia", "Énergie", [7, 13]),
    ("housing", "Housing", "Vivienda", "Habitação", "Logement", [11, 1]),
    (
        "culture",
        "Culture and heritage",
        "Cultura y patrimonio",
        "Cultura e patrimônio",
        "Culture et patrimoine",
        [11, 4],
    ),
    (
        "digital",
        "Digital and innovation",
        "Digital e innovación",
        "Digital e inovação",
        "Numérique et innovation",
        [9, 17],
    ),
    (
        "security",
        "Security and social cohesion",
        "Seguridad y convivencia",
        "Segurança e coesão social",
        "Sécurité et cohésion sociale",
        [16],
    ),
    ("health", "Health", "Salud", "Saúde", "Santé", [3]),
    (
        "migration",
        "Migration and refugees",
        "Migración y refugio",
        "Migração e refúgio",
        "Migrations et réfugiés",
        [10, 16],
    ),
    (
        "economy",
        "Economy and investment",
        "Economía e inversión",
        "Economia e investimento",
        "Économie et investissement",
        [8, 9],
    ),
    ("tourism", "Tourism", "Turismo", "Turismo", "Tourisme", [8, 12]),
    (
        "education",
        "Education and youth",
        "Educación y juventud",
        "Educação e juventude",
        "Éducation et jeunesse",
        [4],
    ),
    (
        "environment",
        "Environment and biodiversity",
        "Medio ambiente y biodiversidad",
        "Meio ambiente e biodiversidade",
        "Environnement et biodiversité",
        [15, 14, 11],
    ),
    ("urban-planning", "Urban planning", "Planificación urbana", "Planejamento urbano", "Urbanisme", [11]),
    (
        "governance",
        "Governance and transparency",
        "Gobernanza y transparencia",
        "Governança e transparência",
        "Gouvernance et transparence",
        [16, 17],
    ),
    (
        "metropolitan",
        "Metropolitan governance",
        "Gobernanza metropolitana",
        "Governança metropolitana",
        "Gouvernance métropolitaine",
        [11, 16],
    ),
    (
        "social-inclusion",
        "Social inclusion and poverty",
        "Inclusión social y pobreza",
        "Inclusão social e pobreza",
        "Inclusion sociale et pauvreté",
        [1, 10],
    ),
    ("gender", "Gender equality", "Igualdad de género", "Igualdade de gênero", "Égalité de genre", [5]),
    (
        "food",
        "Food systems",
        "Sistemas alimentarios",
        "Sistemas alimentares",
        "Systèmes alimentaires",
        [2, 12],
    ),
    (
        "resilience",
        "Resilience and disaster risk",
        "Resiliencia y riesgo de desastres",
        "Resiliência e risco de desastres",
        "Résilience et risques de catastrophe",
        [11, 13],
    ),
    (
        "circular-economy",
        "Circular economy and waste",
        "Economía circular y residuos",
        "Economia circular e resíduos",
        "Économie circulaire et déchets",
        [12],
    ),
    (
        "local-government-cooperation",
        "Local government cooperation",
        "Cooperación entre gobiernos locales",
        "Cooperação entre governos locais",
        "Coopération entre collectivités",
        [17],
    ),
    (
        "advocacy",
        "Advocacy and global agenda",
        "Incidencia y agenda global",
        "Incidência e agenda global",
        "Plaidoyer et agenda mondial",
        [17],
    ),
    (
        "peace",
        "Peace and prevention of extremism",
        "Paz y prevención del extremismo",
        "Paz e prevenção do extremismo",
        "Paix et prévention de l'extrémisme",
        [16],
    ),
]


def themes_install(theme_model: type) -> tuple[int, int]:
    """Create or refresh the themes; returns (added, changed). Works with historical models in migrations."""
    added = changed = 0
    for order, (key, en, es, pt, fr, goals) in enumerate(THEMES):
        values = {
            "name": en,
            "name_en": en,
            "name_es": es,
            "name_pt": pt,
            "name_fr": fr,
            "sdg_goals": goals,
            "order": order,
        }
        theme = theme_model.objects.filter(key=key).first()
        if theme is None:
            theme_model.objects.create(key=key, **values)
            added += 1
        elif any(getattr(theme, k) != v for k, v in values.items()):
            theme_model.objects.filter(pk=theme.pk).update(**values)
            changed += 1
    return added, changed
