from django.contrib.auth import views as auth_views
from django.urls import path

import kaohe.desk.language  # noqa: F401  (connects the login hook that remembers the reader's language)
from kaohe.desk import home, ledger, ratings, results, rounds, schemes, sheets

app_name = "kaohe"
urlpatterns = [
    path("", home.inbox, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="kaohe/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("delegate/", home.delegate, name="delegate"),
    path("delegations/<int:pk>/end/", home.end_delegation, name="end_delegation"),
    path("notifications/<int:pk>/read/", home.read_notification, name="read_notification"),
    path("rounds/", rounds.rounds_list, name="rounds"),
    path("rounds/new/", rounds.open_round, name="open_round"),
    path("rounds/<int:pk>/", rounds.round_board, name="round"),
    path("rounds/<int:pk>/ranking/", rounds.ranking, name="ranking"),
    path("rounds/<int:pk>/do/<slug:action>/", rounds.round_action, name="round_action"),
    path("rounds/<int:pk>/sections/<slug:section>/", sheets.grid, name="grid"),
    path("rounds/<int:pk>/sections/<slug:section>/preview/", sheets.grid_preview, name="grid_preview"),
    path("rounds/<int:pk>/sections/<slug:section>/all/<slug:action>/", sheets.grid_bulk, name="grid_bulk"),
    path("rounds/<int:pk>/units/<int:unit_id>/", results.unit_result, name="unit_result"),
    path("rounds/<int:pk>/units/<int:unit_id>/plan/", ratings.save_plan, name="save_plan"),
    path("my/ratings/", ratings.my_ratings, name="my_ratings"),
    path("sheets/<int:pk>/", sheets.sheet_page, name="sheet"),
    path("sheets/<int:pk>/do/", sheets.sheet_action, name="sheet_action"),
    path("sheets/<int:pk>/object/", results.file_objection, name="file_objection"),
    path("objections/<int:pk>/answer/", results.answer_objection, name="answer_objection"),
    path("objections/<int:pk>/evidence/", results.objection_evidence, name="objection_evidence"),
    path("signatures/<int:pk>/verify/", sheets.verify_signature, name="verify"),
    path("ledger/", ledger.ledger_list, name="ledger"),
    path("ledger/new/", ledger.ledger_new, name="ledger_new"),
    path("ledger/<int:pk>/reverse/", ledger.ledger_reverse, name="ledger_reverse"),
    path("evidence/<int:pk>/", ledger.evidence_file, name="evidence"),
    path("schemes/", schemes.scheme_list, name="schemes"),
    path("schemes/<slug:code>/", schemes.scheme_editor, name="scheme_editor"),
    path("schemes/<slug:code>/copy/", schemes.scheme_copy, name="scheme_copy"),
]
