"""The browser check (tools/check_book.py) fails on a page whose wide math or output is cut
off, and passes once the same blocks scroll in their own box; it reports JavaScript errors and
local files that fail to load, but not remote hosts (the network is closed); its numbering
check fails on an exercise numbered like a theorem.

Needs Chromium (Debian: `apt-get install chromium`); CI has it (.ci/run installs it), so
these tests are skipped only on a machine without a browser.
"""

import pytest
from _tools import load_tool

CHECK = load_tool("check_book")
needs_chromium = pytest.mark.skipif(
    CHECK.find_chromium(None) is None,
    reason="no Chromium on this machine (CI installs it): the clip check runs in a browser",
)

WIDE = "x" * 400  # far wider than a 390 px phone and a 1280 px window's column

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body {{ margin: 0; font: 16px sans-serif; }}
  article.bd-article {{ max-width: 600px; margin: 0 auto; padding: 0 16px; }}
  mjx-container[display="true"] {{ display: block; {math_css} }}
  mjx-math {{ display: inline-block; white-space: nowrap; }}
  pre {{ {pre_css} }}
  .box {{ {box_css} }}
</style></head><body><main><article class="bd-article">
<h1>A page</h1>
<div class="box"><mjx-container class="MathJax" jax="CHTML" display="true"><mjx-math>{wide}</mjx-math></mjx-container></div>
<div class="cell_output"><pre>{wide}</pre></div>
<pre>{wide}</pre>
<table><tr><td>{wide}</td></tr></table>
</article></main></body></html>
"""


def _run(tmp_path, capsys, **css):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE.format(wide=WIDE, **css))
    rc = CHECK.main([str(site), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "shots")])
    return rc, capsys.readouterr().out


@needs_chromium
def test_clipped_blocks_fail(tmp_path, capsys):
    """Math cut off by an overflow:hidden box, and a cell output, a <pre> and a table running past the
    column (overflow visible), fail at both widths."""
    rc, out = _run(
        tmp_path,
        capsys,
        math_css="overflow: visible;",
        pre_css="overflow: visible;",
        box_css="overflow: hidden;",
    )
    assert rc == 1, out
    for width in (1280, 390):
        assert f"clipped at {width} px: math" in out and "overflow hidden" in out, out
        assert f"clipped at {width} px: output" in out and "beyond the column" in out, out
        assert f"clipped at {width} px: pre" in out, out
        assert f"clipped at {width} px: table" in out, out


@needs_chromium
def test_scrolling_blocks_pass(tmp_path, capsys):
    """The same blocks pass when each scrolls horizontally inside the column."""
    rc, out = _run(
        tmp_path,
        capsys,
        math_css="overflow-x: auto; max-width: 100%;",
        pre_css="overflow-x: auto; max-width: 100%;",
        box_css="",
    )
    assert "clipped at 1280 px: math" not in out and "clipped at 390 px: pre" not in out, out
    # the table is the one block left unwrapped: it must still be reported
    assert "clipped at 390 px: table" in out, out
    assert rc == 1


@needs_chromium
def test_all_fixed_passes(tmp_path, capsys):
    site = tmp_path / "site"
    site.mkdir()
    page = PAGE.format(wide=WIDE, math_css="overflow-x: auto;", pre_css="overflow-x: auto;", box_css="")
    page = page.replace("<table>", '<div style="overflow-x: auto"><table>').replace(
        "</table>", "</table></div>"
    )
    (site / "index.html").write_text(page)
    rc = CHECK.main([str(site), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "shots")])
    out = capsys.readouterr().out
    assert rc == 0, out


ERRORS = """<!doctype html><html><head><meta charset="utf-8"></head><body><main><article class="bd-article">
<p>A page</p><img src="missing.png">
<script>console.error("bad thing", 42)</script>
<script>throw new TypeError("boom")</script>
<script src="_static/missing.js"></script>
<script src="https://cdn.example.org/x.js"></script>
</article></main></body></html>
"""


@needs_chromium
def test_errors_are_reported(tmp_path, capsys):
    """Console errors, uncaught exceptions, a local file that fails to load and a broken image
    fail the page; the remote script (the network is closed) is an allowed message."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(ERRORS)
    rc = CHECK.main([str(site), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "shots")])
    out = capsys.readouterr().out
    assert rc == 1, out
    assert "console: console.error: bad thing 42" in out, out
    assert "console: uncaught TypeError: boom" in out, out
    assert (
        "console: Failed to load resource: net::ERR_FILE_NOT_FOUND file://" in out and "missing.js" in out
    ), out
    assert "image did not load: missing.png" in out and "broken link 'missing.png'" in out, out
    assert "ERR_NAME_NOT_RESOLVED" not in out and "1 allowed console msg" in out, out
    assert (tmp_path / "shots" / "index-light.png").is_file()


def test_console_problems_allow_remote_hosts_only():
    bad, allowed = CHECK.console_problems(
        [
            "Failed to load resource: net::ERR_NAME_NOT_RESOLVED https://cdn.example.org/x.js",
            "Failed to load resource: net::ERR_FILE_NOT_FOUND file:///book/_static/x.js",
            "uncaught TypeError: boom",
        ]
    )
    assert allowed == ["Failed to load resource: net::ERR_NAME_NOT_RESOLVED https://cdn.example.org/x.js"]
    assert bad == [
        "Failed to load resource: net::ERR_FILE_NOT_FOUND file:///book/_static/x.js",
        "uncaught TypeError: boom",
    ]


