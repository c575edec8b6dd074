"""Real speech for microphone tests: espeak-ng reads a sentence into a WAV (.ci/run installs it).

``speech_pcm`` gives it as 16-bit PCM at the rate asked for, with the stretch of it that is
voiced, so tests can compare what an engine heard with what was said.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

import av
import numpy as np

SENTENCE = "Hello, can you hear me? This is the studio's microphone."


def speech_wav(path: Path, text: str = SENTENCE) -> Path:
    """``text`` spoken by espeak-ng into ``path`` (22.05 kHz mono WAV)."""
    binary = shutil.which("espeak-ng")
    assert binary, "these tests need espeak-ng (apt-get install espeak-ng; .ci/run installs it)"
    subprocess.run([binary, "-w", str(path), text], check=True, timeout=30)
    return path


def speech_pcm(rate: int = 48_000, text: str = SENTENCE) -> bytes:
    """``text`` spoken, as mono signed 16-bit PCM at ``rate``."""
    with (
        tempfile.TemporaryDirectory() as folder,
        wave.open(str(speech_wav(Path(folder) / "speech.wav", text))) as source,
    ):
        frame = av.AudioFrame.from_ndarray(
            np.frombuffer(source.readframes(source.getnframes()), np.int16)[None, :],
            format="s16",
            layout="mono",
        )
        frame.sample_rate = source.getframerate()
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    parts = [*resampler.resample(frame), *resampler.resample(None)]
    return b"".join(bytes(part.planes[0])[: part.samples * 2] for part in parts)


def voiced_seconds(pcm: bytes, rate: int, threshold: int = 300) -> float:
    """Seconds from the first to the last sample louder than ``threshold``."""
    loud = np.flatnonzero(np.abs(np.frombuffer(pcm, np.int16).astype(np.int32)) > threshold)
    return (loud[-1] - loud[0]) / rate if loud.size else 0.0
