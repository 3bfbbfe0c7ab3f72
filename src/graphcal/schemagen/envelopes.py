"""The OData JSON envelopes Graph wraps payloads in: collection page, delta page, error body.

They are not in the CSDL (they are defined by OData JSON format 4.01 and Graph's error
format), so they are written here; ``graphcal.schema`` binds them to an item type.
"""

from __future__ import annotations

from typing import Any

from graphcal.schemagen.emit import BASE_URI, DIALECT

_LINK = {"type": "string", "minLength": 1}


def collection() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": BASE_URI + "odata.collection.json",
        "title": "OData collection page",
        "description": "A page of a collection; the item type is bound by graphcal.schema",
        "type": "object",
        "required": ["value"],
        "properties": {
            "@odata.context": {"type": "string"},
            "@odata.count": {"type": "integer", "minimum": 0},
            "@odata.nextLink": _LINK,
            "@odata.deltaLink": _LINK,
            "value": {"type": "array"},
        },
    }


def delta() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": BASE_URI + "odata.delta.json",
        "title": "OData delta page",
        "description": (
            "A page of a delta round: items are full or abbreviated items, or removed-item "
            "markers; every page ends with either a nextLink or a deltaLink"
        ),
        "$ref": "odata.collection.json",
        # a page without a nextLink is the round's last page and must carry the deltaLink
        "if": {"not": {"required": ["@odata.nextLink"]}},
        "then": {"required": ["@odata.deltaLink"]},
        "$defs": {
            "removedItem": {
                "type": "object",
                "required": ["id", "@removed"],
                "properties": {
                    "id": {"type": "string"},
                    "@removed": {
                        "type": "object",
                        "required": ["reason"],
                        "properties": {"reason": {"enum": ["changed", "deleted"]}},
                    },
                },
            }
        },
    }


def error() -> dict[str, Any]:
    detail = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "target": {"type": ["string", "null"]}},
    }
    return {
        "$schema": DIALECT,
        "$id": BASE_URI + "odata.error.json",
        "title": "Graph error body",
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                **detail,
                "properties": {
                    **detail["properties"],
                    "details": {"type": "array", "items": detail},
                    "innerError": {"type": "object"},
                    "innererror": {"type": "object"},
                },
            }
        },
    }


def all_envelopes() -> dict[str, dict[str, Any]]:
    return {"odata.collection.json": collection(), "odata.delta.json": delta(), "odata.error.json": error()}
