"""The OAI-PMH blueprint: ``/oai`` answers GET and POST (form-encoded), streaming its XML.

The view only gathers arguments and repository facts; ``verbs`` decides, ``writer`` serializes. All
errors are OAI-PMH errors with HTTP 200, as the protocol wants. The blueprint is exempt from CSRF
(harvesters POST without a session) and open to everyone (``@public``).
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from repository.extensions import csrf
from repository.models import utcnow
from repository.plugins import plugins
from repository.web.access import public

from .formats import FormatContext
from .list_sizes import ListSizes
from .tokens import DEFAULT_TTL, TokenCodec
from .verbs import Verbs
from .writer import Site, render

bp = Blueprint("oai", __name__)
csrf.exempt(bp)
_LIST_SIZES = "zhiku_oai_list_sizes"  # app.extensions key: the application's ListSizes


@bp.record_once
def _keep_list_sizes(state) -> None:
    state.app.extensions[_LIST_SIZES] = ListSizes()


def available_formats() -> dict:
    """Every metadata format of the enabled plugins, by prefix (the first plugin to claim a prefix wins)."""
    found = {}
    for batch in plugins().hook.zhiku_metadata_formats():
        for metadata_format in batch or ():
            found.setdefault(metadata_format.prefix, metadata_format)
    return found


def _arguments() -> dict[str, list[str]]:
    source = request.form if request.method == "POST" else request.args
    return {key: values for key, values in source.lists()}


def _site(repository_id: str) -> Site:
    config = current_app.config
    base_url = config.get("ZHIKU_OAI_BASE_URL") or url_for("oai.endpoint", _external=True)
    context = FormatContext(
        repository_name=config.get("ZHIKU_REPOSITORY_NAME", "Zhiku"),
        oai_identifier=lambda work: f"oai:{repository_id}:{work.id}",
        work_url=lambda work: url_for("public.work", work_id=work.id, _external=True),
    )
    return Site(base_url=base_url, name=config.get("ZHIKU_REPOSITORY_NAME", "Zhiku"),
                admin_email=config.get("ZHIKU_OAI_ADMIN_EMAIL") or f"repository@{repository_id}",
                repository_id=repository_id, context=context)


@bp.route("/oai", methods=["GET", "POST"], endpoint="endpoint")
@public
def endpoint():
    config = current_app.config
    repository_id = config.get("ZHIKU_REPOSITORY_ID", "zhiku.example.edu.cn")
    verbs = Verbs(formats=available_formats(),
                  codec=TokenCodec(config["SECRET_KEY"], int(config.get("ZHIKU_OAI_TOKEN_TTL", DEFAULT_TTL))),
                  repository_id=repository_id, page_size=int(config.get("ZHIKU_OAI_PAGE_SIZE", 100)),
                  list_sizes=current_app.extensions[_LIST_SIZES])
    result = verbs.handle(_arguments())
    body = render(result, _site(repository_id), utcnow())
    return Response(stream_with_context(body), content_type="text/xml; charset=utf-8")
