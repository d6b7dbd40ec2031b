"""The API contract of chapters/design.md, held by tests: layout, names, randomness, docstrings."""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import is_dataclass
from pathlib import Path
from typing import ClassVar

import pytest

import ae_lib as ae

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "ae_lib"


def _public_callables() -> Iterator[tuple[str, Callable]]:
    """Every public function and class, and every public method a public class defines itself."""
    for name in ae.__all__:
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


class TestLayout:
    def test_all_is_the_union_of_the_modules(self):
        """ae_lib.__all__ is exactly the union of the modules' __all__, with no name twice."""
        union: list[str] = []
        for mod in ae.MODULES:
            union += importlib.import_module(f"ae_lib.{mod}").__all__
        assert len(union) == len(set(union)), "a name is exported by two modules"
        assert sorted(ae.__all__) == sorted(union)

    def test_every_name_resolves_to_its_module_object(self):
        """Each public name is the very object its module defines (explicit re-exports, no shadowing)."""
        for mod in ae.MODULES:
            m = importlib.import_module(f"ae_lib.{mod}")
            for name in m.__all__:
                assert getattr(ae, name) is getattr(m, name), name

    def test_explicit_reexports(self):
        """__init__.py imports each name by hand (an editor resolves ae.VAE); no import loop."""
        text = (PKG / "__init__.py").read_text()
        assert "import_module" not in text and "globals()" not in text
        assert "from .vae import VAE" in text.replace(", GaussianEncoder", "").replace("VAE, ", "VAE")

    def test_chapter_modules(self):
        """CHAPTER_MODULES maps 1-4 and tools to every module exactly once; MODULES follows it."""
        assert list(ae.CHAPTER_MODULES) == ["1", "2", "3", "4", "tools"]
        flat = [m for mods in ae.CHAPTER_MODULES.values() for m in mods]
        files = sorted(p.stem for p in PKG.glob("*.py") if not p.stem.startswith("_"))
        assert sorted(flat) == files and len(flat) == len(set(flat))
        assert list(ae.MODULES) == flat

    def test_every_module_has_its_test_file(self):
        """ae_lib/<module>.py is tested in tests/test_<module>.py (CONTRIBUTING.md, step 2)."""
        missing = [m for m in ae.MODULES if not (ROOT / "tests" / f"test_{m}.py").exists()]
        assert not missing, f"no tests/test_<module>.py for {missing}"

    def test_test_classes_sit_with_their_module(self):
        """A class Test<Object> for a public object is in the test file of the object's module."""
        owner = {}
        for m in ae.MODULES:
            for n in importlib.import_module(f"ae_lib.{m}").__all__:
                owner["Test" + "".join(p[:1].upper() + p[1:] for p in n.split("_"))] = m
        misplaced = [
            f"{path.name}::{name} (belongs in test_{owner[name]}.py)"
            for path in sorted((ROOT / "tests").glob("test_*.py"))
            for name in re.findall(r"^class (Test\w+)\b", path.read_text(), re.M)
            if name in owner and path.stem != f"test_{owner[name]}"
        ]
        assert not misplaced, misplaced

    def test_no_module_shares_a_public_name(self):
        """A module named like a public object (ae_lib.sgd the module vs ae.sgd the function) would be
        shadowed by it in the package and confuse Sphinx's cross-references: none is."""
        assert not set(ae.MODULES) & set(ae.__all__)

    @pytest.mark.parametrize("path", sorted(PKG.glob("*.py")), ids=lambda p: p.name)
    def test_modules_are_small(self, path):
        """Every module, private ones and __init__ included, has at most 200 lines (one thesis concept each)."""
        n = len(path.read_text().splitlines())
        assert n <= 200, f"{path.name} has {n} lines: split it along the thesis (see CONTRIBUTING.md)"


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

    @pytest.mark.parametrize("path", sorted(PKG.glob("*.py")), ids=lambda p: p.name)
    def test_every_draw_names_its_generator(self, path):
        """Every torch draw in the library passes generator=; nothing reseeds a global generator."""
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            if self.RAW.search(line):
                assert "generator=" in line, f"{path.name}:{n}: {line.strip()}"
            if path.name not in ("_random.py", "repro.py"):
                assert "manual_seed(" not in line or "Generator()" in line, f"{path.name}:{n}"
                assert "np.random.seed" not in line and "np.random.default_rng" not in line, (
                    f"{path.name}:{n}"
                )


class TestRecords:
    @pytest.mark.parametrize("name", sorted(n for n in ae.__all__ if is_dataclass(getattr(ae, n))))
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
