"""Writing an accepted import: new rows and changed rows in bulk, each with its history row."""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history, bulk_update_with_history


def save_with_history(model, new: list, changed: list, fields: list[str], acting_user) -> None:
    if new:
        bulk_create_with_history(new, model, default_user=acting_user, batch_size=2000)
    if changed:
        bulk_update_with_history(changed, model, fields, default_user=acting_user)
