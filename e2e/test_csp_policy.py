"""The served-policy check itself (e2e.witnesses.csp_policy.looseness), on purpose: it passes the fix's own
policy and refuses every way of loosening it that the served-policy tests exist to catch, in any directive,
header and meta alike. No browser: these are the checks test_csp.py applies to what the server sends."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from e2e.witnesses.csp_policy import CODE_DIRECTIVES, LOCKDOWN, UNSAFE_KEYWORDS, looseness, parse_policy
from fake_fal.models import MEDIA_HOSTS
from media_app import csp
from media_app.profiles import Profile

pytestmark = pytest.mark.csp

API_HOSTS = ("fal.run", "queue.fal.run")
FIXED = Profile.parse("fixed")
DIRECTIVES = list(csp.directives(FIXED))
LOOSE_SOURCES = [
    *UNSAFE_KEYWORDS, "*", "https://*.fal.media", "https:", "http:", "wss:", "https://cdn.example.com",
]  # fmt: skip
# The policy as each place serves it: the <meta> (web) and the header (with its reporting directives).
POLICIES: dict[str, Callable[[Profile], str]] = {"meta": csp.meta_policy, "header": csp.header_policy}


def loosened(where: str, directive: str, source: str) -> str:
    """The fix's policy as served in `where`, with `source` added to `directive`."""
    parts = []
    for part in POLICIES[where](FIXED).split(";"):
        tokens = part.split()
        parts.append(" ".join([*tokens, source]) if tokens and tokens[0] == directive else part)
    return ";".join(parts)


@pytest.mark.parametrize("where", list(POLICIES))
def test_the_fix_policy_is_tight(where: str) -> None:
    assert looseness(parse_policy(POLICIES[where](FIXED)), MEDIA_HOSTS, API_HOSTS) == []


@pytest.mark.parametrize("where", list(POLICIES))
@given(directive=st.sampled_from(DIRECTIVES), source=st.sampled_from(LOOSE_SOURCES))
def test_any_unsafe_keyword_wildcard_or_bare_scheme_in_any_directive_is_refused(
    where: str, directive: str, source: str
) -> None:
    problems = looseness(parse_policy(loosened(where, directive, source)), MEDIA_HOSTS, API_HOSTS)

    named = [problem for problem in problems if problem.startswith(directive) and source in problem]
    assert named, f"{source!r} in the {where} policy's {directive} should be refused; found {problems}"


@pytest.mark.parametrize("where", list(POLICIES))
@given(
    directive=st.sampled_from(CODE_DIRECTIVES), host=st.sampled_from(["https://fal.run", "https://fal.media"])
)
def test_a_fal_host_where_code_loads_is_refused(where: str, directive: str, host: str) -> None:
    problems = looseness(parse_policy(loosened(where, directive, host)), MEDIA_HOSTS, API_HOSTS)

    assert [problem for problem in problems if problem.startswith(directive) and host in problem], (
        f"{host} in the {where} policy's {directive} should be refused (FAL serves no code); found {problems}"
    )


@pytest.mark.parametrize("where", list(POLICIES))
@pytest.mark.parametrize(
    ("directive", "source"),
    [("object-src", "'self'"), ("base-uri", "https://fal.media"), ("form-action", "blob:")],
)
def test_a_widened_lockdown_directive_is_refused(where: str, directive: str, source: str) -> None:
    problems = looseness(parse_policy(loosened(where, directive, source)), MEDIA_HOSTS, API_HOSTS)

    assert any(problem.startswith(directive) for problem in problems), (
        f"{source} in the {where} policy's {directive} should be refused; found {problems}"
    )


@pytest.mark.parametrize("where", list(POLICIES))
@pytest.mark.parametrize("directive", list(LOCKDOWN))
def test_a_dropped_lockdown_directive_is_refused(where: str, directive: str) -> None:
    policy = parse_policy(POLICIES[where](FIXED))
    del policy[directive]

    assert any(problem.startswith(directive) for problem in looseness(policy, MEDIA_HOSTS, API_HOSTS))
