"""The type stubs python/libtensor/_C.pyi and __init__.pyi against the built package.

Keeps the stubs complete and honest:

* every attribute of libtensor._C (its functions, classes and their members, the dtype
  constants) and every public name of libtensor is stubbed;
* every stubbed name exists at runtime (stub-only helpers are marked: a ``TypeAlias``
  annotation, a ``TypeVar``, or a class decorated with ``@type_check_only``);
* every public function, method and class of the stubs has a docstring;
* parameter names, kinds and defaults match ``inspect.signature`` for the functions written
  in Python, and the signatures pybind11 writes into the docstrings for compiled ones;
* mypy, where it is installed, finds no errors in the stubs.

Run with Debian's interpreter and the package of a build:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest -q tests/python/test_stubs.py
"""
import ast
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import tempfile
import types

import pytest

import libtensor
from libtensor import _C

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STUB_DIR = os.path.join(ROOT, "python", "libtensor")
C_STUB = os.path.join(STUB_DIR, "_C.pyi")
PACKAGE_STUB = os.path.join(STUB_DIR, "__init__.pyi")

# Members every class has, or that describe the class rather than its API.
CLASS_BOILERPLATE = {"__doc__", "__module__", "__dict__", "__weakref__", "__slots__", "__qualname__",
                     "__annotations__", "__orig_bases__", "__parameters__"}


# --- reading the stubs -------------------------------------------------------------------

def _decorator_names(node):
    names = set()
    for d in node.decorator_list:
        target = d.func if isinstance(d, ast.Call) else d
        names.add(ast.unparse(target).split(".")[-1])
    return names


def _is_helper_annotation(annotation):
    return ast.unparse(annotation).split(".")[-1] == "TypeAlias"


def _is_helper_value(value):
    return isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] in {"TypeVar", "NewType",
                                                                                     "ParamSpec"}


class Scope:
    """The names one stub body (a module or a class) defines."""

    def __init__(self, body, package=None):
        self.functions = {}  # name -> [FunctionDef, ...] (several for overloads; setters left out)
        self.setters = {}  # property name -> [FunctionDef] of its setter / deleter
        self.classes = {}  # name -> ClassDef
        self.attributes = {}  # name -> AnnAssign / Assign
        self.helpers = set()  # stub-only names: type aliases, TypeVars, @type_check_only classes
        self.reexports = {}  # name -> (module, name in that module), for `from m import x as x`
        for node in body:
            if isinstance(node, ast.FunctionDef):
                decorators = _decorator_names(node)
                if decorators & {"setter", "deleter"}:
                    self.setters.setdefault(node.name, []).append(node)
                else:
                    self.functions.setdefault(node.name, []).append(node)
            elif isinstance(node, ast.ClassDef):
                self.classes[node.name] = node
                if "type_check_only" in _decorator_names(node):
                    self.helpers.add(node.name)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                self.attributes[node.target.id] = node
                if _is_helper_annotation(node.annotation):
                    self.helpers.add(node.target.id)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.attributes[target.id] = node
                        if _is_helper_value(node.value):
                            self.helpers.add(target.id)
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    module = package + ("." + module if module else "")
                for alias in node.names:
                    if alias.asname is not None and alias.asname == alias.name:
                        self.reexports[alias.name] = (module, alias.name)

    def names(self):
        """Every name the stub declares as existing at runtime."""
        declared = set(self.functions) | set(self.classes) | set(self.attributes) | set(self.reexports)
        return declared - self.helpers


def _parse(path):
    with open(path) as f:
        return ast.parse(f.read(), filename=path)


@pytest.fixture(scope="module")
def c_stub():
    return Scope(_parse(C_STUB).body, package="libtensor")


@pytest.fixture(scope="module")
def package_stub():
    return Scope(_parse(PACKAGE_STUB).body, package="libtensor")


def _class_scopes(module_scope, name):
    """The scopes of stub class `name` and of its bases defined in the same stub, nearest first."""
    scopes, todo = [], [name]
    while todo:
        node = module_scope.classes.get(todo.pop(0))
        if node is None:
            continue
        scopes.append(Scope(node.body))
        todo.extend(ast.unparse(b) for b in node.bases)
    return scopes


def _class_member_names(module_scope, name):
    names = set()
    for scope in _class_scopes(module_scope, name):
        names |= scope.names() | set(scope.setters)
    return names


