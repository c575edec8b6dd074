"""studio.core.napster: the rules the client and the sandbox both apply, and the status words."""

from __future__ import annotations

import pytest

from studio.core.napster import (
    COMPLETED,
    FAILED,
    PENDING,
    READY_TO_USE,
    TERMINAL,
    USABLE,
    check_companion_fields,
    check_external_client_id,
    check_public_https_url,
    check_twin_fields,
    status_label,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/a.png",
        "https://bucket.s3.eu-west-1.amazonaws.com/photos/a%20b.png?X-Amz-Expires=604800",
        "https://8.8.8.8/a.png",
        "HTTPS://CDN.EXAMPLE.COM/A.PNG",
    ],
)
def test_public_https_urls_pass(url):
    assert check_public_https_url(url) is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://cdn.example.com/a.png", "https://"),
        ("file:///home/me/a.png", "https://"),
        ("https://localhost:8443/a.png", "not reachable from the internet"),
        ("https://studio.localhost/a.png", "not reachable"),
        ("https://127.0.0.1/a.png", "not reachable"),
        ("https://172.16.4.2/a.png", "not reachable"),
        ("https://169.254.1.1/a.png", "not reachable"),
        ("https://[::1]/a.png", "not reachable"),
        ("https://[fd00::1]/a.png", "not reachable"),
        ("https://nas/a.png", "not reachable"),
        ("https:///a.png", "no host"),
        ("https://[::1/a.png", "not a valid URL"),
        ("", "required"),
        (None, "required"),
    ],
)
def test_other_urls_are_refused_with_a_reason(url, words):
    violation = check_public_https_url(url, "videoUrl")
    assert violation is not None
    assert violation.field == "videoUrl"
    assert words in violation.message


@pytest.mark.parametrize("value", ["a", "grace_01", "A-b_C", "x" * 32])
def test_external_client_ids_that_fit(value):
    assert check_external_client_id(value) is None


@pytest.mark.parametrize("value", ["", "has space", "x" * 33, "émile", "a/b", 12])
def test_external_client_ids_that_do_not(value):
    assert check_external_client_id(value) is not None


def test_companion_needs_only_a_description_and_valid_choices():
    assert check_companion_fields({"description": "A guide"}) == []
    problems = check_companion_fields(
        {"description": " ", "gender": "other", "version": "v3", "tags": {"a": 1}}
    )
    assert [p.field for p in problems] == ["description", "version", "gender", "tags"]


def test_twin_lists_each_missing_field_once():
    problems = check_twin_fields({"description": "Someone", "gender": "female"})
    assert [p.field for p in problems] == [
        "firstName",
        "lastName",
        "ethnicity",
        "externalClientId",
        "voiceUrl",
    ]


def test_statuses_read_as_plain_words_and_group_as_documented():
    assert status_label(PENDING) == "Generating"
    assert status_label(READY_TO_USE) == "Ready to use (not editable yet)"
    assert status_label("rendering") == "Unknown status “rendering”"
    assert status_label(None) == "Status unknown"
    assert {READY_TO_USE, COMPLETED} == USABLE
    assert FAILED in TERMINAL and READY_TO_USE not in TERMINAL
