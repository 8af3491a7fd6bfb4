"""Password policies (R2) as pure rules; every broken rule gets its own message that names it.

Two presets, chosen with ``PASSWORD_POLICY``:

- ``seed`` (default): rule R2 of docs/domain.md (the insurers' own user guide promises it): 8-12 characters, at least one digit and one letter,
  none of `` ` < > / " ' & \\ ``. Kept as the default because the insurers' own documentation
  promises it to their users.
- ``strong``: NIST SP 800-63B style: at least 12 and up to 128 characters (so pass phrases and
  password managers work), no composition rules, and refusal of common, leaked or published
  passwords (see ``PASSWORD_LISTS``; the demo password of the README is among them). Choose it
  when the platform's security officer may deviate from the seed: length beats composition rules, and
  the seed's 12-character maximum and forbidden characters rule out password managers' output.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SEED_FORBIDDEN = frozenset("`<>/\"'&\\")


#: Lists shipped with the package (lower case, one a line; ``#`` starts a comment line):
#: a top-20,000 list of common passwords (source and licence in ``common_passwords_top20k.NOTICE``),
#: this project's own additions (Dutch words and patterns), and the passwords the project publishes
#: itself (the demo accounts'), which everyone can read in the README.
PASSWORD_LISTS = ("common_passwords_top20k.txt.gz", "common_passwords.txt", "published_passwords.txt")


def _read_list(name: str) -> list[str]:
    data = resources.files("identity.domain").joinpath(name).read_bytes()
    text = (gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8")
    return [line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Common, leaked and published passwords (lower case), from the lists shipped with the package."""
    return frozenset(entry for name in PASSWORD_LISTS for entry in _read_list(name))


_RUNS = ("0123456789" * 14, "abcdefghijklmnopqrstuvwxyz" * 5, "qwertyuiopasdfghjklzxcvbnm" * 5)


def _is_run(lowered: str) -> bool:
    """Sequences such as 1234567890123, abcdefghijklm, qwertyuiop... (or reversed)."""
    return any(lowered in run or lowered[::-1] in run for run in _RUNS)


def _is_common(password: str, username: str | None) -> bool:
    lowered = password.lower()
    if username and username.lower() in lowered:
        return True
    # "wachtwoord2026!" is as weak as "wachtwoord": strip trailing digits and punctuation too.
    stripped = re.sub(r"[\d\W_]+$", "", lowered)
    listed = common_passwords()
    return (
        lowered in listed or (len(stripped) >= 4 and stripped in listed) or len(set(lowered)) <= 2 or _is_run(lowered)
    )


@dataclass(frozen=True)
class PasswordPolicy:
    name: str
    min_length: int
    max_length: int
    require_digit: bool
    require_letter: bool
    forbidden: frozenset[str]
    reject_common: bool
    rule: str  # how messages name the rule

    def violations(self, password: str, username: str | None = None) -> list[str]:
        """Every broken rule, each with its own message naming the rule; empty when the password is fine."""
        found: list[str] = []
        if len(password) < self.min_length:
            found.append(
                f"{self.rule} minimale lengte: het wachtwoord moet minstens {self.min_length} tekens hebben "
                f"(nu {len(password)})."
            )
        if len(password) > self.max_length:
            found.append(
                f"{self.rule} maximale lengte: het wachtwoord mag hoogstens {self.max_length} tekens hebben "
                f"(nu {len(password)})."
            )
        if self.require_digit and not any(ch in "0123456789" for ch in password):
            found.append(f"{self.rule} cijfer: het wachtwoord moet minstens één cijfer bevatten.")
        if self.require_letter and not any(ch.isalpha() for ch in password):
            found.append(f"{self.rule} letter: het wachtwoord moet minstens één letter bevatten.")
        bad = sorted({ch for ch in password if ch in self.forbidden})
        if bad:
            found.append(
                f"{self.rule} verboden tekens: het wachtwoord mag geen van deze tekens bevatten: "
                f"{' '.join(sorted(self.forbidden))} (gevonden: {' '.join(bad)})."
            )
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
            found.append(
                f"{self.rule} stuurtekens: het wachtwoord mag geen stuurtekens (zoals tab of regeleinde) bevatten."
            )
        if self.reject_common and _is_common(password, username):
            found.append(
                f"{self.rule} veelgebruikt: dit wachtwoord is te voorspelbaar (het staat op een lijst van veelgebruikte "
                "of gelekte wachtwoorden, of bevat de gebruikersnaam)."
            )
        return found


SEED = PasswordPolicy(
    name="seed",
    min_length=8,
    max_length=12,
    require_digit=True,
    require_letter=True,
    forbidden=SEED_FORBIDDEN,
    reject_common=False,
    rule="R2",
)
STRONG = PasswordPolicy(
    name="strong",
    min_length=12,
    max_length=128,
    require_digit=False,
    require_letter=False,
    forbidden=frozenset(),
    reject_common=True,
    rule="Wachtwoordbeleid 'strong'",
)
PRESETS = {policy.name: policy for policy in (SEED, STRONG)}
