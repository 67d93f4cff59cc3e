"""One path from a form to an action: actions raise a refusal, pages show it on the form.

Every app's refusal (OrderError, StockError, InfusionError...) subclasses ActionRefused, so a page catches one
type; a version clash (someone saved after this page was loaded) is a ConflictRefused and answers 409.
"""

from __future__ import annotations

from types import TracebackType

from django import forms


class ActionRefused(Exception):
    """An action was refused and nothing was written; the message says why, for the person at the screen."""


class ConflictRefused(ActionRefused):
    """Someone saved the same record after this page loaded it (optimistic locking): reload and try again."""


class refusals_to:
    """Show a refusal raised in the block on `form` (a non-field error) instead of letting it escape.

    `with refusals_to(form) as outcome:` run the action and return the success response inside the block;
    after it, `outcome.error` is the refusal and `outcome.status` the status to re-render the form with.
    """

    def __init__(self, form: forms.BaseForm) -> None:
        self.form = form
        self.error: ActionRefused | None = None

    def __enter__(self) -> refusals_to:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> bool:
        if not isinstance(error, ActionRefused):
            return False
        self.error = error
        self.form.add_error(None, str(error))
        return True

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, ConflictRefused)

    @property
    def status(self) -> int:
        """409 for a version clash, 422 for a refused or invalid form, 200 for a form not yet sent."""
        if self.conflict:
            return 409
        return 422 if self.form.is_bound else 200
