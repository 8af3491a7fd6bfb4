"""Insurers, users, sessions, API keys and login throttling.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ROLES = ("insurer_user", "insurer_admin", "catalogue_maintainer", "platform_admin")


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "insurer",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _when("created_at"),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_insurer"),
        sa.UniqueConstraint("slug", name="uq_insurer_slug"),
        sa.UniqueConstraint("name", name="uq_insurer_name"),
    )
    op.create_table(
        "user_account",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("insurer_id", sa.String(36), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _when("created_at"),
        _when("password_changed_at"),
        _when("deactivated_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_account"),
        sa.UniqueConstraint("username", name="uq_user_account_username"),
        sa.ForeignKeyConstraint(["insurer_id"], ["insurer.id"], name="fk_user_account_insurer_id_insurer"),
        sa.CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="ck_user_account_role"),
    )
    op.create_index("ix_user_account_insurer_id", "user_account", ["insurer_id"])
    op.create_table(
        "user_session",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("contract_year", sa.Integer(), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("ended_at", nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_session"),
        sa.UniqueConstraint("token_hash", name="uq_user_session_token_hash"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name="fk_user_session_user_id_user_account"),
    )
    op.create_index("ix_user_session_user_id_live", "user_session", ["user_id", "ended_at"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=False),
        _when("created_at"),
        _when("revoked_at", nullable=True),
        _when("last_used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_key"),
        sa.UniqueConstraint("key_hash", name="uq_api_key_key_hash"),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(310), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _when("last_failure_at", nullable=True),
        _when("blocked_until", nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    op.drop_table("api_key")
    op.drop_index("ix_user_session_user_id_live", table_name="user_session")
    op.drop_table("user_session")
    op.drop_index("ix_user_account_insurer_id", table_name="user_account")
    op.drop_table("user_account")
    op.drop_table("insurer")
