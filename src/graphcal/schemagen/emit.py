"""Turn the CSDL type model into JSON Schema (draft 2020-12) documents, one per type.

Decisions (each one is what OData JSON format 4.01 allows a service to send):
- Properties are flattened (inherited + own), so a violation names the property directly.
- Unknown properties are allowed (open types, instance annotations, fields the metadata
  lacks such as ``occurrenceId``); known ones are strict.
- ``@odata.type`` must name the type or one of its non-abstract derived types; when it names
  a derived type, the payload is also validated against that type's schema.
- ``Nullable="false"`` forbids null; on a collection it applies to the items (OData rule).
- Structured values are referenced and the referring site says ``"type": "object"`` or
  ``["object", "null"]``, so a type file has no root ``type`` of its own: nullability is a
  property of the site, and errors keep their precise path (no anyOf to unwrap).
- Enum values are inlined at the site (known members only).
"""

from __future__ import annotations

from typing import Any

from graphcal.schemagen.csdl import MetadataError, Model, Property, TypeRef

BASE_URI = "https://graphcal.invalid/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Graph's dateTimeTimeZone.dateTime is Edm.String in the CSDL, but Graph documents and sends a
# local ISO 8601 date-time without offset ("2019-12-26T02:00:00.0000000"). This overlay is the
# one place where the schema is stricter than the metadata; the format name is checked by
# graphcal.schema's FormatChecker (calendar validity), the pattern by any validator.
LOCAL_DATE_TIME_FORMAT = "graphcal-local-date-time"
OVERLAYS: dict[tuple[str, str], dict[str, Any]] = {
    ("microsoft.graph.dateTimeTimeZone", "dateTime"): {
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$",
        "format": LOCAL_DATE_TIME_FORMAT,
        "$comment": "overlay: Edm.String in the CSDL; Graph sends a local date-time without offset",
    },
}

_INT_RANGES = {
    "Edm.Byte": (0, 255),
    "Edm.SByte": (-128, 127),
    "Edm.Int16": (-32768, 32767),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}


def file_name(type_name: str) -> str:
    return f"{type_name}.json"


def primitive_schema(edm: str) -> dict[str, Any]:
    """JSON type and format for an Edm primitive, as OData JSON format represents it."""
    if edm in ("Edm.String", "Edm.Stream"):
        return {"type": "string"}
    if edm == "Edm.Boolean":
        return {"type": "boolean"}
    if edm in _INT_RANGES:
        low, high = _INT_RANGES[edm]
        return {"type": "integer", "minimum": low, "maximum": high}
    if edm in ("Edm.Double", "Edm.Single", "Edm.Decimal"):
        return {"type": "number"}
    if edm == "Edm.DateTimeOffset":
        return {"type": "string", "format": "date-time"}
    if edm == "Edm.Date":
        return {"type": "string", "format": "date"}
    if edm == "Edm.TimeOfDay":
        return {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?$"}
    if edm == "Edm.Duration":
        return {
            "type": "string",
            "pattern": r"^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$",
        }
    if edm == "Edm.Guid":
        return {"type": "string", "format": "uuid"}
    if edm == "Edm.Binary":
        return {"type": "string", "contentEncoding": "base64", "pattern": r"^[A-Za-z0-9+/_-]*={0,2}$"}
    if edm == "Edm.Untyped" or edm.startswith("Edm.Geo"):
        return {}
    raise MetadataError(f"unsupported primitive type {edm}")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    result = dict(schema)
    if "type" in result:
        result["type"] = [result["type"], "null"]
    if "enum" in result:
        result["enum"] = [*result["enum"], None]
    return result


def _value_schema(model: Model, ref: TypeRef) -> dict[str, Any]:
    name = ref.name
    if name.startswith("Edm."):
        return primitive_schema(name)
    if name in model.enums:
        enum = model.enums[name]
        if enum.flags:  # a comma-separated list of members
            alternatives = "|".join(enum.members)
            return {"title": name, "type": "string", "pattern": f"^({alternatives})(,({alternatives}))*$"}
        return {"title": name, "type": "string", "enum": list(enum.members)}
    if name in model.structured:
        return {"type": "object", "$ref": file_name(name)}
    raise MetadataError(f"a property refers to {name}, which the metadata does not define")


def property_schema(model: Model, owner: str, prop: Property) -> dict[str, Any]:
    value = _value_schema(model, prop.type)
    for declaring in model.ancestry(owner):  # an overlay follows the property into derived types
        overlay = OVERLAYS.get((declaring, prop.name))
        if overlay:
            value = {**value, **overlay}
    if prop.type.nullable:
        value = _nullable(value)
    if prop.type.collection:
        return {"type": "array", "items": value}
    return value


def closure(model: Model, roots: list[str]) -> list[str]:
    """The roots, every type their properties (structural and navigation) reach, every type
    derived from those, and their base types; sorted."""
    children: dict[str, list[str]] = {}
    for type_ in model.structured.values():
        if type_.base:
            children.setdefault(type_.base, []).append(type_.name)
    reached: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in reached:
            continue
        reached.add(name)
        queue.extend(children.get(name, []))
        for prop in model.all_properties(name):
            target = prop.type.name
            if target in model.structured:
                queue.append(target)
            elif not target.startswith("Edm.") and target not in model.enums:
                raise MetadataError(f"{name}.{prop.name} refers to {target}, which the metadata does not define")
    with_bases = set(reached)
    for name in reached:
        with_bases.update(model.ancestry(name))
    return sorted(with_bases)


def type_schema(model: Model, name: str, emitted: set[str]) -> dict[str, Any]:
    type_ = model.structured[name]
    descendants = model.derived(name)
    concrete = [t for t in [name, *descendants] if not model.structured[t].abstract]
    if all(t in emitted for t in descendants):
        odata_type: dict[str, Any] = {"enum": [f"#{t}" for t in concrete]}
    else:  # a base type kept only for inheritance (entity): its derived types are not all here
        odata_type = {"type": "string", "pattern": "^#"}
    properties: dict[str, Any] = {"@odata.type": odata_type}
    if type_.kind == "EntityType":
        properties["@odata.etag"] = {"type": "string"}
        properties["@odata.context"] = {"type": "string"}
    for prop in sorted(model.all_properties(name), key=lambda p: p.name):
        properties[prop.name] = property_schema(model, name, prop)
    chain = model.ancestry(name)
    description = f"{type_.kind} {name}" + (f" (base types: {', '.join(chain[1:])})" if chain[1:] else "")
    if type_.abstract:
        description += "; abstract"
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": BASE_URI + file_name(name),
        "title": name,
        "description": description,
        "properties": properties,
    }
    dispatch = [
        {
            "if": {"properties": {"@odata.type": {"const": f"#{t}"}}, "required": ["@odata.type"]},
            "then": {"$ref": file_name(t)},
        }
        for t in descendants
        if t in emitted and not model.structured[t].abstract
    ]
    if dispatch:  # evaluated only when the payload names its type
        schema["if"] = {"required": ["@odata.type"]}
        schema["then"] = {"allOf": dispatch}
    return schema
