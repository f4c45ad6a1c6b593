"""Records the exact text Flask's Jinja2 environment renders for the templates in
`templates/`, for phial's minijinja-based rendering to compare against byte for byte.

Run: pip install Flask==3.1.3
     python3 templates.py > templates.json

CI does not run this script: its output is checked in. The app uses
`template_folder=templates/`, has the routes `index` (`/`) and `user`
(`/user/<int:id>`), `SITE_NAME` in its config, a context processor giving
`site_year`, a template filter `reverse_words` and a template global `greet`. Every
case renders inside `app.test_request_context("/page?q=hello+world", method="GET")`
with `g.user = "ada"`. The static folder is an empty temporary directory served at
`/static` (Flask adds the `static` route only if the folder exists).

Each case records the template name (or the source, for `render_template_string`), the
context passed to `render_template(_string)` as JSON, `safe_keys` (the context keys
that were wrapped in `markupsafe.Markup`, so the Rust side can mark them safe), and
either `output` (the rendered text) or `error` (exception type, message, template name
and line number: a syntax error carries it, a runtime error's comes from the template
frame Jinja2 puts in the traceback). Dicts keep the JSON's key order, which shows when
a template prints a dict or iterates `|items`. The context is taken from its own JSON
form, so the values rendered are exactly the values recorded. "filters_by_line"
renders each line of filters.html on its own (`render_template_string`, same context,
so autoescaped as .html is), so a test can tell which construct differs. "templates"
holds each template file's text, so a test can check that the checked-in file (CRLF
endings included) is the one recorded. "autoescape" records Flask's
`select_jinja_autoescape` for some file names, "markupsafe_escape" records
`markupsafe.escape` of every printable ASCII character and a few others, and
"environment" the Jinja2 settings Flask leaves in place.
"""

import json
import os
import platform
import sys
import tempfile
import traceback
from importlib.metadata import version

import jinja2
from flask import Flask, g, render_template, render_template_string
from markupsafe import Markup, escape

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "templates")

CONTEXT = {
    "name": "Ada Lovelace",
    "value": "<script>alert(\"x\") & 'y'</script> a/b `c` d=e",
    "trusted": "<em>already safe</em> &amp; <b>bold</b>",
    "data": {
        "b": "<tag>",
        "a": "x & y 'q' \"dq\" \\ /",
        "c": "caf\u00e9 \u2615 \U0001f600",
        "list": [1, [2, "</script>"], {"z": True, "y": None}],
        "num": 1.5,
        "int": 3,
    },
    "items": ["apple", "banana", "cherry"],
    "count": 3,
    "user": {"name": "Ada", "email": "ada@example.com", "age": 36},
    "users": [
        {"name": "Ada", "age": 36, "active": True},
        {"name": "Bob", "age": 25, "active": False},
        {"name": "Cy", "age": 41, "active": True},
    ],
    "scores": {"b": 2, "a": 3, "c": 1},
    "long_text": "The quick brown fox jumps over the lazy dog",
    "none_value": None,
    "price": 19.99,
    "flag": True,
    "err": "none",
}
SAFE_KEYS = ["trusted"]

# (template, overrides of CONTEXT); a case's name is the template plus its overrides
FILE_CASES = [
    ("base.html", {}),
    ("page.html", {}),
    ("page.html", {"count": 1, "items": []}),
    ("page.html", {"count": 11}),
    ("partial.html", {}),
    ("escape.html", {}),
    ("escape.xml", {}),
    ("escape.svg", {}),
    ("escape.txt", {}),
    ("escape.js", {}),
    ("filters.html", {}),
    ("context.html", {}),
    ("newlines.html", {"flag": True}),
    ("newlines.html", {"flag": False}),
    ("undefined.html", {"err": "none"}),
    ("undefined.html", {"err": "attr"}),
    ("undefined.html", {"err": "nested"}),
    ("broken.html", {}),
]

# (name, source, overrides of CONTEXT)
STRING_CASES = [
    ("string: autoescape and globals",
     "Hello {{ name }}! {{ value }} {{ trusted }} {{ url_for('user', id=7) }} {{ request.args.q }}", {}),
    ("string: blocks on their own lines",
     "<ul>\n{% for u in users %}\n  {% if u.active %}\n  <li>{{ u.name }}</li>\n  {% endif %}\n"
     "{% endfor %}\n</ul>\n", {}),
]

AUTOESCAPE_NAMES = ["a.html", "a.htm", "a.xml", "a.xhtml", "a.svg", "a.txt", "a.js", "a.json",
                    "a.css", "a.md", "a.jinja", "a.html.j2", "A.HTML", "a.Html", None]


def make_app(static_folder):
    app = Flask(__name__, template_folder=TEMPLATES, static_folder=static_folder,
                static_url_path="/static")
    app.config["SITE_NAME"] = "Phial & Co <test>"

    @app.route("/")
    def index():
        return "index"

    @app.route("/user/<int:id>")
    def user(id):
        return f"user {id}"

    @app.context_processor
    def add_year():
        return {"site_year": 2024}

    @app.template_filter("reverse_words")
    def reverse_words(text):
        return " ".join(reversed(text.split()))

    @app.template_global()
    def greet(name):
        return f"Hello, {name}!"

    return app


