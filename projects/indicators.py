"""The one place the projects app talks to the incidents app: the injury-count selector and the
choice lists (cause, place, sex) a project's indicator filters on. The indicator is always
computed by ``incidents.selectors.injury_count`` (the statistics page's selector), never here."""

from django.utils.translation import gettext as _


def incident_choice_lists() -> dict[str, list[tuple[str, str]]]:
    """{"cause": [(value, label)...], "place": [...], "sex": [...]} from incidents.choices."""
    try:
        from incidents import choices as ic
    except ImportError:
        return {}
    found = {}
    for key, names in {
        "cause": ("InjuryCause", "Cause"),
        "place": ("InjuryPlace", "Place"),
        "sex": ("Sex", "Gender"),
    }.items():
        for name in names:
            cls = getattr(ic, name, None)
            if cls is not None and hasattr(cls, "choices"):
                found[key] = [(str(v), str(label)) for v, label in cls.choices]
                break
    return found


def indicator_choice_errors(project) -> dict:
    lists = incident_choice_lists()
    errors = {}
    for key in ("cause", "place", "sex"):
        value = getattr(project, f"indicator_{key}")
        allowed = lists.get(key)
        if value and allowed is not None and value not in {v for v, _label in allowed}:
            errors[f"indicator_{key}"] = _("不是有效的选项")
    return errors


def choice_label(key: str, value: str) -> str:
    if not value:
        return ""
    return dict(incident_choice_lists().get(key, [])).get(value, value)


def count_injuries(project, period) -> int:
    from incidents.selectors import injury_count

    return injury_count(
        townships=[project.township_id],
        period=period,
        village=project.indicator_village,
        age_min=project.indicator_age_min,
        age_max=project.indicator_age_max,
        cause=project.indicator_cause or None,
        place=project.indicator_place or None,
        sex=project.indicator_sex or None,
    )
