"""The layers as docs/architecture.md draws them, checked on the code's imports: the
engine (seed_data) never imports the app (terp), the schema branch never imports the seed
runtime, and within terp the plans never import the generators that play them back."""

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def offenders(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(PROJECT_ROOT)} imports {module}"
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(forbidden)
    )


def test_the_engine_never_imports_the_app() -> None:
    assert offenders("seed_data", ("terp",)) == []


def test_the_schema_branch_needs_no_seed_runtime() -> None:
    runtime = ("seed_data.seeding", "seed_data.run", "seed_data.preflight", "terp")
    assert offenders("migrations/versions/schema", runtime) == []


def test_plans_do_not_import_generators() -> None:
    assert offenders("terp/plans", ("terp.generators", "terp.report")) == []


def test_the_check_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from terp.profiles import Profile\n"
        "def late() -> None:\n    import terp.rules\n"
    )
    assert {"terp.profiles", "terp.profiles.Profile", "terp.rules"} <= imported_modules(sample)


@pytest.mark.parametrize("package", ["seed_data", "terp"])
def test_every_package_folder_is_a_package(package: str) -> None:
    folders = {path.parent for path in (PROJECT_ROOT / package).rglob("*.py")}
    assert all((folder / "__init__.py").exists() for folder in folders)
