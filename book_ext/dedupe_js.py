"""Drop repeated <script> entries from every page.

Jupyter Book 1.0.4 runs sphinx-thebe's and sphinx-togglebutton's set-up twice, so each
page declares ``const THEBE_JS_URL`` twice and the browser reports
"SyntaxError: Identifier 'THEBE_JS_URL' has already been declared" on every page
(tools/check_book.py finds it).  Keeping the first of identical entries fixes that.
"""


def _key(script):
    attrs = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
    return (str(getattr(script, "filename", script) or ""), attrs)


def _dedupe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
