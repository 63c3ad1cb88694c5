"""A conversation's system prompt and sampling settings, with defaults and a Reset; saved with the conversation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hearth.engine.client import SamplingParams

#: Hearth's defaults (llama.cpp's usual ones, with a bounded reply length).
DEFAULTS: dict[str, Any] = {"temperature": 0.8, "top_p": 0.95, "top_k": 40, "min_p": 0.05,
                            "repeat_penalty": 1.1, "max_tokens": 1024, "seed": -1}
_FLOATS = {"temperature": (0.0, 2.0, 0.05), "top_p": (0.0, 1.0, 0.05), "min_p": (0.0, 1.0, 0.01),
           "repeat_penalty": (0.5, 2.0, 0.05)}
_INTS = {"top_k": (0, 1000), "max_tokens": (1, 131072), "seed": (-1, 2**31 - 1)}
_LABELS = {"temperature": "Temperature", "top_p": "Top p", "top_k": "Top k", "min_p": "Min p",
           "repeat_penalty": "Repeat penalty", "max_tokens": "Max tokens", "seed": "Seed (-1 random)"}


def sampling_params(values: dict[str, Any]) -> SamplingParams:
    """The request settings for saved ``values`` (defaults fill the gaps; seed -1 means random)."""
    merged = DEFAULTS | {k: v for k, v in values.items() if k in DEFAULTS}
    seed = merged.pop("seed")
    return SamplingParams(**merged, seed=None if seed is None or seed < 0 else int(seed))


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setProperty("role", "heading")
    return label


class ParamsPanel(QWidget):
    """``changed`` fires when the user edits anything (not when :meth:`show_values` fills it in)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.system_prompt = QPlainTextEdit(self)
        self.system_prompt.setPlaceholderText("System prompt (optional): how the assistant should behave")
        self.system_prompt.setMaximumHeight(90)
        self.system_prompt.setAccessibleName("System prompt")
        self.fields: dict[str, QDoubleSpinBox | QSpinBox] = {}
        form = QFormLayout()
        for name, (low, high, step) in _FLOATS.items():
            spin = QDoubleSpinBox(self)
            spin.setRange(low, high)
            spin.setSingleStep(step)
            spin.setDecimals(2)
            self.fields[name] = spin
        for name, (low_i, high_i) in _INTS.items():
            ispin = QSpinBox(self)
            ispin.setRange(low_i, high_i)
            self.fields[name] = ispin
        for name in DEFAULTS:
            form.addRow(_LABELS[name], self.fields[name])
        self.reset_button = QPushButton("Reset to defaults", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 12, 12, 12)
        layout.addWidget(_heading("System prompt", self))
        layout.addWidget(self.system_prompt)
        layout.addWidget(_heading("Sampling", self))
        layout.addLayout(form)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        self._filling = False
        self.show_values("", {})
        for field in self.fields.values():
            field.valueChanged.connect(self._edited)
        self.system_prompt.textChanged.connect(self._edited)
        self.reset_button.clicked.connect(self.reset)

    def show_values(self, system_prompt: str, params: dict[str, Any]) -> None:
        self._filling = True
        try:
            if self.system_prompt.toPlainText() != system_prompt:
                self.system_prompt.setPlainText(system_prompt)
            merged = DEFAULTS | {k: v for k, v in params.items() if k in DEFAULTS and v is not None}
            for name, field in self.fields.items():
                field.setValue(merged[name])
        finally:
            self._filling = False

    def values(self) -> dict[str, Any]:
        return {name: field.value() for name, field in self.fields.items()}

    def reset(self) -> None:
        self.show_values(self.system_prompt.toPlainText(), {})
        self.changed.emit()

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit()
