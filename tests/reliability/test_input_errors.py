"""Inputs that cannot be used at all: exit code 2 and a message that says which file and where."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from validators.cli import main
from validators.ingest import readers

GOOD_LINE = '{"article_id": "a", "text": "Some text."}\n'


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.strip()


def test_unreadable_file_is_exit_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "locked.jsonl"
    source.write_text(GOOD_LINE, "utf-8")
    if os.geteuid() == 0:
        # root reads any file whatever its mode: make the open fail the way it does for other users.
        def denied(path: object, *args: object, **kwargs: object) -> object:
            if Path(str(path)) == source:
                raise PermissionError(13, "Permission denied", str(path))
            return builtins.open(path, *args, **kwargs)

        monkeypatch.setattr(readers, "open", denied, raising=False)
    else:
        source.chmod(0)
    out = tmp_path / "out.parquet"
    assert main(["ingest", str(source), "--out", str(out)]) == 2
    assert _error(capsys) == f"error: {source}: cannot be read: Permission denied"
    assert not out.exists()


def test_missing_file_is_exit_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "absent.csv"
    assert main(["ingest", str(source), "--out", str(tmp_path / "out.parquet")]) == 2
    assert _error(capsys) == f"error: {source}: no such file or folder"


def test_corrupt_parquet_is_exit_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "broken.parquet"
    source.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    assert main(["ingest", str(source), "--out", str(tmp_path / "out.parquet")]) == 2
    assert _error(capsys).startswith(f"error: {source}: not a readable Parquet file: ")


def test_latin1_text_file_is_exit_2_naming_file_and_byte_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "legacy.txt"
    data = "Früh am Morgen\nDer Bürgermeister eröffnete die Brücke.\n".encode("latin-1")
    source.write_bytes(data)
    out = tmp_path / "out.parquet"
    assert main(["ingest", str(source), "--out", str(out)]) == 2
    offset = data.index("ü".encode("latin-1"))
    assert _error(capsys) == (f"error: {source}: not valid UTF-8 at byte {offset} (is it latin-1 or another encoding?)")
    assert not out.exists()


def test_latin1_text_file_with_bom_counts_the_bom_in_the_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bom.txt"
    source.write_bytes(b"\xef\xbb\xbfTitle\nCaf\xe9\n")
    assert main(["ingest", str(source), "--out", str(tmp_path / "out.parquet")]) == 2
    assert f"{source}: not valid UTF-8 at byte 12 " in _error(capsys)


def test_parquet_input_missing_required_columns_is_exit_2_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "export.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["Some text."]}), source)
    out = tmp_path / "out.parquet"
    assert main(["ingest", str(source), "--out", str(out)]) == 2
    assert _error(capsys) == f"error: {source}: missing required column(s): article_id, text"
    assert not out.exists()
    # With the columns mapped, the same file ingests.
    assert main(["ingest", str(source), "--out", str(out), "--map", "id=article_id", "--map", "body=text"]) == 0


def test_parquet_table_missing_required_columns_is_exit_2_at_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"article_id": ["a"], "body": ["x"]}), table)
    assert main(["validate", str(table), "--out", str(tmp_path / "run")]) == 2
    assert _error(capsys) == f"error: {table}: missing required column(s): text"
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("params", "line", "message"),
    [
        ("      max_foreign_fraction: lots", 6, "'max_foreign_fraction' must be a float, got str 'lots'"),
        ("      max_foreign_run: 12.5", 6, "'max_foreign_run' must be a int, got float 12.5"),
        ("      max_foreign_run: [1, 2]", 6, "'max_foreign_run' must be a single int"),
        ("      max_foreign_fraction: .nan", 6, "'max_foreign_fraction' must be a finite number, got nan"),
        ("      max_foreign_fraction: !!float high", 6, "'max_foreign_fraction' is not a valid float"),
    ],
)
def test_suite_with_a_wrong_parameter_type_is_exit_2_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], params: str, line: int, message: str
) -> None:
    source = tmp_path / "a.jsonl"
    source.write_text(GOOD_LINE, "utf-8")
    table = tmp_path / "a.parquet"
    assert main(["ingest", str(source), "--out", str(table)]) == 0
    capsys.readouterr()
    suite = tmp_path / "suite.yml"
    suite.write_text(
        "name: strict\nchecks:\n  - id: boilerplate\n  - id: mixed_language\n    params:\n" + params + "\n",
        "utf-8",
    )
    assert main(["validate", str(table), "--suite", str(suite), "--out", str(tmp_path / "run")]) == 2
    assert _error(capsys).startswith(f"error: {suite}:{line}: {message}")
    assert not (tmp_path / "run").exists()
