"""Demo data for ``make run``: idempotent, written through the service's own handlers.

Insurer ids are deterministic (``uuid5(NAMESPACE_URL, "zcp:insurer:" + slug)``): the other services'
demo data uses the same ids. The demo password satisfies the ``seed`` policy; it is published in the
README, so the ``strong`` policy refuses it (it is on ``published_passwords.txt``) and demo data is
not loaded under ``strong``. The accounts are listed in ``DEMO_ACCOUNTS.md``.
"""

from __future__ import annotations

from identity.adapters.crypto import digest
from identity.bootstrap import Runtime
from identity.domain import commands, model
from identity.service_layer.handlers import insurer_id_for

DEMO_PASSWORD = "Demo2026Zcp!"
#: A fixed key for a demo comparison site, so that ``make run`` can show the publication API.
DEMO_API_KEY = "zcpk_demo-independer-2026-not-for-production"

INSURERS = (("zilverenkruis", "Zilveren Kruis"), ("menzis", "Menzis"), ("vgz", "VGZ"), ("cz", "CZ"))

#: (username, display name, role, insurer slug or None)
USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("zk-admin", "Beheerder Zilveren Kruis", model.INSURER_ADMIN, "zilverenkruis"),
    ("zk-inkoper", "Inkoper Zilveren Kruis", model.INSURER_USER, "zilverenkruis"),
    ("menzis-admin", "Beheerder Menzis", model.INSURER_ADMIN, "menzis"),
    ("menzis-inkoper", "Inkoper Menzis", model.INSURER_USER, "menzis"),
    ("vgz-admin", "Beheerder VGZ", model.INSURER_ADMIN, "vgz"),
    ("vgz-inkoper", "Inkoper VGZ", model.INSURER_USER, "vgz"),
    ("cz-admin", "Beheerder CZ", model.INSURER_ADMIN, "cz"),
    ("cz-inkoper", "Inkoper CZ", model.INSURER_USER, "cz"),
    ("beheerder", "Catalogusbeheerder (Mediquest)", model.CATALOGUE_MAINTAINER, None),
    ("platform", "Platformbeheerder", model.PLATFORM_ADMIN, None),
)

SYSTEM = model.Actor(subject="demo-seed", roles=frozenset({model.PLATFORM_ADMIN}))


def seed_demo(runtime: Runtime) -> None:
    """Create the demo insurers, users and API key where missing (safe to run again)."""
    if runtime.deps.policy.reject_common:
        raise RuntimeError(
            "seed-demo: the demo password is published in the README, and PASSWORD_POLICY="
            f"{runtime.deps.policy.name} refuses published passwords; load demo data with PASSWORD_POLICY=seed only"
        )
    with runtime.unit_of_work() as uow:
        existing_insurers = {slug for slug, _ in INSURERS if uow.repo.insurer_by_slug(slug)}
        existing_users = {name for name, *_ in USERS if uow.repo.user_by_username(name)}
    for slug, name in INSURERS:
        if slug not in existing_insurers:
            runtime.handle(commands.RegisterInsurer(actor=SYSTEM, slug=slug, name=name))
    for username, display_name, role, user_slug in USERS:
        if username not in existing_users:
            runtime.handle(
                commands.CreateUser(
                    actor=SYSTEM,
                    username=username,
                    display_name=display_name,
                    role=role,
                    insurer_id=insurer_id_for(user_slug) if user_slug else None,
                    password=DEMO_PASSWORD,
                    must_change_password=False,
                )
            )
    with runtime.unit_of_work() as uow:
        has_key = uow.repo.api_key_by_hash(digest(DEMO_API_KEY)) is not None
    if not has_key:
        runtime.handle(commands.CreateApiKey(actor=SYSTEM, name="Independer (demo)", fixed_key=DEMO_API_KEY))
