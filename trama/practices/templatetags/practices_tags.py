"""Panels practices puts on other apps' pages: a theme's "who has done something like this?", a body's decision."""

from django import template

from .. import queries, services

register = template.Library()


@register.inclusion_tag("practices/_theme_practices.html", takes_context=True)
def theme_practices(context, theme):
    """The sheets the reader may see that answer the theme: tagged with it, or close in words."""
    user = context["request"].user
    if not user.has_perm("practices.list_practices"):
        return {"show": False}
    return {
        "show": True,
        "theme": theme,
        "practices": queries.of_theme(queries.practices_visible_to(user), theme),
        "can_add": user.has_perm("practices.add_practice"),
    }


@register.inclusion_tag("practices/_decision_link.html", takes_context=True)
def decision_link(context, decision):
    user = context["request"].user
    body = services.body_of(decision.meeting)
    if body is None:
        return {"show": False}
    return {
        "show": True,
        "decision": decision,
        "link": queries.links_of([decision]).get(decision.pk),
        "can_link": user.has_perm("practices.meet_body", body),
    }
