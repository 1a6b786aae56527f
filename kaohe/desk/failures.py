"""The last answer when something fails: a database that does not answer is a 503 the client may retry,
said plainly (JSON under /api/), never a traceback; anything else is the plain 500 page."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER = "5"
UNAVAILABLE_EN = "The database is not answering; nothing was changed. Please try again in a few seconds."
UNAVAILABLE_ZH = "数据库暂时无法访问，本次操作没有执行。请几秒钟后重试。"


@requires_csrf_token
def server_error(request):
    failure = sys.exc_info()[1]
    if isinstance(failure, OperationalError | InterfaceError):
        # Written out in both languages: translating would need the database-backed session to pick one.
        if request.path.startswith("/api/"):
            response = JsonResponse({"errors": [{"code": "database_unavailable",
                                                 "message": f"{UNAVAILABLE_ZH} {UNAVAILABLE_EN}"}]}, status=503)
        else:
            html = loader.render_to_string("kaohe/503.html", {"zh": UNAVAILABLE_ZH, "en": UNAVAILABLE_EN})
            response = HttpResponse(html, status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