def _class_functions(module_scope, name):
    """member name -> its FunctionDefs, looked up through the stub bases."""
    found = {}
    for scope in reversed(_class_scopes(module_scope, name)):
        found.update(scope.functions)
    return found


def _runtime_class_members(cls, public_only=False):
    """The names a class defines (its own and its bases', short of object and builtin bases)."""
    names = set()
    for klass in cls.__mro__:
        if klass is object or klass.__module__ == "builtins" or klass.__name__ == "pybind11_object":
            continue
        names |= set(vars(klass))
    names -= CLASS_BOILERPLATE
    if public_only:
        names = {n for n in names if not n.startswith("_") or (n.startswith("__") and n.endswith("__"))}
    # pybind11 gives a class without py::init an __init__ that raises; it is no API.
    init = vars(cls).get("__init__")
    if init is not None and type(init).__name__ == "wrapper_descriptor":
        names.discard("__init__")
    return names


def _is_dunder(name):
    return name.startswith("__") and name.endswith("__")


# --- (0) the stubs are valid Python ------------------------------------------------------

@pytest.mark.parametrize("path", [C_STUB, PACKAGE_STUB], ids=os.path.basename)
def test_stub_compiles(path):
    with open(path) as f:
        compile(f.read(), path, "exec")


def test_py_typed_marker():
    assert os.path.isfile(os.path.join(STUB_DIR, "py.typed"))


# --- (a) everything at runtime is stubbed ------------------------------------------------

def test_every_attribute_of_C_is_stubbed(c_stub):
    runtime = {n for n in vars(_C) if not _is_dunder(n)}
    missing = sorted(runtime - c_stub.names())
    assert not missing, f"names of libtensor._C missing from _C.pyi: {missing}"


def _c_classes():
    return sorted(n for n, v in vars(_C).items() if isinstance(v, type))


@pytest.mark.parametrize("name", _c_classes())
def test_every_member_of_C_classes_is_stubbed(c_stub, name):
    assert name in c_stub.classes, f"class {name} missing from _C.pyi"
    runtime = _runtime_class_members(getattr(_C, name))
    missing = sorted(runtime - _class_member_names(c_stub, name))
    assert not missing, f"members of libtensor._C.{name} missing from _C.pyi: {missing}"


def _public_package_names():
    return {n for n, v in vars(libtensor).items()
            if not n.startswith("_") and not isinstance(v, types.ModuleType)} | {"__version__"}


def test_every_public_name_of_the_package_is_stubbed(package_stub):
    missing = sorted(_public_package_names() - package_stub.names())
    assert not missing, f"public names of libtensor missing from __init__.pyi: {missing}"


def test_public_submodules_are_declared(package_stub):
    runtime = {n for n, v in vars(libtensor).items()
               if isinstance(v, types.ModuleType) and not n.startswith("_")}
    missing = sorted(runtime - set(package_stub.reexports))
    assert not missing, f"submodules of libtensor not imported in __init__.pyi: {missing}"


def _package_classes():
    stub = Scope(_parse(PACKAGE_STUB).body, package="libtensor")
    return sorted(n for n in stub.classes if n not in stub.helpers)


@pytest.mark.parametrize("name", _package_classes())
def test_every_member_of_package_classes_is_stubbed(package_stub, name):
    runtime = _runtime_class_members(getattr(libtensor, name), public_only=True)
    missing = sorted(runtime - _class_member_names(package_stub, name))
    assert not missing, f"members of libtensor.{name} missing from __init__.pyi: {missing}"


# --- (b) everything stubbed exists at runtime --------------------------------------------

def test_stubbed_names_of_C_exist(c_stub):
    absent = sorted(n for n in c_stub.names() if not hasattr(_C, n))
    assert not absent, f"_C.pyi declares names libtensor._C lacks: {absent}"


def test_stubbed_class_members_of_C_exist(c_stub):
    absent = []
    for name in c_stub.classes:
        if name in c_stub.helpers or not hasattr(_C, name):
            continue
        cls = getattr(_C, name)
        absent += [f"{name}.{m}" for m in sorted(_class_member_names(c_stub, name)) if not hasattr(cls, m)]
    assert not absent, f"_C.pyi declares members that don't exist: {absent}"


