"""The registry of notification categories: the topics people choose how often to hear about.

Each domain app registers its own category (with its label and the help text the settings page
shows) in ``AppConfig.ready()``, next to its kinds, so this app never names the apps above it.
A category is stored on rows as its ``value``; the registry gives it its words.
"""

from dataclasses import dataclass

from . import kinds


@dataclass(frozen=True)
class Category:
    value: str
    label: str
    help_text: str
    # Where it stands on the settings page: lower first, then in the order apps registered.
    order: int = 100

    def __str__(self) -> str:
        return self.value


_CATEGORIES: dict[str, Category] = {}


def register_category(value: str, *, label, help_text, order: int = 100) -> Category:
    """Register a category once; registering the same value again with other words is a bug."""
    category_ = Category(value=value, label=label, help_text=help_text, order=order)
    existing = _CATEGORIES.get(value)
    if existing is not None:
        if existing != category_:
            raise ValueError(f"Notification category {value!r} is already registered differently.")
        return existing
    _CATEGORIES[value] = category_
    return category_


def category(value: str) -> Category:
    try:
        return _CATEGORIES[str(value)]
    except KeyError:
        raise LookupError(f"Unknown notification category {value!r}; register it first.") from None


def is_registered(value: str) -> bool:
    return str(value) in _CATEGORIES


def label_of(value: str) -> str:
    """The category's label, or the stored value itself for one no app registers any more."""
    registered = _CATEGORIES.get(str(value))
    return registered.label if registered is not None else str(value)


def categories() -> list[Category]:
    """Every registered category, by ``order`` and then in the order they were registered."""
    position = {value: index for index, value in enumerate(_CATEGORIES)}
    return sorted(_CATEGORIES.values(), key=lambda c: (c.order, position[c.value]))


def categories_in_use() -> list[Category]:
    """Categories some app sends notifications in: the only ones worth a setting."""
    used = {kind.category for kind in kinds.all_kinds()}
    return [category_ for category_ in categories() if category_.value in used]
