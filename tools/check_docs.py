#!/usr/bin/env python
r"""Check a built docs site in headless Chromium: `python tools/check_docs.py site`.

The site (from `tools/build_docs.py`, whose `docs_manifest.json` lists the pages) is served on 127.0.0.1.
Each page is loaded in Chromium inside a same-origin frame of a small probe page, whose script reads the
rendered page after its JavaScript ran and MathJax finished typesetting (a callback queued on
`MathJax.Hub.Queue` runs after MathJax's startup and every typeset queued before it); `--dump-dom` hands
the result back. Checked, per page:

- the page renders: its `<title>` and its `<h1>` are the notebook's title, and the article has text besides;
- every symbol documented with `show_doc` in the notebook has its heading on the page;
- every PNG output saved in the notebook is an `<img>` with a `data:image/png` source, decoded by the browser
  (natural size > 0, and drawn on a canvas its pixels are not blank: >= 8 colours, brightness range >= 32)
  and laid out visible (rendered size > 0, not hidden);
- no JavaScript error from the site's own scripts (uncaught errors in the console);
- links between pages point to pages and heading ids that exist (read from the HTML files);
- maths is typeset: MathJax finished, reported no error, and the article's text outside `pre`/`code`
  holds no formula left as TeX (`$...$`, `$$...$$`, `\(...\)`, `\[...\]`);
- API docs: each `show_doc` symbol that is a function or class of the page's module (the notebook's
  `default_exp`) and has docments comments has one for every parameter in the source, and the page shows
  each of them on the line of its parameter.

Over the site: at least one PNG plot is visible; at least one API symbol was checked, `--api` (default
`semiseg.data.train_transform`) among them; and a screenshot (`SITE/screenshot.png`, 1280x2000, scrolled
to the first plot) is not blank.
Prints a table of the pages checked and exits 1 on any failure (2 when Chromium is missing).
"""
from __future__ import annotations

import argparse, functools, html, importlib, inspect, json, re, shutil, subprocess, sys, tempfile, threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

CHROMIUM_NAMES = ('chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable')
CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                  '--disable-background-networking', '--disable-component-update', '--disable-sync',
                  '--hide-scrollbars', '--enable-logging=stderr', '--v=0',
                  # offline, as a reader without a network: no host but the local server resolves
                  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1']

