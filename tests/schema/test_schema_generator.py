"""graphcal schemas build: reproducible output, and one clear error for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphcal.cli import main
from graphcal.schemagen import build

ROOT = Path(__file__).resolve().parents[2]
METADATA = ROOT / "metadata" / "cleanMetadata.xml"
SCHEMAS = ROOT / "schemas"
NOT_GENERATED = {"deviations.json"}  # hand-maintained, checked by test_schema_doc_examples

TINY_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="color"><Member Name="red" Value="0" /><Member Name="blue" Value="1" /></EnumType>
      <ComplexType Name="thing">
        <Property Name="tint" Type="graph.color" Nullable="false" />
        <Property Name="tags" Type="Collection(Edm.String)" Nullable="false" />
        <Property Name="part" Type="graph.{part}" />
      </ComplexType>
      <ComplexType Name="part"><Property Name="at" Type="Edm.DateTimeOffset" /></ComplexType>
      <ComplexType Name="special" BaseType="graph.thing"><Property Name="n" Type="Edm.Int32" /></ComplexType>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def test_regenerating_from_vendored_metadata_reproduces_schemas_byte_for_byte(tmp_path: Path) -> None:
    assert main(["schemas", "build", "--metadata", str(METADATA), "--out", str(tmp_path)]) == 0
    committed = {p.name: p.read_bytes() for p in SCHEMAS.iterdir() if p.name not in NOT_GENERATED}
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(generated) == sorted(committed)
    changed = [name for name in generated if generated[name] != committed[name]]
    assert changed == [], f"schemas/ is stale; rerun graphcal schemas build ({changed})"


def test_index_records_the_metadata_it_came_from() -> None:
    index = json.loads((SCHEMAS / "index.json").read_text(encoding="utf-8"))
    provenance = (ROOT / "metadata" / "PROVENANCE.md").read_text(encoding="utf-8")
    assert index["metadata_sha256"] in provenance


def test_small_csdl_maps_types_nullability_and_derivation(tmp_path: Path) -> None:
    source = tmp_path / "tiny.xml"
    source.write_text(TINY_CSDL.format(part="part"), encoding="utf-8")
    files = {name: json.loads(content) for name, content in build(source, ["thing"]).items()}
    assert sorted(files) == [
        "index.json", "microsoft.graph.part.json", "microsoft.graph.special.json", "microsoft.graph.thing.json",
        "odata.collection.json", "odata.delta.json", "odata.error.json",
    ]  # fmt: skip
    thing = files["microsoft.graph.thing.json"]
    props = thing["properties"]
    assert props["tint"] == {"title": "microsoft.graph.color", "type": "string", "enum": ["red", "blue"]}
    assert props["tags"] == {"type": "array", "items": {"type": "string"}}
    assert props["part"] == {"type": ["object", "null"], "$ref": "microsoft.graph.part.json"}
    assert props["@odata.type"] == {"enum": ["#microsoft.graph.thing", "#microsoft.graph.special"]}
    assert thing["if"] == {"required": ["@odata.type"]}
    assert thing["then"]["allOf"][0]["then"] == {"$ref": "microsoft.graph.special.json"}
    special = files["microsoft.graph.special.json"]["properties"]
    assert set(special) == {"@odata.type", "tint", "tags", "part", "n"}
    assert files["microsoft.graph.part.json"]["properties"]["at"] == {"type": ["string", "null"], "format": "date-time"}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["schemas", "build", *argv])
    captured = capsys.readouterr()
    return code, captured.err


@pytest.mark.parametrize(
    ("setup", "types", "expected"),
    [
        ("missing", None, "metadata file not found"),
        ("json", None, "is not XML"),
        ("xml", None, "is not OData CSDL"),
        ("dangling", "thing", "microsoft.graph.nowhere, which the metadata does not define"),
        ("tiny", None, "type 'event' does not exist in the metadata"),
        ("tiny", "thing,gadget", "type 'gadget' does not exist in the metadata"),
        ("tiny", "color", "enum types are validated as properties"),
    ],
)
def test_bad_input_ends_in_one_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, types: str | None, expected: str
) -> None:
    source = tmp_path / "metadata.xml"
    if setup == "json":
        source.write_text('{"not": "xml"}', encoding="utf-8")
    elif setup == "xml":
        source.write_text("<html><body>Not found</body></html>", encoding="utf-8")
    elif setup == "dangling":
        source.write_text(TINY_CSDL.format(part="nowhere"), encoding="utf-8")
    elif setup == "tiny":
        source.write_text(TINY_CSDL.format(part="part"), encoding="utf-8")
    out = tmp_path / "out"
    code, err = run_cli(capsys, "--metadata", str(source), "--out", str(out), *(["--types", types] if types else []))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("graphcal: ") and expected in err, err
    assert "Traceback" not in err
    assert not out.exists(), "nothing is written when the input is bad"