def test_stubbed_names_of_the_package_exist(package_stub):
    absent = sorted(n for n in package_stub.names() if not hasattr(libtensor, n))
    assert not absent, f"__init__.pyi declares names libtensor lacks: {absent}"
    absent = []
    for name in package_stub.classes:
        if name in package_stub.helpers:
            continue
        cls = getattr(libtensor, name)
        absent += [f"{name}.{m}" for m in sorted(_class_member_names(package_stub, name)) if not hasattr(cls, m)]
    assert not absent, f"__init__.pyi declares members that don't exist: {absent}"


def test_reexports_are_the_runtime_objects(package_stub):
    wrong = []
    for name, (module, original) in package_stub.reexports.items():
        source = sys.modules.get(module) or importlib.import_module(module)
        if getattr(libtensor, name, None) is not getattr(source, original, object()):
            wrong.append(f"{name} (from {module})")
    assert not wrong, f"__init__.pyi re-exports names that libtensor binds to other objects: {wrong}"


# --- (c) docstrings ----------------------------------------------------------------------

def _undocumented(scope, prefix=""):
    out = []
    for name, defs in scope.functions.items():
        if name.startswith("_"):
            continue
        out += [f"{prefix}{name} (line {d.lineno})" for d in defs if ast.get_docstring(d) is None]
    for name, node in scope.classes.items():
        if name.startswith("_"):
            continue
        if ast.get_docstring(node) is None:
            out.append(f"{prefix}{name} (class, line {node.lineno})")
        out += _undocumented(Scope(node.body), prefix=f"{prefix}{name}.")
    return out


@pytest.mark.parametrize("path", [C_STUB, PACKAGE_STUB], ids=os.path.basename)
def test_public_stubs_have_docstrings(path):
    missing = _undocumented(Scope(_parse(path).body, package="libtensor"))
    assert not missing, f"{os.path.basename(path)}: public names without a docstring: {missing}"


# --- (d) signatures ----------------------------------------------------------------------

POSITIONAL_ONLY, POSITIONAL, VAR_POSITIONAL, KEYWORD_ONLY, VAR_KEYWORD = (
    "positional-only", "positional", "*args", "keyword-only", "**kwargs")
NO_DEFAULT = object()
UNKNOWN_DEFAULT = object()  # a default the test can't evaluate (`...` in a stub, an object's repr)


class Param:
    def __init__(self, name, kind, default=NO_DEFAULT):
        self.name, self.kind, self.default = name, kind, default

    @property
    def has_default(self):
        return self.default is not NO_DEFAULT

    def __repr__(self):
        return f"{self.name}[{self.kind}{'' if self.default is NO_DEFAULT else '=' + repr(self.default)}]"


def _literal(node_or_text):
    try:
        value = ast.literal_eval(node_or_text)
    except (ValueError, SyntaxError, TypeError):
        return UNKNOWN_DEFAULT
    return UNKNOWN_DEFAULT if value is Ellipsis else value


def stub_params(fn):
    a = fn.args
    params = []
    positional = a.posonlyargs + a.args
    defaults = [NO_DEFAULT] * (len(positional) - len(a.defaults)) + [_literal(d) for d in a.defaults]
    for i, (arg, default) in enumerate(zip(positional, defaults)):
        params.append(Param(arg.arg, POSITIONAL_ONLY if i < len(a.posonlyargs) else POSITIONAL, default))
    if a.vararg:
        params.append(Param(a.vararg.arg, VAR_POSITIONAL))
    for arg, default in zip(a.kwonlyargs, a.kw_defaults):
        params.append(Param(arg.arg, KEYWORD_ONLY, NO_DEFAULT if default is None else _literal(default)))
    if a.kwarg:
        params.append(Param(a.kwarg.arg, VAR_KEYWORD))
    return params


_KINDS = {inspect.Parameter.POSITIONAL_ONLY: POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD: POSITIONAL,
          inspect.Parameter.VAR_POSITIONAL: VAR_POSITIONAL, inspect.Parameter.KEYWORD_ONLY: KEYWORD_ONLY,
          inspect.Parameter.VAR_KEYWORD: VAR_KEYWORD}


def python_params(fn):
    out = []
    for p in inspect.signature(fn).parameters.values():
        default = NO_DEFAULT if p.default is inspect.Parameter.empty else p.default
        out.append(Param(p.name, _KINDS[p.kind], default))
    return out


