"""Public pages: the home page listing published works, a work's page, and the language switch."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ..extensions import db
from ..ingest.merge import field_sources
from ..models import SourceRecord, Work, utcnow
from .access import public
from .labels import FIELD_LABELS, field_label

bp = Blueprint("public", __name__)

PAGE_SIZE = 20


def published_works():
    """Select the works anyone may see: verified, not deleted, not under embargo."""
    today = utcnow().date()
    return sa.select(Work).where(
        Work.status == "verified", Work.deleted.is_(False),
        sa.or_(Work.embargo_until.is_(None), Work.embargo_until <= today),
    )


@bp.get("/")
@public
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    query = published_works().order_by(Work.year.desc().nulls_last(), Work.id.desc())
    total = db.session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    works = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("index.html", works=works, total=total, page=page, pages=pages)


@bp.get("/works/<int:work_id>")
@public
def work(work_id: int):
    found = db.session.execute(published_works().where(Work.id == work_id)).scalar_one_or_none()
    if found is None:
        abort(404)
    sources = field_sources(found, current_app.config["ZHIKU_SOURCE_PRIORITY"])
    provenance = [(field_label(name), sources[name]) for name in FIELD_LABELS if name in sources]
    if len({origin.get("source_record_id", "override") for _label, origin in provenance}) < 2:
        provenance = []  # every value from one record: the list of sources says it all
    records = db.session.execute(sa.select(SourceRecord).where(
        SourceRecord.work_id == found.id, SourceRecord.is_current.is_(True), SourceRecord.deleted.is_(False))
        .order_by(SourceRecord.source, SourceRecord.source_id)).scalars().all()
    return render_template("work.html", work=found, provenance=provenance, records=records)


@bp.get("/lang/<code>")
@public
def set_language(code: str):
    if code not in current_app.config["ZHIKU_LANGUAGES"]:
        abort(404)
    target = request.args.get("next") or url_for("public.index")
    if not target.startswith("/") or target.startswith("//"):  # no open redirect
        target = url_for("public.index")
    response = redirect(target)
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response
