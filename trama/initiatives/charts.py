"""The autonomy trend as a PNG drawn on the server (no script in the browser; a table sits beside it)."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

LINE = "#0066cc"  # Bootstrap Italia's primary blue


def autonomy_chart(assessments, title):
    """One point per assessment (score 0–12), oldest on the left. Built without pyplot: no shared global figure."""
    labels = [a.assessed_on.strftime("%d/%m/%y") for a in assessments]
    scores = [a.score for a in assessments]
    figure = Figure(figsize=(6.4, 3.2), dpi=100)
    axes = figure.subplots()
    if scores:
        axes.plot(range(len(scores)), scores, marker="o", color=LINE)
        axes.set_xticks(range(len(scores)), labels, fontsize=8)
        for x, y in enumerate(scores):
            axes.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9)
    axes.set_ylim(0, 12.9)
    axes.set_yticks([0, 3, 6, 9, 12])
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
