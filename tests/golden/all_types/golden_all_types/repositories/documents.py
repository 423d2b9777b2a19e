# generated from schema.yaml — do not edit

"""Repositories of `documents`, sync and async: generic CRUD plus the queries declared in schema.yaml.

Each declared query is built once, as a plan, by a module function; `DocumentRepository`
runs it on a `Database` and `AsyncDocumentRepository` awaits it on an `AsyncDatabase`.
"""

from __future__ import annotations

from golden_all_types.models import Document, DocumentUpdate, NewDocument
from golden_all_types.tables import DOCUMENTS
from libsqlkit import AsyncRepository, Repository

__all__ = ["AsyncDocumentRepository", "DocumentRepository"]


class DocumentRepository(Repository[Document, NewDocument, DocumentUpdate, str]):
    """Typed access to `documents`."""

    table = DOCUMENTS
    select_model = Document
    insert_model = NewDocument
    update_model = DocumentUpdate


class AsyncDocumentRepository(AsyncRepository[Document, NewDocument, DocumentUpdate, str]):
    """`DocumentRepository` for an `AsyncDatabase`: the same methods, awaited."""

    table = DOCUMENTS
    select_model = Document
    insert_model = NewDocument
    update_model = DocumentUpdate
