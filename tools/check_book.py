#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and check it.

Usage:  python tools/check_book.py [_build/html] [--screenshot PAGE ...] [--theme dark]
        python tools/check_book.py _build/html --screenshot-all   (every page, light and
        dark, at every width: for looking at the book; not run by `make test`)

For every *.html page under the build folder (except search.html, and nothing under
_static/, _sources/, _images/), opened from file:// with the network closed:

  (a) math: every Sphinx math element (span.math / div.math) holds a MathJax
      <mjx-container>, no MathJax error box (<mjx-merror>) is shown, and no raw TeX
      delimiter  \\(  \\[  $$  is left in the page's text (code blocks excluded);
  (b) images: every <img> finished loading with naturalWidth > 0;
  (c) links: every relative href/src (a, link, script, img) points to an existing file,
      and every #fragment to an id that exists in the target page;
  (d) JavaScript: no console error, uncaught exception or failed resource load, apart
      from the ALLOWED_CONSOLE list below (each entry says why it is harmless);
  (e) nothing cut off, at each window width of WIDTHS (a 1280 px laptop window and a
      390 px phone; the page is laid out again at each width without reloading): no
      display equation, cell output, <pre> or table is wider than the main content
      column (article.bd-article) unless it, or a box around it inside the column,
      scrolls horizontally, and no box between it and the column hides part of it
      (overflow hidden). Measured in the page with getBoundingClientRect (the typeset
      <mjx-math>'s own box for equations) and scrollWidth (for the other blocks);
  (f) numbering: the thesis's equations (THESIS_EQUATIONS of book_ext/thesis_numbers.py)
      show their thesis number, (1.1)-(1.6), at the equation and in every reference, and
      each of them is in the book; every other equation has a three-level number; no
      exercise is numbered like a theorem ("Exercise 1.1.1");
  (g) explorers: on every interactive latent-space explorer (div.ae-latent-explorer, made by
      ae.latent_explorer) the pointer is moved to two points of its plot, and the digit shown
      must change with it (the grid index in data-index and the canvas's pixels); the pages of
      EXPLORER_PAGES must hold one;
  (h) markup: no raw reST or MyST role (":class:`", ":prf:ref:`", "{doc}`") and no
      ``double backticks`` left in the page's text (code blocks excluded);
  (i) figures you can read: at the laptop width (1280 px), every figure a notebook drew
      (an <img> in a cell output, a PNG at the figure style's FIGURE_DPI) is shown at
      MIN_PPI pixels per inch of the figure or more, so that its smallest text (9.5 pt in
      ae_lib/book/book.mplstyle) is at least 12 px tall: a figure wider than the column
      allows (about 7 in at 150 dpi) fails.

Prints one line per page, then `N passed, M failed` alone on a line; exits 1 if any page
failed, 2 if Chromium cannot be started. Saves PNG screenshots of chosen pages to
--screenshot-dir (default: <build>/../screenshots, i.e. _build/screenshots), named
<page>-<theme>[-<width>].png.

Drives the system's Chromium (Debian's `chromium` package, or $CHROMIUM) through
Playwright's Python package (pinned in requirements.txt; its wheel carries its own driver).
Playwright's browser download (`playwright install`) is never used: the browser is the one
find_chromium finds, and nothing is fetched from the network.
"""

from __future__ import annotations

import argparse
import ast
import html.parser
import os
import re
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

APT_HINT = "sudo apt-get install -y chromium   (Debian/Ubuntu; the package chromium-driver is not needed)"

SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}
SKIP_PAGES = {"search.html"}  # driven by a ?q= query string; nothing to check without one

# Console messages that are not errors of the book. Each entry: (regex, why).
ALLOWED_CONSOLE = [
    (
        r"^(Failed to load resource|net::ERR_)[^\n]*\s(https?:)?//(?!/)",
        "a request to a remote host failed: the checker runs with the network closed "
        "(launch buttons, thebe, Binder, analytics); local files never match this",
    ),
    (
        r"^console\.error: Got invalid theme mode: \. Resetting to auto\.$",
        "pydata-sphinx-theme on a browser's first visit (no colour mode saved yet) falls back "
        "to 'auto', which is the intended default",
    ),
    (
        r"https?://[^ ]*(mybinder\.org|colab\.research\.google\.com|thebe|jsdelivr|unpkg)",
        "remote service used only after a reader clicks a launch/live-code button",
    ),
]

# (i) A figure drawn at FIGURE_DPI must be shown at MIN_PPI pixels per inch of the figure or
# more at the laptop width: 9.5 pt (the style's smallest text) × 91 / 72 ≈ 12 px.
FIGURE_DPI = 150
MIN_PPI = 91
FIGURE_WIDTH = 1280
FIGURE_SCRIPT = r"""
(() => [...document.querySelectorAll('.cell_output img, .output img')]
  .filter(img => img.naturalWidth > 0 && img.getBoundingClientRect().width > 0)
  .map(img => ({src: (img.getAttribute('src') || '').slice(-60),
                ppi: img.getBoundingClientRect().width / (img.naturalWidth / DPI)}))
  .filter(f => f.ppi < MIN_PPI)
  .map(f => f.src + ' shown at ' + Math.round(f.ppi) + ' px per inch'))()
""".replace("MIN_PPI", str(MIN_PPI)).replace("DPI", str(FIGURE_DPI))

# Pages that must hold a latent-space explorer (g), when they are in the build.
EXPLORER_PAGES = {"chapters/ch3_2_training.html"}

# Runs in the page: the explorers, each as [plot box in the viewport, grid index, canvas pixel sum]
# after scrolling the k-th into view (argument k; null when there is no k-th).
EXPLORER_STATE = r"""
(k) => {
  const all = document.querySelectorAll('div.ae-latent-explorer');
  if (k >= all.length) return {count: all.length, box: null};
  const e = all[k], svg = e.querySelector('svg'), c = e.querySelector('canvas');
  if (!svg || !c) return {count: all.length, box: null, index: null};
  svg.scrollIntoView({block: 'center'});
  const b = svg.getBoundingClientRect();
  let sum = 0;
  try { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) sum += d[i] * (1 + (i / 4) % 7); } catch (err) { sum = -1; }
  return {count: all.length, box: [b.left, b.top, b.width, b.height], index: e.dataset.index,
          ready: e.dataset.ready === '1', pixels: sum};
}
"""

# Window widths (CSS px) every page is checked at: a laptop, and a phone (iPhone 12-15).
WIDTHS = (1280, 390)

# Chromium's switches beyond the ones Playwright passes (--headless, --no-sandbox,
# --no-first-run, --disable-background-networking, --disable-component-update,
# --disable-sync, --disable-default-apps, --disable-extensions, --mute-audio, a fresh
# profile, the DevTools pipe).
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--force-color-profile=srgb",
    # The network is closed for the check: every remote host fails at once instead of
    # after a DNS timeout (the book must not need any of them).
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
# Scrollbars are shown (Playwright's headless default --hide-scrollbars is left out): a box
# that scrolls must look like it in the screenshots, as it does for a reader on Linux or Windows.
CHROMIUM_IGNORED_DEFAULTS = ["--hide-scrollbars"]

# Runs in the page after load; resolves to a JSON-able report.
PAGE_SCRIPT = r"""
(async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const report = {mathElements: 0, mathUnrendered: 0, mjx: 0, merror: [], raw: [],
                  mathjax: 'absent', badImages: []};
  report.mathElements = document.querySelectorAll('span.math, div.math').length;
  // Wait for MathJax (loaded with defer) to start and finish typesetting.
  const t0 = Date.now();
  const mjScript = document.querySelector('script[src*="mathjax"], script[src*="MathJax"]');
  while (mjScript && Date.now() - t0 < %(mj_timeout)d) {
    if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) break;
    await sleep(50);
  }
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
    try { await window.MathJax.startup.promise; report.mathjax = 'ok'; }
    catch (e) { report.mathjax = 'startup failed: ' + e; }
    if (window.MathJax.typesetPromise) { try { await window.MathJax.typesetPromise(); } catch (e) {} }
  } else if (window.MathJax) {
    report.mathjax = 'configured but never started (script missing or failed to load?)';
  }
  report.mjx = document.querySelectorAll('mjx-container').length;
  report.mathUnrendered = [...document.querySelectorAll('span.math, div.math')]
      .filter(e => !e.querySelector('mjx-container')).length;
  report.merror = [...document.querySelectorAll('mjx-merror')]
      .map(e => (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 80));
  // Raw TeX left in the text: look at the page without code, scripts and typeset math.
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, textarea, mjx-container, .highlight, kbd, samp')
       .forEach(e => e.remove());
  const text = clone.textContent;
  for (const delim of ['\\(', '\\)', '\\[', '\\]', '$$', '\\begin{']) {
    const i = text.indexOf(delim);
    if (i >= 0) report.raw.push(JSON.stringify(text.slice(Math.max(0, i - 20), i + 40)));
  }
  // (h) raw roles and double backticks (reST or MyST markup that did not render)
  report.rawMarkup = [];
  const role = /(:(class|func|meth|mod|obj|attr|data|ref|doc|numref|prf:ref):`|\{(doc|ref|numref|glue:text|prf:ref)\}`|``)/;
  const m = role.exec(text);
  if (m) report.rawMarkup.push(JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 40)));
  // Images: make lazy ones eager, wait for all to settle, then look at naturalWidth.
  const imgs = [...document.images];
  imgs.forEach(img => { if (img.loading === 'lazy') img.loading = 'eager'; });
  await Promise.race([
    Promise.all(imgs.map(img => img.complete ? null : new Promise(r => {
      img.addEventListener('load', r, {once: true}); img.addEventListener('error', r, {once: true});
    }))),
    sleep(%(img_timeout)d)]);
  report.badImages = imgs.filter(img => !(img.complete && img.naturalWidth > 0))
      .map(img => img.getAttribute('src'));
  return report;
})()
"""


# Runs in the page (after PAGE_SCRIPT, at each window width); returns the blocks whose
# content is cut off. The column is the main content column (article.bd-article); the
# blocks are display math (the typeset <mjx-math> inside a display <mjx-container>), cell
# outputs, <pre> and tables. A block passes when its content lies inside the column and
# no box between it and the column hides part of it (overflow hidden/clip), or when a box
# at or above it, inside the column, scrolls horizontally (overflow-x auto/scroll) and no
# box in between hides part of it. Elements that are not displayed (closed toggles) are
# skipped.
CLIP_SCRIPT = r"""
(() => {
  const TOL = 1;
  const col = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const c = col.getBoundingClientRect();
  const blocks = [];
  document.querySelectorAll('mjx-container[display="true"]').forEach(e => {
    const m = e.querySelector('mjx-math') || e; blocks.push(['math', e, m]); });
  col.querySelectorAll('div.cell_output, pre, table').forEach(e => {
    const tag = e.tagName.toLowerCase(); blocks.push([tag === 'div' ? 'output' : tag, e, null]); });
  // Extent of the content: the typeset math's own box, else the element's scroll width.
  const extent = (e, inner) => {
    if (inner && inner !== e) { const r = inner.getBoundingClientRect(); return [r.left, r.right]; }
    const r = e.getBoundingClientRect();
    return [r.left, r.left + Math.max(r.width, e.scrollWidth)];
  };
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const hides = el => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX);
  const describe = (kind, e) => {
    const id = (e.closest('[id]') || {}).id || '';
    const text = (e.getAttribute('data-latex') || (e.closest('div.math') || e).textContent || '')
        .replace(/\s+/g, ' ').trim().slice(0, 70);
    return kind + (id ? ' in #' + id : '') + ': ' + JSON.stringify(text);
  };
  const bad = [], badEls = [];
  for (const [kind, e, inner] of blocks) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;  // not displayed (closed toggle, hidden cell)
    if (!col.contains(e)) continue;
    let [lo, hi] = extent(e, inner);
    let ok = false, why = '';
    // Walk up from the element (or the math inside it) to the column.
    for (let el = inner && inner !== e ? inner.parentElement : e; el && el !== col.parentElement; el = el.parentElement) {
      const b = el.getBoundingClientRect();
      const over = hi > b.right + TOL || lo < b.left - TOL;
      if (el !== col && scrolls(el) && b.right <= c.right + TOL && b.left >= c.left - TOL) { ok = true; break; }
      if (over && (hides(el) || el === col)) {
        why = el === col ? `runs ${Math.round(Math.max(hi - c.right, c.left - lo))} px beyond the column`
                         : `cut off by <${el.tagName.toLowerCase()} class="${el.className}"> (overflow hidden)`;
        break;
      }
    }
    if (!ok && why && !badEls.some(b => b.contains(e) || e.contains(b))) {
      badEls.push(e);  // one report per clipped block (not again for the <pre> in an output)
      bad.push(describe(kind, e) + ' ' + why);
    }
  }
  return {column: Math.round(c.width), checked: blocks.length, bad: bad};
})()
"""


# Wait until the layout has settled (two animation frames after a resize), then measure.
CLIP_SCRIPT_AFTER_LAYOUT = (
    "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    ".then(() => " + CLIP_SCRIPT.strip() + ")"
)


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium page, driven by Playwright (sync API).

    Collects the page's console errors, uncaught exceptions and failed resource loads as
    text lines (see :meth:`messages`); the window is ``width`` x ``height`` CSS px.
    """

    def __init__(self, binary: str, timeout: float = 30.0):
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError as exc:
            raise BrowserError(
                f"Playwright is not installed ({exc}): pip install -r requirements.txt"
            ) from exc
        self.Error = Error
        self.timeout = timeout
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(
                executable_path=binary,
                headless=True,
                args=CHROMIUM_ARGS,
                ignore_default_args=CHROMIUM_IGNORED_DEFAULTS,
                timeout=timeout * 1000,
            )
            self.page = self._browser.new_page(
                viewport={"width": WIDTHS[0], "height": 1000}, device_scale_factor=1
            )
        except Error as exc:
            self._pw.stop()
            raise BrowserError(str(exc).strip().splitlines()[0]) from exc
        self.page.set_default_timeout(timeout * 1000)
        self._messages: list[str] = []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)

    def _on_console(self, msg) -> None:
        if msg.type not in ("error", "assert"):
            return
        if msg.args:  # console.error(...) / console.assert(...) called by a script
            self._messages.append("console.error: " + msg.text)
        else:  # the browser's own log entry, e.g. "Failed to load resource: ..." and its URL
            self._messages.append(f"{msg.text} {msg.location.get('url', '')}".strip())

    def _on_page_error(self, error) -> None:
        first = (error.stack or "").split("\n")[0] or f"{error.name}: {error.message}"
        self._messages.append("uncaught " + first)

    def messages(self) -> list[str]:
        """The messages gathered since the last call (the browser delivers them while it is waited on)."""
        out, self._messages = self._messages, []
        return out

    def load(self, url: str, timeout: float) -> bool:
        """Open ``url`` and wait for its load event; False if it did not come in ``timeout`` s."""
        try:
            self.page.goto(url, wait_until="load", timeout=timeout * 1000)
        except self.Error:
            return False
        return True

    def set_width(self, width: int, height: int = 1000):
        """Lay the page out for a window `width` CSS px wide (no reload)."""
        self.page.set_viewport_size({"width": width, "height": height})

    def evaluate(self, expression: str, timeout: float | None = None):
        """Value of a JavaScript expression in the page (promises awaited)."""
        self.page.set_default_timeout((timeout or self.timeout) * 1000)
        try:
            return self.page.evaluate(expression)
        except self.Error as exc:
            raise BrowserError(f"script failed: {str(exc).strip().splitlines()[0]}") from exc
        finally:
            self.page.set_default_timeout(self.timeout * 1000)

    def wait(self, seconds: float) -> None:
        """Let the page run for ``seconds`` (late console messages arrive meanwhile)."""
        self.page.wait_for_timeout(seconds * 1000)

    def move_pointer(self, x: float, y: float) -> None:
        """Move the mouse to (x, y) CSS px of the window (pointermove and mousemove events)."""
        self.page.mouse.move(x, y)

    def screenshot(self) -> bytes:
        """PNG of the window as it is (the viewport, not the whole page)."""
        return self.page.screenshot(type="png", animations="allow", caret="initial", scale="css")

    def close(self):
        try:
            self._browser.close()
        except Exception:
            pass
        self._pw.stop()