def test_numbering_flags_theorem_like_exercise_numbers(tmp_path):
    """'Exercise 1.1.1' fails, 'Exercise 1.1.A' passes; a thesis equation must carry its thesis
    number, and a book equation three levels."""
    page = tmp_path / "p.html"
    page.write_text(
        '<p class="admonition-title"><span class="caption-number">Exercise 1.1.1 </span></p>'
        '<div class="math notranslate nohighlight" id="equation-eq-gd">\n'
        '<span class="eqno">(1.2.1)<a class="headerlink" href="#equation-eq-gd">#</a></span></div>'
        '<div class="math notranslate nohighlight" id="equation-eq-book">\n'
        '<span class="eqno">(2.1)<a class="headerlink" href="#equation-eq-book">#</a></span></div>'
        '<a class="reference internal" href="#equation-eq-gd">(1.2.1)</a>'
    )
    seen = set()
    problems = CHECK.numbering_problems(page, seen)
    assert seen == {"eq-gd"}
    assert any("Exercise 1.1.1" in p for p in problems)
    assert any("eq-gd is numbered (1.2.1), the thesis has (1.4)" in p for p in problems)
    assert any("eq-book is numbered (2.1)" in p for p in problems)
    assert any("reference to thesis equation eq-gd" in p for p in problems)
    page.write_text(
        '<span class="caption-number">Exercise 1.1.A </span>'
        '<div class="math notranslate nohighlight" id="equation-eq-gd">\n<span class="eqno">(1.4)</span></div>'
        '<a class="reference internal" href="#equation-eq-gd">(1.4)</a>'
    )
    assert CHECK.numbering_problems(page, set()) == []


def _explorer_site(tmp_path, html, rel="index.html"):
    site = tmp_path / "site"
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    page = (
        '<!doctype html><html><head><meta charset="utf-8"></head><body><main><article class="bd-article">'
        f"<p>A page</p>{html}</article></main></body></html>"
    )
    (site / rel).write_text(page)
    if rel != "index.html":
        (site / "index.html").write_text("<!doctype html><html><body><p>root</p></body></html>")
    return site


def _explorer_html():
    import numpy as np

    import ae_lib as ae

    X = (np.random.default_rng(0).random((20, 64)) > 0.5).astype(float)
    return ae.latent_explorer(ae.VAE(64, 2, (8,), seed=0), X, np.arange(20) % 10, grid=9)


@needs_chromium
def test_explorer_follows_the_pointer(tmp_path, capsys):
    """An explorer of ae.latent_explorer passes: moving the pointer over it changes the digit shown;
    without its script it fails, and so does a page of EXPLORER_PAGES that has none."""
    html = _explorer_html()
    rc = CHECK.main(
        [
            str(_explorer_site(tmp_path / "a", html)),
            "--no-thesis-numbers",
            "--screenshot-dir",
            str(tmp_path / "s"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0 and "1 explorer(s)" in out, out
    broken = html.replace("<script>", "<script>/*", 1).replace("})();</script>", "})();*/</script>")
    rc = CHECK.main(
        [
            str(_explorer_site(tmp_path / "b", broken)),
            "--no-thesis-numbers",
            "--screenshot-dir",
            str(tmp_path / "s"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 1 and "explorer 1: its script did not run" in out, out
    rel = sorted(CHECK.EXPLORER_PAGES)[0]
    rc = CHECK.main(
        [
            str(_explorer_site(tmp_path / "c", "<p>no explorer</p>", rel)),
            "--no-thesis-numbers",
            "--screenshot-dir",
            str(tmp_path / "s"),
        ]
    )
    out = capsys.readouterr().out
    assert rc == 1 and "no latent-space explorer" in out, out


def _site(tmp_path, body, files=None):
    site = tmp_path / "site"
    site.mkdir(parents=True)
    head = '<!doctype html><html><head><meta charset="utf-8"><style>article.bd-article{max-width:690px}</style></head>'
    (site / "index.html").write_text(
        f'{head}<body><main><article class="bd-article">{body}</article></main></body></html>'
    )
    for name, data in (files or {}).items():
        (site / name).write_bytes(data)
    return site


def _png(width_px: int) -> bytes:
    """A blank PNG figure of the given pixel width (at the figure style's 150 dpi: width_px / 150 in)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(width_px / 150, 1), dpi=150)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


@needs_chromium
def test_figures_wider_than_the_column_allows_fail(tmp_path, capsys):
    """(i) A 7 in figure at 150 dpi in a 690 px column passes; a 10 in one is shown at too few
    pixels per inch for its 9.5 pt text and fails."""
    for inches, rc_want in ((7, 0), (10, 1)):
        site = _site(
            tmp_path / str(inches),
            '<div class="cell_output"><img src="fig.png" style="max-width:100%"></div>',
            {"fig.png": _png(inches * 150)},
        )
        rc = CHECK.main([str(site), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "shots")])
        out = capsys.readouterr().out
        assert rc == rc_want, out
        assert ("figure too small to read at 1280 px" in out) == bool(rc_want)


@needs_chromium
def test_raw_markup_fails(tmp_path, capsys):
    """(h) A reST role or MyST role left as text fails; the same characters in code pass."""
    bad = _site(tmp_path / "bad", "<p>See :class:`~ae_lib.VAE` for the model.</p>")
    assert CHECK.main([str(bad), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "s")]) == 1
    assert "raw markup in text" in capsys.readouterr().out
    good = _site(tmp_path / "good", "<p>Write <code>:class:`X`</code> in a docstring.</p>")
    assert CHECK.main([str(good), "--no-thesis-numbers", "--screenshot-dir", str(tmp_path / "s")]) == 0
