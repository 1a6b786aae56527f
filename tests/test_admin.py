"""Every admin page opens for an administrator, in Chinese, and the ledger stays append-only."""

from datetime import date

import pytest
from django.urls import reverse

from kaohe.models import LedgerEntry, Rule

pytestmark = pytest.mark.django_db
MODELS = ["unit", "unitgroup", "section", "scheme", "indicator", "rule", "ledgerentry", "economicfigure",
          "importbatch"]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.invalid", "a-Long-pass-4821")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_changelists_open(admin_client, town, units, model):
    response = admin_client.get(reverse(f"admin:kaohe_{model}_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200


def test_admin_speaks_chinese(admin_client, town):
    page = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "被考核单位" in page and "台账" in page and "评分规则" in page


def test_a_ledger_row_cannot_be_deleted_from_the_admin(admin_client, town, units):
    rule = Rule.objects.get(scheme=town, code="8.1.a")
    entry = LedgerEntry.objects.create(scheme=town, unit=units["城关镇"], rule=rule, date=date(2026, 2, 1))
    response = admin_client.post(reverse("admin:kaohe_ledgerentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_jobs_are_listed_read_only(admin_client, people):
    from kaohe.models import Job

    job = Job.objects.create(kind="import", state=Job.RUNNING, done=120, total=600, requested_by=people["staff"])
    listed = admin_client.get(reverse("admin:kaohe_job_changelist"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = listed.content.decode()
    assert listed.status_code == 200
    assert "120/600" in page and "staff" in page and "文件导入" in page  # done/total, who asked, the kind
    assert reverse("admin:kaohe_job_add") not in page
    filtered = admin_client.get(reverse("admin:kaohe_job_changelist") + "?state__exact=done")
    assert "120/600" not in filtered.content.decode()
    opened = admin_client.get(reverse("admin:kaohe_job_change", args=[job.pk]))
    assert opened.status_code == 200 and 'name="_save"' not in opened.content.decode()
    assert admin_client.get(reverse("admin:kaohe_job_add")).status_code == 403
    posted = admin_client.post(reverse("admin:kaohe_job_change", args=[job.pk]), {"state": Job.DONE})
    assert posted.status_code == 403
    job.refresh_from_db()
    assert job.state == Job.RUNNING
