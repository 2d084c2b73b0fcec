"""Strategies as plain data (JSON-ready dicts) for the CLI export and anyone scripting around it.

Reads go through the selectors, so an export holds exactly what the reading user may see.
"""

from __future__ import annotations

from typing import Any

from citydiplo.registry.models import Project
from citydiplo.strategy import selectors
from citydiplo.strategy.models import ProjectSdgTag, Strategy


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def objective_data(*, user: Any, objective: Any) -> dict[str, Any]:
    actions = selectors.objective_actions(user=user, objective=objective)
    return {
        "id": objective.pk,
        "family": objective.family,
        "family_label": str(objective.get_family_display()),
        "title": objective.title,
        "description": objective.description,
        "responsible_departments": list(objective.responsible_departments),
        "axes": [axis.name for axis in objective.axes.all()],
        "sdg_targets": [target.code for target in objective.sdg_targets.all()],
        "projects": [{"id": p.pk, "title": p.title} for p in actions.projects],
        "agreements": [{"id": a.pk, "title": str(a)} for a in actions.agreements],
        "memberships": [{"id": m.pk, "title": str(m)} for m in actions.memberships],
        "events": [{"id": e.pk, "title": e.title} for e in actions.events],
        "hidden_actions": actions.hidden,
    }


def strategy_data(*, user: Any, strategy: Strategy) -> dict[str, Any]:
    """A strategy with everything hanging from it that the user may read."""
    objectives = selectors.objective_list(user=user, strategy=strategy)
    projects = Project.objects.visible_to(user).filter(objectives__in=objectives).distinct()
    tags = (
        ProjectSdgTag.objects.filter(project__in=projects)
        .select_related("target")
        .order_by("project", "target__position")
    )
    project_tags: dict[int, list[str]] = {}
    for tag in tags:
        project_tags.setdefault(tag.project_id, []).append(tag.target.code)
    stakeholders = selectors.stakeholder_list(user=user, owner_id=strategy.owner_id)
    return {
        "id": strategy.pk,
        "organisation": strategy.owner.slug if strategy.owner else None,
        "title": strategy.title,
        "status": strategy.status,
        "visibility": strategy.visibility,
        "version": strategy.version,
        "horizon": [_date(strategy.horizon_start), _date(strategy.horizon_end)],
        "adopted_on": _date(strategy.adopted_on),
        "vision": strategy.vision,
        "thesis": strategy.thesis,
        "thesis_period": [_date(strategy.thesis_start), _date(strategy.thesis_end)],
        "development_plan": {"title": strategy.development_plan_title, "url": strategy.development_plan_url},
        "objectives": [objective_data(user=user, objective=o) for o in objectives],
        "project_sdg_targets": {str(pk): codes for pk, codes in project_tags.items()},
        "stakeholders": [
            {"group": s.group, "name": s.name, "international_agenda": s.international_agenda}
            for s in stakeholders
        ],
        "consultations": [
            {
                "date": _date(c.date),
                "format": c.format,
                "participants": [
                    p.name for p in selectors.consultation_participants(user=user, consultation=c)
                ],
                "other_participants": c.other_participants,
                "requests": c.requests,
                "response": c.response,
            }
            for c in selectors.consultation_list(user=user, strategy=strategy)
        ],
        "externalities": [
            {
                "title": e.title,
                "status": e.status,
                "description": e.description,
                "mitigation": e.mitigation,
                "objectives": [o.pk for o in e.objectives.all()],
            }
            for e in selectors.externality_list(user=user, strategy=strategy)
        ],
        "versions": [
            {"number": v.number, "created_at": v.created_at.isoformat(), "note": v.note}
            for v in selectors.version_list(strategy=strategy)
        ],
    }
