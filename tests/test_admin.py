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
