"""Which failures are the user's to fix (shown as one clear message) and which are bugs."""

from __future__ import annotations


class UserError(Exception):
    """A problem the person at the keyboard can fix; shown as it is, in one line."""


def is_user_error(error: BaseException) -> bool:
    from cardsender.calllog.csvfile import FileProblem
    from cardsender.calllog.importer import ImportCancelled
    from cardsender.calllog.parsing import ValueProblem
    from cardsender.calllog.presets import PresetError
    from cardsender.mailroom import BatchCancelled
    from cardsender.phones import PhoneError
    from cardsender.render.card import CardProblem
    from cardsender.render.fit import NoteDoesNotFit
    from cardsender.render.fonts import FontError
    from cardsender.store import CardStateError, StoreError
    from cardsender.templates import MergeError, TemplateError

    return isinstance(error, (UserError, StoreError, CardStateError, FileProblem, PresetError, ValueProblem,
                              PhoneError, ImportCancelled, CardProblem, NoteDoesNotFit, FontError, MergeError,
                              TemplateError, BatchCancelled))
