"""The API contract of chapters/design.md, held by tests: layout, names, randomness, docstrings."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import is_dataclass
from pathlib import Path
from typing import ClassVar

import layout
import pytest

import ae_lib as ae

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "ae_lib"


def _public_callables() -> Iterator[tuple[str, Callable]]:
    """Every public function and class, and every public method a public class defines itself."""
    for name in layout.public_names():
        obj = getattr(ae, name)
        if inspect.isfunction(obj):
            yield name, obj
        elif inspect.isclass(obj) and not issubclass(obj, Exception) and not is_dataclass(obj):
            yield name, obj  # its signature is __init__'s, documented in the class docstring
            for attr, member in vars(obj).items():
                func = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                if inspect.isfunction(func) and (not attr.startswith("_") or attr == "__call__"):
                    yield f"{name}.{attr}", func


CALLABLES = dict(_public_callables())


def _params(obj: Callable) -> dict[str, inspect.Parameter]:
    return {n: p for n, p in inspect.signature(obj).parameters.items() if n not in ("self", "cls")}


#: The parts of the book, in order; a module may import from its own part, an earlier one, core and book.
CHAPTER_PARTS = ("networks", "autoencoders", "variational", "applications", "gaps")
SHARED_PARTS = ("core", "book")
MAX_MODULES = 40  # about 35 for Chapters 1-4 and their shared parts; Chapter 5 adds its own part
MAX_LINES = 400


def _relative_imports(path: Path) -> Iterator[tuple[str, str | None, list[str]]]:
    """(part, module or None, names) of every relative import in an ae_lib module."""
    part = path.parent.name
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.level == 1:
                yield part, node.module, [a.name for a in node.names]
            else:
                target, _, module = (node.module or "").partition(".")
                yield target, module or None, [a.name for a in node.names]


MODULE_FILES = sorted(p for p in PKG.glob("*/*.py") if p.stem != "__init__")


class TestLayout:
    def test_parts_are_the_book(self):
        """ae_lib holds one sub-package per part of the book and no module outside them."""
        assert sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").exists()) == sorted(
            CHAPTER_PARTS + SHARED_PARTS
        )
        assert [p.name for p in PKG.glob("*.py")] == ["__init__.py"]
        assert list(layout.parts())[: len(CHAPTER_PARTS)] == list(CHAPTER_PARTS)
        assert [layout.chapter(p) for p in CHAPTER_PARTS] == ["1", "2", "3", "4", "5"]

    def test_few_modules(self):
        """The package stays small enough to walk through: at most MAX_MODULES modules."""
        assert len(MODULE_FILES) <= MAX_MODULES, [p.relative_to(PKG).as_posix() for p in MODULE_FILES]

    @pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.relative_to(PKG).as_posix())
    def test_import_rule(self, path):
        """A module imports from its own part, an earlier part of the book, core and book; nothing else."""
        part = path.parent.name
        allowed = set(SHARED_PARTS) | {part}
        if part in CHAPTER_PARTS:
            allowed |= set(CHAPTER_PARTS[: CHAPTER_PARTS.index(part)])
        if part == "core":
            allowed = {"core"}  # core stands on torch, NumPy and scikit-learn alone
        for target, _module, names in _relative_imports(path):
            assert target in allowed, f"{part}/{path.name} imports from {target} ({names})"

    @pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.relative_to(PKG).as_posix())
    def test_no_private_names_across_modules(self, path):
        """From a module of a chapter or of book, another module gives only its public names (its
        __all__); core's checks, seeds and devices are the shared machinery every module may use."""
        for target, module, names in _relative_imports(path):
            if module is None or target == "core":
                continue
            public = set(getattr(importlib.import_module(f"ae_lib.{target}.{module}"), "__all__", []))
            assert set(names) <= public, f"{path.name} imports {sorted(set(names) - public)} of {module}"

    def test_one_list_of_reexports(self):
        """ae_lib/__init__.py re-exports each module's __all__ once, by hand, and keeps no other list."""
        text = (PKG / "__init__.py").read_text()
        assert "import_module" not in text and "globals()" not in text and "__all__ =" not in text
        assert "from .variational.vae import" in text
        names = layout.public_names()
        owners = [n for d in layout.modules() for n in getattr(layout.module(d), "__all__", [])]
        assert len(owners) == len(set(owners)), "a name is exported by two modules"
        imported = [
            a.name for node in ast.parse(text).body if isinstance(node, ast.ImportFrom) for a in node.names
        ]
        assert sorted(imported) == sorted(names)
        for name, dotted in names.items():
            assert getattr(ae, name) is getattr(layout.module(dotted), name), name

    def test_every_module_has_its_test_file(self):
        """ae_lib/<part>/<module>.py is tested in tests/<part>/test_<module>.py."""
        missing = [
            d for d in layout.modules() if not (ROOT / "tests" / f"{d.replace('.', '/test_', 1)}.py").exists()
        ]
        assert not missing, f"no tests/<part>/test_<module>.py for {missing}"

    def test_test_classes_sit_with_their_module(self):
        """A class Test<Object> for a public object is in the test file of the object's module."""
        owner = {
            "Test" + "".join(p[:1].upper() + p[1:] for p in n.split("_")): d.replace(".", "/test_", 1) + ".py"
            for n, d in layout.public_names().items()
        }
        misplaced = [
            f"{path.relative_to(ROOT)}::{name} (belongs in tests/{owner[name]})"
            for path in sorted((ROOT / "tests").glob("**/test_*.py"))
            for name in re.findall(r"^class (Test\w+)\b", path.read_text(), re.M)
            if name in owner and path.relative_to(ROOT / "tests").as_posix() != owner[name]
        ]
        assert not misplaced, misplaced

    def test_no_module_shares_a_public_name(self):
        """A module or part named like a public object (a module sgd beside ae.sgd) would confuse
        Sphinx's cross-references: none is."""
        stems = {d.split(".")[1] for d in layout.modules()} | set(layout.parts())
        assert not stems & set(layout.public_names())

    @pytest.mark.parametrize(
        "path", [*MODULE_FILES, PKG / "__init__.py"], ids=lambda p: p.relative_to(PKG).as_posix()
    )
    def test_modules_read_in_one_sitting(self, path):
        """A module is one concept, whole, and short enough to read in one sitting."""
        n = len(path.read_text().splitlines())
        assert n <= MAX_LINES, f"{path.relative_to(PKG)} has {n} lines"