def _describe(params):
    return "(" + ", ".join(map(repr, params)) + ")"


def check_python_signature(stub_defs, runtime_params):
    """Problems with the stub overloads of a function written in Python; [] when they match."""
    problems = []
    overloaded = len(stub_defs) > 1
    for fn in stub_defs:
        stub = stub_params(fn)
        if [(p.name, p.kind) for p in stub] != [(p.name, p.kind) for p in runtime_params]:
            problems.append(f"stub {_describe(stub)} vs runtime {_describe(runtime_params)}")
            continue
        for s, r in zip(stub, runtime_params):
            if s.has_default and not r.has_default:
                problems.append(f"{s.name}: the stub has a default, the function none")
            elif not overloaded and r.has_default and not s.has_default:
                problems.append(f"{s.name}: the function has a default ({r.default!r}), the stub none")
            elif s.has_default and s.default is not UNKNOWN_DEFAULT and s.default != r.default:
                problems.append(f"{s.name}: stub default {s.default!r}, runtime default {r.default!r}")
    return problems


def _python_function(obj):
    """The Python function behind obj (a function, staticmethod or classmethod), or None."""
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return obj if inspect.isfunction(obj) else None


def _python_functions():
    """(label, stub path, owner in the stub or None, name, runtime function) for every stubbed function that is
    written in Python."""
    out = []
    package = Scope(_parse(PACKAGE_STUB).body, package="libtensor")
    c = Scope(_parse(C_STUB).body, package="libtensor")
    for name in package.functions:
        fn = _python_function(getattr(libtensor, name, None))
        if fn is not None:
            out.append((f"libtensor.{name}", PACKAGE_STUB, None, name, fn))
    for stub, path, module in ((package, PACKAGE_STUB, libtensor), (c, C_STUB, _C)):
        for cls_name in stub.classes:
            if cls_name in stub.helpers or not hasattr(module, cls_name):
                continue
            cls = getattr(module, cls_name)
            for member in _class_functions(stub, cls_name):
                raw = next((vars(k)[member] for k in cls.__mro__ if member in vars(k)), None)
                fn = _python_function(raw)
                if fn is not None:
                    out.append((f"{module.__name__}.{cls_name}.{member}", path, cls_name, member, fn))
    return out


def _stub_defs(path, owner, name):
    scope = Scope(_parse(path).body, package="libtensor")
    return _class_functions(scope, owner)[name] if owner else scope.functions[name]


PYTHON_FUNCTIONS = _python_functions()


@pytest.mark.parametrize("label,path,owner,name,fn", PYTHON_FUNCTIONS, ids=[f[0] for f in PYTHON_FUNCTIONS])
def test_python_signatures_match(label, path, owner, name, fn):
    problems = check_python_signature(_stub_defs(path, owner, name), python_params(fn))
    assert not problems, f"{label}: {problems}"


def test_python_signatures_are_checked():
    labels = {label for label, *_ in PYTHON_FUNCTIONS}
    # A few that must be found, so that the test above can't pass by checking nothing.
    for expected in ("libtensor.tensor", "libtensor.set_printoptions", "libtensor.Size.numel",
                     "libtensor.inference_mode.__init__", "libtensor._C.Tensor.type",
                     "libtensor._C.Tensor.new_tensor"):
        assert expected in labels


# Signatures of compiled functions, as pybind11 writes them at the top of a docstring:
#     add(input: handle, other: handle, *, alpha: Number = 1, out: Optional[libtensor.Tensor] = None) -> ...
# and, for functions bound more than once, "Overloaded function." and one numbered line each.

def _split_top_level(text):
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


def _parse_pybind_signature(line, name):
    m = re.match(rf"^(?:\d+\. )?{re.escape(name)}\((.*)\) -> .*$", line.strip())
    if not m:
        return None
    params, kind = [], POSITIONAL
    for part in _split_top_level(m.group(1)):
        if part == "*":
            kind = KEYWORD_ONLY
            continue
        if part.startswith("**"):
            params.append(Param(part[2:].split(":")[0], VAR_KEYWORD))
            continue
        if part.startswith("*"):
            params.append(Param(part[1:].split(":")[0], VAR_POSITIONAL))
            kind = KEYWORD_ONLY
            continue
        head, _, default = part.partition(" = ")
        pname = head.split(":")[0].strip()
        params.append(Param(pname, kind, _literal(default) if default else NO_DEFAULT))
    return params


