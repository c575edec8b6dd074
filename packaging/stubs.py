"""Stand-ins for bundled libraries the studio links but never runs, built at packaging time.

PyAV's FFmpeg links encoders the studio never asks for (H.265, AV1, MP3, AMR) and Intel's
hardware-codec dispatcher; PulseAudio's client library links libsndfile (and its FLAC, Vorbis,
MP3 codecs) for its command-line tools; Qt Multimedia's FFmpeg plugin links Qt Quick and Qml for
screen capture on EGLFS (qeglfsscreencapture.cpp grabs a QQuickWindow), while the studio plays
video into widgets. Each of those libraries is replaced by a small one with the same SONAME and
symbol versions that exports exactly what the rest of the bundle imports from it: the loader
is satisfied and nothing in the studio's paths calls into it. A stubbed function, if ever called,
prints one line naming the left-out library (``STUB_MARK``, which packaging/smoke.py watches
for) and aborts, except where the rest of the bundle asks at load what the library offers
(``Probe``: the stub answers "nothing"); a data symbol is zero-filled at its original size.
Libraries that only the originals linked (Qt Quick's QmlModels, QmlMeta, ...) then leave.

Not stubbed, on purpose: GnuTLS and its chain (the studio reads reference videos from https
URLs through FFmpeg) and dav1d (FFmpeg's first AV1 decoder, for a reference video in AV1).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from elf import Symbol, dynamic_symbols, is_elf, needed, soname, version_definitions

STUB_MARK = "is left out of this bundle"
"""The words every stub prints before it aborts."""


@dataclass(frozen=True)
class Probe:
    """A function the bundle calls at load to ask what the library offers, and the stub's answer.

    The stub's function takes ``parameters``, runs ``answer`` (C that may return "none"), and
    reports and aborts only when the answer falls through: when the feature is really used.
    """

    symbol: str
    returns: str
    parameters: str
    answer: str


@dataclass(frozen=True)
class LeftOut:
    """A library to stub: the start of its file name in the bundle, and why nothing runs it."""

    prefix: str
    reason: str
    probes: tuple[Probe, ...] = ()


LEFT_OUT = (
    # PyAV's FFmpeg (auditwheel names its copies lib<name>-<hash>).
    LeftOut(
        "libx265-",
        "H.265 encoding; the studio encodes H.264",
        # FFmpeg lists the libx265 encoder's pixel formats by asking x265 for its 12-, 10- and
        # 8-bit builds (libx265_encode_init_csp); "none" leaves the list alone. Opening the
        # encoder asks for the default build (0) after the frame's depth: that aborts.
        (Probe("x265_api_get_216", "const void *", "int bit_depth", "if (bit_depth) return 0;"),),
    ),
    LeftOut("libSvtAv1Enc-", "AV1 encoding; the studio encodes H.264 and VP8"),
    LeftOut("libmp3lame-", "MP3 encoding; the studio encodes AAC and Opus"),
    LeftOut("libopencore-amrnb-", "AMR audio; FFmpeg's own AMR decoder comes first"),
    LeftOut("libopencore-amrwb-", "AMR-WB audio; FFmpeg's own AMR-WB decoder comes first"),
    LeftOut("libvpl-", "Intel Quick Sync; the studio opens no hardware codec device"),
    # PulseAudio's client library links it for its command-line tools' sound files.
    LeftOut("libsndfile.so", "sound files; the studio's audio goes to PulseAudio as samples"),
    # Qt Multimedia's FFmpeg plugin.
    LeftOut("libQt6Quick.so", "Qt Quick; only EGLFS screen capture uses it"),
    LeftOut("libQt6Qml.so", "Qml; nothing the studio loads calls it"),
)


@dataclass(frozen=True)
class StubReport:
    """What a stub replaced: the library's path in the bundle and its size before and after."""

    path: Path
    before: int
    after: int
    exports: int


def stub_left_out_libraries(
    bundle: Path, left_out: Iterable[LeftOut] = LEFT_OUT
) -> tuple[list[StubReport], list[tuple[Path, int]]]:
    """Replace each ``left_out`` library in ``bundle`` with a stub; drop what only they linked.

    Returns the stubs made and the (path, size) of each library dropped.
    """
    links = {path: needed(path) for path in sorted(bundle.rglob("*.so*")) if is_elf(path)}
    linked_before = {name for names in links.values() for name in names}
    reports = []
    dropped: list[tuple[Path, int]] = []
    for item in left_out:
        for path in [path for path in links if path.name.startswith(item.prefix)]:
            reports.append(_replace_with_stub(path, links, item))
            # Before the next stub counts its importers: Qml's were mostly Quick's own.
            dropped += _drop_unlinked(links, linked_before)
    for link in bundle.rglob("*"):
        if link.is_symlink() and not link.exists():
            link.unlink()
    return reports, dropped


