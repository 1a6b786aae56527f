"""Why an action was refused: a stable code for machines, a sentence in the reader's language for people.

Every refusal is raised before anything is written. The message is a lazy translation with named
parameters, rendered when it is shown, so the same refusal reads in Chinese on a Chinese page and in
English on an English one. Interfaces turn it into their own form: a Desk message, a CLI line with
exit status 1, an API body with status ``status``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refused(Exception):
    """The action is not possible now (409); nothing was changed."""

    status = 409

    def __init__(self, code: str, message, /, **params) -> None:
        self.code = code
        self.message = message
        self.params = params
        super().__init__(code)

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self), "params": {k: str(v) for k, v in self.params.items()}}


class NotAllowed(Refused, PermissionDenied):
    """The acting user's roles do not allow this here (403); nothing was changed."""

    status = 403
