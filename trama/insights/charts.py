"""Charts as PNG, drawn on the server with matplotlib: no script runs in the browser."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

PILOT = "#0066cc"  # Bootstrap Italia's primary blue
OTHER = "#5c6f82"


def bar_chart(item, rows, title):
    """A horizontal bar per area; areas without data are named but have no bar.

    `rows` are (area, Value) pairs. The figure is built without pyplot, so that
    concurrent requests never share a global figure.
    """
    labels = [area.label for area, _value in rows]
    numbers = [float(value.value) if value.has_data else 0.0 for _area, value in rows]
    if item.unit == "share":
        numbers = [n * 100 for n in numbers]
    figure = Figure(figsize=(6.4, 0.5 * len(rows) + 1.4), dpi=100)
    axes = figure.subplots()
    colours = [PILOT if area.is_pilot else OTHER for area, _value in rows]
    bars = axes.barh(labels, numbers, color=colours)
    axes.invert_yaxis()
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.bar_label(bars, labels=[item.display(value.value) for _area, value in rows], padding=3, fontsize=9)
    axes.set_xlim(0, max(numbers + [1]) * 1.3)
    axes.tick_params(axis="x", labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