def build_stub(
    original: Path,
    importers: Iterable[Path],
    reason: str,
    target: Path,
    probes: Iterable[Probe] = (),
) -> int:
    """Compile a stub of ``original`` into ``target``; the number of symbols it exports."""
    exports = imported_from(original, importers)
    name = soname(original)
    with tempfile.TemporaryDirectory(prefix="stub-") as work:
        source = Path(work) / "stub.c"
        script = Path(work) / "stub.map"
        source.write_text(stub_source(name, reason, exports, probes))
        script.write_text(version_script(version_definitions(original), exports))
        subprocess.run(
            [
                *("gcc", "-shared", "-fPIC", "-O2", "-fno-common", "-o", str(target), str(source)),
                *(f"-Wl,-soname,{name}", f"-Wl,--version-script,{script}", "-Wl,--no-undefined"),
            ],
            check=True,
        )
    return len(exports)


def imported_from(original: Path, importers: Iterable[Path]) -> list[Symbol]:
    """The symbols of ``original`` that ``importers`` import, with its versions, sorted by name."""
    defined, _ = dynamic_symbols(original)
    by_name = {symbol.name: symbol for symbol in defined if symbol.default_version}
    wanted: dict[str, Symbol] = {}
    for importer in importers:
        for symbol in dynamic_symbols(importer)[1]:
            match = by_name.get(symbol.name)
            if match is not None and symbol.version in (None, match.version):
                wanted[match.name] = match
    if any(symbol.kind == "TLS" for symbol in wanted.values()):
        raise ValueError(f"{original.name}: thread-local symbols cannot be stubbed")
    return [wanted[name] for name in sorted(wanted)]


def stub_source(
    library: str, reason: str, exports: Iterable[Symbol], probes: Iterable[Probe] = ()
) -> str:
    """C source: a function per FUNC/IFUNC symbol that reports and aborts, zeroed data for OBJECT.

    A probed function first gives its answer (see ``Probe``).
    """
    answers = {probe.symbol: probe for probe in probes}
    message = f"avatar-studio: {library} {STUB_MARK} ({reason}); it was called: "
    lines = [
        "#include <stdlib.h>",
        "#include <string.h>",
        "#include <unistd.h>",
        f'static const char message[] = "{message}";',
        "__attribute__((noreturn, cold)) static void left_out(const char *symbol) {",
        "    (void)!write(2, message, sizeof message - 1);",
        "    (void)!write(2, symbol, strlen(symbol));",
        '    (void)!write(2, "\\n", 1);',
        "    abort();",
        "}",
    ]
    for index, symbol in enumerate(exports):
        label = f'__asm__("{symbol.name}")'
        probe = answers.pop(symbol.name, None)
        if probe is not None:
            head = f"{probe.returns} function_{index}({probe.parameters})"
            lines.append(f"{head} {label};")
            lines.append(f'{head} {{ {probe.answer} left_out("{symbol.name}"); }}')
        elif symbol.kind in ("FUNC", "IFUNC", "NOTYPE"):
            lines.append(f"void function_{index}(void) {label};")
            lines.append(f'void function_{index}(void) {{ left_out("{symbol.name}"); }}')
        else:
            lines.append(f"char data_{index}[{symbol.size}] {label} __attribute__((aligned(16)));")
    if answers:
        raise ValueError(f"{library} exports none of {sorted(answers)}")
    return "\n".join(lines) + "\n"


def version_script(versions: list[str], exports: Iterable[Symbol]) -> str:
    """A linker version script: every version of the original, each with its exported names.

    Names the original exports unversioned go in the first node, whose default version an
    unversioned reference binds to; the stub's own helpers are local.
    """
    exports = list(exports)
    if not versions:
        names = "".join(f" {symbol.name};" for symbol in exports)
        return f"{{ global:{names} local: *; }};\n"
    nodes = []
    for version in versions:
        first = version == versions[0]
        names = "".join(
            f" {symbol.name};"
            for symbol in exports
            if symbol.version == version or (first and symbol.version is None)
        )
        hidden = " local: *;" if first else ""
        nodes.append(f"{version} {{{' global:' + names if names else ''}{hidden} }};")
    return "\n".join(nodes) + "\n"


def _replace_with_stub(path: Path, links: dict[Path, list[str]], item: LeftOut) -> StubReport:
    name = soname(path)
    importers = [other for other, names in links.items() if other != path and name in names]
    before = path.stat().st_size
    stub = path.with_name(path.name + ".stub")
    exports = build_stub(path, importers, item.reason, stub, item.probes)
    stub.replace(path)
    links[path] = needed(path)
    return StubReport(path, before, path.stat().st_size, exports)


def _drop_unlinked(links: dict[Path, list[str]], linked_before: set[str]) -> list[tuple[Path, int]]:
    """Delete libraries something linked before the stubs and nothing links now, repeatedly."""
    dropped: list[tuple[Path, int]] = []
    while True:
        linked = {name for names in links.values() for name in names}
        orphans = [path for path in links if path.name in linked_before and path.name not in linked]
        if not orphans:
            return dropped
        for path in orphans:
            dropped.append((path, path.stat().st_size))
            path.unlink()
            del links[path]