# ---------------------------------------------------------------- static link check
class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (tag.attr, value)
        self.refresh: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag in ("a", "span", "div", "section", "dt", "p") else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a" and a.get("href") is not None:
            self.refs.append(("a.href", a["href"]))
        elif tag == "link" and a.get("href") and "preconnect" not in (a.get("rel") or ""):
            self.refs.append(("link.href", a["href"]))
        elif tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.refs.append((f"{tag}.src", a["src"]))
        elif tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)", a.get("content") or "", re.I)
            if m:
                self.refresh = m.group(1).strip().strip("'\"")
                self.refs.append(("meta.refresh", self.refresh))


_parsed: dict[Path, _Links] = {}


def parse(path: Path) -> _Links:
    if path not in _parsed:
        p = _Links()
        p.feed(path.read_text(encoding="utf-8", errors="replace"))
        _parsed[path] = p
    return _parsed[path]


def check_links(page: Path, root: Path) -> list[str]:
    problems = []
    for where, ref in parse(page).refs:
        parts = urlsplit(ref)
        if parts.scheme or ref.startswith("//") or ref.startswith("data:"):
            continue  # external (not reachable offline) or inline data
        path, frag = unquote(parts.path), unquote(parts.fragment)
        target = page if path == "" else (page.parent / path).resolve()
        if path.endswith("/") or (target.is_dir() and path):
            target = target / "index.html"
        try:
            target.relative_to(root.resolve())
        except ValueError:
            problems.append(f"link {ref!r} ({where}) leaves the build folder")
            continue
        if not target.is_file():
            problems.append(f"broken link {ref!r} ({where}): {target.relative_to(root.resolve())} missing")
        elif frag and target.suffix == ".html" and frag not in parse(target).ids:
            problems.append(
                f"broken anchor {ref!r} ({where}): no id {frag!r} in {target.relative_to(root.resolve())}"
            )
    return problems


