"""The Sessions tab's views on their own (plain pytest-qt tests: they start no coroutine): the list's
rows and their marks, the model's batches, the fields tree, the latency chart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCharts import QBarSeries, QLineSeries
from PySide6.QtGui import QColor

from studio.core.session_records import entry_from_log, entry_from_session
from studio.ui.sessions.fields import FieldsTree
from studio.ui.sessions.latency_chart import LatencyChart
from studio.ui.sessions.list_model import SessionListModel
from studio.ui.sessions.list_view import SessionListView
from tests.unit.test_session_records import session

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def local(title: str, minutes_ago: int):
    started = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    return entry_from_log({"title": title, "started": started}, f"{title}.json", None)


def test_the_model_takes_rows_in_batches_and_skips_ones_already_listed(qtbot, qtmodeltester):
    model = SessionListModel()
    rows = [entry_from_session(session(n, hours_ago=n), {}) for n in range(1, 1201)]
    model.queue(rows)
    assert model.rowCount() == 0 and model.pending == 1200  # nothing until the loop turns
    qtbot.waitUntil(lambda: model.pending == 0)
    model.queue(rows[:10])
    qtbot.waitUntil(lambda: model.pending == 0)
    assert model.rowCount() == 1200
    assert model.row_of(rows[600].key) == 600
    qtmodeltester.check(model)


def test_a_selected_rows_mark_stays_readable(qtbot):
    view = SessionListView("sessionsList")
    qtbot.addWidget(view)
    model = SessionListModel(view)
    view.setModel(model)
    view.resize(420, 300)
    running = entry_from_session(session(1, ended=False, clientLabel="kiosk"), {})
    model.queue([local("Cara", 1), running])
    qtbot.waitUntil(lambda: model.rowCount() == 2)
    view.show()
    qtbot.waitExposed(view)
    for row in (0, 1):
        view.setCurrentIndex(model.index(row, 0))
        image = view.viewport().grab().toImage()
        rect = view.visualRect(model.index(row, 0))
        background = QColor(image.pixelColor(rect.left() + 2, rect.top() + 2))
        badge = [
            image.pixelColor(x, y)
            for x in range(rect.right() - 110, rect.right() - 4)
            for y in range(rect.top() + 4, rect.top() + 22)
        ]
        contrast = max(abs(pixel.lightness() - background.lightness()) for pixel in badge)
        assert contrast > 90, f"row {row}: its mark is {contrast} from the selection colour"


def test_every_field_is_shown_lists_of_plain_values_on_one_line(qtbot):
    tree = FieldsTree()
    qtbot.addWidget(tree)
    tree.show_fields(
        {
            "id": "abc",
            "endTime": None,
            "frameSize": [1152, 768],
            "personaConfig": {"avatarModel": "cara-4", "skipGreeting": False},
        }
    )
    assert tree.value_of("id") == "abc" and tree.value_of("endTime") == "—"
    assert tree.value_of("frameSize") == "1152, 768"
    assert tree.value_of("personaConfig.avatarModel") == "cara-4"
    assert tree.value_of("personaConfig.skipGreeting") == "no"


def test_the_chart_draws_each_turn_and_the_organisations_percentiles(qtbot):
    chart = LatencyChart()
    qtbot.addWidget(chart)
    turns = [{"firstAudioLatencySeconds": 0.8}, {"firstAudioLatencySeconds": None}, {}]
    organisation = {"latencies": {"firstAudioLatencySeconds": {"p50": 0.7, "p90": 1.2}}}
    chart.show_latency(turns, organisation)
    series = chart.chart().series()
    bars = next(item for item in series if isinstance(item, QBarSeries)).barSets()[0]
    assert [bars.at(n) for n in range(bars.count())] == [0.8, 0.0, 0.0]
    lines = {item.name(): item for item in series if isinstance(item, QLineSeries)}
    assert sorted(lines) == ["Organisation p50 (0.70 s)", "Organisation p90 (1.20 s)"]
    assert {point.y() for point in lines["Organisation p90 (1.20 s)"].points()} == {1.2}
