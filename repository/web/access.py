"""Authorization rules for views: every endpoint declares one, and one without a rule answers 403.

``@public`` opens a view to everyone; ``@roles_required("curator")`` to signed-in users holding a role
(admin holds every role). The check runs in ``before_request`` for all blueprints, plugin ones included.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, request

ACCESS_ATTRIBUTE = "zhiku_access"
PUBLIC = ("public",)


def public(view):
    """Mark *view* as open to everyone, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


def roles_required(*roles: str):
    """Mark a view as open to signed-in users with any of *roles*."""
    if not roles:
        raise ValueError("roles_required needs at least one role")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTRIBUTE, tuple(roles))
        return wrapper

    return decorate


def rule_for(endpoint: str | None):
    """The access rule of an endpoint: PUBLIC, a tuple of roles, or None (no rule: denied)."""
    if endpoint is None:
        return None
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTRIBUTE, None) if view else None


def enforce() -> None:
    """before_request: deny by default, check roles where a rule names them."""
    if request.endpoint is None:  # 404 / 405: let Flask answer
        return
    if request.endpoint == "static":
        return
    rule = rule_for(request.endpoint)
    if rule is None:
        abort(403)
    if rule == PUBLIC:
        return
    user = g.get("user")
    if user is None:
        abort(401)
    if not user.has_role(*rule):
        abort(403)
