import pytest

from tests.conftest import fresh


@pytest.fixture
def recorded(round_, people):
    """Four rows of 财统科 (caitong), points hand-computed from the town scheme:
    8.1.a is −0.5 per occurrence, 8.5.a −1 per occurrence, 8.4.a discretionary.

    城关镇: 8.1.a ×2 = −1, 8.5.a ×1 = −1  → −2
    东山镇: 8.1.a ×1 = −0.5, 8.4.a −3     → −3.5
    """
    from kaohe.actions.ledger import do_record_entry

    staff = fresh(people["staff"])
    for cells in (
        {"unit": "城关镇", "rule": "8.1.a", "quantity": "2", "date": "2026-02-01", "note": "迟报两次"},
        {"unit": "东山镇", "rule": "8.1.a", "quantity": "1", "date": "2026-03-05"},
        {"unit": "城关镇", "rule": "8.5.a", "quantity": "1", "date": "2026-04-10", "note": "=SUM(A1)"},
        {"unit": "东山镇", "rule": "8.4.a", "points": "-3", "date": "2026-06-01", "note": "台帐不全"},
    ):
        do_record_entry(round_.scheme, cells=cells, acting_user=staff)
    return round_
