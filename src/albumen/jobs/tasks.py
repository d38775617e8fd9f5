"""Task bodies. Tasks carry ids only; their state lives in the database."""

from __future__ import annotations

from albumen.logging import context_id


def build_report(report_id: int) -> str:
    from albumen.runtime import get_runtime
    from albumen.services.reports import build

    token = context_id.set(f"job:report:{report_id}")
    try:
        return build(get_runtime(), report_id)
    finally:
        context_id.reset(token)


def process_asset(asset_id: int, queue: str = "media") -> str:
    from albumen.runtime import get_runtime
    from albumen.services.processing import process_asset as run

    token = context_id.set(f"job:asset:{asset_id}")
    try:
        return run(get_runtime(), asset_id, queue)
    finally:
        context_id.reset(token)
