"""Accent-insensitive institution name search (issue 16 item 8): ``institution.name_folded``.

The service writes ``fold(name)`` (``servicekit.search``) with every name and searches that column,
so "Maxima" finds "Máxima" on PostgreSQL and SQLite alike. On PostgreSQL a trigram index serves the
"contains" search, replacing the trigram index on the raw name, which no query uses any more.

Frozen: the backfill below carries its own copy of the folding table as it was when this migration
was written (a migration never imports live code).

Revision ID: 0003_edge_name_search
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_edge_name_search"
down_revision = "0002"
branch_labels = None
depends_on = None

_FOLDS = (
    [(letter, "a") for letter in "àáâãäåāăą"]
    + [(letter, "c") for letter in "çćč"]
    + [(letter, "e") for letter in "èéêëēėęě"]
    + [(letter, "i") for letter in "ìíîïīį"]
    + [(letter, "n") for letter in "ñńň"]
    + [(letter, "o") for letter in "òóôõöøōő"]
    + [(letter, "u") for letter in "ùúûüūůű"]
    + [(letter, "y") for letter in "ýÿ"]
    + [(letter, "s") for letter in "śšş"]
    + [(letter, "z") for letter in "źżž"]
    + [("ď", "d"), ("đ", "d"), ("ğ", "g"), ("ł", "l"), ("ř", "r"), ("ť", "t"), ("ß", "ss"), ("æ", "ae"), ("œ", "oe")]
)


def _fold(text: str) -> str:
    folded = text.lower()
    for letter, replacement in _FOLDS:
        folded = folded.replace(letter, replacement)
    return folded


def _has_trigrams(bind: sa.engine.Connection) -> bool:
    return bool(bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").scalar())


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("institution", sa.Column("name_folded", sa.String(200), nullable=True))
    table = sa.table("institution", sa.column("id", sa.String), sa.column("name", sa.String))
    rows = [{"b_id": row.id, "folded": _fold(row.name)} for row in bind.execute(sa.select(table.c.id, table.c.name))]
    if rows:
        statement = sa.text("UPDATE institution SET name_folded = :folded WHERE id = :b_id")
        bind.execute(statement, rows)
    with op.batch_alter_table("institution") as batch:
        batch.alter_column("name_folded", existing_type=sa.String(200), nullable=False)
    if bind.dialect.name == "postgresql" and _has_trigrams(bind):
        op.execute("DROP INDEX IF EXISTS ix_institution_name_trgm")
        op.execute("CREATE INDEX ix_institution_name_folded_trgm ON institution USING gin (name_folded gin_trgm_ops)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and _has_trigrams(bind):
        op.execute("DROP INDEX IF EXISTS ix_institution_name_folded_trgm")
        op.execute("CREATE INDEX ix_institution_name_trgm ON institution USING gin (name gin_trgm_ops)")
    with op.batch_alter_table("institution") as batch:
        batch.drop_column("name_folded")
