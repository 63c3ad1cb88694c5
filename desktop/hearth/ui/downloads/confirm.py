"""The question asked before a download is cancelled: its partial file will be deleted."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from hearth.core.downloads import JobSnapshot
from hearth.core.units import human_bytes
from hearth.ui.downloads import texts


def cancel_question(job: JobSnapshot) -> tuple[str, str]:
    """The question and the explanation for the confirmation box."""
    kept = f" ({human_bytes(job.done_bytes)} so far)" if job.done_bytes else ""
    return (f"Cancel the download of {texts.title(job)}?",
            f"The partial file{kept} will be deleted; downloading it again starts from the beginning. "
            "Pause instead to keep what has arrived.")


def confirm_cancel(parent: QWidget | None, job: JobSnapshot) -> bool:
    question, detail = cancel_question(job)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Cancel download")
    box.setText(question)
    box.setInformativeText(detail)
    delete = box.addButton("Cancel download", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep downloading", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is delete
