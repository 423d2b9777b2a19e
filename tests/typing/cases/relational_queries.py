from golden_relations.client import DbClient
from golden_relations.tables import comments, posts, tags, users
from libsqlkit import select


def relational(db: DbClient) -> None:
    # A relation of another table: posts have no `users.posts`.
    select(posts).with_(users.posts)  # E: arg-type
    rows = select(posts).with_(posts.author, posts.comments, posts.comments.count()).all(db)
    post, author, thread, n = rows[0]
    print(author.title)  # E: attr-defined
    print(thread.body)  # E: attr-defined
    label: str = n  # E: assignment
    # A nullable relation (or a one-to-one child) may be None.
    user, manager = select(users).with_(users.manager).all(db)[0]
    print(manager.name)  # E: union-attr
    # A relation's filter is on its own rows.
    posts.comments.where(posts.title == "x")  # E: arg-type
    posts.comments.order_by(tags.name)  # E: arg-type
    # Only a to-many relation is filtered, ordered and cut.
    posts.author.limit(1)  # E: attr-defined
    # Nested relations are named in one with_() call.
    posts.comments.with_(comments.author).with_(comments.post)  # E: attr-defined
    # with_() loads relations of whole rows of one table.
    select(posts.id).from_(posts).with_(posts.author)  # E: arg-type
    a, b, c = select(posts).with_(posts.author).all(db)[0]  # E: misc
    nested = select(posts).with_(posts.comments.with_(comments.author)).all(db)[0][1][0]
    print(nested.body)  # E: attr-defined
    print(post, user, label, a, b, c)
