"""Server-side SVG charts for HTML pages (inline ``<svg>``) and WeasyPrint PDFs, in pure Python.

svg = line_chart(categories=["2025", "2026"], series=[Series(name="单位能耗碳排放", values=[...])],
                 reference_lines=[RefLine(value=Decimal("0.4"), label="≤0.4")])
svg = bar_chart(categories=[...], series=[...], stacked=True)

The output is a self-contained SVG 1.1 string (explicit width/height/viewBox, no scripts, no external
references) with every label escaped; it is not marked safe, so callers wrap it with ``mark_safe``.
Values are Decimal and shown as given (``format(value, "f")``, digits grouped from five up: 12,000 but
2025); floats exist only as pixel positions. A title or category label too wide for its room wraps.

On a page, ``responsive(functools.partial(line_chart, categories=..., series=...))`` draws the chart
once per size in ``SIZES``; zcpark.css shows the one drawn for its card's width (a container query), so the chart
fills the card and its labels stay about 12 px on a phone as on a wide screen.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

# Okabe–Ito, ordered so that the first colours are the most distinct and yellow (faint on white) last.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
)
FONT_FAMILY = "Noto Sans CJK SC, sans-serif"
NO_DATA = "无数据"
FONT_SIZE = 12
TITLE_SIZE = 14
AXIS_COLOUR = "#595959"
GRID_COLOUR = "#D9D9D9"
REFERENCE_COLOUR = "#333333"
DASH = "6 4"
MAX_TICKS = 6
PAD = 8
LEGEND_ROW = 18
LEGEND_SWATCH = 18
LINE_HEIGHT = 14
MAX_LABEL_LINES = 4
# GB/T 15835: integers of up to four digits may stand ungrouped (years stay 2025); longer ones read 12,000.
GROUP_FROM_DIGITS = 5
# The drawings a page carries (viewBox width, height); zcpark.css switches them at cards of 520 and 880 px.
SIZES = (("narrow", 360, 280), ("medium", 640, 320), ("wide", 960, 360))
ZERO = Decimal("0")


@dataclass(frozen=True)
class Series:
    """One named series, a value (or None: a gap) per category."""

    name: str
    values: Sequence[Decimal | None]
    dashed: bool = False


@dataclass(frozen=True)
class RefLine:
    """A horizontal threshold across the plot, labelled at its right end (e.g. "≤0.4")."""

    value: Decimal
    label: str


@dataclass(frozen=True)
class _Options:
    """The caller's size and texts, passed through to the layout."""

    width: int
    height: int
    title: str
    y_label: str


@dataclass(frozen=True)
class _Frame:
    """The plot area in pixels and the value domain its height spans."""

    left: float
    top: float
    right: float
    bottom: float
    lo: Decimal
    hi: Decimal

    def y(self, value: Decimal) -> float:
        share = float((value - self.lo) / (self.hi - self.lo))
        return self.bottom - share * (self.bottom - self.top)

    def band(self, count: int) -> float:
        return (self.right - self.left) / count


# --- Numbers and text ---------------------------------------------------------------------------


def nice_ticks(lo: Decimal, hi: Decimal, *, max_ticks: int = MAX_TICKS) -> list[Decimal]:
    """At most ``max_ticks`` evenly spaced ticks covering [lo, hi], the step 1, 2 or 5 × 10^n.

    The ticks are exact Decimals (multiples of the step), so their labels carry no float noise.
    An empty range is widened (0 → [0, 1], v → v ± |v|/10) so a constant series still has an axis.
    """
    if max_ticks < 3:
        # A range straddling 0 always needs three multiples of the step (−s, 0, s).
        raise ValueError("max_ticks must be at least 3")
    if lo > hi:
        raise ValueError(f"lo {lo} is greater than hi {hi}")
    if lo == hi:
        pad = abs(lo) / 10 if lo else Decimal("1")
        lo, hi = (lo - pad, hi + pad) if lo else (ZERO, pad)
    raw = (hi - lo) / (max_ticks - 1)
    for exponent in itertools.count(raw.adjusted()):
        for multiple in (1, 2, 5):
            step = Decimal(multiple).scaleb(exponent)
            first, last = math.floor(lo / step), math.ceil(hi / step)
            if last - first + 1 <= max_ticks:
                return [Decimal(i) * step for i in range(first, last + 1)]
    raise AssertionError("unreachable: a large enough step always fits")  # pragma: no cover


