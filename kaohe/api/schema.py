"""The OpenAPI schema documents the error shape on every operation, for every status the API can answer with."""

ERRORS = {
    "400": "Bad input: each error names its field (and, for a file, its row).",
    "401": "No credentials, or a token that is not valid.",
    "403": "Not allowed for this role.",
    "404": "No such record, or not one this user may see.",
    "405": "Method not allowed.",
    "409": "Not possible in this state (a signed sheet, a closed window, …); nothing was changed.",
    "413": "The upload is too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests with this token; retry after the seconds in Retry-After.",
}
SHAPE = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
READS = {"400", "401", "403", "404", "405", "429"}  # a GET neither conflicts nor uploads


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing hook: add the one error body to each operation's responses."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, text in ERRORS.items():
                if method == "get" and status not in READS:
                    continue
                responses.setdefault(status, {"content": SHAPE, "description": text})
    return result
