"""Read an OData CSDL (EDMX 4.0) document into a small, immutable type model.

Only what a JSON Schema needs is kept: structured types (entity and complex) with their base
type, abstractness and properties, and enum types with their members. Type references are
normalised to the full namespace-qualified name (``graph.event`` -> ``microsoft.graph.event``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from graphcal.errors import GraphcalError

EDMX_NS = "http://docs.oasis-open.org/odata/ns/edmx"
EDM_NS = "http://docs.oasis-open.org/odata/ns/edm"
_COLLECTION = re.compile(r"^Collection\((?P<inner>.+)\)$")


class MetadataError(GraphcalError):
    """The metadata file is missing, is not CSDL, or is inconsistent."""


@dataclass(frozen=True)
class TypeRef:
    name: str  # full name: "Edm.String" or "microsoft.graph.attendee"
    collection: bool
    nullable: bool


@dataclass(frozen=True)
class Property:
    name: str
    type: TypeRef
    navigation: bool


@dataclass(frozen=True)
class StructuredType:
    name: str  # full name
    kind: str  # "EntityType" | "ComplexType"
    base: str | None
    abstract: bool
    properties: tuple[Property, ...]  # own properties only, in document order


@dataclass(frozen=True)
class EnumType:
    name: str
    members: tuple[str, ...]
    flags: bool


@dataclass(frozen=True)
class Model:
    structured: dict[str, StructuredType]
    enums: dict[str, EnumType]

    def derived(self, name: str) -> list[str]:
        """Every type whose base chain passes through ``name`` (not ``name`` itself), sorted."""
        return sorted(t for t in self.structured if t != name and name in self.ancestry(t))

    def ancestry(self, name: str) -> list[str]:
        """``name`` followed by its base types, nearest first."""
        chain = [name]
        base = self.structured[name].base
        while base is not None:
            chain.append(base)
            base = self.structured[base].base
        return chain

    def all_properties(self, name: str) -> list[Property]:
        """Inherited then own properties (a derived type may not redeclare one in OData)."""
        props: list[Property] = []
        for type_name in reversed(self.ancestry(name)):
            props.extend(self.structured[type_name].properties)
        return props


def load(path: str | Path) -> Model:
    """Parse the CSDL file at ``path``; every failure is one MetadataError saying what to do."""
    source = Path(path)
    if not source.is_file():
        raise MetadataError(
            f"metadata file not found: {source} (pass --metadata pointing at a Graph v1.0 CSDL, "
            "e.g. metadata/cleanMetadata.xml)"
        )
    try:
        root = ET.parse(source).getroot()
    except ET.ParseError as exc:
        raise MetadataError(f"{source} is not XML ({exc}); expected a Graph v1.0 CSDL (EDMX 4.0)") from None
    schemas = root.findall(f"{{{EDMX_NS}}}DataServices/{{{EDM_NS}}}Schema")
    if root.tag != f"{{{EDMX_NS}}}Edmx" or not schemas:
        raise MetadataError(
            f"{source} is not OData CSDL: expected an edmx:Edmx root with edm:Schema elements "
            f"(found <{root.tag}>)"
        )

    aliases: dict[str, str] = {}
    for schema in schemas:
        namespace = schema.get("Namespace", "")
        aliases[namespace] = namespace
        if schema.get("Alias"):
            aliases[schema.get("Alias", "")] = namespace

    def qualify(raw: str) -> str:
        if raw.startswith("Edm."):
            return raw
        prefix, _, local = raw.rpartition(".")
        if prefix not in aliases:
            raise MetadataError(f"{source}: type {raw!r} uses an unknown namespace or alias {prefix!r}")
        return f"{aliases[prefix]}.{local}"

    def type_ref(element: ET.Element) -> TypeRef:
        raw = element.get("Type")
        if not raw:
            raise MetadataError(f"{source}: property {element.get('Name')!r} has no Type attribute")
        match = _COLLECTION.match(raw)
        inner = match.group("inner") if match else raw
        # a collection-valued navigation property never holds nulls (OData CSDL 4.01, 8.1.3)
        navigation_collection = bool(match) and element.tag.endswith("NavigationProperty")
        nullable = element.get("Nullable", "true") != "false" and not navigation_collection
        return TypeRef(qualify(inner), bool(match), nullable)

    structured: dict[str, StructuredType] = {}
    enums: dict[str, EnumType] = {}
    for schema in schemas:
        namespace = schema.get("Namespace", "")
        for kind in ("EntityType", "ComplexType"):
            for element in schema.findall(f"{{{EDM_NS}}}{kind}"):
                name = f"{namespace}.{element.get('Name')}"
                props = tuple(
                    Property(p.get("Name", ""), type_ref(p), p.tag.endswith("NavigationProperty"))
                    for p in element
                    if p.tag in (f"{{{EDM_NS}}}Property", f"{{{EDM_NS}}}NavigationProperty")
                )
                base = element.get("BaseType")
                structured[name] = StructuredType(
                    name, kind, qualify(base) if base else None, element.get("Abstract") == "true", props
                )
        for element in schema.findall(f"{{{EDM_NS}}}EnumType"):
            name = f"{namespace}.{element.get('Name')}"
            members = tuple(m.get("Name", "") for m in element.findall(f"{{{EDM_NS}}}Member"))
            enums[name] = EnumType(name, members, element.get("IsFlags") == "true")

    model = Model(structured, enums)
    for type_ in structured.values():
        if type_.base is not None and type_.base not in structured:
            raise MetadataError(f"{source}: {type_.name} derives from {type_.base}, which is not defined")
    return model
