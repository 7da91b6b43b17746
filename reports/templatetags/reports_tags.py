from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ grades|get_item:"content" }}``: a dict value by a variable key ("" when missing)."""
    if not isinstance(mapping, dict):
        return ""
    return mapping.get(key, "")
