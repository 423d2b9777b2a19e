from generated.client import DbClient
from generated.models import UserSettings
from generated.tables import UserSettingsTable, workflows
from libsqlkit import Page, count, count_rows, select, union


def additions(db: DbClient) -> None:
    ids = select(workflows.id).from_(workflows)
    retries = select(workflows.retry_count).from_(workflows)
    # A union's selects must select the same column types.
    ids.union(retries)  # E: arg-type
    union(ids, retries)  # E: misc
    select(workflows).union(select(UserSettingsTable))  # E: arg-type
    union()  # E: call-overload
    # in_ takes a one-column select of the column's type.
    workflows.user_id.in_(retries)  # E: arg-type
    workflows.user_id.in_(select(workflows.id, workflows.type).from_(workflows))  # E: arg-type
    # having, like where, takes conditions on the query's tables.
    select(workflows.user_id, count()).from_(workflows).group_by(workflows.user_id).having(UserSettingsTable.user_id == "u")  # E: arg-type
    count_rows(db, workflows, UserSettingsTable.user_id == "u")  # E: misc
    # A page holds the query's rows; its cursor is None after the last page.
    page: Page[UserSettings] = select(workflows).page(db)  # E: assignment
    mine = select(workflows).page(db)
    print(len(mine.next))  # E: arg-type
    select(workflows).page(db, after=7)  # E: call-overload
    total: str = count_rows(db, workflows)  # E: assignment
    print(page, total)


def subqueries(db: DbClient) -> None:
    per_user = select(workflows.user_id, count()).from_(workflows).group_by(workflows.user_id).subquery("per_user")
    user, runs = per_user.columns()
    select(user).from_(per_user).where(runs == "many")  # E: arg-type
    select(user).from_(per_user).where(workflows.type == "a")  # E: arg-type
    name: int = select(per_user).all(db)[0][0]  # E: assignment
    select(workflows).subquery("w").columns()  # E: misc
    print(name)
