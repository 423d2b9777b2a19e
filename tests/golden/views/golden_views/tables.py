# generated from schema.yaml — do not edit

"""Typed table and column metadata of schema.yaml, with the SQL the repositories run."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from golden_views.models import (
    Author,
    AuthorStat,
    AuthorUpdate,
    Book,
    BookUpdate,
    CatalogEntry,
    NewAuthor,
    NewBook,
    ProlificAuthor,
    PublishedBook,
)
from libsqlkit import Column, Schema, Table, TableRef, TableSql, ViewRef, codecs

__all__ = [
    "AUTHORS",
    "AUTHOR_STATS",
    "BOOKS",
    "CATALOG",
    "PROLIFIC_AUTHORS",
    "PUBLISHED_BOOKS",
    "SCHEMA",
    "AuthorStatsView",
    "AuthorsTable",
    "BooksTable",
    "CatalogView",
    "ProlificAuthorsView",
    "PublishedBooksView",
    "author_stats",
    "authors",
    "books",
    "catalog",
    "prolific_authors",
    "published_books",
]


class AuthorsTable(TableRef[Author, NewAuthor, AuthorUpdate]):
    """Table `authors`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Author]] = Column(
        "authors", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    name: Final[Column[str, Author]] = Column("authors", "name", codecs.TEXT, not_null=True)

    table = Table(
        name="authors",
        columns=(id, name),
        primary_key="id",
        soft_delete=None,
        checks={},
        sql=TableSql(
            insert="INSERT INTO `authors` (`id`, `name`) VALUES (?, ?) RETURNING `id`, `name`",
            select_by_key="SELECT `id`, `name` FROM `authors` WHERE `id` = ?",
            select_page="SELECT `id`, `name` FROM `authors` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `name` FROM `authors` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `authors`",
            delete="DELETE FROM `authors` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `authors` SET ",
            update_suffix=" WHERE `id` = ? RETURNING `id`, `name`",
            set_fragments={"id": "`id` = ?", "name": "`name` = ?"},
        ),
    )
    model = Author
    insert_model = NewAuthor
    update_model = AuthorUpdate


AUTHORS: Final = AuthorsTable.table
authors: Final = AuthorsTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class BooksTable(TableRef[Book, NewBook, BookUpdate]):
    """Table `books`: its typed columns, for the query builder and the repository."""

    id: Final[Column[str, Book]] = Column(
        "books", "id", codecs.TEXT, not_null=True, primary_key=True, client_default="uuid4"
    )
    author_id: Final[Column[str, Book]] = Column("books", "author_id", codecs.TEXT, not_null=True)
    title: Final[Column[str, Book]] = Column("books", "title", codecs.TEXT, not_null=True)
    published: Final[Column[bool, Book]] = Column(
        "books", "published", codecs.BOOLEAN, not_null=True
    )
    published_at: Final[Column[datetime | None, Book]] = Column(
        "books", "published_at", codecs.TIMESTAMP
    )
    deleted_at: Final[Column[datetime | None, Book]] = Column(
        "books", "deleted_at", codecs.TIMESTAMP
    )

    table = Table(
        name="books",
        columns=(id, author_id, title, published, published_at, deleted_at),
        primary_key="id",
        soft_delete="deleted_at",
        checks={},
        references={"author_id": ("authors", "id")},
        sql=TableSql(
            insert="INSERT INTO `books` (`id`, `author_id`, `title`, `published`, `published_at`, `deleted_at`) VALUES (?, ?, ?, ?, ?, ?) RETURNING `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at`",
            select_by_key="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` WHERE `id` = ? AND `deleted_at` IS NULL",
            select_page="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` WHERE `deleted_at` IS NULL ORDER BY `id` LIMIT ? OFFSET ?",
            select_after="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` WHERE `id` > ? AND `deleted_at` IS NULL ORDER BY `id` LIMIT ?",
            count="SELECT count(*) FROM `books` WHERE `deleted_at` IS NULL",
            delete="DELETE FROM `books` WHERE `id` = ? RETURNING `id`",
            update_prefix="UPDATE `books` SET ",
            update_suffix=" WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at`",
            set_fragments={
                "id": "`id` = ?",
                "author_id": "`author_id` = ?",
                "title": "`title` = ?",
                "published": "`published` = ?",
                "published_at": "`published_at` = ?",
                "deleted_at": "`deleted_at` = ?",
            },
            soft_delete="UPDATE `books` SET `deleted_at` = ? WHERE `id` = ? AND `deleted_at` IS NULL RETURNING `id`",
            restore="UPDATE `books` SET `deleted_at` = NULL WHERE `id` = ? AND `deleted_at` IS NOT NULL RETURNING `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at`",
            select_by_key_all="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` WHERE `id` = ?",
            select_page_all="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` ORDER BY `id` LIMIT ? OFFSET ?",
            select_after_all="SELECT `id`, `author_id`, `title`, `published`, `published_at`, `deleted_at` FROM `books` WHERE `id` > ? ORDER BY `id` LIMIT ?",
            count_all="SELECT count(*) FROM `books`",
        ),
    )
    model = Book
    insert_model = NewBook
    update_model = BookUpdate


BOOKS: Final = BooksTable.table
books: Final = BooksTable  # Drizzle-style: select(workflows).where(workflows.status == ...)


class AuthorStatsView(ViewRef[AuthorStat]):
    """View `author_stats`: its typed columns, for the query builder and its repository (read only)."""

    author_id: Final[Column[str, AuthorStat]] = Column(
        "author_stats", "author_id", codecs.TEXT, not_null=True
    )
    name: Final[Column[str, AuthorStat]] = Column(
        "author_stats", "name", codecs.TEXT, not_null=True
    )
    books: Final[Column[int, AuthorStat]] = Column(
        "author_stats", "books", codecs.INTEGER, not_null=True
    )

    table = Table(
        name="author_stats",
        columns=(author_id, name, books),
        primary_key="author_id",
        view=True,
        sql=TableSql(
            select_page="SELECT `author_id`, `name`, `books` FROM `author_stats` ORDER BY 1, 2, 3 LIMIT ? OFFSET ?",
            count="SELECT count(*) FROM `author_stats`",
        ),
    )
    model = AuthorStat


AUTHOR_STATS: Final = AuthorStatsView.table
author_stats: Final = AuthorStatsView


class PublishedBooksView(ViewRef[PublishedBook]):
    """View `published_books`: its typed columns, for the query builder and its repository (read only)."""

    id: Final[Column[str, PublishedBook]] = Column(
        "published_books", "id", codecs.TEXT, not_null=True
    )
    author_id: Final[Column[str, PublishedBook]] = Column(
        "published_books", "author_id", codecs.TEXT, not_null=True
    )
    title: Final[Column[str, PublishedBook]] = Column(
        "published_books", "title", codecs.TEXT, not_null=True
    )
    published_at: Final[Column[datetime | None, PublishedBook]] = Column(
        "published_books", "published_at", codecs.TIMESTAMP
    )

    table = Table(
        name="published_books",
        columns=(id, author_id, title, published_at),
        primary_key="id",
        view=True,
        sql=TableSql(
            select_page="SELECT `id`, `author_id`, `title`, `published_at` FROM `published_books` ORDER BY 1, 2, 3, 4 LIMIT ? OFFSET ?",
            count="SELECT count(*) FROM `published_books`",
        ),
    )
    model = PublishedBook


PUBLISHED_BOOKS: Final = PublishedBooksView.table
published_books: Final = PublishedBooksView


class CatalogView(ViewRef[CatalogEntry]):
    """View `catalog`: its typed columns, for the query builder and its repository (read only)."""

    title: Final[Column[str, CatalogEntry]] = Column("catalog", "title", codecs.TEXT, not_null=True)
    name: Final[Column[str | None, CatalogEntry]] = Column("catalog", "name", codecs.TEXT)

    table = Table(
        name="catalog",
        columns=(title, name),
        primary_key="title",
        view=True,
        sql=TableSql(
            select_page="SELECT `title`, `name` FROM `catalog` ORDER BY 1, 2 LIMIT ? OFFSET ?",
            count="SELECT count(*) FROM `catalog`",
        ),
    )
    model = CatalogEntry


CATALOG: Final = CatalogView.table
catalog: Final = CatalogView


class ProlificAuthorsView(ViewRef[ProlificAuthor]):
    """View `prolific_authors`: its typed columns, for the query builder and its repository (read only)."""

    author_id: Final[Column[str, ProlificAuthor]] = Column(
        "prolific_authors", "author_id", codecs.TEXT, not_null=True
    )
    name: Final[Column[str, ProlificAuthor]] = Column(
        "prolific_authors", "name", codecs.TEXT, not_null=True
    )
    books: Final[Column[int, ProlificAuthor]] = Column(
        "prolific_authors", "books", codecs.INTEGER, not_null=True
    )

    table = Table(
        name="prolific_authors",
        columns=(author_id, name, books),
        primary_key="author_id",
        view=True,
        sql=TableSql(
            select_page="SELECT `author_id`, `name`, `books` FROM `prolific_authors` ORDER BY 1, 2, 3 LIMIT ? OFFSET ?",
            count="SELECT count(*) FROM `prolific_authors`",
        ),
    )
    model = ProlificAuthor


PROLIFIC_AUTHORS: Final = ProlificAuthorsView.table
prolific_authors: Final = ProlificAuthorsView

SCHEMA: Final = Schema(
    tables=(AUTHORS, BOOKS),
    ddl=(
        "CREATE TABLE `authors` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n)",
        "CREATE TABLE `books` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`author_id` text NOT NULL,\n\t`title` text NOT NULL,\n\t`published` integer DEFAULT false NOT NULL,\n\t`published_at` integer,\n\t`deleted_at` integer,\n\tFOREIGN KEY (`author_id`) REFERENCES `authors`(`id`) ON UPDATE no action ON DELETE no action\n)",
        "CREATE VIEW `author_stats` AS SELECT a.id AS author_id, a.name AS name, count(b.id) AS books FROM authors a LEFT JOIN books b ON b.author_id = a.id AND b.deleted_at IS NULL GROUP BY a.id",
        "CREATE VIEW `published_books`(`id`, `author_id`, `title`, `published_at`) AS SELECT `books`.`id`, `books`.`author_id`, `books`.`title`, `books`.`published_at` FROM `books` WHERE `books`.`published` = 1 AND `books`.`deleted_at` IS NULL",
        "CREATE VIEW `catalog`(`title`, `name`) AS SELECT `books`.`title`, `authors`.`name` FROM `books` LEFT JOIN `authors` ON `authors`.`id` = `books`.`author_id` WHERE `books`.`deleted_at` IS NULL",
        "CREATE VIEW `prolific_authors` AS SELECT author_id, name, books FROM author_stats WHERE books >= 2",
    ),
    views=(AUTHOR_STATS, PUBLISHED_BOOKS, CATALOG, PROLIFIC_AUTHORS),
)