def _grouped(text: str) -> str:
    """A plain number's integer part grouped by thousands when it has ``GROUP_FROM_DIGITS`` or more."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = body.partition(".")
    if len(whole) < GROUP_FROM_DIGITS or not whole.isdigit():
        return text
    return f"{sign}{int(whole):,}{dot}{fraction}"


def _tick_label(tick: Decimal, step: Decimal) -> str:
    """The tick with as many decimals as the step, so an axis reads 0.0, 0.5, 1.0."""
    places = max(0, -int(step.as_tuple().exponent))
    return _grouped(f"{tick:.{places}f}")


def _value_label(value: Decimal) -> str:
    """A value as given (its own digits), never in exponent notation."""
    return _grouped(format(value, "f"))


def _e(text: str) -> str:
    return escape(text, quote=True)


def _n(pixels: float) -> str:
    return f"{pixels:.1f}"


def _text_width(text: str, size: float) -> float:
    """An estimate: CJK (and other wide) characters are square, the rest about 0.6 em."""
    return sum(size if ord(c) >= 0x2E80 else 0.6 * size for c in text)


def _wrap(text: str, size: float, room: float) -> list[str]:
    """``text`` in lines at most ``room`` wide: between words or CJK characters, a longer word cut."""
    if _text_width(text, size) <= room:
        return [text]
    lines, line = [], ""
    for word in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+\s*|\s+", text):
        cut = max(1, int(room // (0.6 * size)))
        tokens = (
            [word[i : i + cut] for i in range(0, len(word), cut)]
            if _text_width(word, size) > room
            else [word]
        )
        for token in tokens:
            if line.strip() and _text_width(line + token.rstrip(), size) > room:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _text(
    x: float, y: float, text: str, *, anchor: str = "middle", size: int = FONT_SIZE, extra: str = ""
) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="{size}" fill="#262626"{extra}>'
        f"{_e(text)}</text>"
    )


# --- Frame, axes, legend ------------------------------------------------------------------------


def _title_lines(title: str, width: int) -> list[str]:
    return _wrap(title, TITLE_SIZE, width - 2 * PAD) if title else []


def _svg(width: int, height: int, title: str, body: Sequence[str]) -> str:
    """The root element: explicit size, the CJK font, an accessible title (wrapped to fit), then the body."""
    label = _e(title or "chart")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" '
        f'role="img" aria-label="{label}"><title>{label}</title>'
    )
    bold = ' font-weight="bold"'
    lines = enumerate(_title_lines(title, width))
    heading = [
        _text(width / 2, PAD + (i + 1) * TITLE_SIZE + i * 4, x, size=TITLE_SIZE, extra=bold) for i, x in lines
    ]
    return head + "".join(heading + list(body)) + "</svg>"


def _no_data(width: int, height: int, title: str) -> str:
    return _svg(width, height, title, [_text(width / 2, height / 2 + FONT_SIZE / 3, NO_DATA)])


def _has_data(categories: Sequence[str], series: Sequence[Series]) -> bool:
    """Raises ValueError when a series does not have one value per category."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    return bool(categories) and any(v is not None for s in series for v in s.values)


def _legend_rows(names: Sequence[str], width: int) -> list[list[tuple[int, float]]]:
    """Series indexes with their x offsets, wrapped into rows that fit the width."""
    rows: list[list[tuple[int, float]]] = [[]]
    x = float(PAD)
    for index, name in enumerate(names):
        item = LEGEND_SWATCH + 4 + _text_width(name, FONT_SIZE) + 16
        if rows[-1] and x + item > width - PAD:
            rows.append([])
            x = float(PAD)
        rows[-1].append((index, x))
        x += item
    return rows


def _legend(
    series: Sequence[Series], rows: list[list[tuple[int, float]]], top: float, bars: bool
) -> Iterator[str]:
    """A swatch (a bar's square or a line's stroke, dashed as the series) and the name per series."""
    for row_index, row in enumerate(rows):
        y = top + row_index * LEGEND_ROW
        for index, x in row:
            colour, s = PALETTE[index % len(PALETTE)], series[index]
            if bars:
                yield f'<rect class="legend-swatch" x="{_n(x)}" y="{_n(y - 10)}" width="12" height="12" fill="{colour}"/>'
            else:
                dash = f' stroke-dasharray="{DASH}"' if s.dashed else ""
                yield (
                    f'<line class="legend-swatch" x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + LEGEND_SWATCH)}" '
                    f'y2="{_n(y - 4)}" stroke="{colour}" stroke-width="2"{dash}/>'
                )
            yield _text(x + LEGEND_SWATCH + 4, y, s.name, anchor="start")


def _plot_left(options: _Options, ticks: Sequence[str]) -> float:
    """Where the plot starts: after the y label and the widest tick label."""
    return PAD + (FONT_SIZE + 6 if options.y_label else 0) + max(_text_width(t, FONT_SIZE) for t in ticks) + 6