# The probe page: loads `?page=` in a frame at desktop size, waits for its scripts and MathJax, then writes what it sees as JSON.
MATH_TIMEOUT_MS = 25000  # virtual time: a page whose MathJax has not finished by then fails
PROBE_HTML = r"""<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" style="width:1280px;height:2000px;border:0"></iframe><pre id="result">pending</pre>
<script>
const q = new URLSearchParams(location.search), f = document.getElementById('f');
const api = JSON.parse(q.get('api') || '[]'), MATH_TIMEOUT_MS = {MATH_TIMEOUT_MS};
const txt = e => e ? e.innerText.replace(/\u00b6/g, '').trim() : '';
function pixels(img) {  // what the browser decoded: distinct colours and brightness range of the bitmap
  if (!img.naturalWidth) return {colours: 0, spread: 0};
  const s = Math.min(1, 400 / img.naturalWidth), c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(img.naturalWidth * s)); c.height = Math.max(1, Math.round(img.naturalHeight * s));
  const g = c.getContext('2d'); g.drawImage(img, 0, 0, c.width, c.height);
  const px = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
  let lo = 255, hi = 0;
  for (let k = 0; k < px.length; k += 4) {
    const y = (px[k] + px[k+1] + px[k+2]) / 3; lo = Math.min(lo, y); hi = Math.max(hi, y);
    if (seen.size < 4096) seen.add((px[k] << 16) | (px[k+1] << 8) | px[k+2]);
  }
  return {colours: seen.size, spread: hi - lo};
}
function whenTypeset(w, then) {  // MathJax 2 runs its startup and each typeset on MathJax.Hub's queue: what is queued now runs after them
  const MJ = w.MathJax;
  if (!MJ || !MJ.Hub || !MJ.Hub.Queue) return setTimeout(() => then(null), 0);
  let fired = false;
  const go = state => { if (!fired) { fired = true; then(state); } };
  MJ.Hub.Queue(() => go('done'));
  setTimeout(() => go('timeout'), MATH_TIMEOUT_MS);
}
f.addEventListener('load', () => whenTypeset(f.contentWindow, mathjax => {
  const d = f.contentDocument, r = {url: q.get('page'), title: d.title};
  const art = d.querySelector('article.md-content__inner') || d.querySelector('article') || d.querySelector('main');
  r.has_article = !!art;
  if (art) {
    const h1 = art.querySelector('h1');
    r.h1 = txt(h1);
    r.text_len = txt(art).length - r.h1.length;
    r.headings = [...art.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => ({id: h.id, text: txt(h)}));
    r.png = [...art.querySelectorAll('img')].filter(i => i.src.startsWith('data:image/png')).map(i => {
      const b = i.getBoundingClientRect(), cs = f.contentWindow.getComputedStyle(i);
      return {nw: i.naturalWidth, nh: i.naturalHeight, w: b.width, h: b.height, complete: i.complete,
              shown: cs.display !== 'none' && cs.visibility !== 'hidden' && cs.opacity !== '0', ...pixels(i)};
    });
    r.api = {};
    for (const name of api) {
      const h = [...art.querySelectorAll('h2,h3,h4')].find(h => txt(h) === name);
      if (h) r.api[name] = txt(h.parentElement);  // the show_doc output: heading, signature, docstring
    }
    const MJ = f.contentWindow.MathJax, H = MJ && MJ.OutputJax && MJ.OutputJax['HTML-CSS'];
    r.math = {mathjax, version: MJ ? MJ.version || null : null, font: H && H.fontInUse || null,
              found: art.querySelectorAll('script[type^="math/tex"]').length,
              typeset: art.querySelectorAll('span.MathJax, span.MathJax_SVG, span.MathJax_CHTML, mjx-container').length,
              errors: [...art.querySelectorAll('.MathJax_Error, .noError, merror')].slice(0, 3).map(e => e.textContent.trim())};
    // last, as it hides parts of the page: the text a reader sees outside code and the typeset maths
    art.querySelectorAll('pre, code, script, style, .MathJax, .MathJax_Display, .MathJax_SVG, .MathJax_CHTML, ' +
                         '.MathJax_Preview, .MJX_Assistive_MathML, mjx-container').forEach(e => e.style.display = 'none');
    r.prose = art.innerText;
  }
  document.getElementById('result').textContent = JSON.stringify(r);
}));
f.src = q.get('page');
</script></body></html>""".replace('{MATH_TIMEOUT_MS}', str(MATH_TIMEOUT_MS))

# The screenshot page: the site page at full window size, scrolled to its first plot.
SHOT_HTML = r"""<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;overflow:hidden">
<iframe id="f" style="width:100vw;height:100vh;border:0"></iframe>
<script>
const f = document.getElementById('f');
f.addEventListener('load', () => setTimeout(() => {
  const img = [...f.contentDocument.querySelectorAll('article img')].find(i => i.src.startsWith('data:image/png'));
  if (img) img.scrollIntoView({block: 'center'});
}, 300));
f.src = new URLSearchParams(location.search).get('page');
</script></body></html>"""


class CheckError(Exception): pass


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, CHROMIUM_NAMES) if p), None)


class _Handler(SimpleHTTPRequestHandler):
    pages = {'/__probe__.html': PROBE_HTML, '/__shot__.html': SHOT_HTML}
    not_found: set  # paths requested that the site does not have (set per server)
    def send_error(self, code, *a, **k):
        path = unquote(urlsplit(self.path).path)
        if code == 404 and path != '/favicon.ico': self.not_found.add(path)  # the browser asks for the probe page's icon
        return super().send_error(code, *a, **k)
    def do_GET(self):
        body = self.pages.get(urlsplit(self.path).path)
        if body is None: return super().do_GET()
        data = body.encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/html; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a): pass


class SiteServer:
    "Serves `site_dir` on 127.0.0.1 (a free port) in a thread, with the probe pages."
    def __init__(self, site_dir: Path):
        handler = type('Handler', (_Handler,), {'not_found': set()})
        self.not_found = handler.not_found
        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(handler, directory=str(site_dir)))
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}/'
    def __enter__(self):
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self
    def __exit__(self, *a):
        self.httpd.shutdown(); self.httpd.server_close()


def run_chromium(chromium: str, args: list[str], timeout: int = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix='check_docs_chromium_') as prof:
        cmd = [chromium, *CHROMIUM_FLAGS, f'--user-data-dir={prof}', *args]
        try: return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired: raise CheckError(f'chromium timed out after {timeout}s: {" ".join(args)}')


