"""Document collections: folders of the user's files, cut into chunks, embedded and searchable.

The pieces, in the order data flows through them: :mod:`.extract` (text out of
files), :mod:`.chunking` (token-aware chunks), :mod:`.store` (the SQLite
database), :mod:`.indexer` (incremental index runs) and :mod:`.search` (hybrid
keyword + vector search, and excerpts for chat).
"""

from hearth.core.documents.chunking import Chunk, ChunkSettings, chunk_text
from hearth.core.documents.errors import DocumentsError, ModelMismatchError
from hearth.core.documents.extract import DEFAULT_MAX_TEXT_BYTES, Extracted, extract_text
from hearth.core.documents.indexer import IndexReport, check_model, index_collection
from hearth.core.documents.records import INDEXED, SKIPPED, Collection, FileRecord, StoredChunk
from hearth.core.documents.search import Citation, DocumentSearch, SearchHit
from hearth.core.documents.store import DocumentStore

__all__ = [
    "DEFAULT_MAX_TEXT_BYTES", "INDEXED", "SKIPPED", "Chunk", "ChunkSettings", "Citation", "Collection",
    "DocumentSearch", "DocumentStore", "DocumentsError", "Extracted", "FileRecord", "IndexReport",
    "ModelMismatchError", "SearchHit", "StoredChunk", "check_model", "chunk_text", "extract_text",
    "index_collection",
]
