"""The theme's size by month as a PNG, drawn on the server with matplotlib: no script in the browser."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

PRIMARY = "#0066cc"  # Bootstrap Italia's primary blue


def monthly_chart(months, title, empty_label):
    """Bars per month (`months`: (date, count) pairs). The figure is built without pyplot, so
    concurrent requests never share a global figure."""
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.subplots()
    labels = [f"{month:%m/%y}" for month, _n in months]
    counts = [n for _month, n in months]
    if months:
        bars = axes.bar(labels, counts, color=PRIMARY)
        axes.bar_label(bars, padding=2, fontsize=8)
        axes.set_ylim(0, max(counts + [1]) * 1.2)
    else:
        axes.text(0.5, 0.5, empty_label, ha="center", va="center", transform=axes.transAxes)
        axes.set_xticks([])
    axes.set_yticks([])
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right", "left"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=8, labelrotation=45 if len(months) > 8 else 0)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
