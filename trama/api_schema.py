"""The API schema documents the errors each operation can answer with, in the shape the API gives them.

drf-spectacular documents only the success response. Every error of the API has the body
{"detail": "…"} (DRF's exceptions, trama.api.exception_handler), except validation errors (400),
which name the fields: {"field": ["…"], "non_field_errors": ["…"]}.
"""

ERROR = {
    "type": "object",
    "description": "Errore: il motivo in `detail`.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "Dati non validi: per ogni campo (o `non_field_errors`) l'elenco dei problemi; a volte solo `detail`.",
    "additionalProperties": {},
}
RESPONSES = {
    "400": ("Richiesta non valida.", "ValidationError"),
    "401": ("Autenticazione mancante o non valida.", "Error"),
    "403": ("Non consentito a questo account (o token CSRF mancante nelle richieste con sessione).", "Error"),
    "404": ("Risorsa non trovata (o pagina oltre l'ultima).", "Error"),
}


def _errors_of(method, operation):
    """The error status codes `operation` can answer with."""
    parameters = operation.get("parameters", [])
    codes = ["401", "403"]  # any call: a missing or bad credential, a role that may not
    if "requestBody" in operation or any(p["in"] == "query" and p["name"] != "page" for p in parameters):
        codes.append("400")
    if any(p["in"] == "path" for p in parameters) or any(p["in"] == "query" and p["name"] == "page" for p in parameters):
        codes.append("404")
    return codes


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the error responses to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "put", "patch", "post", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code in _errors_of(method, operation):
                description, component = RESPONSES[code]
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    return result
