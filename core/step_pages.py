"""A step page: the form a party fills in to take one step of a step table (publish, cancel
with a reason, terminate with a reason), the same for every app.

The app's view decides who may be there and which step it is; :func:`step_page` does the rest:
the message field (left out for a step without words), the service call, the service's refusal
shown on the form (a 400, nothing taken), and the "done" message and redirect once taken.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import apply_service_errors


def step_page(
    request,
    *,
    obj,
    step,
    texts: dict,
    form_class,
    take: Callable[..., object],
    template: str,
    context_name: str,
):
    """``texts`` from ``core.steps.step_page_texts``; ``take(message=)`` calls the app's
    service; ``obj`` is redirected to when done and is ``context_name`` in the template."""
    form = form_class(
        request.POST if request.method == "POST" else None,
        label=texts["label"],
        required=step.message_required,
        required_message=texts["required_message"],
    )
    if not (step.message_required or step.message_label):
        del form.fields["message"]  # a step without words (publishing, sending): the button
    if request.method == "POST" and form.is_valid():
        try:
            take(message=form.cleaned_data.get("message", ""))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, texts["done"])
            return redirect(obj)
    return render(
        request,
        template,
        {context_name: obj, "to_state": step.target, "form": form, **texts},
        status=400 if form.errors else 200,
    )
