from golden_composite_keys.client import DbClient
from golden_composite_keys.repositories import OrderRepository
from golden_generated_columns.models import NewProduct, ProductUpdate
from golden_views.tables import author_stats, published_books
from libsqlkit import delete, insert, update


def features(db: DbClient) -> None:
    # A composite key is a tuple of its columns' values.
    OrderRepository(db).get("eu")  # E: arg-type
    OrderRepository(db).get((1, "eu"))  # E: arg-type
    # A generated column is computed by SQLite: the insert and update models lack it.
    NewProduct(name="mug", price_cents=1, total_cents=3)  # E: call-arg
    ProductUpdate(label="MUG")  # E: call-arg
    # A view is read only.
    insert(published_books)  # E: arg-type
    update(author_stats)  # E: arg-type
    delete(author_stats)  # E: arg-type
