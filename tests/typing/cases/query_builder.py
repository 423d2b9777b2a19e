from datetime import datetime

from generated.client import DbClient
from generated.models import Workflow
from generated.tables import UserSettingsTable, workflows
from libsqlkit import and_, select


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
