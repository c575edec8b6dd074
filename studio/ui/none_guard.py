"""Work around PySide6 6.12.0 on CPython 3.11 releasing a reference to None on every void call.

PySide6 6.12.0 returns None from void methods (``QWidget.update()``, ``QPainter.drawRect()``,
``QObject.setObjectName()``...) without taking the reference it hands back. On Python 3.12+
None is immortal and nothing happens; on 3.11 each call lowers None's reference count by one,
and after a few thousand calls the interpreter aborts with "none_dealloc: deallocating None".
6.11.3 does not do this. ``guard_none_refcount`` detects the leak with a real call and, only
if it is there, gives None the huge reference count that 3.12 gives immortal objects.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

_IMMORTAL_MARGIN = 1 << 40
_guarded = False


def none_leaks_per_void_call() -> int:
    """How many references to None one void PySide6 call loses (0 on a sound build)."""
    probe = QObject()
    calls = 64
    before = sys.getrefcount(None)
    for _ in range(calls):
        probe.setObjectName("probe")
    return round((before - sys.getrefcount(None)) / calls)


def guard_none_refcount() -> bool:
    """Make None effectively immortal if this PySide6 leaks it; returns whether it had to."""
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if none_leaks_per_void_call() <= 0:
        return False
    # ob_refcnt is the first field of every CPython object (non-debug builds).
    ctypes.c_ssize_t.from_address(id(None)).value += _IMMORTAL_MARGIN
    _guarded = True
    return True
