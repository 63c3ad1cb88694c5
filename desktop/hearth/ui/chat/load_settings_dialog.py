"""A dialog for one model's load settings (context, GPU layers, threads, batch, flags, chat format)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from hearth.engine.load_settings import LoadSettings

AUTO = "Automatic"
#: llama-cpp-python chat formats offered for files without a template (the file's own template otherwise).
CHAT_FORMATS = ("chatml", "llama-3", "llama-2", "gemma", "mistral-instruct", "qwen", "phi-3", "zephyr", "vicuna",
                "alpaca")


def _auto_spin(low: int, high: int, value: int | None, step: int = 1) -> QSpinBox:
    """A spin box whose lowest value reads "Automatic" (meaning None)."""
    spin = QSpinBox()
    spin.setRange(low - 1, high)
    spin.setSingleStep(step)
    spin.setSpecialValueText(AUTO)
    spin.setValue(low - 1 if value is None else value)
    return spin


class LoadSettingsDialog(QDialog):
    """Edit a copy of ``settings``; :meth:`result_settings` gives the choice after ``exec()``."""

    def __init__(self, model_name: str, settings: LoadSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Load settings — {model_name}")
        form = QFormLayout(self)
        self.context = _auto_spin(512, 1_048_576, settings.context_length, 512)
        self.gpu_layers = _auto_spin(-1, 999, settings.gpu_layers)
        self.gpu_layers.setToolTip("Automatic: every layer when llama.cpp can use a GPU, else none. -1 = all.")
        self.threads = _auto_spin(1, 256, settings.threads)
        self.batch = QSpinBox()
        self.batch.setRange(1, 65536)
        self.batch.setValue(settings.batch_size)
        self.flash = QCheckBox("Flash attention")
        self.flash.setChecked(settings.flash_attention)
        self.mmap = QCheckBox("Map the file into memory (mmap)")
        self.mmap.setChecked(settings.use_mmap)
        self.mlock = QCheckBox("Lock it in memory (mlock)")
        self.mlock.setChecked(settings.use_mlock)
        self.chat_format = QComboBox()
        self.chat_format.addItem("The file's own template", None)
        for name in CHAT_FORMATS:
            self.chat_format.addItem(name, name)
        if settings.chat_format and self.chat_format.findData(settings.chat_format) < 0:
            self.chat_format.addItem(settings.chat_format, settings.chat_format)
        self.chat_format.setCurrentIndex(max(0, self.chat_format.findData(settings.chat_format)))
        form.addRow("Context length", self.context)
        form.addRow("GPU layers", self.gpu_layers)
        form.addRow("Threads", self.threads)
        form.addRow("Batch size", self.batch)
        form.addRow("", self.flash)
        form.addRow("", self.mmap)
        form.addRow("", self.mlock)
        form.addRow("Chat format", self.chat_format)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self._show(LoadSettings()))
        form.addRow(buttons)

    def _show(self, settings: LoadSettings) -> None:
        for spin, value in ((self.context, settings.context_length), (self.gpu_layers, settings.gpu_layers),
                            (self.threads, settings.threads)):
            spin.setValue(spin.minimum() if value is None else value)
        self.batch.setValue(settings.batch_size)
        self.flash.setChecked(settings.flash_attention)
        self.mmap.setChecked(settings.use_mmap)
        self.mlock.setChecked(settings.use_mlock)
        self.chat_format.setCurrentIndex(max(0, self.chat_format.findData(settings.chat_format)))

    def result_settings(self) -> LoadSettings:
        def auto(spin: QSpinBox) -> int | None:
            return None if spin.value() == spin.minimum() else spin.value()

        return LoadSettings(
            context_length=auto(self.context), gpu_layers=auto(self.gpu_layers), threads=auto(self.threads),
            batch_size=self.batch.value(), flash_attention=self.flash.isChecked(), use_mmap=self.mmap.isChecked(),
            use_mlock=self.mlock.isChecked(), chat_format=self.chat_format.currentData(),
        )
