"""The session-token request as one typed value: what the Session tab's form holds, what the
client sends to ``POST /v1/auth/session-token``, and what files, drafts and the history keep.

``to_body()`` is the exact JSON body (camelCase, only what is set, in the order the studio has
always shown it); ``from_body`` reads one back (fields the studio does not know are kept as they
are). ``problems()`` is the one place the request is checked against the rules in studio.core
before anything is sent. Pure data: no Qt, no HTTP, so widgets load it before the client.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from studio.core.models import DEFAULT_MODEL, MODELS, get_model
from studio.core.rules import (
    RuleViolation,
    check_director_notes,
    check_video_quality,
    check_video_size,
)

Body = dict[str, Any]

# camelCase key -> attribute, in the order to_body writes them
_PERSONA_TEXT = {
    "avatarId": "avatar_id",
    "avatarModel": "avatar_model",
    "voiceId": "voice_id",
    "llmId": "llm_id",
    "name": "name",
    "systemPrompt": "system_prompt",
    "initialMessage": "initial_message",
    "languageCode": "language_code",
}
_NOTES = {
    "presetStyle": "preset_style",
    "customStylePrompt": "custom_style_prompt",
    "expressivity": "expressivity",
}
_OPTIONS = {
    "videoQuality": "video_quality",
    "videoWidth": "video_width",
    "videoHeight": "video_height",
}
_PERSONA_KEYS = (*_PERSONA_TEXT, "maxSessionLengthSeconds", "skipGreeting", "directorNotes")


@dataclass(frozen=True)
class DirectorNotes:
    """Per-session performance overrides (Cara 4): a preset or a custom prompt, and expressivity."""

    preset_style: str | None = None
    custom_style_prompt: str | None = None
    expressivity: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_body(self) -> Body:
        return {**_set_fields(self, _NOTES), **self.extra}

    @classmethod
    def from_body(cls, notes: Mapping[str, Any]) -> DirectorNotes:
        where = "personaConfig.directorNotes"
        return cls(
            preset_style=_text(notes, "presetStyle", where),
            custom_style_prompt=_text(notes, "customStylePrompt", where),
            expressivity=_number(notes, "expressivity", where),
            extra=_rest(notes, _NOTES),
        )

    def problems(self) -> list[RuleViolation]:
        """Why the server would refuse these notes (one style at most, a short prompt, 0-1)."""
        return check_director_notes(self.to_body())


@dataclass(frozen=True)
class EphemeralPersona:
    """A persona configured at token time (every field optional; what is None is not sent)."""

    avatar_id: str | None = None
    avatar_model: str | None = None
    voice_id: str | None = None
    llm_id: str | None = None
    name: str | None = None
    system_prompt: str | None = None
    initial_message: str | None = None
    language_code: str | None = None
    max_session_length_seconds: int | None = None
    skip_greeting: bool | None = None
    director_notes: DirectorNotes | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_body(self) -> Body:
        body = _set_fields(self, _PERSONA_TEXT)
        if self.max_session_length_seconds is not None:
            body["maxSessionLengthSeconds"] = self.max_session_length_seconds
        if self.skip_greeting is not None:
            body["skipGreeting"] = self.skip_greeting
        if self.director_notes is not None:
            body["directorNotes"] = self.director_notes.to_body()
        return {**body, **self.extra}

    def persona_fields(self) -> Body:
        """The fields a saved persona keeps (create/update persona): no length, no notes."""
        body = self.to_body()
        body.pop("maxSessionLengthSeconds", None)
        body.pop("directorNotes", None)
        return body

    @classmethod
    def from_body(cls, config: Mapping[str, Any]) -> EphemeralPersona:
        where = "personaConfig"
        notes = config.get("directorNotes")
        if notes is not None and not isinstance(notes, Mapping):
            raise ValueError("personaConfig.directorNotes must be an object.")
        length = config.get("maxSessionLengthSeconds")
        if length is not None and (isinstance(length, bool) or not isinstance(length, int)):
            raise ValueError("personaConfig.maxSessionLengthSeconds must be a whole number.")
        skip = config.get("skipGreeting")
        if skip is not None and not isinstance(skip, bool):
            raise ValueError("personaConfig.skipGreeting must be true or false.")
        texts = {name: _text(config, key, where) for key, name in _PERSONA_TEXT.items()}
        return cls(
            **texts,
            max_session_length_seconds=length,
            skip_greeting=skip,
            director_notes=DirectorNotes.from_body(notes) if notes is not None else None,
            extra=_rest(config, _PERSONA_KEYS),
        )


@dataclass(frozen=True)
class SavedPersona:
    """A persona stored on the server, referred to by id (None: none chosen yet)."""

    persona_id: str | None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_body(self) -> Body:
        return {"personaId": self.persona_id, **self.extra}


@dataclass(frozen=True)
class OutputOptions:
    """The session's output: size (both or neither: the model's default), quality, replay."""

    video_quality: str | None = None
    video_width: int | None = None
    video_height: int | None = None
    session_replay: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_body(self) -> Body:
        body = _set_fields(self, _OPTIONS)
        if self.session_replay is not None:
            body["sessionReplay"] = {"enableSessionReplay": self.session_replay}
        return {**body, **self.extra}

    @classmethod
    def from_body(cls, options: Mapping[str, Any]) -> OutputOptions:
        replay = options.get("sessionReplay")
        if isinstance(replay, Mapping):
            replay = replay.get("enableSessionReplay", True)
        if replay is not None and not isinstance(replay, bool):
            raise ValueError("sessionOptions.sessionReplay must be true or false.")
        return cls(
            video_quality=_text(options, "videoQuality", "sessionOptions"),
            video_width=options.get("videoWidth"),
            video_height=options.get("videoHeight"),
            session_replay=replay,
            extra=_rest(options, (*_OPTIONS, "sessionReplay")),
        )


Persona = EphemeralPersona | SavedPersona


@dataclass(frozen=True)
class SessionRequest:
    """Everything one session token is minted for."""

    persona: Persona
    options: OutputOptions = OutputOptions()
    client_label: str | None = None

    @property
    def ephemeral(self) -> EphemeralPersona | None:
        return self.persona if isinstance(self.persona, EphemeralPersona) else None

    @property
    def max_seconds(self) -> int | None:
        """The session's length limit when the request sets one (a saved persona's is its own)."""
        return self.ephemeral.max_session_length_seconds if self.ephemeral else None

    def to_body(self) -> Body:
        """The exact POST /v1/auth/session-token body (sessionOptions only when any is set)."""
        body: Body = {"personaConfig": self.persona.to_body()}
        if options := self.options.to_body():
            body["sessionOptions"] = options
        if self.client_label is not None:
            body["clientLabel"] = self.client_label
        return body

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> SessionRequest:
        """The request a body (a file's, a draft's, a history entry's) holds; ValueError if none."""
        config = body.get("personaConfig")
        if not isinstance(config, Mapping):
            raise ValueError("personaConfig must be an object.")
        options = body.get("sessionOptions") or {}
        if not isinstance(options, Mapping):
            raise ValueError("sessionOptions must be an object.")
        label = body.get("clientLabel")
        if label is not None and not isinstance(label, str):
            raise ValueError("clientLabel must be text.")
        if "personaId" in config:
            persona: Persona = SavedPersona(
                _text(config, "personaId", "personaConfig"), _rest(config, ("personaId",))
            )
        else:
            persona = EphemeralPersona.from_body(config)
        return cls(persona, OutputOptions.from_body(options), label)

    def problems(self) -> list[RuleViolation]:
        """What the rules in studio.core refuse in this request (nothing is sent while any)."""
        violations: list[RuleViolation | None] = []
        model = None
        if isinstance(self.persona, SavedPersona):
            if not self.persona.persona_id:
                violations.append(
                    RuleViolation("personaConfig.personaId", "Choose a saved persona.")
                )
        else:
            if self.persona.director_notes is not None:
                violations += self.persona.director_notes.problems()
            model = get_model(self.persona.avatar_model) if self.persona.avatar_model else None
        width, height = self.options.video_width, self.options.video_height
        # Without a known model only the "both or neither" half of the size rule can be checked.
        if model is not None or (width is None) != (height is None):
            violations.append(check_video_size(model or MODELS[DEFAULT_MODEL], width, height))
        violations.append(check_video_quality(self.options.video_quality))
        return [violation for violation in violations if violation is not None]


def _set_fields(value: object, names: Mapping[str, str]) -> Body:
    found = ((key, getattr(value, name)) for key, name in names.items())
    return {key: item for key, item in found if item is not None}


def _rest(body: Mapping[str, Any], known: Collection[str]) -> dict[str, Any]:
    """What the studio has no field for, kept as it came (the API accepts more than we offer)."""
    return {str(key): item for key, item in body.items() if key not in known}


def _text(body: Mapping[str, Any], key: str, where: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where}.{key} must be text.")
    return value


def _number(body: Mapping[str, Any], key: str, where: str) -> float | None:
    value = body.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ValueError(f"{where}.{key} must be a number.")
    return value
