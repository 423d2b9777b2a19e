from datetime import datetime

from generated.client import DbClient
from generated.models import Workflow
from generated.tables import SyncMetadataTable, UserSettingsTable, workflows
from libsqlkit import and_, select, sum_


def queries(db: DbClient) -> None:
    select(workflows).where(workflows.user_id == 42)  # E: arg-type
    select(workflows).where(workflows.status == "DONE")  # E: arg-type
    select(workflows).where(workflows.created_at > "yesterday")  # E: operator
    select(workflows).where(UserSettingsTable.user_id == "u")  # E: arg-type
    select(workflows).where(and_(workflows.user_id == "u", UserSettingsTable.user_id == "u"))  # E: arg-type
    rows = select(workflows.id, workflows.created_at).from_(workflows).all(db)
    print(rows[0][0].hour)  # E: attr-defined
    when: datetime = rows[0][1]
    one: Workflow = select(workflows).first(db)  # E: assignment
    pair = select(workflows).left_join(UserSettingsTable, on=UserSettingsTable.user_id == workflows.user_id).all(db)[0]
    print(pair[1].user_id)  # E: union-attr
    print(when, one)


def issue_17(db: DbClient) -> None:
    # in_ takes a list, tuple or set: a str is a Sequence[str], and would mean its letters.
    select(workflows).where(workflows.user_id.in_("uv"))  # E: arg-type
    # sum_ adds numbers; a timestamp column is not one.
    sum_(workflows.created_at)  # E: type-var  # E: arg-type
    on = UserSettingsTable.user_id == workflows.user_id
    # Selected columns after a left join are optional: the unmatched side comes back None.
    columns = select(workflows.id, UserSettingsTable.user_id).from_(workflows).left_join(UserSettingsTable, on=on).all(db)
    settings_user: str = columns[0][1]  # E: assignment
    # A left join then an inner join: three models per row, the left-joined one optional.
    three = select(workflows).left_join(UserSettingsTable, on=on).inner_join(SyncMetadataTable, on=SyncMetadataTable.id == workflows.id).all(db)[0]
    print(three[1].user_id)  # E: union-attr
    print(three[3])  # E: misc
    print(settings_user, three[2].table_name)
