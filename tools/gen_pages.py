"""Write the generated pages: the thesis map, the notes on the draft and the notation.

* ``chapters/thesis_map.md``: thesis item -> its box (or figure) in the book -> the
  ``ae_lib`` object that implements it -> the test class that checks that object (a link
  to the test on GitHub only while ``repository.url`` names a real repository).
* ``chapters/notes_on_draft.md``: every Remark titled "Changed from the draft: ..." (the
  book changed a statement of the thesis) or "On the draft: ..." (the book keeps the
  statement and explains what is wrong with it), with a link.
* ``chapters/notation.md``: the tables of ``NOTATION``; every formula in them is checked
  against the box (or labelled equation) it cites, in the notebooks' markdown.

Everything is read from the sources: the boxes and figures from the notebooks in
``_toc.yml`` order (numbered the way Sphinx numbers them: one shared counter per section),
the objects from the ``ae_lib`` docstrings that cite the number, the tests from
``tests/<part>/test_<module>.py``.  ``tests/test_generated_pages.py`` checks that the committed pages
are current and that every numbered item of the draft is in the map once its section is
in the book.  Run: ``python tools/gen_pages.py``.
"""

from __future__ import annotations

import inspect
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from layout import module, part_title, parts, public_names

ROOT = Path(__file__).resolve().parents[1]

#: Every numbered item of the thesis draft, in its order.
THESIS_ITEMS = [
    "Definition 1.1.1",
    "Example 1.1.2",
    "Definition 1.1.3",
    "Definition 1.1.4",
    "Definition 1.1.5",
    "Figure 1.1",
    "Theorem 1.2.1",
    "Definition 1.2.2",
    "Definition 1.2.3",
    "Lemma 1.2.4",
    "Corollary 1.2.5",
    "Theorem 1.2.6",
    "Figure 2.1",
    "Lemma 2.1.1",
    "Figure 2.2",
    "Lemma 2.1.2",
    "Figure 2.3",
]
#: Titles of the remarks the notes page lists: a changed statement, or a note on one.
CHANGED, NOTE = "Changed from the draft", "On the draft"
REMARK_PREFIXES = (CHANGED, NOTE)
#: Box types that share the theorem counter (prf_realtyp_to_countertyp in _config.yml).
SHARED = {"definition", "example", "lemma", "corollary", "proposition", "theorem"}
KINDS = "Definition|Example|Theorem|Lemma|Corollary|Proposition|Figure"
BOX = re.compile(r"^(`{3,}|:{3,})\{prf:(\w+)\}[ \t]*(.*)$")
FIG = re.compile(r"\*\*Figure (\d+\.\d+):?\*\*")


@dataclass
class Item:
    number: str  # "Definition 1.1.3"
    label: str
    title: str
    doc: str  # chapters/ch1_1_neural_networks
    section: str  # "1.1"
    objects: list[str] = field(default_factory=list)
    tests: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, class)


