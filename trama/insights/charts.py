"""Charts as PNG, drawn on the server with matplotlib: no script runs in the browser."""

import io

DPI = 100
BAR_WIDTH = 6.4  # inches


def bar_chart_size(areas):
    """The bar chart's size in pixels for `areas` bars: the page reserves it before the image arrives."""
    return round(BAR_WIDTH * DPI), round((0.5 * areas + 1.4) * DPI)


TREND_SIZE = (7.2, 3.6)  # inches


def _figure(size):
    """A figure of `size` inches; matplotlib is loaded only when a chart is drawn, not when a page is."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=size, dpi=DPI)


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
    figure = _figure((BAR_WIDTH, 0.5 * len(rows) + 1.4))
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


LINE_COLOURS = ["#0066cc", "#d9364f", "#008055", "#a66300", "#7a4fb5", "#00838f", "#5c6f82", "#17324d"]


def line_chart(item, months, rows, title):
    """A line per area over `months`; a month without data is a gap in its line.

    `rows` are (area, [Value per month]) pairs. The city as a whole is drawn dashed and
    grey, the pilot neighbourhoods in colour.
    """
    labels = [f"{m.start:%m/%y}" for m in months]
    figure = _figure(TREND_SIZE)
    axes = figure.subplots()
    highest = 0.0
    for index, (area, values) in enumerate(rows):
        numbers = [item.plotted(v) for v in values]
        highest = max([highest] + [n for n in numbers if n is not None])
        points = [n if n is not None else float("nan") for n in numbers]
        if area.key == "city":
            style = {"color": OTHER, "linestyle": "--"}
        else:
            style = {"color": LINE_COLOURS[index % len(LINE_COLOURS)]}
        axes.plot(labels, points, marker="o", markersize=3, linewidth=1.6, label=area.label, **style)
    axes.set_title(title, fontsize=11, loc="left")
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_ylim(0, highest * 1.15 or 1)
    axes.tick_params(axis="both", labelsize=8)
    if len(labels) > 6:
        for tick in axes.get_xticklabels():
            tick.set_rotation(45)
    if rows:
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
