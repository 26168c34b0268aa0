"""Page sections a higher app adds to a lower app's page, without the lower app naming it.

A page that other apps may extend (the committee page shows the committee's proposals today, its
dugnads and agreements next) owns a :class:`PageSections` registry and renders each of its slots
with a template tag. A higher app registers, in its ``AppConfig.ready``, a template and a function
that builds that template's context; the page loads nothing of the higher app::

    # committees/sections.py (the page's owner)
    committee_page = PageSections("committee page", slots=["top", "main"])

    # proposals/apps.py (the higher app)
    committee_page.register("main", "proposals/_committee_proposals.html", proposals_context)

A context function is called as ``context_function(context, obj)`` with the page's template
context and the page's object; it returns a dict, or ``None`` to show nothing. Each section is
rendered like an inclusion tag (in a new context that keeps autoescaping, localisation and the
CSRF token), in the order of ``order``, then registration.

A section repeated on every row of a list (an inbox's row) may also register ``prepare``, called
as ``prepare(objects)`` once for the whole list by the page's view (``sections.prepare(slot,
rows)``), to load what its rows show in one query (``prefetch_related_objects``) rather than one
per row; the page still names nothing of the higher app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template import Context
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    slot: str
    template_name: str
    context_function: Callable
    order: int
    prepare: Callable | None = None


class PageSections:
    def __init__(self, name: str, *, slots: list[str]):
        self.name = name
        self.slots = list(slots)
        self._sections: list[Section] = []

    def register(
        self,
        slot: str,
        template_name: str,
        context_function: Callable,
        *,
        order: int = 100,
        prepare: Callable | None = None,
    ) -> None:
        """Add a section; registering the same template in the same slot again replaces it (so
        a second ``ready()``, as in some test runners, does not show it twice)."""
        if slot not in self.slots:
            raise ValueError(f"The {self.name} has no slot {slot!r}; it has {self.slots}.")
        self._sections = [
            s for s in self._sections if (s.slot, s.template_name) != (slot, template_name)
        ]
        self._sections.append(Section(slot, template_name, context_function, order, prepare))

    def sections(self, slot: str) -> list[Section]:
        ordered = sorted(enumerate(self._sections), key=lambda item: (item[1].order, item[0]))
        return [section for _, section in ordered if section.slot == slot]

    def prepare(self, slot: str, objects) -> None:
        """Let every section of ``slot`` load what it shows for ``objects`` (a list page's
        rows, the very instances the page renders) at once, before the rows are rendered."""
        objects = list(objects)
        if not objects:
            return
        for section in self.sections(slot):
            if section.prepare is not None:
                section.prepare(objects)

    def render(self, slot: str, context: Context, obj) -> SafeString:
        """Every section of ``slot`` for ``obj``, rendered in order (empty if none is registered)."""
        engine = context.template.engine
        html = SafeString()
        for section in self.sections(slot):
            data = section.context_function(context, obj)
            if data is None:
                continue
            new_context = context.new(data)
            csrf_token = context.get("csrf_token")
            if csrf_token is not None:
                new_context["csrf_token"] = csrf_token
            # A rendered template is safe, and safe + safe stays safe: nothing is marked by hand.
            html += engine.get_template(section.template_name).render(new_context)
        return html


def context_user(context):
    """The person the page is for, from a section's template context (the request's user, else
    the context's ``user``): what a context function checks permissions with."""
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")