class TestNames:
    FORBIDDEN: ClassVar[dict[str, str]] = {
        "rng": "seed",
        "generator": "seed",
        "gamma": "lr",
        "code_dim": "latent_dim",
        "n_latent": "latent_dim",
    }
    SIZES: ClassVar[set[str]] = {
        "z",
        "d",
        "bottleneck",
    }  # as a size (an int) these are latent_dim; z as a code is fine

    @pytest.mark.parametrize("name", sorted(CALLABLES))
    def test_one_name_per_concept(self, name):
        """No public signature spells a concept another way (contract §3)."""
        for param, p in _params(CALLABLES[name]).items():
            assert param not in self.FORBIDDEN, f"{name}({param}=...): call it {self.FORBIDDEN[param]}"
            if param in self.SIZES:
                assert "int" not in str(p.annotation), f"{name}({param}: int): call it latent_dim"

    @pytest.mark.parametrize("name", sorted(CALLABLES))
    def test_hidden_is_a_sequence(self, name):
        """`hidden` is always a sequence of widths, never an int."""
        p = _params(CALLABLES[name]).get("hidden")
        if p is not None:
            assert "Sequence[int]" in str(p.annotation), f"{name}: hidden is annotated {p.annotation}"

    @pytest.mark.parametrize("name", sorted(CALLABLES))
    def test_randomness_is_seed(self, name):
        """A callable that makes a generator takes `seed` (int, numpy or torch Generator), nothing else."""
        obj = CALLABLES[name]
        source = inspect.getsource(obj)
        draws = re.search(r"\b(numpy_rng|torch_gen|seed_ints|sklearn_state)\(", source)
        if draws and not inspect.isclass(obj):
            assert "seed" in _params(obj), f"{name} draws random numbers but has no seed parameter"
        if "seed" in _params(obj):
            assert "Seed" in str(_params(obj)["seed"].annotation) or name == "setup_notebook", name


class TestNoGlobalRandomness:
    RAW = re.compile(r"torch\.(randn|rand|randint|randperm|bernoulli|multinomial)\(|\.normal_\(|\.uniform_\(")

    @pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.relative_to(PKG).as_posix())
    def test_every_draw_names_its_generator(self, path):
        """Every torch draw in the library passes generator=; nothing reseeds a global generator."""
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            if self.RAW.search(line):
                assert "generator=" in line, f"{path.name}:{n}: {line.strip()}"
            if path.name not in ("seeds.py", "repro.py"):
                assert "manual_seed(" not in line or "Generator()" in line, f"{path.name}:{n}"
                assert "np.random.seed" not in line and "np.random.default_rng" not in line, (
                    f"{path.name}:{n}"
                )


