"""Who may read what: the access level a paper carries and the levels each role reads.

A council publishes most papers (`public`); some go to councillors before publication
(`members`); exempt ("Part 2", confidential) papers are for officers only (`restricted`).
"""

from typing import Literal

AccessLevel = Literal["public", "members", "restricted"]
Role = Literal["public", "member", "officer"]

ACCESS_LEVELS: tuple[AccessLevel, ...] = ("public", "members", "restricted")
ROLES: tuple[Role, ...] = ("public", "member", "officer")

# Each role reads its own level and every level below it.
READABLE: dict[Role, tuple[AccessLevel, ...]] = {
    "public": ("public",),
    "member": ("public", "members"),
    "officer": ("public", "members", "restricted"),
}


def readable_levels(role: Role) -> tuple[AccessLevel, ...]:
    """The access levels a role may read; an unknown role reads nothing."""
    return READABLE.get(role, ())


def check_level(value: str) -> AccessLevel:
    """`value` as an access level, or ValueError naming the allowed ones."""
    level = value.strip().lower()
    if level not in ACCESS_LEVELS:
        raise ValueError(f"{value!r} is not an access level; expected one of {', '.join(ACCESS_LEVELS)}")
    return level  # type: ignore[return-value]
