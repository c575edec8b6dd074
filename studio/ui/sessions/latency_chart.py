"""A session's per-turn latency beside the organisation's, as a Qt Charts chart: one bar per turn
(time from the user's last word to the persona's first sound), and the organisation's p50, p90
and p95 of the same measure as lines across it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

METRIC = "firstAudioLatencySeconds"
LINES = (("p50", "#2e9d4f"), ("p90", "#d9a400"), ("p95", "#d0382b"))
BAR_COLOUR = "#2f6fbf"


class LatencyChart(QChartView):
    """``show_latency(turns, organisation)``: the session's turns and the org's percentiles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionLatencyChart")
        self.setAccessibleName("Latency per turn and the organisation's percentiles")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.bars: list[float] = []
        self.percentiles: dict[str, float] = {}
        self.show_latency([], None)

    def show_latency(
        self, turns: Sequence[Mapping[str, Any]], organisation: Mapping[str, Any] | None
    ) -> None:
        """Draw the turns' latencies (turns without one are 0) and the org's lines, if known."""
        self.bars = [_seconds(turn.get(METRIC)) for turn in turns]
        stats = ((organisation or {}).get("latencies") or {}).get(METRIC) or {}
        self.percentiles = {
            name: float(stats[name]) for name, _colour in LINES if stats.get(name) is not None
        }
        chart = QChart()
        chart.setTitle("Time to first audio per turn (seconds)")
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        bars = QBarSet("This session")
        bars.setColor(QColor(BAR_COLOUR))
        bars.append(self.bars)
        series = QBarSeries()
        series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([str(number + 1) for number in range(len(self.bars))] or [""])
        categories.setTitleText("Turn")
        values = QValueAxis()
        values.setLabelFormat("%.2f")
        top = max([*self.bars, *self.percentiles.values(), 0.5])
        values.setRange(0, top * 1.15)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values)
        span = max(1, len(self.bars))
        for name, colour in LINES:
            if name not in self.percentiles:
                continue
            line = QLineSeries()
            line.setName(f"Organisation {name} ({self.percentiles[name]:.2f} s)")
            line.setPen(QPen(QColor(colour), 2, Qt.PenStyle.DashLine))
            line.append(-0.5, self.percentiles[name])
            line.append(span - 0.5, self.percentiles[name])
            chart.addSeries(line)
            line.attachAxis(categories)
            line.attachAxis(values)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
