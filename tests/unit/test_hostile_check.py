"""`avatar-studio check` against the hostile corpus: a plain verdict for every kind, no crash,
no hang, and decompression bombs refused inside a small memory budget."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio.cli import main
from tests.awkward_web import AwkwardWeb
from tests.hostile_corpus import KINDS, URL_TIMEOUT, Kind, assert_told_plainly

REPO = Path(__file__).resolve().parents[2]
BOMB_HEADROOM = 256 * 2**20
"""Address space the bomb checks may add to what the imports took: a 12000x12000 WebP canvas
alone would need 1.15 GB, a 100000x100000 PNG 30 GB."""


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AwkwardWeb]:
    with AwkwardWeb(tmp_path_factory.mktemp("web")).running() as running:
        yield running


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    status = main(["check", "--json", "--timeout", str(URL_TIMEOUT), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, json.loads(captured.out)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_every_kind_gets_a_plain_verdict(kind: Kind, tmp_path, web, capsys):
    target = kind.make(tmp_path, web)
    status, [report] = check_json(capsys, target)
    assert_told_plainly(kind, report["verdict"], report["messages"])
    assert status == (1 if kind.verdict == "error" else 0)
    if kind.upright:
        assert (report["width"], report["height"]) == kind.upright
    if kind.verdict != "error":
        assert len(report["crops"]) == 2  # cara-4's landscape and portrait frames


@pytest.mark.timeout(90)
def test_the_real_command_takes_the_whole_corpus_in_one_run(tmp_path, web):
    folders = [tmp_path / str(index) for index in range(len(KINDS))]
    for folder in folders:
        folder.mkdir()
    targets = [kind.make(folder, web) for kind, folder in zip(KINDS, folders, strict=True)]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "studio",
            "check",
            "--json",
            "--timeout",
            str(URL_TIMEOUT),
            *targets,
        ],
        cwd=REPO,
        capture_output=True,
        timeout=80,
    )
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    reports = json.loads(result.stdout.decode("utf-8"))
    assert len(reports) == len(KINDS)
    for kind, report in zip(KINDS, reports, strict=True):
        assert_told_plainly(kind, report["verdict"], report["messages"])


BOMB_SCRIPT = """
import json, resource, sys
from studio.check_command import check_path
from studio.ui.photo.loading import analyse

def address_space(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith(field))

start = address_space("VmSize:")
resource.setrlimit(resource.RLIMIT_AS, (start + int(sys.argv[1]), resource.RLIM_INFINITY))
results = []
for path in sys.argv[2:]:
    cli = check_path(path, "cara-4")
    with open(path, "rb") as file:
        tab = analyse(path, file.read(), "cara-4")
    results.append({
        "cli": [line.message for line in cli.lines],
        "tab": [line.message for line in tab.report.lines],
        "preview": tab.preview is not None,
    })
print(json.dumps({"results": results, "grew": address_space("VmPeak:") - start}))
"""


@pytest.mark.timeout(60)
def test_bombs_are_refused_before_decoding_within_a_small_memory_budget(tmp_path, web):
    bombs = [kind for kind in KINDS if kind.bomb]
    paths = [kind.make(tmp_path, web) for kind in bombs]
    result = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, str(BOMB_HEADROOM), *paths],
        cwd=REPO,
        capture_output=True,
        timeout=50,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    measured = json.loads(result.stdout)
    for kind, found in zip(bombs, measured["results"], strict=True):
        assert_told_plainly(kind, "error", found["cli"])  # the command's checks
        assert_told_plainly(kind, "error", found["tab"])  # the avatar tab's checks
        assert not found["preview"], f"{kind.name}: a preview was decoded"
    assert measured["grew"] < 64 * 2**20, f"checking bombs grew the address space by {measured}"