# ---------------------------------------------------------------- numbering
def _thesis_equations() -> dict[str, str]:
    """THESIS_EQUATIONS of book_ext/thesis_numbers.py (read without importing Sphinx)."""
    src = Path(__file__).resolve().parents[1] / "book_ext" / "thesis_numbers.py"
    if not src.is_file():
        return {}
    for node in ast.parse(src.read_text()).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if getattr(target, "id", None) == "THESIS_EQUATIONS":
                return ast.literal_eval(node.value)
    return {}


THESIS_EQUATIONS = _thesis_equations()
_EQNO = re.compile(r'<div class="math[^"]*" id="equation-([^"]+)">\s*<span class="eqno">\(([^)<]*)\)')
_EQREF = re.compile(r'<a class="reference internal" href="[^"#]*#equation-([^"]+)">\(([^)<]*)\)</a>')
_EXERCISE_NUMBER = re.compile(r"Exercise(?:\s|&nbsp;|&#160;)+(\d+\.\d+\.\d+)\b")


def numbering_problems(page: Path, seen: set[str]) -> list[str]:
    """The thesis's equations show their thesis number at the equation and in every
    reference; every other equation has a three-level number (2.1.1), so it cannot be
    mistaken for a thesis number (1.1); no exercise is numbered like a theorem (d.d.d).
    Labels of thesis equations found at their equation are added to `seen`."""
    text = page.read_text(encoding="utf-8", errors="replace")
    problems = []
    for label, number in _EQNO.findall(text):
        want = THESIS_EQUATIONS.get(label)
        if want is not None:
            seen.add(label)
            if number != want:
                problems.append(f"thesis equation {label} is numbered ({number}), the thesis has ({want})")
        elif number.count(".") != 2:
            problems.append(
                f"equation {label} is numbered ({number}): only the thesis's equations have two-level numbers"
            )
    for label, number in _EQREF.findall(text):
        want = THESIS_EQUATIONS.get(label)
        if want is not None and number != want:
            problems.append(f"reference to thesis equation {label} reads ({number}), not ({want})")
    for number in sorted(set(_EXERCISE_NUMBER.findall(text))):
        problems.append(f"'Exercise {number}' is numbered like a theorem (want e.g. 1.1.A)")
    return problems


