"""The preview page: the letter as the HTML exporter wrote it, with the check's panel beside it.

The page is the exported letter with three things added: a banner for the failed rebuild's
paragraph (shown over the last good letter), a side panel of the check's findings (placeholders
and identifiers first), and a small script. The script opens a websocket at an address built
from the page's own location, so the preview works behind a path-rewriting proxy (JupyterHub's
jupyter-server-proxy) as well as on 127.0.0.1. On each new version it fetches the letter's
body and the panel and swaps them in place, so the reader keeps their scroll position. Every
value from the case is escaped here; the letter itself comes escaped from the exporter.
"""

from __future__ import annotations

import html
import json
from typing import Any

from caseletter.preview.session import Snapshot

FIRST_KINDS = ("placeholder", "identifier")
SEVERITY_ORDER = {"error": 0, "warning": 1, "note": 2}
MAIN_OPEN = '<main class="letter">'
MAIN_CLOSE = "</main>"

PANEL_CSS = """
#cl-preview{position:fixed;top:0;right:0;bottom:0;width:23rem;overflow:auto;background:#f7f7f9;
border-left:1px solid #ddd;font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;
padding:.75rem 1rem;box-sizing:border-box}
body.cl-previewing{margin-right:24rem}
#cl-preview h2{font-size:1rem;margin:.25rem 0 .5rem}
#cl-preview ol{padding-left:1.2rem;margin:.25rem 0}
#cl-preview li{margin:.4rem 0}
#cl-preview .where{font-family:ui-monospace,monospace;font-size:12px;color:#444}
#cl-preview .error{color:#b00020;font-weight:600}#cl-preview .warning{color:#8a5a00;font-weight:600}
#cl-preview .note{color:#1f5f8b}
#cl-preview .status{padding:.35rem .5rem;border-radius:4px;background:#e7f5ea}
#cl-preview .status.draft{background:#fff4d6}#cl-preview .status.failed,#cl-preview .status.blocked{background:#fde8ea}
#cl-preview .downloads a{margin-right:.75rem}#cl-preview .todo{color:#444}
#cl-error{position:sticky;top:0;z-index:2;background:#fde8ea;border:1px solid #b00020;color:#5c0010;
padding:.6rem .8rem;margin:0 0 1rem;border-radius:4px;font:14px/1.45 system-ui,sans-serif;white-space:pre-wrap}
#cl-error[hidden]{display:none}
@media (max-width:60rem){#cl-preview{position:static;width:auto;border-left:0;border-top:1px solid #ddd}
body.cl-previewing{margin-right:auto}}
@media print{#cl-preview,#cl-error{display:none}body.cl-previewing{margin-right:auto}}
"""

SCRIPT = """
(function () {
  var here = new URL('.', location.href);
  var shown = Number(document.body.getAttribute('data-cl-version'));
  var busy = false, wanted = 0;
  function socketUrl() {
    var u = new URL('events', here);
    u.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return u.href;
  }
  function update(ws) {
    if (busy) return;
    busy = true;
    fetch(new URL('update', here), {cache: 'no-store'}).then(function (r) { return r.json(); }).then(function (u) {
      var y = window.scrollY;
      var main = document.querySelector('main.letter');
      if (main && u.main !== null) main.innerHTML = u.main;
      document.getElementById('cl-panel').innerHTML = u.panel;
      var banner = document.getElementById('cl-error');
      banner.textContent = u.error || '';
      banner.hidden = !u.error;
      window.scrollTo(0, y);
      shown = u.version;
      document.body.setAttribute('data-cl-version', String(shown));
      if (ws.readyState === 1) ws.send(JSON.stringify({shown: shown}));
    }).finally(function () {
      busy = false;
      if (wanted > shown) update(ws);
    });
  }
  function connect() {
    var ws = new WebSocket(socketUrl());
    ws.onmessage = function (ev) {
      wanted = JSON.parse(ev.data).version;
      if (wanted > shown) update(ws);
    };
    ws.onclose = function () { setTimeout(connect, 1000); };
  }
  connect();
})();
"""

EMPTY_LETTER = (
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview</title></head><body>"
    f"{MAIN_OPEN}<p>No letter yet: the first build has not finished, or it failed (see above).</p>"
    f"{MAIN_CLOSE}</body></html>"
)


