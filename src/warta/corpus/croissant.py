"""``croissant.json``: the release described in MLCommons Croissant 1.0 (JSON-LD).

``distribution`` has one ``cr:FileObject`` per Parquet shard (with its SHA-256) and one
``cr:FileSet`` per config (``<config>/*.parquet``) that the record sets read from; each config is a
``cr:RecordSet`` whose fields extract the Parquet columns (lists are ``repeated``, structs have
``subField``s). ``mlcroissant`` loads it offline and reads the records (see the tests).
"""

from __future__ import annotations

from typing import Any

from warta.schema import LabelSchema

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
PARQUET = "application/x-parquet"
_TYPES = {"string": "sc:Text", "int32": "sc:Integer", "int64": "sc:Integer", "bool": "sc:Boolean", "float32": "sc:Float", "float64": "sc:Float"}


def _field(config: str, name: str, feature: Any, *, parent: str | None = None) -> dict[str, Any]:
    from datasets import ClassLabel, List, Value

    field_id = f"{parent or config}/{name}"
    out: dict[str, Any] = {"@type": "cr:Field", "@id": field_id, "name": name}
    source = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": name}}
    if isinstance(feature, List):
        out["repeated"] = True
        feature = feature.feature
    if isinstance(feature, dict):
        out["description"] = f"{name}: a struct of {', '.join(feature)}"
        out["subField"] = []
        for sub_name, sub in feature.items():
            sub_field = _field(config, sub_name, sub, parent=field_id)
            sub_field["source"] = {"fileSet": {"@id": f"{config}-parquet"}, "extract": {"column": name}, "transform": {"jsonPath": sub_name}}
            out["subField"].append(sub_field)
        out["dataType"] = "sc:Text"
    elif isinstance(feature, ClassLabel):
        out["dataType"] = "sc:Integer"
        out["description"] = "class label id; names: " + ", ".join(f"{i}={n}" for i, n in enumerate(feature.names))
    elif isinstance(feature, Value):
        out["dataType"] = _TYPES.get(feature.dtype, "sc:Text")
    else:
        out["dataType"] = "sc:Text"
    if parent is None:
        out["source"] = source
    return out


def croissant(
    *,
    version: str,
    repo_id: str,
    description: str,
    licence_name: str,
    files: list[dict[str, Any]],
    configs: list[str],
    schema: LabelSchema,
    citation: str,
) -> dict[str, Any]:
    """The JSON-LD document; ``files`` are manifest entries of the Parquet shards."""
    from warta.features import features_for

    distribution: list[dict[str, Any]] = []
    for entry in sorted(files, key=lambda f: f["path"]):
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": entry["path"],
                "name": entry["path"],
                "contentUrl": entry["path"],
                "contentSize": f"{entry['bytes']} B",
                "encodingFormat": PARQUET,
                "sha256": entry["sha256"],
            }
        )
    for config in configs:
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": f"{config}-parquet",
                "name": f"{config}-parquet",
                "description": f"Parquet shards of the {config} config, all splits.",
                "encodingFormat": PARQUET,
                "includes": f"{config}/*.parquet",
            }
        )
    record_sets = []
    for config in configs:
        features = features_for(config, schema)
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": config,
                "name": config,
                "description": f"Rows of the {config} config.",
                "key": {"@id": f"{config}/id"},
                "field": [_field(config, name, feature) for name, feature in features.items()],
            }
        )
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "name": "warta",
        "description": description,
        "version": version,
        "url": f"https://huggingface.co/datasets/{repo_id}",
        "license": f"https://huggingface.co/datasets/{repo_id}/blob/v{version}/LICENSE-DATA",
        "citeAs": citation,
        "inLanguage": "id",
        "keywords": ["Indonesian", "news", "named entity recognition", "stance detection", "summarization"],
        "creator": {"@type": "sc:Organization", "name": "warta maintainers"},
        "isLiveDataset": False,
        "distribution": distribution,
        "recordSet": record_sets,
    }
