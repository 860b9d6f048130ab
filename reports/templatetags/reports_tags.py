from django import template

from ..models import Report

register = template.Library()


@register.inclusion_tag("admin/reports/waiting.html")
def reports_waiting():
    """The moderators' dashboard line: reports nobody has handled yet."""
    return {"reports": Report.objects.open().count()}
