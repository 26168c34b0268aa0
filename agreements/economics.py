"""The economic picture of an agreement, per year, and rolled up per committee and department.
(Placeholder: built by the economics work; the interface is fixed.)"""

from dataclasses import dataclass, field


@dataclass
class AgreementPicture:
    years: list = field(default_factory=list)


def agreement_picture(*, agreement) -> AgreementPicture:
    return AgreementPicture()