def case_context(overrides):
    context = dict(CONTEXT)
    context.update(overrides)
    # Render exactly what the JSON says.
    as_json = json.loads(json.dumps(context))
    rendered = dict(as_json)
    for key in SAFE_KEYS:
        rendered[key] = Markup(rendered[key])
    return as_json, rendered


def template_lineno(error):
    """The template line Jinja2 put in the rewritten traceback (innermost template frame)."""
    lineno = getattr(error, "lineno", None)
    if lineno is not None:
        return lineno, getattr(error, "name", None)
    found = (None, None)
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.startswith(TEMPLATES + os.sep) or filename == "<template>":
            found = (line, os.path.relpath(filename, TEMPLATES) if filename != "<template>" else None)
    return found


def error_fields(error):
    lineno, name = template_lineno(error)
    return {"type": type(error).__name__, "module": type(error).__module__,
            "message": getattr(error, "message", None) or str(error), "str": str(error),
            "name": name, "lineno": lineno}


def render(app, render_fn, overrides):
    as_json, rendered = case_context(overrides)
    with app.test_request_context("/page?q=hello+world", method="GET"):
        g.user = "ada"
        try:
            result = {"output": render_fn(rendered)}
        except jinja2.TemplateError as error:
            result = {"error": error_fields(error)}
    return as_json, result


def read_templates():
    out = {}
    for name in sorted(os.listdir(TEMPLATES)):
        with open(os.path.join(TEMPLATES, name), "rb") as f:
            out[name] = f.read().decode("utf-8")
    return out


def environment_facts(app):
    env = app.jinja_env
    return {
        "autoescape_is_function": callable(env.autoescape),
        "keep_trailing_newline": env.keep_trailing_newline,
        "trim_blocks": env.trim_blocks,
        "lstrip_blocks": env.lstrip_blocks,
        "newline_sequence": env.newline_sequence,
        "undefined": env.undefined.__name__,
        "auto_reload": env.auto_reload,
        "extensions": sorted(env.extensions),
        "json.dumps_kwargs": env.policies["json.dumps_kwargs"],
        "json.dumps_function": "{}.{}".format(type(env.policies["json.dumps_function"].__self__).__name__,
                                               env.policies["json.dumps_function"].__name__),
        "app_json_provider": {"ensure_ascii": app.json.ensure_ascii, "sort_keys": app.json.sort_keys,
                              "compact": app.json.compact},
        "globals": sorted(env.globals),
        "custom_filters": ["reverse_words"],
        "filters": sorted(env.filters),
        "tests": sorted(env.tests),
    }


def main():
    static_folder = tempfile.mkdtemp(prefix="phial-template-vectors-")
    try:
        app = make_app(static_folder)
        cases = []
        for name, overrides in FILE_CASES:
            context, result = render(app, lambda ctx, name=name: render_template(name, **ctx), overrides)
            label = name + "".join(f" {k}={json.dumps(v)}" for k, v in overrides.items())
            case = {"name": label, "template": name, "context": context, "safe_keys": SAFE_KEYS}
            case.update(result)
            cases.append(case)
        for name, source, overrides in STRING_CASES:
            context, result = render(
                app, lambda ctx, source=source: render_template_string(source, **ctx), overrides)
            case = {"name": name, "source": source, "context": context, "safe_keys": SAFE_KEYS}
            case.update(result)
            cases.append(case)
        filters_by_line = []
        with open(os.path.join(TEMPLATES, "filters.html"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        for number, line in enumerate(lines, 1):
            _, result = render(app, lambda ctx, line=line: render_template_string(line, **ctx), {})
            item = {"line": number, "source": line}
            item.update(result)
            filters_by_line.append(item)
        autoescape = [{"filename": n, "autoescape": app.select_jinja_autoescape(n)}
                      for n in AUTOESCAPE_NAMES]
        facts = environment_facts(app)
    finally:
        os.rmdir(static_folder)
    escape_input = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n\u00a0\u00e9\u2028\U0001f600"
    generator = {
        "flask": version("flask"), "jinja2": version("jinja2"), "markupsafe": version("markupsafe"),
        "werkzeug": version("werkzeug"), "python": platform.python_version(), "platform": sys.platform,
        "request": {"path": "/page?q=hello+world", "method": "GET", "g.user": "ada"},
        "config": {"SITE_NAME": app.config["SITE_NAME"], "DEBUG": app.config["DEBUG"]},
        "context_processor": {"site_year": 2024},
        "filter_note": "reverse_words(text) = ' '.join(reversed(text.split())) (returns a plain str)",
        "global_note": "greet(name) = f'Hello, {name}!' (returns a plain str, so it is escaped)",
        "routes": {"index": "/", "user": "/user/<int:id>", "static": "/static/<path:filename>"},
    }
    print(json.dumps({
        "generator": generator,
        "environment": facts,
        "autoescape": autoescape,
        "markupsafe_escape": {"input": escape_input, "output": str(escape(escape_input))},
        "templates": read_templates(),
        "cases": cases,
        "filters_by_line": filters_by_line,
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
