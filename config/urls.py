from django.contrib import admin
from django.urls import include, path

from kaohe.desk import failures, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("kaohe.api.urls")),
    path("", include("kaohe.urls")),
]

handler500 = failures.server_error
