"""Template helpers that stand in for a template loop (safecommunity/templatetags/portal.py):
each draws exactly what the loop it replaces draws."""

import pytest
from django.template import Context, Template
from django.utils import translation

LOOP = Template(
    '{% for code, label, n in rows %}<tr><td>{{ label }}</td><td class="text-end">{{ n }}</td></tr>'
    '{% empty %}<tr><td class="text-muted">{{ empty }}</td></tr>{% endfor %}'
)
TAG = Template("{% breakdown_rows rows empty %}")

ROWS = [
    ("01", "城关街道·东关村", 1234567),
    ("02", '<script>alert("x")</script> & 村', 0),
    ("03", "青山镇", 1234567),
    ("04", "小数", 2.5),
    ("05", "整数一", 1),
    ("06", "浮点一", 1.0),
    ("07", "", None),
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("rows", [ROWS, [], ROWS[:1]])
def test_breakdown_rows_draw_what_the_loop_draws(rows, language):
    context = {"rows": rows, "empty": "无记录 <none>"}
    with translation.override(language):
        assert TAG.render(Context(context)) == LOOP.render(Context(context))
