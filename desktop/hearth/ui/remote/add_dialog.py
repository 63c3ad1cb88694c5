"""The "Add a remote engine" dialog: a name, an address (with presets for the usual servers) and an optional key.

It only collects and checks the form; :class:`~hearth.ui.remote.section.RemoteSection`
adds the engine and tests it. OK stays in the dialog while the form has a
problem, which is shown in the dialog itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from hearth.engine.endpoint import normalise_base_url
from hearth.ui.common_widgets import label

#: (label, name suggested, base URL) for the servers people usually run; ports are their defaults.
PRESETS = (
    ("llama.cpp server", "llama.cpp", "http://127.0.0.1:8080/v1"),
    ("Ollama", "Ollama", "http://127.0.0.1:11434/v1"),
    ("LM Studio", "LM Studio", "http://127.0.0.1:1234/v1"),
    ("vLLM", "vLLM", "http://127.0.0.1:8000/v1"),
)
CUSTOM = "Other OpenAI-compatible server"


@dataclass(frozen=True)
class RemoteForm:
    name: str
    base_url: str
    #: None when left empty (servers such as Ollama need none); kept out of ``repr``.
    api_key: str | None = field(default=None, repr=False)


def form_problem(form: RemoteForm, taken: set[str]) -> str | None:
    """What is wrong with ``form`` (one line), or None."""
    if not form.name:
        return "Give the engine a name."
    if form.name in taken:
        return f"There is already a remote engine named '{form.name}'."
    if not form.base_url:
        return "Enter the server's address, e.g. http://127.0.0.1:8080/v1."
    try:
        normalise_base_url(form.base_url)
    except ValueError as exc:
        return f"That address cannot be used: {exc}."
    return None


class AddRemoteDialog(QDialog):
    """Fill in, then :meth:`form` gives the answer once accepted."""

    def __init__(self, taken: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a remote engine")
        self.taken = taken
        self.preset = QComboBox(self)
        self.preset.setAccessibleName("Server kind")
        self.preset.addItem(CUSTOM, None)
        for text, name, url in PRESETS:
            self.preset.addItem(text, (name, url))
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. Workstation")
        self.url = QLineEdit(self)
        self.url.setAccessibleName("Address")
        self.url.setPlaceholderText("http://host:port/v1")
        self.key = QLineEdit(self)
        self.key.setAccessibleName("API key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Optional: leave empty if the server needs none")
        self.problem = label("", "error", wrap=True, parent=self)
        self.problem.hide()
        form = QFormLayout(self)
        form.addRow("Server", self.preset)
        form.addRow("Name", self.name)
        form.addRow("Address", self.url)
        form.addRow("API key", self.key)
        form.addRow(label("The key is kept in the system keyring, never in a file. The engine is tested "
                          "once added.", "muted", wrap=True, parent=self))
        form.addRow(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Add")
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.preset.currentIndexChanged.connect(self._preset_picked)
        self.setMinimumWidth(460)

    def form(self) -> RemoteForm:
        return RemoteForm(self.name.text().strip(), self.url.text().strip(), self.key.text().strip() or None)

    def _preset_picked(self, _index: int) -> None:
        chosen = self.preset.currentData()
        if chosen is None:
            return
        name, url = chosen
        self.url.setText(url)
        if not self.name.text().strip() or self.name.text().strip() in {p[1] for p in PRESETS}:
            self.name.setText(name)  # a name the user typed is kept

    def _try_accept(self) -> None:
        problem = form_problem(self.form(), self.taken)
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        if problem is None:
            self.accept()
