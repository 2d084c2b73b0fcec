"""The 17 Sustainable Development Goals as part of the product: numbers, short names in the four
interface languages and the official colours. Written by the citydiplo project, not third-party data.

The full titles of goals, the targets and the indicators come from the reference load
(citydiplo/interchange/reference/sdg.py); the goals themselves exist from the first migration on, so the
alignment matrix has its 17 columns even before any reference data is loaded.
"""

from __future__ import annotations

from typing import Any

# number, short name en, es, pt, fr, colour (UN SDG communication guidelines)
GOALS: list[tuple[int, str, str, str, str, str]] = [
    (1, "No poverty", "Fin de la pobreza", "Erradicação da pobreza", "Pas de pauvreté", "#E5243B"),
    (2, "Zero hunger", "Hambre cero", "Fome zero", "Faim « zéro »", "#DDA63A"),
    (
        3,
        "Good health and well-being",
        "Salud y bienestar",
        "Saúde e bem-estar",
        "Bonne santé et bien-être",
        "#4C9F38",
    ),
    (
        4,
        "Quality education",
        "Educación de calidad",
        "Educação de qualidade",
        "Éducation de qualité",
        "#C5192D",
    ),
    (5, "Gender equality", "Igualdad de género", "Igualdade de gênero", "Égalité entre les sexes", "#FF3A21"),
    (
        6,
        "Clean water and sanitation",
        "Agua limpia y saneamiento",
        "Água potável e saneamento",
        "Eau propre et assainissement",
        "#26BDE2",
    ),
    (
        7,
        "Affordable and clean energy",
        "Energía asequible y no contaminante",
        "Energia limpa e acessível",
        "Énergie propre et d’un coût abordable",
        "#FCC30B",
    ),
    (
        8,
        "Decent work and economic growth",
        "Trabajo decente y crecimiento económico",
        "Trabalho decente e crescimento econômico",
        "Travail décent et croissance économique",
        "#A21942",
    ),
    (
        9,
        "Industry, innovation and infrastructure",
        "Industria, innovación e infraestructura",
        "Indústria, inovação e infraestrutura",
        "Industrie, innovation et infrastructure",
        "#FD6925",
    ),
    (
        10,
        "Reduced inequalities",
        "Reducción de las desigualdades",
        "Redução das desigualdades",
        "Inégalités réduites",
        "#DD1367",
    ),
    (
        11,
        "Sustainable cities and communities",
        "Ciudades y comunidades sostenibles",
        "Cidades e comunidades sustentáveis",
        "Villes et communautés durables",
        "#FD9D24",
    ),
    (
        12,
        "Responsible consumption and production",
        "Producción y consumo responsables",
        "Consumo e produção responsáveis",
        "Consommation et production responsables",
        "#BF8B2E",
    ),
    (
        13,
        "Climate action",
        "Acción por el clima",
        "Ação contra a mudança global do clima",
        "Mesures relatives à la lutte contre les changements climatiques",
        "#3F7E44",
    ),
    (14, "Life below water", "Vida submarina", "Vida na água", "Vie aquatique", "#0A97D9"),
    (15, "Life on land", "Vida de ecosistemas terrestres", "Vida terrestre", "Vie terrestre", "#56C02B"),
    (
        16,
        "Peace, justice and strong institutions",
        "Paz, justicia e instituciones sólidas",
        "Paz, justiça e instituições eficazes",
        "Paix, justice et institutions efficaces",
        "#00689D",
    ),
    (
        17,
        "Partnerships for the goals",
        "Alianzas para lograr los objetivos",
        "Parcerias e meios de implementação",
        "Partenariats pour la réalisation des objectifs",
        "#19486A",
    ),
]

GOAL_COLOURS: dict[int, str] = {number: colour for number, *_names, colour in GOALS}


def goals_install(goal_model: Any) -> tuple[int, int]:
    """Create the 17 goals or refresh their short names; returns (added, changed).

    Titles are left alone: they belong to the reference load. Works with historical models in migrations.
    """
    added = changed = 0
    for number, en, es, pt, fr, _colour in GOALS:
        values = {
            "short_name": en,
            "short_name_en": en,
            "short_name_es": es,
            "short_name_pt": pt,
            "short_name_fr": fr,
        }
        goal = goal_model.objects.filter(number=number).first()
        if goal is None:
            goal_model.objects.create(number=number, **values)
            added += 1
        elif any(getattr(goal, k) != v for k, v in values.items()):
            goal_model.objects.filter(pk=goal.pk).update(**values)
            changed += 1
    return added, changed
