"""Getting a photo into the avatar tab: from a path, a URL, the clipboard or a drop, checked off the loop.

Reading, checking and preview decoding run on worker threads (or, for URLs, as a coroutine);
results come back as one ``loaded`` signal. A newer load makes older results stale.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtGui import QImage

from studio.core.checks import ImageReport, assess_image
from studio.core.crop import SOURCE_SIDE
from studio.core.faces import FaceGeometry
from studio.core.fit import fit_under_limit
from studio.core.framing import judge_photo
from studio.core.images import PHOTO_SUFFIXES, ImageProblem, describe_bytes
from studio.core.models import DEFAULT_MODEL
from studio.core.preview import SquarePreview, prepare_square_preview
from studio.media.faces import detector_available, find_faces
from studio.media.images import SourceError, read_image_file
from studio.ui.backend.bridge import AsyncBridge, Operation

PREVIEW_SIDE = SOURCE_SIDE
"""The preview square's side: the full source resolution, so 100% zoom is honest."""


PHOTO_FILTER = (
    "Photos ("
    + " ".join(f"*{suffix} *{suffix.upper()}" for suffix in PHOTO_SUFFIXES)
    + ");;All files (*)"
)
"""The file dialogs' filter for photos, from the endings a folder's photos are picked by."""


@dataclass(frozen=True)
class LoadedImage:
    """A photo the tab holds: where it came from, its bytes, the checks and the preview."""

    source: str
    data: bytes
    report: ImageReport
    preview: SquarePreview | None
    url: str | None = None
    note: str | None = None
    """Said about the bytes, e.g. that they are a re-encoded copy."""
    faces: tuple[FaceGeometry, ...] | None = None
    """The faces found in the photo (photo pixels); None when they could not be looked for."""


def analyse(
    source: str,
    data: bytes,
    model_name: str,
    url: str | None = None,
    known: LoadedImage | None = None,
) -> LoadedImage:
    """Run the shared checks, build the preview and judge the face in each frame (blocking: call
    on a worker thread).

    ``known``: the same photo analysed before (for another model); its preview and faces are
    reused, so only the checks and the frame verdicts are worked out again.
    """
    report = assess_image(data, model_name, source)
    if known is not None and known.data is data:
        preview, faces = known.preview, known.faces
    else:
        preview, faces = _preview_and_faces(data, report)
    if preview is not None and faces is not None:
        report = report.with_faces(judge_photo(preview.width, preview.height, faces, model_name))
    return LoadedImage(source, data, report, preview, url, faces=faces)


def _preview_and_faces(
    data: bytes, report: ImageReport
) -> tuple[SquarePreview | None, tuple[FaceGeometry, ...] | None]:
    try:
        preview = prepare_square_preview(data, PREVIEW_SIDE) if report.width else None
    except (ImageProblem, OSError, ValueError):
        return None, None  # the checks already say why it cannot be decoded
    if preview is None or not detector_available():
        return preview, None
    return preview, tuple(find_faces(preview.photo, (preview.width, preview.height)))


def fit_copy(data: bytes) -> tuple[bytes, str]:
    """A re-encoded copy under the upload limit and a note saying what was done (blocking)."""
    fitted = fit_under_limit(data)
    quality = f" at quality {fitted.quality}" if fitted.quality else ""
    note = (
        f"Using a re-encoded copy: {describe_bytes(len(fitted.data))} {fitted.format}{quality}, "
        f"{fitted.width}x{fitted.height}. Your original file is unchanged."
    )
    return fitted.data, note


def is_address(text: str) -> bool:
    """True for an http(s) address (fetched from the web) rather than a file path."""
    return text.strip().lower().startswith(("http://", "https://"))


def local_path(url: QUrl) -> str:
    """The file a file:// URL names, exactly, even when its name is not valid UTF-8.

    QUrl.toLocalFile() turns such bytes into U+FFFD, naming a file that does not exist; the
    percent-encoded path keeps them, and os.fsdecode carries them to open() unchanged.
    """
    if os.name == "nt":  # Windows names are Unicode already; Qt handles drive letters
        return url.toLocalFile()
    return os.fsdecode(unquote_to_bytes(url.path(QUrl.ComponentFormattingOption.FullyEncoded)))


