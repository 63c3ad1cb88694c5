"""The Privacy section's questions (confirmations, the export file), replaceable by tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from hearth.core.units import human_bytes
from hearth.ui.dialogs import confirm

#: What the user types to confirm Delete all my data.
DELETE_ALL_WORD = "DELETE"
MAX_LISTED = 10


def deletion_text(label: str, targets: Sequence[Path], size: int | None) -> tuple[str, str]:
    """The question and the exact list of what a location's Delete removes."""
    listed = [f"• {path}" for path in targets[:MAX_LISTED]]
    if len(targets) > MAX_LISTED:
        listed.append(f"… and {len(targets) - MAX_LISTED} more")
    amount = f" ({human_bytes(size)})" if size is not None else ""
    return (f"Delete {label.lower()}?",
            f"This deletes the following from your disk{amount}. It cannot be undone.\n\n" + "\n".join(listed))


class PrivacyPrompts:
    """Real dialogs; tests replace the methods with canned answers."""

    def confirm_delete(self, parent: QWidget | None, label: str, targets: Sequence[Path], size: int | None) -> bool:
        question, detail = deletion_text(label, targets, size)
        return confirm(parent, title=f"Delete {label.lower()}", question=question, detail=detail, action="Delete")

    def confirm_delete_all(self, parent: QWidget | None, detail: str) -> bool:
        """Typed confirmation: nothing is deleted unless the user types the word."""
        text, ok = QInputDialog.getText(
            parent, "Delete all my data",
            f"{detail}\n\nType {DELETE_ALL_WORD} to delete everything listed above.")
        return bool(ok) and text.strip() == DELETE_ALL_WORD

    def choose_export_file(self, parent: QWidget | None) -> Path | None:
        suggested = str(Path.home() / "hearth-network-log.csv")
        name, _ = QFileDialog.getSaveFileName(parent, "Export the network log", suggested, "CSV (*.csv);;JSON (*.json)")
        return Path(name) if name else None
