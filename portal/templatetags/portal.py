from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced, for paging and sorting links."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def elided_range(paginator, number):
    return paginator.get_elided_page_range(number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def panels(context, slot, obj=None):
    """The sections other apps add to this page (portal.registry), rendered in order.

    Rendered in the page's own context, as {% include %} does: the context processors
    (the header's menu, memberships, unread count) ran once for the page, not per panel."""
    from django.utils.safestring import mark_safe

    from portal import registry

    html = []
    for name, values in registry.panels_for(slot, context["request"], obj):
        template = context.template.engine.get_template(name)
        with context.push(values):
            html.append(template.render(context))
    return mark_safe("".join(html))
