"""The formats kaohe ships: loaded by the migration that creates print formats, editable afterwards."""

from pathlib import Path

HERE = Path(__file__).resolve().parent

SHIPPED = [
    # code, name, subject, page size, orientation, letterhead
    ("scorecard", "考核得分表", "unit_result", "A4", "portrait", "县企业服务局"),
    ("announcement", "考核结果通报", "round_ranking", "A4", "portrait", "县企业服务局文件"),
    ("section_sheet", "科室评分表", "section_sheet", "A4", "portrait", "县企业服务局"),
    ("appraisal_form", "员工考核表", "appraisal_form", "A4", "portrait", ""),
    ("survey_invitation", "满意度问卷调查邀请函", "survey_invitation", "A4", "portrait", "县企业服务局"),
    ("evaluation_report", "项目评估报告", "evaluation_report", "A4", "portrait", "县企业服务局"),
]


def shipped_formats() -> list[dict]:
    """Each shipped format's fields, its template and CSS read from the files beside this module."""
    return [
        {"code": code, "name": name, "subject": subject, "page_size": size, "orientation": orientation,
         "letterhead": letterhead, "template": (HERE / f"{code}.html").read_text(encoding="utf-8"),
         "css": (HERE / f"{code}.css").read_text(encoding="utf-8")}
        for code, name, subject, size, orientation, letterhead in SHIPPED
    ]
