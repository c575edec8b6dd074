"""The avatar platforms the studio can talk to: one list for configuration, clients and the UI."""

from __future__ import annotations

from enum import StrEnum


class ProviderKind(StrEnum):
    """The avatar platforms the studio can talk to."""

    ANAM = "anam"
    NAPSTER = "napster"


PROVIDER_LABELS = {ProviderKind.ANAM: "Anam", ProviderKind.NAPSTER: "Napster"}