def pybind_signatures(obj, name):
    """The signatures in a compiled function's docstring (several for overloads); [] when it has none."""
    doc = getattr(obj, "__doc__", None) or ""
    lines = [l for l in doc.splitlines() if l.strip()]
    if not lines:
        return []
    if lines[0].strip().startswith(f"{name}(*args, **kwargs)") and len(lines) > 1 and \
            lines[1].strip() == "Overloaded function.":
        candidates = [l for l in lines[2:] if re.match(r"^\d+\. ", l.strip())]
    else:
        candidates = lines[:1]
    sigs = []
    for line in candidates:
        # aliases (lt.absolute is lt.abs) carry the signature under the original name
        m = re.match(r"^(?:\d+\. )?([A-Za-z_][A-Za-z_0-9]*)\(", line.strip())
        sig = _parse_pybind_signature(line, m.group(1)) if m else None
        if sig is not None:
            sigs.append(sig)
    return sigs


# The keywords the creation functions that take **kwargs accept (kFactoryKeywords in
# python/src/factories.cpp; arange's and randint's lists name start/end/step and size/low/high too).
FACTORY_KEYWORDS = {"dtype", "device", "requires_grad", "out", "layout", "pin_memory", "memory_format", "generator"}


def _unnamed(param):
    return re.fullmatch(r"arg\d+", param.name) is not None


def conforms(stub, runtime, exact):
    """Problems with one stub overload against one pybind11 signature; [] when it fits.

    A stub may mark a parameter positional-only where the binding has a name (it must where the binding
    has none: argN can't be passed by keyword), and its keyword-only parameters may be among **kwargs. With
    `exact` (no overloads in the stub) it must also list every parameter of the binding.
    """
    problems = []
    if any(p.kind == VAR_POSITIONAL for p in runtime):
        return []  # f(*args, **kwargs): the binding parses its arguments itself
    r_positional = [p for p in runtime if p.kind == POSITIONAL]
    r_by_name = {p.name: p for p in runtime if p.kind in (POSITIONAL, KEYWORD_ONLY) and not _unnamed(p)}
    r_kwargs = any(p.kind == VAR_KEYWORD for p in runtime)
    s_positional = [p for p in stub if p.kind in (POSITIONAL_ONLY, POSITIONAL)]
    if len(s_positional) > len(r_positional):
        problems.append(f"{len(s_positional)} positional parameters, the binding takes {len(r_positional)}")
    for s, r in zip(s_positional, r_positional):
        if s.kind == POSITIONAL and s.name != r.name:
            problems.append(f"positional {s.name!r} is {r.name!r} in the binding")
        if s.kind == POSITIONAL and _unnamed(r):
            problems.append(f"{s.name!r} must be positional-only: the binding leaves it unnamed ({r.name})")
        if s.has_default and not r.has_default:
            problems.append(f"{s.name!r} has a default in the stub, none in the binding")
        if s.default not in (NO_DEFAULT, UNKNOWN_DEFAULT) and r.default is not UNKNOWN_DEFAULT and \
                r.has_default and s.default != r.default:
            problems.append(f"{s.name!r}: stub default {s.default!r}, binding default {r.default!r}")
    for s in stub:
        if s.kind == VAR_POSITIONAL:
            problems.append(f"*{s.name} in the stub, but the binding takes no *args")
        if s.kind != KEYWORD_ONLY:
            continue
        r = r_by_name.get(s.name)
        if r is None:
            if not r_kwargs:
                problems.append(f"keyword {s.name!r} is not a parameter of the binding")
            elif s.name not in FACTORY_KEYWORDS:
                problems.append(f"keyword {s.name!r} is not one that the binding's **kwargs accept")
            continue
        if r.kind != KEYWORD_ONLY:
            problems.append(f"{s.name!r} is keyword-only in the stub but positional in the binding")
        if s.has_default and not r.has_default:
            problems.append(f"{s.name!r} has a default in the stub, none in the binding")
        if s.default not in (NO_DEFAULT, UNKNOWN_DEFAULT) and r.default is not UNKNOWN_DEFAULT and \
                r.has_default and s.default != r.default:
            problems.append(f"{s.name!r}: stub default {s.default!r}, binding default {r.default!r}")
    if exact:
        covered = {r.name for r in r_positional[:len(s_positional)]} | {s.name for s in stub}
        for r in runtime:
            if r.kind in (POSITIONAL, KEYWORD_ONLY) and r.name not in covered:
                problems.append(f"the binding's parameter {r.name!r} is missing")
            if r.kind == VAR_KEYWORD and not any(s.kind in (KEYWORD_ONLY, VAR_KEYWORD) for s in stub):
                problems.append("the binding takes **kwargs; the stub names none of them")
        for s, r in zip(s_positional, r_positional):
            if r.has_default and not s.has_default:
                problems.append(f"{s.name!r} has a default in the binding ({r.default!r}), none in the stub")
    return problems