def _layout(options: _Options, left: float, below: float, lo: Decimal, hi: Decimal) -> _Frame:
    """The plot area left after the title, tick labels, y label and, ``below`` it, labels and legend."""
    titled = len(_title_lines(options.title, options.width)) * (TITLE_SIZE + 4) + 6 if options.title else 0
    top = PAD + titled + FONT_SIZE / 2
    bottom = options.height - PAD - below
    return _Frame(
        left=left, top=top, right=options.width - PAD * 2, bottom=max(bottom, top + 1), lo=lo, hi=hi
    )


def _axes(frame: _Frame, ticks: Sequence[Decimal], labels: Sequence[str], y_label: str) -> Iterator[str]:
    """Horizontal gridlines with their tick labels, the value axis title, and the plot's base line."""
    for tick, label in zip(ticks, labels, strict=True):
        y = frame.y(tick)
        yield (
            f'<line class="gridline" x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        yield _text(frame.left - 6, y + FONT_SIZE / 3, label, anchor="end")
    if y_label:
        x, y = PAD + FONT_SIZE, (frame.top + frame.bottom) / 2
        yield _text(x, y, y_label, extra=f' transform="rotate(-90 {_n(x)} {_n(y)})"')
    base = frame.y(ZERO) if frame.lo <= ZERO <= frame.hi else frame.bottom
    yield (
        f'<line class="axis" x1="{_n(frame.left)}" y1="{_n(base)}" x2="{_n(frame.right)}" y2="{_n(base)}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )


def _category_lines(categories: Sequence[str], band: float) -> tuple[list[list[str]], int]:
    """Each category's label lines and every how many-th is shown: all, wrapped to the band, when each
    fits in ``MAX_LABEL_LINES`` lines (a one-word label, such as a year, is never cut); else on one line,
    every k-th only (years on a narrow axis)."""
    room = band - 6
    wrapped = [_wrap(c, FONT_SIZE, room) for c in categories]
    splits = [
        len(ls) == 1 or (len(ls) <= MAX_LABEL_LINES and re.search(r"[\s\u2e80-\uffff]", c))
        for c, ls in zip(categories, wrapped, strict=True)
    ]
    if all(splits) and all(_text_width(x, FONT_SIZE) <= room for ls in wrapped for x in ls):
        return wrapped, 1
    widest = max(_text_width(c, FONT_SIZE) for c in categories) + 6
    return [[c] for c in categories], max(1, math.ceil(widest / band))


def _category_labels(frame: _Frame, lines: Sequence[Sequence[str]], every: int) -> Iterator[str]:
    """Each shown category under its band, line under line."""
    band = frame.band(len(lines))
    for index, label in enumerate(lines):
        if index % every == 0:
            for row, text in enumerate(label):
                y = frame.bottom + FONT_SIZE + 4 + row * LINE_HEIGHT
                yield _text(frame.left + (index + 0.5) * band, y, text)


def _reference_lines(frame: _Frame, lines: Sequence[RefLine]) -> Iterator[str]:
    for line in lines:
        y = frame.y(line.value)
        yield (
            f'<line class="ref-line" x1="{_n(frame.left)}" y1="{_n(y)}" x2="{_n(frame.right)}" y2="{_n(y)}" '
            f'stroke="{REFERENCE_COLOUR}" stroke-width="1.5" stroke-dasharray="{DASH}"/>'
        )
        yield _text(frame.right, y - 4, line.label, anchor="end")


def _chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    extent: Sequence[Decimal],
    bars: bool,
    options: _Options,
) -> tuple[_Frame, list[str]]:
    """The frame for the values in ``extent`` and everything but the data marks."""
    ticks = nice_ticks(min(extent), max(extent))
    labels = [_tick_label(t, ticks[1] - ticks[0]) for t in ticks]
    rows = _legend_rows([s.name for s in series], options.width)
    left = _plot_left(options, labels)
    lines, every = _category_lines(categories, (options.width - PAD * 2 - left) / len(categories))
    under = FONT_SIZE + 8 + (max(len(label) for label in lines) - 1) * LINE_HEIGHT
    frame = _layout(options, left, under + len(rows) * LEGEND_ROW, ticks[0], ticks[-1])
    parts = [*_axes(frame, ticks, labels, options.y_label), *_category_labels(frame, lines, every)]
    parts += _legend(series, rows, frame.bottom + under + LEGEND_ROW, bars)
    return frame, parts


def _title_of(category: str, name: str, value: Decimal) -> str:
    """A hover tooltip (SVG <title>), ignored by print."""
    return f"<title>{_e(f'{category} · {name}: {_value_label(value)}')}</title>"


# --- Line chart ---------------------------------------------------------------------------------


def _runs(values: Sequence[Decimal | None]) -> list[list[tuple[int, Decimal]]]:
    """The consecutive non-None values with their indexes: a None breaks the line."""
    runs: list[list[tuple[int, Decimal]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _line_marks(frame: _Frame, categories: Sequence[str], series: Sequence[Series]) -> Iterator[str]:
    """A polyline per unbroken run of two or more points, and a point marker at every value."""
    band = frame.band(len(categories))
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        dash = f' stroke-dasharray="{DASH}"' if s.dashed else ""
        for run in _runs(s.values):
            points = [(frame.left + (i + 0.5) * band, frame.y(v)) for i, v in run]
            if len(run) > 1:
                coordinates = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
                yield (
                    f'<polyline class="line" points="{coordinates}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" stroke-linejoin="round"{dash}/>'
                )
            for (i, value), (x, y) in zip(run, points, strict=True):
                yield (
                    f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="3" fill="{colour}">'
                    f"{_title_of(categories[i], s.name, value)}</circle>"
                )


def line_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    y_label: str = "",
    width: int = 640,
    height: int = 320,
    reference_lines: Sequence[RefLine] = (),
    zero_based: bool = False,
) -> str:
    """A line per series over the categories (a None breaks it), with thresholds and a legend.

    The value axis spans the data and the reference lines (and 0 when ``zero_based``), on nice ticks.
    """
    if not _has_data(categories, series):
        return _no_data(width, height, title)
    extent = [v for s in series for v in s.values if v is not None] + [r.value for r in reference_lines]
    extent += [ZERO] if zero_based else []
    options = _Options(width=width, height=height, title=title, y_label=y_label)
    frame, parts = _chart(categories=categories, series=series, extent=extent, bars=False, options=options)
    body = [*parts, *_reference_lines(frame, reference_lines), *_line_marks(frame, categories, series)]
    return _svg(width, height, title, body)


# --- Bar chart ----------------------------------------------------------------------------------


def _stack_extent(series: Sequence[Series], count: int) -> list[Decimal]:
    """The highest positive and lowest negative stack of any category (values stack away from 0)."""
    extent = [ZERO]
    for index in range(count):
        values = [v for s in series if (v := s.values[index]) is not None]
        extent += [sum((v for v in values if v > 0), ZERO), sum((v for v in values if v < 0), ZERO)]
    return extent


def _bar(frame: _Frame, x: float, width: float, start: Decimal, end: Decimal, colour: str, title: str) -> str:
    top, bottom = sorted((frame.y(start), frame.y(end)))
    return (
        f'<rect class="bar" x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" height="{_n(bottom - top)}" '
        f'fill="{colour}">{title}</rect>'
    )


def _bar_marks(
    frame: _Frame, categories: Sequence[str], series: Sequence[Series], stacked: bool
) -> Iterator[str]:
    """A rect per non-None value: side by side in the band's middle 70 %, or stacked from 0."""
    band = frame.band(len(categories))
    group = band * 0.7
    bar_width = group if stacked else group / len(series)
    for index, category in enumerate(categories):
        x0 = frame.left + index * band + (band - group) / 2
        above = below = ZERO
        for s_index, s in enumerate(series):
            value = s.values[index]
            if value is None:
                continue
            start = ZERO
            if stacked:
                start = above if value >= 0 else below
                above, below = (above + value, below) if value >= 0 else (above, below + value)
            x = x0 if stacked else x0 + s_index * bar_width
            colour = PALETTE[s_index % len(PALETTE)]
            yield _bar(frame, x, bar_width, start, start + value, colour, _title_of(category, s.name, value))


def bar_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = False,
    title: str = "",
    y_label: str = "",
    width: int = 640,
    height: int = 320,
    reference_lines: Sequence[RefLine] = (),
) -> str:
    """Grouped (or stacked) bars per category with a legend; the value axis always includes 0."""
    if not _has_data(categories, series):
        return _no_data(width, height, title)
    values = [v for s in series for v in s.values if v is not None]
    extent = (_stack_extent(series, len(categories)) if stacked else [ZERO, *values]) + [
        r.value for r in reference_lines
    ]
    options = _Options(width=width, height=height, title=title, y_label=y_label)
    frame, parts = _chart(categories=categories, series=series, extent=extent, bars=True, options=options)
    body = [
        *parts,
        *_bar_marks(frame, categories, series, stacked),
        *_reference_lines(frame, reference_lines),
    ]
    return _svg(width, height, title, body)


# --- On a page ----------------------------------------------------------------------------------


def responsive(draw: Callable[..., str], sizes: Sequence[tuple[str, int, int]] = SIZES) -> str:
    """The chart drawn at each named size (``draw(width=, height=)``) for a page to show the one that fits
    its card (zcpark.css, ``.zc-chart``); escaped as the charts themselves are, so safe to embed."""
    drawn = "".join(f'<div class="zc-chart-{name}">{draw(width=w, height=h)}</div>' for name, w, h in sizes)
    return f'<div class="zc-chart">{drawn}</div>'
