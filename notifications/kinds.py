"""The registry of notification kinds. Domain apps register theirs in ``AppConfig.ready()``.

A kind names its category (the value of one registered in ``categories``, which decides how the
recipient hears about it) and its template, ``notifications/kinds/<key>.txt``: the first line is
the subject, the rest the text. The e-mail's HTML part wraps that same text, so both parts always
say the same thing.

A kind is rendered once per language and the words shared by every recipient, unless it is
``personal``: its template reads ``recipient`` (the board term notices say "your term" to the
member and "X's term" to the leader), so it is rendered for each person.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    category: str
    label: str
    personal: bool = False

    @property
    def template_name(self) -> str:
        return f"notifications/kinds/{self.key}.txt"


_KINDS: dict[str, Kind] = {}


def register(key: str, *, category: str, label, personal: bool = False) -> Kind:
    """Register a kind once; registering the same key again with other values is a bug."""
    kind = Kind(key=key, category=category, label=label, personal=personal)
    existing = _KINDS.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {key!r} is already registered differently.")
    _KINDS[key] = kind
    return kind


def get(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it first.") from None


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)
