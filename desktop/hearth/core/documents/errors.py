"""Errors of the documents feature; like every HearthError, ``str()`` is one line for people."""

from __future__ import annotations

from hearth.core.errors import HearthError


class DocumentsError(HearthError):
    """A collection operation could not be done (unknown name, name taken, bad settings...)."""


class ModelMismatchError(DocumentsError):
    """The embedding model offered is not the one the collection's vectors were made with."""

    def __init__(self, collection: str, indexed_with: str, offered: str) -> None:
        super().__init__(
            f"Collection '{collection}' was indexed with the model '{indexed_with}', not '{offered}'; "
            f"use that model, or rebuild the collection's index with the new one"
        )
        self.collection = collection
        self.indexed_with = indexed_with
        self.offered = offered