def page_html(snapshot: Snapshot, case_name: str, nonce: str = "") -> str:
    """The whole page for a first visit: the letter, the banner, the panel and the script.

    `nonce` marks the page's own script, the only one its content security policy lets run.
    """
    letter = snapshot.letter or EMPTY_LETTER
    head_end = letter.find("</head>")
    letter = letter[:head_end] + f"<style>{PANEL_CSS}</style>" + letter[head_end:]
    body_start = letter.find("<body>")
    body_end = letter.rfind("</body>")
    main = letter.find(MAIN_OPEN, body_start)
    banner = f'<div id="cl-error" role="alert"{"" if snapshot.error else " hidden"}>{e(snapshot.error or "")}</div>'
    panel = (
        f'<aside id="cl-preview" aria-label="Check"><div id="cl-panel">{panel_html(snapshot, case_name)}</div></aside>'
    )
    return "".join([
        letter[:body_start], f'<body class="cl-previewing" data-cl-version="{snapshot.version}">',
        letter[body_start + len("<body>"):main], banner, letter[main:body_end], panel,
        f'<script nonce="{e(nonce)}">{SCRIPT}</script>', letter[body_end:],
    ])


def update_json(snapshot: Snapshot, case_name: str) -> str:
    """What the script swaps in on a new version: the letter's body, the panel, the error."""
    return json.dumps({
        "version": snapshot.version, "main": letter_body(snapshot.letter), "error": snapshot.error,
        "panel": panel_html(snapshot, case_name),
    })


def letter_body(letter: str | None) -> str | None:
    """The inside of the letter's ``<main>`` element (the exporter writes one)."""
    if letter is None:
        return None
    start = letter.find(MAIN_OPEN)
    end = letter.rfind(MAIN_CLOSE)
    return letter[start + len(MAIN_OPEN):end] if 0 <= start < end else None


def panel_html(snapshot: Snapshot, case_name: str) -> str:
    """The check beside the letter: status, downloads, then the findings, most pressing first."""
    findings = sorted(snapshot.findings, key=finding_rank)
    status = STATUS_WORDS.get(snapshot.status, snapshot.status or "building")
    if snapshot.status == "draft":
        status += f": {sum(f.kind == 'placeholder' for f in findings)} item(s) to complete"
    parts = [
        f"<h2>Check of {e(case_name)}</h2>",
        f'<p class="status {e(snapshot.status)}" id="cl-status">{e(status)}</p>',
        '<p class="downloads">Current state as <a href="letter.docx">DOCX</a><a href="letter.pdf">PDF</a></p>',
    ]
    if findings:
        parts.append("<ol>" + "".join(finding_item(f) for f in findings) + "</ol>")
    elif snapshot.status:
        parts.append("<p>No findings.</p>")
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in snapshot.timings.items())
    if timings:
        parts.append(f'<p class="where">Version {snapshot.version}: {e(timings)}</p>')
    return "".join(parts)


STATUS_WORDS = {
    "passed": "Passed: no errors", "draft": "Draft", "blocked": "Errors to fix before building",
    "failed": "The last save could not be built: the letter shown is the last good one",
}


def finding_rank(finding: Any) -> tuple[int, int]:
    """Placeholders and identifiers first, then errors, warnings and notes."""
    first = FIRST_KINDS.index(finding.kind) if finding.kind in FIRST_KINDS else len(FIRST_KINDS)
    return first, SEVERITY_ORDER.get(finding.severity, 3)


def finding_item(finding: Any) -> str:
    """One finding: severity and kind, field and line, what is wrong, what to do."""
    where = f"{finding.field} (line {finding.line})" if finding.line else finding.field
    return (
        f'<li class="finding {e(finding.kind)}"><span class="{e(finding.severity)}">{e(finding.severity)}</span> '
        f'{e(finding.kind)} · <span class="where">{e(where)}</span><br>{e(sentence(finding.message))}'
        f'{"<br><span class=todo>" + e(finding.suggestion) + "</span>" if finding.suggestion else ""}</li>'
    )


def sentence(text: str) -> str:
    """Text ending with a full stop (findings' messages are written as clauses)."""
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!")) else text + "."


def e(text: Any) -> str:
    """Escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)
