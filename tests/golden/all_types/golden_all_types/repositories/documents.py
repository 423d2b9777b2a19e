# generated from schema.yaml — do not edit

"""Repository of `documents`: generic CRUD plus the queries declared in schema.yaml."""

from __future__ import annotations

from golden_all_types.models import Document, DocumentUpdate, NewDocument
from golden_all_types.tables import DOCUMENTS
from libsqlkit import Repository

__all__ = ["DocumentRepository"]


class DocumentRepository(Repository[Document, NewDocument, DocumentUpdate, str]):
    """Typed access to `documents`."""

    table = DOCUMENTS
    select_model = Document
    insert_model = NewDocument
    update_model = DocumentUpdate