class TestRecords:
    @pytest.mark.parametrize("name", sorted(n for n in layout.public_names() if is_dataclass(getattr(ae, n))))
    def test_documented(self, name):
        """The records the library returns document their fields."""
        assert "Attributes\n----------" in (inspect.getdoc(getattr(ae, name)) or ""), name


class TestDocstrings:
    ARRAYISH = re.compile(r"^(?!Callable).*(ndarray|Tensor|Data\b|Array\b)")

    @pytest.mark.parametrize("name", sorted(CALLABLES))
    def test_documented(self, name):
        """Every public callable has a docstring; array arguments and results give a shape."""
        obj = CALLABLES[name]
        doc = inspect.getdoc(obj) or ""
        assert doc.strip(), f"{name} has no docstring"
        arrays = [p for p, v in _params(obj).items() if self.ARRAYISH.search(str(v.annotation))]
        if arrays:
            assert "shape" in doc, f"{name} takes arrays {arrays} but its docstring gives no shape"

    @pytest.mark.parametrize("name", sorted(n for n, o in CALLABLES.items() if "." not in n))
    def test_parameters_section(self, name):
        """Functions and classes with more than two arguments document them in a Parameters section."""
        obj = CALLABLES[name]
        params = [p for p in _params(obj) if not p.startswith("*")]
        if len(params) > 2:
            assert "Parameters\n----------" in (inspect.getdoc(obj) or ""), (
                f"{name} has no Parameters section"
            )


class TestThesisItems:
    def test_each_item_maps_to_one_object(self):
        """tools/gen_pages.py finds exactly one ae_lib object per numbered item (its docstring cites it)."""
        from _tools import load_tool

        items, _ = load_tool("gen_pages").scan()
        for item in items:
            if not item.number.startswith("Figure"):
                assert len(item.objects) == 1, f"{item.number} maps to {item.objects}"


class TestNumpyOrTorch:
    """Chapter 1 and the measurements speak NumPy; everything trained speaks torch (contract §1)."""

    def test_measurements_return_numpy(self):
        import numpy as np
        import torch

        rng = np.random.default_rng(0)
        XB = (rng.random((10, 64)) > 0.5).astype(float)
        XU = rng.random((10, 64))
        vae = ae.VAE(64, 2, (8,), seed=0)
        net = ae.AutoencoderNet([64, 8, 2], seed=0)
        assert isinstance(ae.iwae_nll(vae, torch.as_tensor(XB), k=2), float)
        count, var = ae.active_units(vae, torch.as_tensor(XB))
        assert isinstance(count, int) and isinstance(var, np.ndarray)
        assert isinstance(ae.reconstruction_mse(net, XU), float)
        assert isinstance(ae.encode(net, torch.as_tensor(XU)), np.ndarray)
        assert isinstance(ae.psnr(XU, XU * 0.5), np.ndarray)
        assert isinstance(ae.pca_mse(XU, XU, 2), float)
        assert isinstance(ae.novelty_auc(torch.tensor([0.1, 0.9]), np.array([False, True])), float)

    def test_trained_objects_return_torch(self):
        import numpy as np
        import torch

        XB = (np.random.default_rng(0).random((10, 64)) > 0.5).astype(float)
        vae = ae.VAE(64, 2, (8,), seed=0)
        assert all(isinstance(t, torch.Tensor) for t in ae.negative_elbo(vae, XB))
        assert isinstance(vae.encode(XB)[0], torch.Tensor) and isinstance(vae.sample(3), torch.Tensor)
        assert isinstance(ae.iwae_bound(vae, XB, 2), torch.Tensor)
        assert vae.encode(XB)[0].dtype == torch.float32  # converted once, to the model's dtype

    def test_chapter_one_is_numpy(self):
        import numpy as np

        f = ae.DeepNetwork.from_widths([3, 2], "tanh")
        assert isinstance(f([[1.0, 2.0, 3.0]]), np.ndarray) and isinstance(ae.relu([1.0]), np.ndarray)
        assert isinstance(ae.empirical_risk(ae.squared_loss, f, [[1.0, 2.0, 3.0]], [[0.0, 0.0]]), float)