def js_errors(stderr: str, origin: str) -> list[str]:
    "Uncaught errors the site's own scripts logged to the console (not ones from unreachable CDNs)."
    res = []
    for m in re.finditer(r'CONSOLE.*?\] "(Uncaught[^"]*)", source: (\S*)', stderr):
        if m.group(2).startswith(origin) or not m.group(2): res.append(f'{m.group(1)} ({m.group(2)})')
    return res


def probe(chromium: str, base: str, page: str, api: list[str]) -> dict:
    q = f'page={page}&api={json.dumps(api)}'
    r = run_chromium(chromium, [f'--virtual-time-budget={MATH_TIMEOUT_MS + 5000}', '--window-size=1280,2000', '--dump-dom',
                                f'{base}__probe__.html?{q}'])
    m = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.DOTALL)
    if not m or m.group(1) == 'pending':
        raise CheckError(f'{page}: the probe page did not report (chromium exit {r.returncode}): {r.stderr[-2000:]}')
    res = json.loads(html.unescape(m.group(1)))
    res['js_errors'] = js_errors(r.stderr, base)
    return res


def screenshot(chromium: str, base: str, page: str, out: Path) -> tuple[bool, str]:
    "Screenshot `page` scrolled to its first plot into `out`; (not blank?, what was measured)."
    import numpy as np
    from PIL import Image
    out.unlink(missing_ok=True)
    run_chromium(chromium, ['--virtual-time-budget=15000', '--window-size=1280,2000', f'--screenshot={out}',
                            f'{base}__shot__.html?page={page}'])
    if not out.exists(): return False, 'no screenshot written'
    w, h = Image.open(out).size
    px = np.asarray(Image.open(out).convert('RGB')).reshape(-1, 3).astype(np.int64)
    codes, counts = np.unique(px[:, 0] << 16 | px[:, 1] << 8 | px[:, 2], return_counts=True)
    colours, not_bg, std = len(codes), 1 - counts.max() / len(px), float(px.std(0).mean())
    ok = colours >= 64 and not_bg > 0.05 and std > 10
    return ok, f'{w}x{h}, {colours} colours, {not_bg:.0%} not background, pixel std {std:.0f}'


def broken_links(site: Path, pages: list[str]) -> dict[str, list[str]]:
    "Links in each page's article to other local pages or ids that do not exist."
    from bs4 import BeautifulSoup
    soups, ids = {}, {}
    def load(p):
        if p not in soups:
            f = site/p
            soups[p] = BeautifulSoup(f.read_text(encoding='utf-8'), 'html.parser') if f.is_file() else None
            ids[p] = {e['id'] for e in soups[p].find_all(id=True)} if soups[p] else set()
        return soups[p]
    res = {}
    for p in pages:
        art = load(p).find('article') or load(p)
        bad = []
        for a in art.find_all('a', href=True):
            u = urlsplit(urljoin(p, a['href']))
            if u.scheme or u.netloc: continue  # external
            target = unquote(u.path) or p
            if load(target) is None: bad.append(f"{a['href']} (no page)")
            elif u.fragment and unquote(u.fragment) not in ids[target]: bad.append(f"{a['href']} (no such id)")
        if bad: res[p] = bad
    return res


# --- maths -----------------------------------------------------------------------------------------

# TeX a reader should never see: display maths first (`$$..$$`, `\[..\]`), then inline (`\(..\)`, and `$..$` by
# pandoc's rule: no space after the opening `$` nor before the closing one, no digit after it, so "$5 and $10" is not maths)
_re_tex = [re.compile(r'\$\$.+?\$\$', re.DOTALL), re.compile(r'\\\[.+?\\\]', re.DOTALL), re.compile(r'\\\(.+?\\\)', re.DOTALL),
           re.compile(r'(?<![\\$])\$(?![\s$])[^$\n]*?[^\s\\$]\$(?![\d$])|(?<![\\$])\$[^\s$\\]\$(?![\d$])')]


def raw_formulas(text: str) -> list[str]:
    "The formulas in `text` still written as TeX, in the order of the patterns (display maths first)."
    res = []
    for pat in _re_tex:
        res += [m.group(0) for m in pat.finditer(text)]
        text = pat.sub(' ', text)
    return res


