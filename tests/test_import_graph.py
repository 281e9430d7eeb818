"""Imports run one way: tasks import the domain, the domain enqueues by task name and imports no tasks module.

The graph is read from the source with `ast`, every import counted (also those inside functions, which
hide a circle from Python but not from the reader), over the project's packages, migrations excepted.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("claims", "helpdesk", "orders", "rakuten_portal")
# The only modules that may talk to Celery itself; everything else goes through rakuten_portal.queue.
CELERY_MODULES = {"rakuten_portal.celery", "rakuten_portal.queue", "rakuten_portal.settings"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT, packages=PACKAGES) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(module → project modules it imports, module → outside top-level packages it imports)."""
    paths = {module_name(path, root): path for package in packages for path in (root / package).rglob("*.py")
             if "migrations" not in path.parts}
    graph, outside = {}, {}
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        graph[name], outside[name] = set(), set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package[:len(package) - node.level + 1] + [node.module or ""]).strip(".") \
                    if node.level else node.module
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = target
                while found and found not in paths:
                    found = found.rpartition(".")[0]
                if found and found != name:
                    graph[name].add(found)
                elif not found:
                    outside[name].add(target.split(".")[0])
    return graph, outside


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_project_has_no_circle_of_imports():
    graph, _ = import_graph()
    assert cycles(graph) == []


def test_no_module_imports_a_tasks_module():
    graph, _ = import_graph()
    offenders = {name: sorted(dep for dep in deps if dep.endswith(".tasks")) for name, deps in graph.items()}
    assert {name: deps for name, deps in offenders.items() if deps} == {}


def test_only_tasks_and_the_queue_module_use_celery():
    _, outside = import_graph()
    users = {name for name, packages in outside.items() if "celery" in packages}
    assert users - CELERY_MODULES == {name for name in users if name.endswith(".tasks")}


def test_the_domain_reaches_the_workers_through_the_queue_module():
    graph, _ = import_graph()
    for domain_module in ("claims.notifications", "claims.batch_acts", "helpdesk.emails"):
        assert "rakuten_portal.queue" in graph[domain_module] | {
            dep for via in graph[domain_module] for dep in graph.get(via, ())}, domain_module


def test_the_check_finds_a_circle_hidden_in_a_function(tmp_path):
    """The check itself: the shape of the old circle (a lazy import of tasks inside a function) is reported."""
    package = tmp_path / "shop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "domain.py").write_text("from .notifications import notify\n")
    (package / "notifications.py").write_text("def notify():\n    from .tasks import send\n    send()\n")
    (package / "tasks.py").write_text("from . import domain\n\ndef send():\n    pass\n")

    graph, _ = import_graph(tmp_path, ("shop",))

    assert cycles(graph) == [["shop.domain", "shop.notifications", "shop.tasks"]]
