"""env.py of the interop test's Alembic project: Alembic's generic
template, with the shop models as target_metadata (their naming convention
is what makes Alembic's constraint names retort's) and the database URL
taken from $INTEROP_URL when it is set."""
import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import engine_from_config, pool

from shop_models import metadata

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)
if os.environ.get("INTEROP_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["INTEROP_URL"])

target_metadata = metadata


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