# ---------------------------------------------------------------- explorers
def explorer_problems(browser: Browser, rel: str) -> tuple[int, list[str]]:
    """(g) Move the pointer over each latent-space explorer of the loaded page, to a point left
    below and one right above its centre; the grid index and the digit's pixels must change."""
    problems, k = [], 0
    while True:
        state = browser.evaluate(f"({EXPLORER_STATE.strip()})({k})")
        if state.get("box") is None:
            if k < state.get("count", 0):
                problems.append(f"explorer {k + 1}: no plot or no canvas")
                k += 1
                continue
            break
        if not state.get("ready"):
            problems.append(f"explorer {k + 1}: its script did not run (no data-ready)")
        seen = [(state["index"], state["pixels"])]
        left, top, width, height = state["box"]
        for fx, fy in ((0.3, 0.7), (0.7, 0.3)):
            browser.move_pointer(left + fx * width, top + fy * height)
            after = browser.evaluate(f"({EXPLORER_STATE.strip()})({k})")
            seen.append((after["index"], after["pixels"]))
        if len({s[0] for s in seen}) < 3:
            problems.append(
                f"explorer {k + 1}: the grid index did not follow the pointer ({[s[0] for s in seen]})"
            )
        elif len({s[1] for s in seen}) < 2:
            problems.append(f"explorer {k + 1}: the digit shown did not change as the pointer moved")
        k += 1
    if rel in EXPLORER_PAGES and k == 0:
        problems.append("no latent-space explorer (div.ae-latent-explorer) on this page")
    return k, problems