def qimage_to_png(image: QImage) -> bytes:
    """Encode a clipboard or dropped QImage as PNG bytes (lossless, keeps transparency)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(QByteArray(buffer.data()))


class ImageLoader(QObject):
    """Loads and re-checks photos for a widget, through the bridge, newest request winning."""

    loaded = Signal(object)  # LoadedImage
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, bridge: AsyncBridge, parent: QObject) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._generation = 0
        self.current: LoadedImage | None = None
        self.model_name = DEFAULT_MODEL
        self.url_timeout: float | None = None
        """Seconds to wait for a web address (None: the download's default)."""

    def load_text(self, text: str) -> None:
        """A path or an http(s) URL typed by the user."""
        text = text.strip()
        if is_address(text):
            self.load_url(text)
        elif text:
            self.load_path(Path(text).expanduser())

    def load_path(self, path: Path) -> None:
        def read_and_analyse() -> LoadedImage:
            try:
                data = read_image_file(path)
            except SourceError as error:
                raise _LoadProblem(str(error)) from None
            return analyse(path.name, data, self.model_name)

        self._watch(self._bridge.in_thread(self, read_and_analyse))

    def load_url(self, url: str) -> None:
        from studio.api import download_image

        generation = self._begin()
        operation = self._bridge.run(self, download_image(url, timeout=self.url_timeout))
        operation.succeeded.connect(
            lambda data: self._analyse(url.rsplit("/", 1)[-1] or url, data, url, generation)
        )
        operation.failed.connect(lambda error: self._fail(error, generation))
        operation.cancelled.connect(lambda: self._end(generation))

    def load_bytes(self, data: bytes, source: str) -> None:
        self._analyse(source, data, None, self._begin())

    def use_fitted(self, data: bytes, note: str) -> None:
        """Replace the held photo by a re-encoded copy (the original file is left alone)."""
        if self.current is not None:
            self._analyse(self.current.source, data, None, self._begin(), note)

    def load_derived(
        self, source: str, data: bytes, note: str | None = None, url: str | None = None
    ) -> None:
        """Hold other bytes for the same photo (a reframed square, or the original again)."""
        self._analyse(source, data, url, self._begin(), note)

    def set_model(self, model_name: str) -> None:
        """Checks and frames depend on the model: re-check the held photo for it (reusing its
        preview and the faces found, which do not)."""
        self.model_name = model_name
        if self.current is not None:
            current = self.current
            self._analyse(
                current.source, current.data, current.url, self._begin(), current.note, current
            )

    def _analyse(
        self,
        source: str,
        data: bytes,
        url: str | None,
        generation: int,
        note: str | None = None,
        known: LoadedImage | None = None,
    ) -> None:
        model = self.model_name
        operation = self._bridge.in_thread(self, analyse, source, data, model, url, known)
        operation.succeeded.connect(
            lambda image: self._deliver(replace(image, note=note), generation)
        )
        operation.failed.connect(lambda error: self._fail(error, generation))

    def _watch(self, operation: Operation) -> None:
        generation = self._begin()
        operation.succeeded.connect(lambda image: self._deliver(image, generation))
        operation.failed.connect(lambda error: self._fail(error, generation))

    def _begin(self) -> int:
        self._generation += 1
        self.busy_changed.emit(True)
        return self._generation

    def _end(self, generation: int) -> bool:
        if generation != self._generation:
            return False  # a newer load has started; this result is stale
        self.busy_changed.emit(False)
        return True

    def _deliver(self, image: LoadedImage, generation: int) -> None:
        if self._end(generation):
            self.current = image
            self.loaded.emit(image)

    def _fail(self, error: Exception, generation: int) -> None:
        from studio.api.errors import AnamError, describe

        if self._end(generation):
            self.current = None  # what the tab holds must be what it shows: nothing usable
            if isinstance(error, AnamError | _LoadProblem):
                message = describe(error)
            else:  # a bug: Python's own wording would mean nothing to the person helping
                message = "The photo could not be checked because of an unexpected problem."
            self.failed.emit(message)


class _LoadProblem(Exception):
    """A photo that could not be read at all; the message is for people."""
