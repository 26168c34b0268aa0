"""The dugnads' pages: public (list, detail), signing up, the organisers' pages."""

from .public import dugnad_detail, dugnad_list

__all__ = ["dugnad_detail", "dugnad_list"]
