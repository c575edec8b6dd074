"""The recording's audio mix: sources at their own rates land where they arrived, summed, with
silence where nobody spoke; sound that arrives after its stretch was written is not smeared in."""

from __future__ import annotations

import numpy as np

from studio.media.audio_mix import RATE, AudioMixer
from tests.ui.live_frames import tone_frame


def loudness(block: np.ndarray, start: float, end: float) -> int:
    return int(np.abs(block[round(start * RATE) : round(end * RATE)]).max())


def mic_chunk(level: int, seconds: float = 0.02, rate: int = 16_000) -> bytes:
    return (np.full(round(seconds * rate), level, dtype=np.int16)).tobytes()


def test_persona_and_microphone_are_mixed_on_the_arrival_clock() -> None:
    mixer = AudioMixer()
    for step in range(50):  # the persona: 1 s of 20 ms frames from 0 s
        mixer.add_frame("persona", tone_frame(), (step + 1) * 0.02)
    for step in range(25):  # the microphone, 16 kHz mono, from 0.5 s to 1.0 s
        mixer.add_pcm("microphone", mic_chunk(3000), 16_000, 1, 0.5 + (step + 1) * 0.02)
    mixed = mixer.rest(2.0)

    assert mixed.shape == (2 * RATE, 2)  # stereo, to the end asked for
    persona_only = loudness(mixed, 0.05, 0.45)
    assert 7000 < persona_only < 8500  # the tone's peak (8000), resampled
    assert loudness(mixed, 0.55, 0.95) > persona_only + 2000  # both at once: summed
    assert loudness(mixed, 1.1, 2.0) == 0  # nobody spoke: silence, not a shorter track


def test_settled_sound_is_handed_out_once_and_late_sound_is_dropped() -> None:
    mixer = AudioMixer()
    for step in range(50):
        mixer.add_frame("persona", tone_frame(), (step + 1) * 0.02)
    first = mixer.settled(1.0)
    assert len(first) == round(0.7 * RATE)  # 0.3 s kept back for sources still arriving
    assert mixer.settled(1.0) is None  # nothing new
    assert mixer.settled(1.05) is None  # not yet a block's worth
    mixer.add_pcm("microphone", mic_chunk(20_000), 16_000, 1, 0.3)  # stamped long ago
    rest = mixer.rest(1.0)
    assert len(first) + len(rest) == RATE
    assert loudness(rest, 0.0, 0.3) < 8500  # the late chunk did not land on later sound
