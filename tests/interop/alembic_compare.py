"""Alembic's own comparison of a database with the shop models
(shop_models.py): prints each difference Alembic's autogenerate finds, and
their count. interop.sh runs it on the database Alembic migrated and on
the one retort migrated: Alembic must find the same in both. Where the
database has no identity columns (SQLite, MySQL and MariaDB, whose keys
are AUTO_INCREMENT or the rowid), Alembic reports the models' Identity()
as missing on every integer key even of its own database; those reports
are left out, as they say nothing about the database. Types are compared (compare_type); retort's own tables
(retort_history, and where DDL is not transactional the progress table) are left out, as an Alembic project leaves out tables it
does not manage (include_object).

    python3 alembic_compare.py URL
"""
import sys

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shop_models import metadata


RETORT_TABLES = ("retort_history", "retort_migration_progress", "retort_lock")


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in RETORT_TABLES)


def _identity_only(diff):
    """True for Alembic's report of a model's Identity() the database
    does not have: [('modify_default', ..., None, Identity())]."""
    if not isinstance(diff, list) or len(diff) != 1:
        return False
    op = diff[0]
    return op[0] == "modify_default" and op[5] is None and isinstance(op[6], sa.Identity)


def main():
    engine = sa.create_engine(sys.argv[1])
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object})
        diffs = compare_metadata(context, metadata)
    if not engine.dialect.supports_identity_columns:
        diffs = [d for d in diffs if not _identity_only(d)]
    for diff in diffs:
        print(diff)
    print("alembic_compare: %d difference(s)" % len(diffs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
