"""Placeholder until its helper lands it: registered in ``GrantsConfig.ready``."""


def register() -> None:
    pass
