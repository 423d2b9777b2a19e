# generated from schema.yaml — do not edit

"""One typed repository class per table of schema.yaml, sync and async."""

from golden_views.repositories.author_stats import AsyncAuthorStatRepository, AuthorStatRepository
from golden_views.repositories.authors import AsyncAuthorRepository, AuthorRepository
from golden_views.repositories.books import AsyncBookRepository, BookRepository
from golden_views.repositories.catalog import AsyncCatalogEntryRepository, CatalogEntryRepository
from golden_views.repositories.prolific_authors import (
    AsyncProlificAuthorRepository,
    ProlificAuthorRepository,
)
from golden_views.repositories.published_books import (
    AsyncPublishedBookRepository,
    PublishedBookRepository,
)

__all__ = [
    "AsyncAuthorRepository",
    "AsyncAuthorStatRepository",
    "AsyncBookRepository",
    "AsyncCatalogEntryRepository",
    "AsyncProlificAuthorRepository",
    "AsyncPublishedBookRepository",
    "AuthorRepository",
    "AuthorStatRepository",
    "BookRepository",
    "CatalogEntryRepository",
    "ProlificAuthorRepository",
    "PublishedBookRepository",
]
