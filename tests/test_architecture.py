"""Project-wide checks: layer contracts (import-linter) and lint (ruff) are part of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_layers_keep_their_contracts():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_and_format_are_clean():
    lint = run(str(BIN / "ruff"), "check", "studio", "tests")
    assert lint.returncode == 0, lint.stdout
    formatting = run(str(BIN / "ruff"), "format", "--check", "studio", "tests")
    assert formatting.returncode == 0, formatting.stdout


def _client_methods() -> set[str]:
    """The API calls the clients offer (their own methods, not the shared plumbing)."""
    from studio.api import AnamClient, NapsterClient
    from studio.api.base import JsonApiClient

    own = (set(vars(AnamClient)) | set(vars(NapsterClient))) - set(dir(JsonApiClient))
    return {name for name in own if not name.startswith("_") and name != "kind"}


def test_only_the_named_operations_call_the_api_clients():
    """A widget asks studio.ui.operations; backend/ may probe its own connection."""
    import ast

    methods = _client_methods()
    allowed = (ROOT / "studio/ui/operations", ROOT / "studio/ui/backend")
    calls = []
    for path in sorted((ROOT / "studio/ui").rglob("*.py")):
        if any(path.is_relative_to(folder) for folder in allowed):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in methods
            ):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    assert {"list_avatars", "create_avatar", "list_companions"} <= methods  # the scan's premise
    assert sorted(calls) == [], "\n".join(sorted(calls))


def test_every_package_says_what_it_owns():
    missing = [
        str(init.relative_to(ROOT))
        for init in sorted((ROOT / "studio").rglob("__init__.py"))
        if not (init.read_text().lstrip().startswith('"""'))
    ]
    assert missing == []


MODULE_LINES, CLASS_LINES = 400, 300
"""A module a newcomer can read through, a class with one job (issue 14's bounds)."""


def test_modules_and_classes_stay_small():
    import ast

    too_big = []
    for path in sorted((ROOT / "studio").rglob("*.py")):
        text = path.read_text()
        if (lines := text.count("\n")) > MODULE_LINES:
            too_big.append(f"{path.relative_to(ROOT)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno >= CLASS_LINES:
                too_big.append(f"{path.relative_to(ROOT)}: class {node.name}")
    assert too_big == [], "\n".join(too_big)


def test_the_qt_layer_has_only_its_composing_modules_at_the_top():
    top = sorted(path.name for path in (ROOT / "studio/ui").glob("*.py"))
    assert top == ["__init__.py", "drafts.py", "main_window.py"]
