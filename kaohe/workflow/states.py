"""The state codes the shipped routes use; code compares against these names, never bare strings.

Administrators may add states and transitions; these are the ones the application itself reasons about.
"""



class SheetState:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED = "signed"
    RETURNED = "returned"


class RoundState:
    OPEN = "open"
    COLLECTED = "collected"
    DECIDED = "decided"
    PUBLISHED = "published"
    CLOSED = "closed"


class Step:
    """Transition actions the application calls by name."""

    SUBMIT = "submit"
    SIGN = "sign"
    RETURN = "return"
    SEND_BACK = "send_back"
    OBJECT = "object"
    COLLECT = "collect"
    RECOLLECT = "recollect"
    REOPEN = "reopen"
    DECIDE = "decide"
    PUBLISH = "publish"
    CLOSE = "close"
