"""Operations that several apps' migrations share."""

from django.db import migrations


def drop_own_index(alter_field: migrations.AlterField, *, table: str, column: str, index: str):
    """`db_index=False` on a foreign key whose column already leads a composite index or constraint: drop its
    own index and nothing else. Django's AlterField would also drop and re-add the foreign key constraint, and
    re-adding it checks every row under a lock that blocks writes (minutes on a table of 10 million answers)."""
    return migrations.SeparateDatabaseAndState(
        state_operations=[alter_field],
        database_operations=[
            migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{index}"',
                reverse_sql=f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" ("{column}")',
            )
        ],
    )