def math_problems(math: dict | None, prose: str) -> list[str]:
    "What is wrong with the maths of a probed page: MathJax unfinished or in error, or TeX left in the text."
    errs, math = [], math or {}
    if math.get('mathjax') == 'timeout': errs.append(f'MathJax did not finish typesetting within {MATH_TIMEOUT_MS // 1000} s')
    if math.get('errors'): errs.append(f"MathJax errors: {math['errors']}")
    raw = raw_formulas(prose or '')
    if raw: errs.append(f"{len(raw)} formulas shown as raw TeX (MathJax {'did not load' if not math.get('mathjax') else 'left them'}), "
                        f"e.g. {[shorten(f) for f in raw[:3]]}")
    return errs


def shorten(s: str, n: int = 60) -> str:
    s = ' '.join(s.split())
    return s if len(s) <= n else s[:n - 3] + '...'


# --- API docs ----------------------------------------------------------------------------------------

def documented_params(module: str | None, name: str) -> dict[str, str | None] | None:
    """{parameter: its docments comment, None where it has none} of `name` if it is a function or class of `module`
    whose source carries docments comments (on a parameter or the return); None for any other symbol."""
    from fastcore.docments import docments
    from build_docs import resolve_symbol
    if not module: return None
    try: importlib.import_module(module)
    except Exception as e: raise CheckError(f'cannot import {module} ({type(e).__name__}: {e})')
    obj = resolve_symbol(module, name)
    if not (inspect.isfunction(obj) or inspect.isclass(obj)) or getattr(obj, '__module__', None) != module: return None
    try: d = docments(obj)
    except Exception: return None
    if not any(d.values()): return None
    try: sig = inspect.signature(obj)
    except (TypeError, ValueError): sig = None
    passthrough = {n for n, p in (sig.parameters.items() if sig else []) if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    return {k: v for k, v in d.items() if k not in ('return', 'self', 'cls') and k not in passthrough}   # *args/**kw: passed on, documented by where they go


def _shown(name: str, comment: str, lines: list[str]) -> bool:
    "The comment's first line is on a line that names the parameter, its further lines anywhere in the section."
    first, *more = [' '.join(c.split()) for c in comment.splitlines() if c.strip()] or ['']
    return (any(re.search(rf'\b{re.escape(name)}\b', l) and first in l for l in lines)
            and all(any(m in l for l in lines) for m in more))


def api_problems(params: dict[str, str | None], section: str | None) -> tuple[list[str], list[str]]:
    """(parameters without a docments comment in the source, parameters whose comment the rendered show_doc
    `section` does not show on the parameter's line)."""
    lines = [' '.join(l.split()) for l in (section or '').splitlines()]
    return ([k for k, v in params.items() if not v],
            [k for k, v in params.items() if v and not _shown(k, v, lines)])


def parse_api(spec: str) -> tuple[str, str]:
    "`module.name` of `--api` as (module, name), checked to have docments comments."
    mod, _, name = spec.rpartition('.')
    if not mod or documented_params(mod, name) is None:
        raise CheckError(f'--api {spec}: not a function or class of {mod or "a module"} with docments comments')
    return mod, name


def check(site: Path, api_spec: str = 'semiseg.data.train_transform', shot: str | None = None) -> bool:
    site = site.resolve()
    mf = site/'docs_manifest.json'
    if not mf.exists(): raise CheckError(f'{mf} is missing: build the site with tools/build_docs.py')
    manifest = json.loads(mf.read_text(encoding='utf-8'))
    chromium = find_chromium()
    if not chromium: raise FileNotFoundError('no Chromium found (apt-get install -y chromium)')
    must_mod, must_name = parse_api(api_spec)
    pages, failures, rows = manifest['pages'], [], []
    links = broken_links(site, [p['page'] for p in pages])
    api_checked, api_ok, must_seen = 0, 0, False
    with SiteServer(site) as srv:
        for p in pages:
            want = {n: d for n in p['show_doc'] if (d := documented_params(p.get('module'), n)) is not None}
            srv.not_found.clear()
            r = probe(chromium, srv.url, p['page'], list(want))
            title_ok = r.get('title', '').startswith(p['title']) and r.get('h1') == p['title']
            missing = [n for n in p['show_doc'] if n not in {h['text'] for h in r.get('headings', [])}]
            vis = [i for i in r.get('png', []) if i['nw'] > 0 and i['nh'] > 0 and i['w'] > 0 and i['h'] > 0
                   and i['complete'] and i['shown'] and i['colours'] >= 8 and i['spread'] >= 32]
            errs = []
            if not r.get('has_article'): errs.append('no <article>')
            if not title_ok: errs.append(f"title {r.get('title')!r} / h1 {r.get('h1')!r}, expected {p['title']!r}")
            if r.get('text_len', 0) <= 0: errs.append('no content besides the title')
            if missing: errs.append(f'show_doc headings missing: {missing}')
            if len(vis) < p['png_outputs']: errs.append(f"{len(vis)} of {p['png_outputs']} PNG outputs visible")
            if r['js_errors']: errs.append(f"JS errors: {r['js_errors']}")
            if p['page'] in links: errs.append(f"broken links: {links[p['page']]}")
            if srv.not_found: errs.append(f"files the page loads are missing from the site: {sorted(srv.not_found)[:5]}")
            errs += math_problems(r.get('math'), r.get('prose', ''))
            n_api_ok = 0
            for name, params in want.items():
                undocumented, not_shown = api_problems(params, r.get('api', {}).get(name))
                if undocumented: errs.append(f'{name}: parameters without a docments comment in the source: {undocumented}')
                if not_shown: errs.append(f'{name}: parameters whose docments comment the page does not show: {not_shown}')
                n_api_ok += not undocumented and not not_shown
                must_seen |= (p.get('module'), name) == (must_mod, must_name)
            api_checked, api_ok = api_checked + len(want), api_ok + n_api_ok
            m = r.get('math') or {}
            rows.append((p['page'], p['title'], r.get('text_len', 0), f"{len(p['show_doc'])}/{len(missing)}",
                         f"{len(vis)}/{p['png_outputs']}", f"{n_api_ok}/{len(want)}", f"{m.get('typeset', 0)}/{m.get('found', 0)}",
                         'ok' if not errs else 'FAIL'))
            failures += [f"{p['page']}: {e}" for e in errs]
        n_vis = sum(int(r_[4].split('/')[0]) for r_ in rows)
        if n_vis == 0: failures.append('no page shows a PNG plot: save the notebooks with their outputs (e.g. 00a_synthetic)')
        if not must_seen: failures.append(f'--api {must_mod}.{must_name}: no page documents it with show_doc')
        if api_checked == 0: failures.append('no API symbol with docments comments was found on any page (is `module` in the manifest?)')
        shot_page = shot or next((r_[0] for r_ in rows if int(r_[4].split('/')[0]) > 0), pages[0]['page'])
        shot_ok, shot_info = screenshot(chromium, srv.url, shot_page, site/'screenshot.png')
        if not shot_ok: failures.append(f'screenshot of {shot_page} looks blank: {shot_info}')

    w, wp = max(len(r_[1]) for r_ in rows), max(len(r_[0]) for r_ in rows)
    print(f"{'page':<{wp}} {'title':<{w}} {'text':>7} {'show_doc/missing':>16} {'png shown/saved':>15} {'api ok/checked':>14} "
          f"{'maths typeset/found':>19}  result")
    for r_ in rows: print(f'{r_[0]:<{wp}} {r_[1]:<{w}} {r_[2]:>7} {r_[3]:>16} {r_[4]:>15} {r_[5]:>14} {r_[6]:>19}  {r_[7]}')
    print(f'API docs: {api_ok} of {api_checked} show_doc symbols with docments comments have a comment for every parameter, '
          'each shown on its page')
    print(f'screenshot: {site/"screenshot.png"} ({shot_page}; {shot_info})')
    for f in failures: print('FAIL', f)
    print(f'{len(rows)} pages checked: ' + ('all ok' if not failures else f'{len(failures)} failures'))
    return not failures


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('site_dir', help='the built site (with docs_manifest.json)')
    p.add_argument('--api', default='semiseg.data.train_transform',
                   help='module.function that must be among the API symbols checked (every show_doc symbol with docments is)')
    p.add_argument('--screenshot-page', default=None, help='page to screenshot (default: the first with a plot)')
    a = p.parse_args(argv)
    try: return 0 if check(Path(a.site_dir), a.api, a.screenshot_page) else 1
    except FileNotFoundError as e:
        print(f'check_docs: {e}', file=sys.stderr); return 2
    except CheckError as e:
        print(f'check_docs: error: {e}', file=sys.stderr); return 1


if __name__ == '__main__': sys.exit(main())
