"""The first pages: the schemes and a ranking, for the bureau's staff."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import render

from kaohe.models import Scheme
from kaohe.scoring import AsOf
from kaohe.services.scoring import score


@staff_member_required
def home(request):
    return render(request, "kaohe/home.html", {"schemes": Scheme.objects.all()})


@staff_member_required
def ranking(request, code: str):
    scheme = Scheme.objects.filter(code=code).first()
    if scheme is None:
        raise Http404
    as_of = None
    month = request.GET.get("as_of", "")
    if month:
        try:
            as_of = AsOf.parse(month)
        except ValueError:
            as_of = None
    result = score(scheme, as_of=as_of, explain=False)
    groups = {}
    for unit in sorted(result.units, key=lambda u: (u.rank is None, u.rank or 0, u.unit)):
        groups.setdefault(unit.group, []).append(unit)
    categories = list(scheme.indicators.filter(parent__isnull=True).order_by("order"))
    return render(
        request,
        "kaohe/ranking.html",
        {"scheme": scheme, "result": result, "groups": groups, "categories": categories},
    )
