"""One setting, ``repository.url`` in ``_config.yml``, decides every link to the repository.

While it is the placeholder (``https://github.com/ae-book/ae-book``) or empty, every link
that depends on it would be dead: the "Open in Colab" and "Open in Binder" buttons, the
repository button, the Colab install cell and the thesis map's links to the tests on
GitHub.  So the build leaves them out and prints one line saying so; with a real address
they appear.  ``tools/gen_pages.py`` and ``tools/colab_cell.py`` ask ``repository_url()``
the same question, so the three agree.

As a Sphinx extension (``sphinx: local_extensions`` in ``_config.yml``) this turns on the
repository button and the launch buttons when the address is real, and switches them off
otherwise.  The functions are plain Python so that the tools and the tests can use them.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The address the project was started with: no repository lives there.
PLACEHOLDERS = frozenset({"https://github.com/ae-book/ae-book"})

#: Launch-button settings that need a public repository.
LAUNCH_KEYS = ("binderhub_url", "colab_url", "jupyterhub_url", "thebe")


def is_live(url: str | None) -> bool:
    """True if `url` is a real repository address (not empty, not the placeholder)."""
    url = (url or "").strip().rstrip("/")
    if url.endswith(".git"):
        url = url[:-4]
    return bool(url) and url not in PLACEHOLDERS


def repository_url(config_path: Path | str | None = None) -> str | None:
    """The repository address of ``_config.yml`` if it is real, else None."""
    import yaml

    path = Path(config_path) if config_path else ROOT / "_config.yml"
    url = ((yaml.safe_load(path.read_text()) or {}).get("repository") or {}).get("url")
    return url.strip().rstrip("/") if is_live(url) else None


def theme_options(options: dict, url: str | None) -> dict:
    """sphinx-book-theme options for the repository address `url`.

    With a real address: the repository button on, the launch buttons as configured.
    Otherwise: no repository button, no launch buttons, no repository URL (the
    download button does not need one and stays).
    """
    out = dict(options)
    launch = dict(out.get("launch_buttons") or {})
    if is_live(url):
        out["repository_url"] = url.strip().rstrip("/")
        out["use_repository_button"] = True
        if str(out.get("path_to_docs", "")).strip("/") in ("", "."):
            out["path_to_docs"] = ""  # the book is the repository root: no "/./" in links
    else:
        for key in LAUNCH_KEYS:
            launch.pop(key, None)
        out.pop("repository_url", None)
        for key in (
            "use_repository_button",
            "use_issues_button",
            "use_edit_page_button",
            "use_source_button",
        ):
            out[key] = False
    out["launch_buttons"] = launch
    return out


PLACEHOLDER_NOTE = (
    "WARNING (not an error): repository.url in _config.yml is {url!r}, a placeholder: the "
    "Colab/Binder launch buttons, the repository button and the GitHub links are left "
    "out until it names the real repository."
)


def _config_inited(app, config):
    from sphinx.util import logging

    opts = config.html_theme_options or {}
    url = opts.get("repository_url")
    config.html_theme_options = theme_options(opts, url)
    if not is_live(url):
        # One line, as info: a strict build (-W) must still pass with the placeholder.
        logging.getLogger(__name__).info(PLACEHOLDER_NOTE.format(url=url or ""))


def setup(app):
    app.connect("config-inited", _config_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