def _compiled_functions():
    """(label, stub FunctionDefs, pybind signatures) for every stubbed compiled function with a docstring
    signature."""
    out = []
    c = Scope(_parse(C_STUB).body, package="libtensor")
    for name, defs in c.functions.items():
        obj = getattr(_C, name, None)
        if obj is not None and not inspect.isfunction(obj):
            sigs = pybind_signatures(obj, name)
            if sigs:
                out.append((f"_C.{name}", defs, sigs))
    for cls_name in c.classes:
        if cls_name in c.helpers or not hasattr(_C, cls_name):
            continue
        cls = getattr(_C, cls_name)
        for name, defs in Scope(c.classes[cls_name].body).functions.items():
            raw = vars(cls).get(name)
            if raw is None or inspect.isfunction(raw) or isinstance(raw, property):
                continue
            sigs = pybind_signatures(raw, name)
            if sigs:
                out.append((f"_C.{cls_name}.{name}", defs, sigs))
    return out


COMPILED_FUNCTIONS = _compiled_functions()


@pytest.mark.parametrize("label,defs,sigs", COMPILED_FUNCTIONS, ids=[f[0] for f in COMPILED_FUNCTIONS])
def test_compiled_signatures_match(label, defs, sigs):
    exact = len(defs) == 1 and len(sigs) == 1
    problems = []
    for fn in defs:
        attempts = [conforms(stub_params(fn), sig, exact) for sig in sigs]
        if all(attempts):
            problems.append(f"line {fn.lineno}: {min(attempts, key=len)}")
    assert not problems, f"{label}: {problems}"


def test_compiled_signatures_are_checked():
    labels = {label for label, *_ in COMPILED_FUNCTIONS}
    assert len(labels) > 300
    for expected in ("_C.add", "_C.where", "_C.Tensor.add_", "_C.Tensor.max", "_C.device.__init__",
                     "_C.Generator.__init__"):
        assert expected in labels


def test_conforms_catches_mistakes():
    binding = _parse_pybind_signature(
        "div(input: libtensor.Tensor, other: handle, *, rounding_mode: Optional[str] = None, "
        "out: Optional[libtensor.Tensor] = None) -> libtensor.Tensor", "div")

    def stub(text):
        return stub_params(ast.parse(f"def div{text}: ...").body[0])

    assert conforms(stub("(input, other, *, rounding_mode=None, out=None)"), binding, True) == []
    assert conforms(stub("(input, other, *, rounding_mode=None)"), binding, True)  # out is missing
    assert conforms(stub("(input, divisor, *, rounding_mode=None, out=None)"), binding, True)  # a wrong name
    assert conforms(stub("(input, other, rounding_mode=None, *, out=None)"), binding, True)  # not keyword-only
    assert conforms(stub("(input, other, *, rounding_mode='x', out=None)"), binding, True)  # a wrong default
    unnamed = _parse_pybind_signature("__add__(self: libtensor.Tensor, arg0: handle) -> object", "__add__")
    assert conforms(stub("(self, other)"), unnamed, True)  # argN must be positional-only
    assert conforms(stub("(self, other, /)"), unnamed, True) == []


# --- type checkers -----------------------------------------------------------------------

def test_stubs_type_check_with_mypy():
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    with tempfile.TemporaryDirectory() as cache:
        r = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", cache,
                            "--follow-imports=silent", C_STUB, PACKAGE_STUB],
                           cwd=os.path.dirname(STUB_DIR), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
