"""The error class tree matches tests/vectors/error_classes.json (shared with Node)."""

from __future__ import annotations

import builtins
import json
from pathlib import Path

import zignsec

TABLE = json.loads(
    (Path(__file__).resolve().parents[2] / "tests" / "vectors" / "error_classes.json").read_text(
        encoding="utf-8"
    )
)


def resolve(name: str) -> type:
    return getattr(zignsec, name, None) or getattr(builtins, name)


def test_base_class() -> None:
    base = TABLE["base"]
    cls = getattr(zignsec, base["python_class"])
    assert [b.__name__ for b in cls.__bases__] == base["python_bases"]


def test_every_kind_has_its_class_and_bases() -> None:
    kinds = [row["kind"] for row in TABLE["kinds"]]
    assert len(kinds) == len(set(kinds)) == 14
    for row in TABLE["kinds"]:
        cls = getattr(zignsec, row["python_class"])
        assert cls.kind == row["kind"], row
        assert [b.__name__ for b in cls.__bases__] == row["python_bases"], row
        for name in row["python_bases"]:
            assert issubclass(cls, resolve(name)), row
        assert issubclass(cls, zignsec.ZignSecError), row
