"""An e-mail the portal sends by itself to someone outside the notification engine (an
invitation to an address without an account, a guest's sign-up): text and HTML saying the
same, in the language of its words, marked as automatic so no out-of-office reply comes back
(RFC 3834), answered to the committee's address when it has one."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives


def automatic_email(
    *, subject: str, text: str, html: str, to: str, language: str, reply_to: str = ""
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={"Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message