def toc_docs() -> list[tuple[str, str]]:
    """(docname, section number) for every numbered page of _toc.yml, in order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    out, chapter = [], 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for ch in part.get("chapters", []):
            chapter += 1
            out.append((ch["file"], str(chapter)))
            for s, sec in enumerate(ch.get("sections", []), start=1):
                out.append((sec["file"], f"{chapter}.{s}"))
    return out


def markdown_of(doc: str) -> list[tuple[str, dict]]:
    """(markdown text, code cell metadata) chunks of a page, in order."""
    nb = ROOT / f"{doc}.ipynb"
    if nb.exists():
        out = []
        for c in json.loads(nb.read_text())["cells"]:
            src = "".join(c["source"])
            if c["cell_type"] == "markdown":
                out.append((src, {}))
            elif c["cell_type"] == "code":
                out.append(("", {**c.get("metadata", {}), "_source": src}))
        return out
    md = ROOT / f"{doc}.md"
    return [(md.read_text(), {})] if md.exists() else []


def scan() -> tuple[list[Item], list[tuple[str, str, str, str]]]:
    """Numbered boxes and thesis figures; and the draft remarks (doc, section, label, title)."""
    import ae_lib

    public = {n: getattr(ae_lib, n) for n in public_names()}
    items, remarks = [], []
    for doc, section in toc_docs():
        k = 0
        for text, meta in markdown_of(doc):
            lines = text.splitlines()
            for i, line in enumerate(lines):
                m = BOX.match(line.strip())
                if not m:
                    continue
                kind, title = m.group(2), m.group(3).strip()
                opts = {}
                for opt in lines[i + 1 :]:
                    om = re.match(r"^:(\w+):\s*(.*)$", opt.strip())
                    if not om:
                        break
                    opts[om.group(1)] = om.group(2)
                if kind == "remark" and title.startswith(REMARK_PREFIXES):
                    remarks.append((doc, section, opts.get("label", ""), title))
                if kind in SHARED and "nonumber" not in opts:
                    k += 1
                    items.append(
                        Item(f"{kind.capitalize()} {section}.{k}", opts.get("label", ""), title, doc, section)
                    )
            caption_cell = re.match(r"(?:\((fig-[\w-]+)\)=\s*\n)?(\*\*Figure \d+\.\d+:?\*\*.*)", text, re.S)
            if caption_cell:  # the caption of an HTML figure (an interactive one): a markdown cell
                fm = FIG.match(caption_cell.group(2))
                items.append(
                    Item(
                        f"Figure {fm.group(1)}",
                        caption_cell.group(1) or "",
                        caption_cell.group(2)[fm.end() :].strip().split(". ")[0],
                        doc,
                        section,
                    )
                )
            fig = meta.get("mystnb", {}).get("figure", {})
            fm = FIG.search(fig.get("caption", ""))
            if fm:
                called = [n for n in re.findall(r"\bae\.(\w+)\(", meta.get("_source", "")) if n in public]
                items.append(
                    Item(
                        f"Figure {fm.group(1)}",
                        fig.get("name", ""),
                        fig["caption"][fm.end() :].strip().split(". ")[0],
                        doc,
                        section,
                        objects=called[:1],
                    )
                )
    # ae_lib objects whose docstring's first paragraph cites the number.
    for name, obj in public.items():
        if not (inspect.isclass(obj) or inspect.isfunction(obj)):
            continue
        first = (inspect.getdoc(obj) or "").split("\n\n")[0]
        for kind, num in re.findall(rf"\b({KINDS}) (\d+\.\d+(?:\.\d+)?)\b", first):
            for item in items:
                if item.number == f"{kind} {num}" and name not in item.objects:
                    item.objects.append(name)
    # Test classes named Test<Object> (functions: CamelCase), or Test<Kind><number>.
    classes = {}
    for path in sorted((ROOT / "tests").glob("**/test_*.py")):
        for n, line in enumerate(path.read_text().splitlines(), start=1):
            cm = re.match(r"^class (Test\w+)\b", line)
            if cm:
                classes.setdefault(cm.group(1), (path.relative_to(ROOT).as_posix(), n, cm.group(1)))
    for item in items:
        by_number = "Test" + item.number.replace(" ", "").replace(".", "")  # TestExample112
        if by_number in classes:
            item.tests.append(classes[by_number])
        for obj in item.objects:
            camel = "Test" + "".join(p[:1].upper() + p[1:] for p in obj.split("_"))
            if camel in classes:
                item.tests.append(classes[camel])
    return items, remarks


def _repo_blob(config: Path | None = None) -> str | None:
    """'<url>/blob/<branch>' of the real repository, or None while repository.url in
    _config.yml is the placeholder (then the map links nowhere outside the book)."""
    from book_ext.repository import repository_url

    config = config or ROOT / "_config.yml"
    url = repository_url(config)
    if url is None:
        return None
    branch = (yaml.safe_load(config.read_text()).get("repository") or {}).get("branch", "main")
    return f"{url}/blob/{branch}"


def render_map(config: Path | None = None) -> str:
    items, _ = scan()
    base = _repo_blob(config)
    found = {it.number for it in items}
    where_tests = (
        "the unit test (a link to it on GitHub)"
        if base
        else "the unit test (its class in `tests/<part>/test_<module>.py`)"
    )
    out = [
        "# Thesis map",
        "",
        "Every numbered item of the thesis draft {cite:p}`sevkovych2023`, marked *thesis*, and",
        "every numbered item the book adds, marked *added*, with the box or figure that states it, the",
        f"`ae_lib` object that implements it and {where_tests} that checks that object.",
        "The page is generated from the notebooks, the docstrings and the tests by",
        "`tools/gen_pages.py`, and a unit test fails when it is out of date, so it cannot go stale.",
        "",
        "| Item | `ae_lib` object | Test |",
        "| --- | --- | --- |",
    ]
    for it in items:
        where = "thesis" if it.number in THESIS_ITEMS else "added"
        title = it.title.replace("|", "\\|")
        role = "ref" if it.number.startswith("Figure") else "prf:ref"
        box = f"{{{role}}}`{it.number} <{it.label}>` (*{where}*)" + (
            f": {title}" if title and role != "ref" else ""
        )
        objs = ", ".join(f"{{py:obj}}`~ae_lib.{o}`" for o in it.objects) or "—"
        if base:
            tests = ", ".join(f"[{cls}]({base}/{f}#L{n})" for f, n, cls in it.tests)
        else:
            tests = ", ".join(f"`{cls}`" for f, n, cls in it.tests)
        out.append(f"| {box} | {objs} | {tests or '—'} |")
    missing = [n for n in THESIS_ITEMS if n not in found]
    if missing:
        out += ["", "Not yet in the book: " + ", ".join(missing) + "."]
    return "\n".join(out) + "\n"


def render_notes() -> str:
    _, remarks = scan()
    out = [
        "# Notes on the draft",
        "",
        "Where the book states a result of the thesis draft {cite:p}`sevkovych2023` differently",
        "from the draft, the box says so in a Remark titled *Changed from the draft*; where it",
        "keeps the draft's statement although it is imprecise or wrong, a Remark titled *On the",
        "draft* gives the correct hypothesis and a numerical experiment that shows why.  This",
        "page lists all of them, section by section (generated by `tools/gen_pages.py`).",
        "",
    ]
    last = None
    for doc, section, label, title in remarks:
        if section != last:
            out += ["", f"**Section {section}** ({{doc}}`/{doc}`)", ""]
            last = section
        kind = CHANGED if title.startswith(CHANGED) else NOTE
        topic = title.split(":", 1)[1].strip() if ":" in title else title
        topic = topic[:1].upper() + topic[1:]
        what = "changed statement" if kind == CHANGED else "remark"
        out.append(f"- {topic} ({{prf:ref}}`{what} <{label}>`)")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- notation
@dataclass(frozen=True)
class Notation:
    r"""One row of the notation page.

    symbol:  TeX of the symbol (or its defining formula), without dollars.
    meaning: Markdown; math in $...$.
    sources: labels of the boxes (``:label:`` of a prf box) or labelled equations
             (``$$ ... $$ (label)``) that define it; every *formula* of the row (a math
             span with =, :=, \in, \to, \sim, \le, \ge) must occur in one of them.
    obj:     the ``ae_lib`` object (``Layer`` or ``Layer.theta``), if any.
    """

    symbol: str
    meaning: str
    sources: tuple[str, ...] = ()
    obj: str = ""


NOTATION: list[tuple[str, str, list[Notation]]] = [
    (
        "Networks (Section 1.1)",
        "",
        [
            Notation(
                r"\varphi : \mathbb{R} \to \mathbb{R}",
                "activation function: non-constant and continuous",
                ("def-activation",),
                "Activation",
            ),
            Notation(
                r"\hat\varphi",
                r"$\varphi$ applied to every entry, $\hat\varphi : \mathbb{R}^m \to \mathbb{R}^m$, "
                r"$\hat\varphi(v) = (\varphi(v_1), \dots, \varphi(v_m))$",
                ("eq-layer",),
                "Activation.__call__",
            ),
            Notation(
                r"h",
                r"$\varphi$-neuron $h(x) = \varphi(\langle w, x \rangle + b)$ with weight "
                r"$w \in \mathbb{R}^k$ and bias $b \in \mathbb{R}$; parameters $\theta := (w, b)$",
                ("def-neuron",),
                "Neuron",
            ),
            Notation(
                r"H",
                r"$\varphi$-layer $H(x) = \hat{\varphi}(Wx + b)$, $H : \mathbb{R}^k \to \mathbb{R}^m$, of "
                r"width $m$ with weights $W \in \mathbb{R}^{m \times k}$ and biases $b \in \mathbb{R}^m$; "
                r"row $i$ of $W$ is the weight $w_i = W^\top e_i$ of neuron $i$",
                ("def-layer", "eq-layer"),
                "Layer",
            ),
            Notation(
                r"f_{\varphi, L, \theta}",
                r"$\varphi$-deep neural network of depth $L$, "
                r"$f_{\varphi, L, \theta}(x) := H_L \circ \dots \circ H_1(x)$, with parameters "
                r"$\theta = (\theta_1, \dots, \theta_L)$, $\theta_i = (W_i, b_i)$",
                ("def-deep-network",),
                "DeepNetwork",
            ),
            Notation(
                r"d_0, \dots, d_L",
                r"widths, $H_i : \mathbb{R}^{d_{i-1}} \to \mathbb{R}^{d_i}$: $d_0$ the input and "
                r"$d_L$ the output dimension (the thesis counts from $d_1$)",
                ("rem-depth-widths",),
                "DeepNetwork.widths",
            ),
        ],
    ),
    (
        "Training (Section 1.2)",
        "",
        [
            Notation(
                r"X, Y",
                r"input space $X \subseteq \mathbb{R}^d$ and output space $Y \subseteq \mathbb{R}^n$",
                ("def-risk",),
            ),
            Notation(
                r"P",
                r"a probability measure on $X \times Y$: the (unknown) distribution of the data",
                ("def-risk",),
            ),
            Notation(
                r"L",
                r"loss function $L : X \times Y \times \mathbb{R}^n \to [0, \infty)$: compares a true "
                r"value $y$ with a prediction $\hat y = p(x)$",
                ("def-risk",),
                "Loss",
            ),
            Notation(
                r"\mathcal{R}_{L,P}(p)",
                r"$L$-risk of a predictor $p$, $\mathcal{R}_{L,P}(p) = \int_{X \times Y} L(x, y, p(x)) \, dP(x, y)$",
                ("def-risk",),
                "l_risk",
            ),
            Notation(
                r"D", r"data set $D = ((x_1, y_1), \dots, (x_k, y_k))$ of $k$ points", ("def-empirical-risk",)
            ),
            Notation(
                r"\mathcal{R}_{L,D}(p)",
                r"empirical risk, $\mathcal{R}_{L,D}(p) = \frac{1}{k} \sum_{i=1}^k L(x_i, y_i, p(x_i))$",
                ("def-empirical-risk",),
                "empirical_risk",
            ),
            Notation(
                r"x^{(t)}, \gamma_t",
                r"gradient descent: iterates and step sizes, $x^{(t+1)} = x^{(t)} - \gamma_t \partial_x f(x^{(t)})$",
                ("thm-gradient-descent",),
                "gradient_descent",
            ),
            Notation(
                r"\theta^{(t)}",
                r"stochastic gradient descent, a step on the gradient at the $i$-th data point: "
                r"$\theta^{(t)} = \theta^{(t-1)} - \gamma_{t-1} \partial_{\theta,i} \mathcal{R}(f_{\theta^{(t-1)}})$",
                ("thm-sgd",),
                "sgd",
            ),
        ],
    ),
    (
        "Autoencoders (Chapter 2)",
        "",
        [
            Notation(
                r"n_i, n_o",
                r"encoder: input and output dimension with widths $n_i = d_1 \geq \dots \geq d_L = n_o$ "
                "(the thesis's indexing)",
                ("lem-encoder",),
                "Encoder",
            ),
            Notation(
                r"n_i, n_o",
                r"decoder: widths $n_i = d_1 \leq \dots \leq d_L = n_o$",
                ("lem-decoder",),
                "Decoder",
            ),
            Notation(
                r"g \circ f",
                r"autoencoder, $\hat x = g(f(x))$: decoder $g : \mathbb{R}^{m} \to \mathbb{R}^{d_0}$ after "
                r"encoder $f : \mathbb{R}^{d_0} \to \mathbb{R}^{m}$; $f(x)$ is the code of $x$ and $m$ the "
                "width of the bottleneck (`latent_dim` in `ae_lib`)",
                ("eq-autoencoder",),
                "Autoencoder",
            ),
            Notation(
                r"\mathcal{R}(f, g)",
                r"reconstruction risk, the mean squared error per pixel: "
                r"$\mathcal{R}(f, g) = \frac{1}{k}\sum_{j=1}^{k} \frac{1}{64}\,\big\|g(f(x_j)) - x_j\big\|_2^2$",
                ("eq-reconstruction-risk",),
                "train_autoencoder",
            ),
        ],
    ),
    (
        "Variational autoencoders (Chapter 3)",
        "",
        [
            Notation(
                r"p(z)",
                r"prior on the latent space $\mathbb{R}^d$, $p(z) = \mathcal{N}(z; 0, I_d)$",
                ("def-latent-variable-model",),
                "LatentPrior",
            ),
            Notation(
                r"p_\theta(x \mid z)",
                r"decoder (likelihood), parameters $\theta$",
                ("def-latent-variable-model",),
                "ProbabilisticDecoder",
            ),
            Notation(
                r"p_\theta(x)",
                r"marginal likelihood (evidence), $p_\theta(x) = \int_{\mathbb{R}^d} p_\theta(x \mid z)\, p(z)\, dz$",
                ("def-latent-variable-model",),
            ),
            Notation(
                r"q_\phi(z \mid x)",
                r"Gaussian encoder (approximate posterior) with parameters $\phi \in \Phi$, "
                r"$q_\phi(z \mid x) = \mathcal{N}\big(z;\ \mu_\phi(x),\ \operatorname{diag} \sigma^2_\phi(x)\big)$",
                ("def-variational-family",),
                "GaussianEncoder",
            ),
            Notation(
                r"\mathrm{ELBO}(q; x)",
                r"evidence lower bound, $\mathrm{ELBO}(q; x) := \mathbb{E}_{z \sim q}\big[\log p_\theta(x \mid z)\big]$ "
                r"$- \mathrm{KL}\big(q \,\|\, p\big)$",
                ("thm-elbo",),
                "negative_elbo",
            ),
            Notation(
                r"\mathcal{L}_k(x)",
                r"importance-weighted bound with $k$ samples {cite:p}`burda2016importance`",
                ("thm-iwae",),
                "iwae_bound",
            ),
            Notation(
                r"\beta",
                r"weight of the KL term in the $\beta$-VAE loss {cite:p}`higgins2017beta`",
                ("def-beta-vae",),
                "vae_loss",
            ),
            Notation(
                r"\mathcal{N}(t; \mu, \sigma^2)",
                r"density of the normal distribution at $t$ (its own letter: never $\varphi$ or $\phi$)",
            ),
        ],
    ),
    (
        "The likelihood, measured (Section 3.3)",
        "",
        [
            Notation(
                r"-\frac{1}{n}\sum_{i} \log p_\theta(x_i)",
                r"test negative log-likelihood (NLL) over the $n$ test digits, in nats per image; a VAE's "
                r"is estimated by $-\mathcal{L}_{1000}$, which errs on the side of the VAE looking worse",
                (),
                "per_image_nll",
            ),
            Notation(
                r"p_\psi(x)",
                r"mixture of categorical distributions with $K$ components on $\{0, \dots, V-1\}^D$, "
                r"$p_\psi(x) = \sum_{c=1}^{K} \pi_c \prod_{j=1}^{D} \rho_{c, j, x_j}$ with weights "
                r"$\pi_c$, $\sum_c \pi_c = 1$, probability vectors $\rho_{c,j} \in [0,1]^V$ and $\psi = (\pi, \rho)$; "
                r"for $K = 1$ the independent model",
                ("def-categorical-mixture", "eq-mixture"),
                "CategoricalMixture",
            ),
            Notation(
                r"\mu_{c,j}",
                r"mixture of Bernoulli distributions, $V = 2$ and $\mu_{c,j} = \rho_{c,j,1}$: "
                r"$p_\psi(x) = \sum_c \pi_c \prod_j \mu_{c,j}^{x_j} (1 - \mu_{c,j})^{1 - x_j}$; the "
                r"component means $\mu_c \in [0, 1]^{64}$ are images",
                ("ex-bernoulli-mixture",),
                "BernoulliMixture",
            ),
            Notation(
                r"r_{ic}, \alpha",
                r"EM: responsibilities $r_{ic} = \pi_c \prod_j \rho_{c,j,x_{ij}} / p_\psi(x_i)$ (E-step) and the "
                r"pseudo-count $\alpha \ge 0$ of a symmetric Dirichlet prior (with $\alpha > 0$ every "
                r"$\rho_{c,j,v} > 0$)",
                ("thm-em",),
                "em_step",
            ),
            Notation(
                r"\operatorname{BB}(x; N, a, b)",
                r"beta-binomial distribution on $\{0, \dots, N\}$, $a, b > 0$: "
                r"$\operatorname{BB}(x; N, a, b) = \binom{N}{x} \frac{B(x + a, N - x + b)}{B(a, b)}$ with $B$ "
                r"the Beta function, that is $x \sim \operatorname{Bin}(N, \omega)$ with "
                r"$\omega \sim \operatorname{Beta}(a, b)$; the beta-binomial decoder is "
                r"$p_\theta(x \mid z) = \prod_{j=1}^{D} \operatorname{BB}(x_j; 16, a_j(z), b_j(z))$",
                ("def-beta-binomial",),
                "BetaBinomial",
            ),
            Notation(
                r"p_\psi(z)",
                r"learned mixture prior on $\mathbb{R}^d$, "
                r"$p_\psi(z) = \sum_{c=1}^{K} \pi_c\, \mathcal{N}(z; m_c, \operatorname{diag} s_c^2)$ with "
                r"parameters $\psi = (\pi, m, s)$, learned together with $\theta$ and $\phi$ (with one "
                r"component `ae_lib` keeps the standard normal $p(z)$ above)",
                ("def-mixture-prior",),
                "LatentPrior",
            ),
            Notation(
                r"\eta, W",
                r"fully visible sigmoid belief network on $\{0, 1\}^D$ with $\eta \in \mathbb{R}^D$ and "
                r"$W \in \mathbb{R}^{D \times D}$: "
                r"$p(x) = \prod_{j=1}^{D} \operatorname{Ber}\Big(x_j;\ \sigma\big(\eta_j + \textstyle\sum_{j' < j} "
                r"W_{j'j} x_{j'}\big)\Big)$, $\sigma$ the logistic function; with $\eta = f_{\theta}(z)$ the "
                r"autoregressive Bernoulli decoder",
                ("def-sigmoid-belief-net",),
                "AutoregressiveBernoulli",
            ),
        ],
    ),
    (
        "Applications (Chapter 4)",
        "",
        [
            Notation(
                r"\tilde x",
                r"a corrupted image (§4.1): $x$ plus Gaussian noise of level $\sigma$, clipped to $[0, 1]$, or "
                r"$x$ with each pixel set to 0 with probability $\rho$ (the masking rate)",
                (),
                "add_gaussian_noise",
            ),
            Notation(
                r"\operatorname{PSNR}(x, \hat x)",
                r"peak signal-to-noise ratio (§4.1) of an estimate $\hat x$ of an image, "
                r"$x, \hat x \in [0, R]^D$: "
                r"$\operatorname{PSNR}(x, \hat x) = 10 \log_{10} \frac{R^2}{\operatorname{MSE}(x, \hat x)}$ dB "
                r"with $\operatorname{MSE}(x, \hat x) = \frac1D \sum_{j=1}^D (x_j - \hat x_j)^2$",
                ("def-psnr", "eq-psnr"),
                "psnr",
            ),
            Notation(
                r"\operatorname{AUC}(s)",
                r"area under the ROC curve (§4.2) of a novelty score $s$ on a set $N$ of novel and a set $M$ "
                r"of normal points, $\operatorname{AUC}(s) = \frac{1}{|N|\,|M|} \sum_{x \in N} \sum_{x' \in M} "
                r"\psi\big(s(x), s(x')\big)$ with the pair kernel "
                r"$\psi(a, b) = \mathbb 1[a > b] + \tfrac12\, \mathbb 1[a = b]$: the probability that a random "
                r"novel point scores higher than a random normal one; its standard error is DeLong's "
                r"({py:func}`~ae_lib.auc_se`)",
                ("def-roc-auc", "eq-auc"),
                "novelty_auc",
            ),
            Notation(
                r"\operatorname{IS}",
                r"inception-style score (§4.3) of samples $x_1, \dots, x_n$ under a classifier's class "
                r"probabilities $p(y \mid x)$, $y \in \{1, \dots, C\}$: "
                r"$\operatorname{IS} = \exp\Big( \frac1n \sum_{i=1}^n \operatorname{KL}\big(p(\cdot \mid x_i) "
                r"\,\big\|\, \bar p\big) \Big)$ with $\bar p(y) = \frac1n \sum_{i=1}^n p(y \mid x_i)$, and "
                r"$1 \le \operatorname{IS} \le C$ {cite:p}`salimans2016improved`",
                ("def-inception-score", "eq-inception"),
                "classifier_sample_score",
            ),
        ],
    ),
]

#: Letters that keep more than one meaning: (letter, meanings with their scope, why they stay).
#: Within a chapter a letter has one meaning, except where the thesis itself gives it two
#: (kept, as its notation is the book's) or where a local meaning stays inside one remark,
#: exercise or figure of the book's own; both are listed here.
DOUBLE_USES: list[tuple[str, str, str]] = [
    (
        r"L",
        r"depth of $f_{\varphi, L, \theta}$ (Chapters 1–2); loss function $L$ in $\mathcal{R}_{L,D}$ (§1.2) and "
        r"the VAE loss $L_\beta$ (§3.2)",
        "the thesis uses $L$ for both depth and loss, in Lemma 1.2.4 side by side; the bound of "
        r"Chapter 3 is a script $\mathcal{L}_k$, the number of grey levels is $V$, a Lipschitz "
        r"constant is $\Lambda$",
    ),
    (
        r"k",
        r"input dimension of a neuron or layer (§1.1); number of data points (§1.2, Chapter 2); number of "
        r"importance samples in $\mathcal{L}_k$ (Chapter 3); number of PCA components (Chapter 4)",
        "the thesis's in Chapter 1; elsewhere one meaning per chapter (Chapter 3 counts data points with $n$)",
    ),
    (
        r"n",
        r"output dimension, $Y \subseteq \mathbb{R}^n$ (§1.2); number of points of a batch or of Monte Carlo "
        r"draws (§1.1, 1.2); number of data points (Chapter 3); number of generated images (§4.3)",
        r"$\mathbb{R}^n$ is the thesis's; a count of draws or points is the book's, always a count",
    ),
    (
        r"d",
        r"widths $d_0, \dots, d_L$ (§1.1); input dimension $\mathbb{R}^d$ and the distance $d(x^*, x)$ (§1.2); "
        r"dimension of the code $z \in \mathbb{R}^d$ (Chapter 3)",
        "the thesis's in Chapter 1 (widths, input dimension and distance)",
    ),
    (
        r"D",
        r"data set (§1.2); data dimension (§3.1, 3.3, 4.1); distortion $\mathrm{D}$ (§3.2, upright)",
        "the thesis's data set; the distortion is the rate–distortion literature's",
    ),
    (
        r"m",
        r"width of a layer (§1.1); width of the bottleneck (Chapter 2); labels per class (§4.4)",
        "a bottleneck is a layer of width $m$",
    ),
    (
        r"t",
        r"argument of $\varphi$ (§1.1, 2.2); step index of gradient descent (§1.2); shift, integration "
        r"variable and interpolation weight (§3.1, 3.2)",
        r"the thesis's $\varphi(t)$ and step index; the local uses stay inside one figure or exercise",
    ),
    (
        r"\alpha",
        r"slope of the leaky ReLU (§1.1); Adam's step size and the exponent of $\gamma_t = C t^{-\alpha}$ (§1.2); "
        r"pseudo-count of the mixtures (§3.3)",
        "the slope is the thesis's, the step size Adam's paper's; each stays inside its own remark",
    ),
    (
        r"a, b",
        r"activation $a_i$ in backpropagation, a pair $(a, b)$ and rows $a_i$ in remarks of §1.2; bias $b$ "
        r"(Chapter 1) and minibatch size $b$ (§1.2); beta-binomial parameters $a, b$ (§3.3)",
        "the bias is the thesis's; the others stay inside one remark or box",
    ),
    (
        r"h",
        r"neuron (§1.1); step of a finite difference (§1.2)",
        "the neuron is the thesis's; the step appears in one check",
    ),
    (
        r"\sigma",
        r"logistic sigmoid (§1.1, 2.2, 3.3); noise level (§2.2, 4.1); standard deviation $\sigma_\phi$ of the "
        r"encoder and $\sigma^2$ of a Gaussian decoder or probabilistic PCA (Chapter 3)",
        r"the names under which the literature knows each; the sigmoid is always $\sigma(t)$, a function",
    ),
    (
        r"u",
        r"pre-activation $u_i = W_i a_{i-1} + b_i$ (§1.2); eigenvectors $u_1, \dots, u_D$ "
        r"(Proposition 3.1.10), a grid point of the code plane and a code coordinate in the active-unit "
        r"count (§3.2)",
        "in §3.2 the grid point and the coordinate index live in separate figures",
    ),
    (
        r"j",
        r"pixel index and code-coordinate index (§3.1)",
        "two sums in separate boxes, never in one formula",
    ),
    (
        r"\psi",
        r"parameters of a mixture of pixels and of the learned prior (§3.3); the pair kernel of the AUC (§4.2)",
        "one chapter each",
    ),
    (
        r"q",
        r"encoder $q_\phi(z \mid x)$ (Chapter 3); responsibilities of the EM algorithm (§3.3)",
        "both are distributions over the latent variable given $x$",
    ),
    (
        r"c, C",
        r"step-size constant $c$ (§1.2); component index $c$ (§3.3); held-out digit $c$ (§4.2); sample "
        r"covariance $C$ (Proposition 3.1.10); number of classes $C$ (§4.3)",
        "one meaning per section",
    ),
    (
        r"R, \mathcal{R}",
        r"risk $\mathcal{R}$ (Chapters 1–3); ratio $R$ (§2.1); rate $R$ (§3.2); peak value $R$ of the PSNR (§4.1)",
        "the risk is a script letter; each upright $R$ stays in one section",
    ),
    (
        r"\rho",
        r"probability vectors $\rho_{c,j}$ of a categorical mixture (§3.3); masking rate $\rho$ (§4.1)",
        "one chapter each",
    ),
    (
        r"s",
        r"scales $s_c$ of the mixture prior and $s(z)$ of a Gaussian decoder (§3.3); novelty score $s(x)$ (§4.2)",
        "one chapter each",
    ),
    (
        r"N, M",
        r"number of trials $N$ of the beta-binomial (§3.3); the sets $N$ of novel and $M$ of normal points "
        r"(§4.2)",
        r"one chapter each; the normal distribution is a script $\mathcal{N}$",
    ),
    (
        r"V",
        r"number of values of a categorical pixel (§3.3); placement $V(x)$ of DeLong's SE (§4.2)",
        "one chapter each",
    ),
]

GLYPH_RULE = (
    r"**One glyph per object.** $\varphi$ (`\varphi`) is an activation function, as in the "
    r"thesis, and $\hat\varphi$ its entry-wise version; $\phi$ (`\phi`) is only ever the "
    r"encoder's parameters ($q_\phi$, $\mu_\phi$, $\sigma_\phi$, $\phi \in \Phi$), as in the VAE "
    r"literature; a density of the normal distribution is written with its own letter, "
    r"$\mathcal{N}(t; \mu, \sigma^2)$, never $\varphi$ or $\phi$. A unit test checks the "
    r"chapters against this rule."
)

_FORMULA = re.compile(r"=|\\in\b|\\to\b|\\sim\b|\\leq?\b|\\geq?\b|\\subseteq\b|:")
_MATH = re.compile(r"\$([^$]+)\$")


def norm_tex(tex: str) -> str:
    """TeX with spacing, sizing, alignment points (&) and single-token braces removed, phi
    glyphs unified: two spellings of one formula give one string."""
    t = tex.replace("\\Vert", "\\|").replace("\\vert", "|")
    t = t.replace("&", "")  # alignment points of an aligned display
    t = re.sub(r"\\(?:[,;:! ]|quad|qquad)", "", t)
    t = re.sub(r"\\(?:big|Big|bigg|Bigg|left|right)(?![A-Za-z])", "", t)
    t = re.sub(r"\s+", "", t)
    while True:
        u = re.sub(r"\{(\\[A-Za-z]+|[^{}\\])\}", r"\1", t)
        if u == t:
            break
        t = u
    return t.replace(r"\varphi", r"\phi").rstrip(".,;")


def formulas(row: Notation) -> list[str]:
    """The formulas of a row (math spans with a relation), which its sources must contain."""
    spans = [row.symbol] + _MATH.findall(row.meaning)
    return [f for f in spans if _FORMULA.search(f)]


def labelled_texts() -> dict[str, str]:
    """Label -> markdown of that prf box, or of the cell holding that labelled equation."""
    out = {}
    for doc, _ in toc_docs():
        for text, _meta in markdown_of(doc):
            lines = text.splitlines()
            for i, line in enumerate(lines):
                m = BOX.match(line.strip())
                if m:
                    fence = m.group(1)
                    end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == fence), len(lines))
                    body = "\n".join(lines[i : end + 1])
                    lm = re.search(r"^:label:\s*(\S+)", body, re.M)
                    if lm:
                        out[lm.group(1)] = body
            for lm in re.finditer(r"\$\$\s*\((\S+)\)", text):
                out.setdefault(lm.group(1), text)
    return out


def check_notation() -> list[str]:
    """Problems: a row's source label missing, a formula not found in its sources, an
    ae_lib object that does not exist."""
    import ae_lib

    texts = labelled_texts()
    problems = []
    for _, _, rows in NOTATION:
        for row in rows:
            missing = [lab for lab in row.sources if lab not in texts]
            if missing:
                problems.append(f"{row.symbol}: no box or equation labelled {missing}")
                continue
            haystack = " ".join(norm_tex(texts[lab]) for lab in row.sources)
            for f in formulas(row):
                if norm_tex(f) not in haystack:
                    problems.append(f"{row.symbol}: formula ${f}$ is not in {', '.join(row.sources)}")
            if row.obj:
                obj = ae_lib
                for part in row.obj.split("."):
                    obj = getattr(obj, part, None)
                if obj is None:
                    problems.append(f"{row.symbol}: ae_lib has no {row.obj}")
    return problems


def _cell(markdown: str) -> str:
    """`markdown` for a table cell: a bare | outside math is escaped (inside math, markdown-it
    keeps TeX's \\| and | as they are)."""
    parts = re.split(r"(\$[^$]+\$)", markdown)
    return "".join(_table_math(p) if p.startswith("$") else p.replace("|", "\\|") for p in parts)


def _table_math(tex: str) -> str:
    """TeX for a table cell: markdown-it splits cells at | and drops the backslash of \\|,
    so bars are spelled \\Vert and \\vert there (norm_tex reads them back)."""
    return tex.replace("\\|", "\\Vert ").replace("|", "\\vert ")


def render_notation() -> str:
    out = [
        "# Notation",
        "",
        "The book keeps the thesis's notation {cite:p}`sevkovych2023` and extends it, in the same",
        "style, to the chapters the draft does not yet have. Vectors are columns; a *batch* of",
        "$n$ points is stored as the rows of an array of shape `(n, k)`. Each formula below is",
        "copied from the box it links to, and a unit test checks that it still reads so there",
        "(the page is generated by `tools/gen_pages.py`).",
        "",
        GLYPH_RULE,
    ]
    for title, intro, rows in NOTATION:
        out += ["", f"## {title}", ""] + ([intro, ""] if intro else [])
        out += ["| Symbol | Meaning | In `ae_lib` |", "| --- | --- | --- |"]
        for row in rows:
            refs = ", ".join(
                f"eq. {{eq}}`{lab}`"
                if lab.startswith("eq-")
                else f"{{prf:ref}}`remark <{lab}>`"
                if lab.startswith("rem-")
                else f"{{prf:ref}}`{lab}`"
                for lab in row.sources
            )
            meaning = row.meaning + (f" ({refs})" if refs else "")
            if not row.obj:
                obj = "—"
            elif "." in row.obj:
                obj = f"`{row.obj}`"
            else:
                obj = f"{{py:obj}}`~ae_lib.{row.obj}`"
            out.append(f"| {_cell('$' + row.symbol + '$')} | {_cell(meaning)} | {obj} |")
    out += [
        "",
        "## Letters with more than one meaning",
        "",
        "Within a chapter a letter has one meaning, with two exceptions listed here: the thesis's",
        "own letters, which the book keeps even where the thesis gives one letter two meanings,",
        "and local letters of the book's own that live inside one remark, exercise or figure.",
        "",
        "| Letter | Meanings (where) | Why it stays |",
        "| --- | --- | --- |",
    ]
    out += [
        f"| {_cell('$' + letter + '$')} | {_cell(uses)} | {_cell(why)} |" for letter, uses, why in DOUBLE_USES
    ]
    out += [
        "",
        "## Data",
        "",
        "All data are scikit-learn's 8×8 handwritten digits: 1797 images, pixel values",
        "$0, \\dots, 16$, split once for the whole book into 1437 training and 360 test images",
        '({py:func}`~ae_lib.load_digits_split`). Pixels are scaled to $[0, 1]$ (`kind="unit"`),',
        'kept as 17 grey levels (`kind="raw"`), or binarised at $> 8$ (`kind="binary"`).',
    ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- one glyph per object
#: (pattern, what is wrong): phi/varphi used for the wrong object in the chapters' markdown.
GLYPH_RULES = [
    (
        r"(?:q|\\mu|\\sigma|\\sigma\^2)_\{?\\varphi",
        r"encoder quantity with \varphi (the encoder's parameters are \phi)",
    ),
    (r"\\sigma(?:\^2)?_\{?\\varphi|\\sigma_\\varphi\^2", r"encoder variance with \varphi (use \phi)"),
    (r"\\varphi\s*\\in\s*\\Phi", r"encoder parameters \varphi \in \Phi (use \phi)"),
    (r"\(\s*\\theta\s*,\s*\\varphi\s*\)", r"(\theta, \varphi): the encoder's parameters are \phi"),
    (
        r"\\varphi\s*\(\s*[^()$]*\\(?:mu|sigma)\b",
        r"\varphi as the normal density (use \mathcal{N}(t; \mu, \sigma^2))",
    ),
    (
        r"\\hat\s*\{?\\phi\b|\\phi\s*:\s*\\mathbb\{?R\}?\s*\\to|\\phi\s*\(\s*t\s*\)|\\phi-(?:neuron|layer|deep)|f_\{\\phi,",
        r"activation written \phi (activations are \varphi, as in the thesis)",
    ),
]


def glyph_problems(text: str) -> list[str]:
    """Places in markdown `text` that break the one-glyph-per-object rule."""
    out = []
    for pattern, why in GLYPH_RULES:
        for m in re.finditer(pattern, text):
            around = text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ")
            out.append(f"{why}: ...{around}...")
    return out


def chapter_markdown() -> dict[str, str]:
    """Page -> its markdown (notebook markdown cells, or the .md page), for every page in _toc.yml."""
    toc = (ROOT / "_toc.yml").read_text()
    docs = re.findall(r"(?:file|root):\s*(\S+)", toc)
    return {doc: "\n\n".join(text for text, _ in markdown_of(doc) if text) for doc in docs}


DESIGN = ROOT / "chapters" / "design.md"
MAP_START = "<!-- module map: generated by tools/gen_pages.py from the sub-packages of ae_lib -->"
MAP_END = "<!-- end of the generated module map -->"


def _rst_to_md(text: str) -> str:
    """A docstring line as Markdown table text: ``x`` and :role:`~a.b.X` become `x` and `X`."""
    text = re.sub(r":\w+:`~?(?:[\w.]+\.)?([\w]+)`", r"`\1`", text)
    return text.replace("``", "`").replace("|", "\\|")


def render_design() -> str:
    """chapters/design.md with its module map regenerated from the sub-packages of ae_lib.

    One table per part (sub-package) under a heading that links the part's API page; each
    public name links its entry there.
    """
    from gen_api import page_path, page_title

    text = DESIGN.read_text()
    head, rest = text.split(MAP_START)
    _, tail = rest.split(MAP_END)
    out = []
    for part, modules in parts().items():
        api = "/" + page_path(part).removesuffix(".md")
        out += [f"### `ae_lib.{part}`: {_rst_to_md(part_title(part))}", ""]
        out += [f"Reference: {{doc}}`{page_title(part)} <{api}>`.", ""]
        out += ["| Module | What it holds | Public names |", "| --- | --- | --- |"]
        for name in modules:
            mod = module(f"{part}.{name}")
            summary = _rst_to_md((mod.__doc__ or name).strip().splitlines()[0].rstrip("."))
            names = ", ".join(f"{{py:obj}}`~ae_lib.{n}`" for n in getattr(mod, "__all__", [])) or "(internal)"
            out.append(f"| `{part}.{name}` | {summary} | {names} |")
        out.append("")
    return head + MAP_START + "\n\n" + "\n".join(out) + "\n" + MAP_END + tail


PAGES = {
    "chapters/thesis_map.md": render_map,
    "chapters/notes_on_draft.md": render_notes,
    "chapters/notation.md": render_notation,
    "chapters/design.md": render_design,
}

if __name__ == "__main__":
    problems = check_notation()
    for p in problems:
        print(f"notation: {p}", file=sys.stderr)
    for rel, fn in PAGES.items():
        text = fn()
        if not (ROOT / rel).exists() or (ROOT / rel).read_text() != text:
            (ROOT / rel).write_text(text)  # only when changed: tests may read it meanwhile
            print(f"wrote {rel}")
