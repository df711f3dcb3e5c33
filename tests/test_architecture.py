"""The floor plan holds: apps depend one way (participants ← sessions ← findings, and
participants ← sessions ← workshops), spiegel's
helpers depend on no app, and each app's URLs are included once.

Imports are read with ast, those inside functions too, so a lazy import cannot hide a cycle.
"""

import ast
import re
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = ("participants", "sessions", "findings", "workshops")
# spiegel's modules that wire the apps together; every other one is a helper.
SPIEGEL_WIRING = {"urls.py", "settings.py", "wsgi.py", "asgi.py"}
FORBIDDEN = {
    "participants": {"sessions", "findings", "workshops"},
    "sessions": {"findings", "workshops"},
    "findings": {"workshops"},
    "workshops": {"findings"},
    "spiegel": set(APPS),
}


def modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if package == "spiegel" and path.relative_to(ROOT / package).as_posix() in SPIEGEL_WIRING:
            continue
        yield path


def imported(path, root=ROOT):
    """(line, dotted name) of every import in the module, relative ones resolved."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            yield node.lineno, module
            for alias in node.names:  # `from . import views` names a module too
                yield node.lineno, f"{module}.{alias.name}"


@pytest.mark.parametrize("package", list(FORBIDDEN))
def test_dependencies_point_one_way(package):
    offences = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules(package)
        for line, name in imported(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]

    assert not offences, f"{package} may not import {sorted(FORBIDDEN[package])}:\n" + "\n".join(
        offences
    )


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    module = tmp_path / "sessions" / "views" / "lazy.py"
    module.parent.mkdir(parents=True)
    module.write_text("def f():\n    from findings.models import Finding\n    from ..x import y\n")

    names = {name for _line, name in imported(module, root=tmp_path)}

    assert {"findings.models", "sessions.x", "sessions.x.y"} <= names


@pytest.mark.parametrize("app", APPS)
def test_each_app_has_at_most_one_urls_module(app):
    found = [p.relative_to(ROOT).as_posix() for p in (ROOT / app).rglob("urls*.py")]
    found += [p.relative_to(ROOT).as_posix() for p in (ROOT / app).rglob("urls/__init__.py")]

    assert len(found) <= 1, f"{app} has more than one urls module: {found}"


def url_lists():
    """{id of a list of patterns: "app.urls.name"} for every list an app's urls module offers."""
    import importlib

    lists = {}
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.urls")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if name.endswith("urlpatterns") and isinstance(value, list):
                lists[id(value)] = f"{app}.urls.{name}"
    return lists


def included(patterns, lists):
    """What every include() of the URLconf mounts, recursively, with repeats."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            conf = entry.urlconf_name
            yield lists.get(id(conf)) or getattr(conf, "__name__", None) or repr(conf)[:60]
            yield from included(entry.url_patterns, lists)


def test_each_urls_module_is_included_exactly_once():
    lists = url_lists()
    mounts = list(included(get_resolver().url_patterns, lists))

    twice = sorted({m for m in mounts if mounts.count(m) > 1})
    missing = sorted(set(lists.values()) - set(mounts))
    assert not twice, f"included more than once: {twice}"
    assert not missing, f"never included: {missing}"


# Who may do what is decided by the policy (sessions/access.py) and the models' querysets and
# properties; views and templates ask them instead of comparing roles or statuses themselves.
DECIDING_CHOICES = {
    "Role",
    "Status",
    "SessionStatus",
    "ActionStatus",
    "RecruitmentStatus",
    "WorkshopStatus",
}
TEMPLATE_DECISION = re.compile(
    r"{%[^%]*\b\w+\.(?:role|status)\s*(?:==|!=|\bin\b|\bnot in\b)[^%]*%}"
)


def deciding(node):
    """A comparison of a role, of a status with a literal, or with one of their choices.

    A background task's or a report job's own status (compared with its own enum, or with what
    the page last saw) is bookkeeping, not a decision about people.
    """
    operands = (node.left, *node.comparators)
    if any(isinstance(o, ast.Attribute) and o.attr in {"values", "choices"} for o in operands):
        return False  # checking input against the choices: validation, not a decision
    parts = [part for operand in operands for part in ast.walk(operand)]
    if any(isinstance(part, ast.Name) and part.id in DECIDING_CHOICES for part in parts):
        return True
    if any(isinstance(part, ast.Attribute) and part.attr == "role" for part in parts):
        return True
    reads_status = any(isinstance(o, ast.Attribute) and o.attr == "status" for o in operands)
    literal = any(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in operands)
    return reads_status and literal


def view_modules():
    for app in APPS:
        yield from sorted((ROOT / app / "views").rglob("*.py"))
    yield ROOT / "spiegel" / "views.py"


def test_views_compare_no_roles_or_statuses():
    offences = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in view_modules()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Compare) and deciding(node)
    ]

    assert not offences, "ask the policy or a model property instead:\n" + "\n".join(offences)


def test_templates_compare_no_roles_or_statuses():
    offences = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in TEMPLATE_DECISION.finditer(path.read_text())
    ]

    assert not offences, "ask the policy or a model property instead:\n" + "\n".join(offences)


def test_the_decision_readers_see_what_they_look_for():
    compare = ast.parse("membership.role == Role.COORDINATOR").body[0].value
    literal = ast.parse("session.status == 'live'").body[0].value
    bookkeeping = ast.parse("result.status != TaskResultStatus.SUCCESSFUL").body[0].value

    assert deciding(compare)
    assert deciding(literal)
    validation = ast.parse("status in Status.values").body[0].value

    assert not deciding(bookkeeping)
    assert not deciding(validation)
    assert TEMPLATE_DECISION.search('{% if m.status == "attended" %}')
    assert not TEMPLATE_DECISION.search("{% if m.attended %}")


def test_no_merge_conflict_is_left_in_a_file():
    """Several branches merge into main each day; a conflict git could not resolve leaves its
    markers, which a template renders as text without any error (it happened once)."""
    marker = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
    skipped = {".venv", "node_modules", ".git", "staticfiles", "media"}
    suffixes = {".py", ".html", ".txt", ".po", ".css", ".js", ".md", ".toml", ".cfg"}
    found = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.suffix in suffixes
        and not skipped.intersection(path.relative_to(ROOT).parts)
        and path.is_file()
        and marker.search(path.read_text(errors="replace"))
    ]
    assert found == []
