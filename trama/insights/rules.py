"""Who may see the programme's indicators: coordinators for their city, workers for their
own neighbourhoods. The open data is public and needs no rule."""

import rules

from trama.people.rules import is_coordinator, is_worker

rules.add_perm("insights.view_dashboard", is_coordinator | is_worker)


@rules.predicate
def report_of_my_city(user, report):
    """The report was made for the user's city (asked first without a report: True then)."""
    if report is None:
        return True
    if user.city_id is None:
        from trama.territory.queries import current_city

        city = current_city()
        return city is not None and report.city_id == city.pk
    return report.city_id == user.city_id


rules.add_perm("insights.request_report", is_coordinator)
rules.add_perm("insights.view_report", is_coordinator & report_of_my_city)