# ---------------------------------------------------------------- console messages
def console_problems(messages: list[str]) -> tuple[list[str], list[str]]:
    """The messages that are errors of the book, and those ALLOWED_CONSOLE lets pass."""
    bad, allowed = [], []
    for text in messages:
        why = next((w for rx, w in ALLOWED_CONSOLE if re.search(rx, text)), None)
        (allowed if why else bad).append(text[:200])
    return bad, allowed


# ---------------------------------------------------------------- main
def find_chromium(explicit: str | None) -> str | None:
    for cand in (
        ([explicit] if explicit else [])
        + [os.environ.get("CHROMIUM", "")]
        + ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
    ):
        if cand and (shutil.which(cand) or (os.path.isfile(cand) and os.access(cand, os.X_OK))):
            return shutil.which(cand) or cand
    return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default="_build/html", help="built HTML folder")
    ap.add_argument(
        "--screenshot",
        action="append",
        default=[],
        metavar="PAGE",
        help="page (relative to the build folder) to save a PNG of; repeatable. "
        "Default: the root page and the first page with math and an image",
    )
    ap.add_argument("--screenshot-dir", default=None, help="default: <build>/../screenshots")
    ap.add_argument(
        "--theme",
        choices=["light", "dark"],
        default="light",
        help="colour theme for the screenshots (the checks run in light)",
    )
    ap.add_argument(
        "--screenshot-all",
        action="store_true",
        help="screenshot every page, light and dark, at every width (slow; not in make test)",
    )
    ap.add_argument(
        "--max-height",
        type=int,
        default=20000,
        help="screenshots are cut at this height in px (default 20000)",
    )
    ap.add_argument(
        "--widths",
        default=",".join(map(str, WIDTHS)),
        help="comma-separated window widths in CSS px to check every page at "
        "(default %(default)s: a laptop and a phone)",
    )
    ap.add_argument(
        "--no-thesis-numbers",
        dest="thesis_numbers",
        action="store_false",
        help="do not require the thesis's equations (1.1)-(1.6) to be in the pages "
        "(for checking a folder that is not the book)",
    )
    ap.add_argument("--chromium", default=None, help="browser binary (default: $CHROMIUM or chromium)")
    ap.add_argument("--page-timeout", type=float, default=20.0, help="seconds per page load")
    ap.add_argument("--math-timeout", type=float, default=10.0, help="seconds to wait for MathJax")
    args = ap.parse_args(argv)
    widths = [int(w) for w in args.widths.split(",") if w.strip()]

    root = Path(args.build)
    if not (root / "index.html").is_file():
        print(f"ERROR: {root}/index.html not found: build the book first (make book)", file=sys.stderr)
        return 2
    root = root.resolve()
    shots_dir = Path(args.screenshot_dir) if args.screenshot_dir else root.parent / "screenshots"

    binary = find_chromium(args.chromium)
    if not binary:
        print(
            "ERROR: no Chromium found (looked for $CHROMIUM, chromium, chromium-browser, "
            f"google-chrome). Install it with:\n    {APT_HINT}",
            file=sys.stderr,
        )
        return 2

    pages = sorted(
        p
        for p in root.rglob("*.html")
        if not (set(p.relative_to(root).parts[:-1]) & SKIP_DIRS)
        and p.name not in SKIP_PAGES
        and not p.relative_to(root).parts[0].startswith("_")
    )
    try:
        browser = Browser(binary, timeout=args.page_timeout)
        browser.set_width(widths[0])
        order = list(widths)  # widths in the order the next page is measured at
    except (BrowserError, OSError) as exc:
        print(f"ERROR: could not start Chromium ({binary}): {exc}\n    {APT_HINT}", file=sys.stderr)
        return 2

    script = PAGE_SCRIPT % {"mj_timeout": int(args.math_timeout * 1000), "img_timeout": 5000}
    passed = failed = 0
    numbering_seen: set[str] = set()
    reports: dict[str, dict] = {}
    t_start = time.monotonic()
    try:
        for page in pages:
            rel = page.relative_to(root).as_posix()
            problems = check_links(page, root)
            problems += numbering_problems(page, numbering_seen)
            info = parse(page)
            if info.refresh is not None:  # jupyter-book's index.html: a bare redirect
                status = "FAIL" if problems else "ok"
                print(
                    f"{status:4} {rel}  (redirect to {info.refresh})"
                    + "".join(f"\n       - {p}" for p in problems)
                )
                passed, failed = (passed + 1, failed) if not problems else (passed, failed + 1)
                continue
            browser.messages()  # drop leftovers of the last page
            t_page = time.monotonic()
            if not browser.load(page.as_uri(), args.page_timeout):
                problems.append(f"page did not finish loading in {args.page_timeout:.0f} s")
            t_load = time.monotonic() - t_page
            try:
                rep = browser.evaluate(script, timeout=args.page_timeout + args.math_timeout + 10) or {}
            except BrowserError as exc:
                problems.append(f"check {exc}")
                rep = {}
            # (g) the explorers follow the pointer (at the width the page was loaded at)
            try:
                n_explorers, found = explorer_problems(browser, rel)
            except BrowserError as exc:
                n_explorers, found = 0, [f"explorer check {exc}"]
            problems += found
            # (e) nothing cut off, at every window width: first at the width the page was
            # loaded at, then at the others; the next page loads at the last one (a resize
            # lays a long page out again, which costs more than the measurement).
            for k, width in enumerate(order):
                if k:
                    browser.set_width(width)
                clip = browser.evaluate(CLIP_SCRIPT_AFTER_LAYOUT)
                problems += [f"clipped at {width} px: {b}" for b in clip.get("bad", [])]
                if width == FIGURE_WIDTH:  # (i) figures you can read, at the laptop width
                    small = browser.evaluate(FIGURE_SCRIPT) or []
                    problems += [f"figure too small to read at {width} px: {f}" for f in small]
            order = order[-1:] + order[:-1]
            browser.wait(0.05)
            messages = browser.messages()
            reports[rel] = rep
            # (a) math
            has_math = rep.get("mathElements", 0) > 0 or rep.get("raw")
            if has_math and rep.get("mathjax") != "ok":
                problems.append(f"page has math but MathJax {rep.get('mathjax')}")
            if rep.get("mathUnrendered"):
                problems.append(f"{rep['mathUnrendered']} of {rep['mathElements']} math elements not typeset")
            for r in rep.get("raw", []):
                problems.append(f"raw TeX in text: {r}")
            for m in rep.get("merror", []):
                problems.append(f"MathJax error: {m}")
            # (h) markup
            for r in rep.get("rawMarkup", []):
                problems.append(f"raw markup in text: {r}")
            # (b) images
            for src in rep.get("badImages", []):
                problems.append(f"image did not load: {src}")
            # (d) console
            bad, allowed = console_problems(messages)
            problems += [f"console: {b}" for b in bad]
            n_img = sum(1 for w, _ in info.refs if w == "img.src")
            note = (
                f"{rep.get('mjx', 0)} math, {n_img} img; load {t_load:.1f} s, "
                f"total {time.monotonic() - t_page:.1f} s"
            )
            if n_explorers:
                note += f", {n_explorers} explorer(s)"
            if allowed:
                note += f", {len(allowed)} allowed console msg"
            if problems:
                failed += 1
                print(f"FAIL {rel}  ({note})" + "".join(f"\n       - {p}" for p in problems))
            else:
                passed += 1
                print(f"ok   {rel}  ({note})")
            sys.stdout.flush()

        # numbering: every thesis equation is in the book, under its thesis number
        for label, number in sorted(THESIS_EQUATIONS.items() if args.thesis_numbers else ()):
            if label not in numbering_seen:
                failed += 1
                print(f"FAIL thesis equation {label} ({number}) not found at its equation in any page")
        t_check = time.monotonic() - t_start
        # screenshots
        if args.screenshot_all:
            wanted = [
                (rel, theme, width) for rel in reports for theme in ("light", "dark") for width in widths
            ]
        else:
            wanted = [
                (rel, args.theme, widths[0]) for rel in (args.screenshot or default_screenshots(reports))
            ]
        if wanted:
            shots_dir.mkdir(parents=True, exist_ok=True)
        for rel, theme, width in wanted:
            page = root / rel
            if not page.is_file():
                print(f"FAIL screenshot: {rel} does not exist")
                failed += 1
                continue
            suffix = f"-{theme}" + ("" if width == widths[0] else f"-{width}")
            out = shots_dir / (rel.replace("/", "__").removesuffix(".html") + suffix + ".png")
            screenshot(browser, page, out, theme, width, args.page_timeout, args.max_height)
            print(f"screenshot {rel} -> {out}")
    finally:
        browser.close()
    print(
        f"checked {len(pages)} pages at {len(widths)} width(s) "
        f"({', '.join(map(str, widths))} px) in {t_check:.1f} s"
    )
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def screenshot(
    browser: Browser, page: Path, out: Path, theme: str, width: int, timeout: float, max_height: int
) -> None:
    """PNG of the whole page (up to max_height px) in a colour theme at a window width."""
    browser.set_width(width)
    browser.load(page.as_uri(), timeout)
    browser.evaluate(
        f"(async () => {{ document.documentElement.dataset.theme = '{theme}';"
        f" document.documentElement.dataset.mode = '{theme}';"
        " if (window.MathJax && MathJax.startup) await MathJax.startup.promise;"
        " await new Promise(r => setTimeout(r, 300)); })()"
    )
    height = int(browser.evaluate("document.documentElement.scrollHeight"))
    # Grow the viewport to the page instead of capturing beyond it (which lays the
    # page out again at another width and shifts it sideways).
    browser.set_width(width, min(height, max_height))
    browser.evaluate("(() => { window.scrollTo(0, 0); return new Promise(r => setTimeout(r, 300)); })()")
    png = browser.screenshot()
    browser.set_width(width)
    out.write_bytes(png)


def default_screenshots(reports: dict[str, dict]) -> list[str]:
    ordered = list(reports)
    first = next((p for p in ordered if p.endswith("intro.html")), ordered[0] if ordered else None)
    fig = next(
        (
            p
            for p, r in reports.items()
            if r.get("mjx") and p != first and any(w == "img.src" for w, _ in parse_cache_refs(p))
        ),
        None,
    )
    return [p for p in (first, fig) if p]


def parse_cache_refs(rel: str):
    for path, info in _parsed.items():
        if path.as_posix().endswith("/" + rel):
            return info.refs
    return []


if __name__ == "__main__":
    sys.exit(main())
