"""The default routes, installed by a data migration and editable afterwards in the admin."""

SHEET = {
    "code": "sheet-route",
    "name": "评分表流程",
    "target": "sheet",
    "states": [
        # code, label, initial, editable
        ("draft", "草稿", True, True),
        ("submitted", "已提交", False, False),
        ("signed", "已签署", False, False),
        ("returned", "退回", False, True),
    ],
    "transitions": [
        # action, label, source, target, role, options
        ("submit", "提交", "draft", "submitted", "staff", {"condition": "round_open"}),
        ("submit", "提交", "returned", "submitted", "staff", {}),
        ("sign", "签署", "submitted", "signed", "head", {"forbid_submitter": True, "signs": True}),
        ("return", "退回", "submitted", "returned", "head", {"comment_required": True}),
        ("send_back", "发回重评", "signed", "returned", "meeting",
         {"comment_required": True, "condition": "round_collected"}),
        ("object", "申诉", "signed", "returned", "unit",
         {"comment_required": True, "condition": "within_objection_window"}),
    ],
}

ROUND = {
    "code": "round-route",
    "name": "考核轮次流程",
    "target": "round",
    "states": [
        ("open", "进行中", True, False),
        ("collected", "已汇总", False, False),
        ("decided", "已审定", False, False),
        ("published", "已公布", False, False),
        ("closed", "已归档", False, False),
    ],
    "transitions": [
        ("collect", "汇总", "open", "collected", "collector", {"condition": "all_sheets_signed", "signs": True}),
        ("reopen", "发回重评", "collected", "open", "meeting", {"comment_required": True}),
        ("decide", "审定", "collected", "decided", "meeting", {"approvals_required": 2, "signs": True}),
        ("publish", "公布", "decided", "published", "collector", {}),
        ("recollect", "重新汇总", "published", "collected", "collector",
         {"condition": "result_changed", "signs": True}),
        ("close", "归档", "published", "closed", "collector", {"condition": "ready_to_close"}),
    ],
}


def install(apps=None) -> None:
    """Create the default workflows where missing; existing rows (maybe edited) are left alone."""
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    Workflow = apps.get_model("kaohe", "Workflow")
    State = apps.get_model("kaohe", "State")
    Transition = apps.get_model("kaohe", "Transition")
    for spec in (SHEET, ROUND):
        workflow, created = Workflow.objects.get_or_create(
            target=spec["target"], defaults={"code": spec["code"], "name": spec["name"]}
        )
        if not created:
            continue
        states = {}
        for order, (code, label, initial, editable) in enumerate(spec["states"]):
            states[code] = State.objects.create(workflow=workflow, code=code, label=label, initial=initial,
                                                editable=editable, order=order)
        for action, label, source, target, role, options in spec["transitions"]:
            Transition.objects.create(workflow=workflow, action=action, label=label, source=states[source],
                                      target=states[target], role=role, **options)
