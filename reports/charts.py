"""Charts as inline SVG, drawn in Python so the PDF needs no browser and uses the document font."""

from html import escape

FONT = "Noto Serif CJK SC"
COLORS = ["#c00000", "#7f8c9a", "#0b4f8a", "#e08a00", "#2e7d32"]


def _nice_max(value) -> float:
    value = float(value or 0)
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(10 * magnitude)


def bar_chart(categories, series, *, width=480, height=200, title="", unit="", colors=None) -> str:
    """Grouped bars: ``series`` = [(name, [values])]; a legend at the top right."""
    colors = colors or COLORS
    left, right, top, bottom = 34, 8, 26, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = _nice_max(max((v or 0) for _, values in series for v in values) if series else 0)
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = group_w * 0.7 / max(len(series), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9">'
    ]
    if title:
        out.append(f'<text x="{left}" y="12" font-size="10" font-weight="bold">{escape(title)}</text>')
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        label = top_value * i / 4
        text = f"{label:g}" if label == int(label) else f"{label:.1f}"
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.5"/>'
        )
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">{text}</text>')
    for s, (name, values) in enumerate(series):
        color = colors[s % len(colors)]
        for i, value in enumerate(values):
            h = plot_h * float(value or 0) / top_value
            x = left + group_w * i + group_w * 0.15 + bar_w * s
            out.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"/>'
            )
        lx = width - right - 70 * (len(series) - s)
        out.append(
            f'<rect x="{lx}" y="5" width="8" height="8" fill="{color}"/>'
            f'<text x="{lx + 11}" y="12">{escape(str(name))}</text>'
        )
    for i, cat in enumerate(categories):
        x = left + group_w * i + group_w / 2
        out.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" fill="#333">{escape(str(cat))}</text>')
    if unit:
        out.append(f'<text x="{left - 4}" y="{top - 4}" text-anchor="end" fill="#555">{escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def hbar_chart(items, *, width=480, row=16, title="", color=COLORS[0]) -> str:
    """Horizontal bars for a breakdown: ``items`` = [(label, value)]."""
    items = list(items) or [("—", 0)]
    label_w, top = 110, 18 if title else 4
    height = top + row * len(items) + 4
    top_value = _nice_max(max(float(v or 0) for _, v in items))
    plot_w = width - label_w - 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="9">'
    ]
    if title:
        out.append(f'<text x="0" y="11" font-size="10" font-weight="bold">{escape(title)}</text>')
    for i, (label, value) in enumerate(items):
        y = top + row * i
        w = plot_w * float(value or 0) / top_value
        out.append(f'<text x="{label_w - 4}" y="{y + 11}" text-anchor="end">{escape(str(label))}</text>')
        out.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>')
        out.append(f'<text x="{label_w + w + 3:.1f}" y="{y + 11}">{value if value is not None else "—"}</text>')
    out.append("</svg>")
    return "".join(out)
