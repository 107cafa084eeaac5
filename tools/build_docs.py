#!/usr/bin/env python
"""Build the semiseg documentation site offline, in one command: `python tools/build_docs.py`.

1. nbdev's notebook processors (the ones `nbdev_docs` runs before Quarto) turn every notebook in `nbs/`
   into its documentation form: `#| export` code is replaced by `show_doc` API docs (signature with the
   docments parameter comments, docstring, source link), `#| hide` cells go, frontmatter is collected.
   Notebooks are not executed: their saved outputs are what the docs show.
2. A small filter rewrites the Quarto-only parts into what mkdocs-jupyter renders: the YAML frontmatter
   becomes a `# Title` and `> summary`, cell options (`#| echo: false`, `#| include: false`,
   `#| output: false`) become cell tags or removals, pandoc link attributes become HTML, and links to the
   published site (`doc_host` + `doc_baseurl` in settings.ini) become relative links to the local pages.
3. mkdocs-material with the mkdocs-jupyter plugin (`execute: false`) builds the static site. The
   `mkdocs.yml` is generated (nav in notebook order: index first, then by file name), no web fonts or
   other downloads are needed at build time.
4. MathJax 2.7 from the `jupyter_server_mathjax` package (a dev requirement) is copied into the site
   (`assets/mathjax/`) with a small config that uses only what it ships (HTML-CSS output, STIX-Web fonts):
   the pages load it by a relative URL, so maths typesets offline, served or opened from file://.

Two defects of nbdev's show_doc output are repaired on the way (step 1): a dataclass documented in its
notebook lost its field comments (the notebook's shell has no source for the class, so docments finds
none; it is rendered again from the exported module), and nbdev's links inside the signature's code block
showed as raw `[`name`](url)` text (they become `` `name` `` again, as in the source).

Quarto's `_quarto.yml` stays for publishing with `nbdev_docs` where Quarto exists; this script needs none.
Besides the site, it writes `docs_manifest.json` into the site: the pages, their titles, the `show_doc`
symbols, the notebook's module (`#| default_exp`) and the number of PNG outputs each shows.
`tools/check_docs.py` reads it.
"""
from __future__ import annotations

import argparse, dataclasses, importlib, json, os, re, shutil, subprocess, sys, time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MATHJAX_DIR = 'assets/mathjax'  # in the site; every page is at the site's root, so this relative URL works from file:// too
MATHJAX_URL = f'{MATHJAX_DIR}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/offline'
# jupyter_server_mathjax ships MathJax 2.7 with the HTML-CSS output and the STIX-Web web fonts only: use those and
# nothing else (no locally installed fonts, no image fonts, which it does not ship). The MathML that AssistiveMML keeps,
# hidden, in the page for screen readers is styled by the NativeMML output with MathJax's TeX fonts, not shipped either:
# give those styles the browser's serif font rather than a font file the site does not have.
_NATIVE_MML_TEX_FONT_STYLES = ['[class="MJX-tex-oldstyle"]', '[class="MJX-tex-oldstyle-bold"]', '[class="MJX-tex-caligraphic"]',
                               '[class="MJX-tex-caligraphic-bold"]', '[mathvariant="double-struck"]', '[mathvariant="script"]',
                               '[mathvariant="fraktur"]', '[mathvariant="bold-script"]', '[mathvariant="bold-fraktur"]']
MATHJAX_LOCAL_CONFIG = '''MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null},
  NativeMML: {styles: %s}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/offline.js");
''' % json.dumps({k: {'font-family': 'serif'} for k in _NATIVE_MML_TEX_FONT_STYLES}, indent=1)
ASSET_EXTS = {'.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.pdf', '.css'}
_re_opt = re.compile(r'^\s*#\|\s*([\w-]+)\s*(?::\s*(.*?))?\s*$')
_re_pandoc_link = re.compile(r'\[([^\]]*)\]\(([^)\s]+)\)\{([^}]*)\}')
_re_heading = re.compile(r'^(#{1,6})\s+(.+?)\s*#*\s*$', re.MULTILINE)
_re_md_link = re.compile(r'(\]\()([^)\s]+)(\))')
_re_href = re.compile(r'''(href=["'])([^"']+)(["'])''')
_re_default_exp = re.compile(r'^\s*#\|\s*default_exp\s+(\S+)', re.MULTILINE)
_re_show_doc_call = re.compile(r'^show_doc\(([\w.]+)\)\s*$', re.MULTILINE)
_re_fence = re.compile(r'^```.*?^```', re.MULTILINE | re.DOTALL)
_re_code_link = re.compile(r'\[(`[^`\n]+`)\]\([^)\s]+\)')


class DocsBuildError(Exception):
    "A failure of the docs build with a message for the user."


def _src(cell) -> str:
    s = cell.get('source', '')
    return ''.join(s) if isinstance(s, list) else (s or '')


# --- 1. nbdev processing -------------------------------------------------------------------------

def find_notebooks(nbs_path: Path) -> list[Path]:
    "Notebooks of the site in nav order: `index.ipynb` first, then by file name (nbdev skips `_*`, `.*`)."
    nbs = sorted(p for p in nbs_path.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    index = nbs_path/'index.ipynb'
    if index not in nbs:
        raise DocsBuildError(f"{index} is missing: it is the home page of the site and the source of "
                             "README.md (readme_nb in settings.ini).")
    return [index] + [p for p in nbs if p != index]


def _split_title_cell(nb):
    "nbdev takes the first `# Title`/`> summary` markdown cell as frontmatter and drops the whole cell; keep the rest of it."
    from execnb.nbio import mk_cell
    for i, c in enumerate(nb.cells):
        if c.cell_type == 'raw' and _src(c).strip().startswith('---'): return
        if c.cell_type != 'markdown': continue
        lines = _src(c).splitlines()
        h = next((j for j, l in enumerate(lines) if re.match(r'^#\s+\S', l)), None)
        if h is None: return
        keep = {h}
        nxt = next((j for j in range(h+1, len(lines)) if lines[j].strip()), None)
        if nxt is not None and lines[nxt].startswith('>'): keep.add(nxt)
        rest = '\n'.join(l for j, l in enumerate(lines) if j not in keep).strip()
        if rest:
            c.source = '\n\n'.join(lines[j] for j in sorted(keep))
            nb.cells.insert(i+1, mk_cell(rest, 'markdown'))
        return


def notebook_module(nb) -> str | None:
    "The module a notebook exports to (`#| default_exp data` in a library named semiseg: `semiseg.data`)."
    from nbdev.config import get_config
    for c in nb['cells']:
        m = _re_default_exp.search(_src(c)) if c['cell_type'] == 'code' else None
        if m: return f"{get_config().lib_name}.{m.group(1)}"
    return None


def resolve_symbol(module: str, name: str):
    "The object `name` (`f`, `Class` or `Class.method`) of `module`, or None (also where `module` does not import)."
    try: obj = importlib.import_module(module)
    except Exception: return None
    for part in name.split('.'):
        obj = getattr(obj, part, None)
        if obj is None: return None
    return obj


def redo_dataclass_docs(nb, module: str | None):
    """Render again, from the exported `module`, the show_doc output of each dataclass of the notebook.
    nbdev runs the notebook's cells in a shell where a class has no source file, so docments finds no field comments
    and the signature shows none; the exported module's class has its source."""
    from nbdev.doclinks import NbdevLookup
    from nbdev.showdoc import BasicMarkdownRenderer
    if not module: return
    for c in nb.cells:
        m = _re_show_doc_call.search(_src(c)) if c.cell_type == 'code' else None
        obj = resolve_symbol(module, m.group(1)) if m else None
        if not (isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module): continue
        md = NbdevLookup().linkify(BasicMarkdownRenderer(obj)._repr_markdown_())  # links outside the code block, as add_links
        for o in c.get('outputs', []):
            if 'text/markdown' in o.get('data', {}): o['data']['text/markdown'] = md.splitlines(keepends=True)


def process_notebook(src: Path, dst: Path):
    "Run nbdev's docs processors (`show_doc`, hide, frontmatter...) on `src`, writing `dst`; nothing else is executed."
    from execnb.nbio import read_nb, write_nb
    from nbdev.processors import FilterDefaults
    nb = read_nb(src)
    module = notebook_module(nb)
    _split_title_cell(nb)
    os.environ['IN_TEST'] = '1'  # as nbdev.serve_drv does: notebooks may skip work under nbdev
    try: FilterDefaults()(nb)
    finally: del os.environ['IN_TEST']
    redo_dataclass_docs(nb, module)
    write_nb(nb, dst)


# --- 2. Quarto -> mkdocs-jupyter filter ----------------------------------------------------------

def mkdocs_id(text: str) -> str:
    "The id mkdocs-jupyter gives a heading with markdown `text`."
    from mkdocs_jupyter.utils import slugify
    from nbconvert.filters.strings import _convert_header_id
    plain = re.sub(r'[`*_]{1,2}(?=\S)|(?<=\S)[`*_]{1,2}', '', text) if '`' in text or '*' in text else text
    plain = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', plain)
    return _convert_header_id(slugify(plain))


def quarto_id(text: str) -> str:
    "The id pandoc/Quarto gives a heading (what nbdev's doc links point to)."
    t = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text).replace('`', '').replace('*', '')
    t = re.sub(r'[^\w\s.-]', '', t.lower()).strip()
    t = re.sub(r'\s+', '-', t)
    return re.sub(r'^[^a-z]+', '', t)


def _md_texts(cell):
    "The markdown strings a cell shows: its source if markdown, its text/markdown outputs if code."
    if cell['cell_type'] == 'markdown': yield _src(cell)
    for o in cell.get('outputs', []):
        md = o.get('data', {}).get('text/markdown')
        if md: yield ''.join(md) if isinstance(md, list) else md


def _headings(nb) -> list[str]:
    res = []
    for c in nb['cells']:
        for t in _md_texts(c):
            t = re.sub(r'```.*?```', '', t, flags=re.DOTALL)
            res += [m.group(2) for m in _re_heading.finditer(t)]
    return res


def frontmatter(nb) -> dict:
    c = nb['cells'][0] if nb['cells'] else None
    if not c or c['cell_type'] != 'raw': return {}
    m = re.match(r'^---\s*\n(.*?)\n---\s*$', _src(c).strip(), re.DOTALL)
    return (yaml.safe_load(m.group(1)) or {}) if m else {}


def _cell_options(src: str) -> tuple[dict, str]:
    "Quarto cell options (`#| key: value` lines) of a code cell, and its source without them."
    opts, rest = {}, []
    for l in src.splitlines():
        m = _re_opt.match(l)
        if m: opts[m.group(1).lower()] = (m.group(2) or 'true').strip().lower()
        else: rest.append(l)
    return opts, '\n'.join(rest).strip('\n')


class LinkFixer:
    "Rewrites links to the published site into relative links between the local pages, with mkdocs' heading ids."
    def __init__(self, doc_url: str, pages: dict[str, dict[str, str]]):
        self.doc_url, self.pages = doc_url.rstrip('/') + '/', pages  # pages: html name -> {quarto id: mkdocs id}

    def url(self, u: str) -> str:
        if u.startswith(self.doc_url): u = u[len(self.doc_url):] or 'index.html'
        elif re.match(r'^[a-z][\w+.-]*:', u) or u.startswith(('/', '#')): return u
        page, _, frag = u.partition('#')
        if page.endswith('.ipynb'):  # a link to a notebook in nbs/: its page
            page = self.html_of.get(page, page)
        if frag and page in self.pages: frag = self.pages[page].get(frag, frag)
        return page + ('#' + frag if frag else '')

    def md(self, s: str) -> str:
        s = _re_pandoc_link.sub(lambda m: self._pandoc(*m.groups()), s)
        s = _re_md_link.sub(lambda m: m.group(1) + self.url(m.group(2)) + m.group(3), s)
        return _re_href.sub(lambda m: m.group(1) + self.url(m.group(2)) + m.group(3), s)

    def _pandoc(self, txt, url, attrs):
        "`[txt](url){target=\"_blank\" style=...}` -> an HTML link with those attributes (classes/ids dropped)."
        kv = ' '.join(re.findall(r'[\w-]+="[^"]*"', attrs))
        return f'<a href="{self.url(url)}"{" " + kv if kv else ""}>{txt}</a>'


def to_mkdocs(nb, fix: LinkFixer) -> tuple[dict, list]:
    "Filter one nbdev-processed notebook (a dict) in place for mkdocs-jupyter; returns its frontmatter and cells."
    fm = frontmatter(nb)
    cells = nb['cells'][1:] if fm else nb['cells']
    head = f"# {fm.get('title', '')}" + (f"\n\n> {fm['description']}" if fm.get('description') else '')
    out = [{'cell_type': 'markdown', 'metadata': {}, 'source': head}] if fm.get('title') else []
    for c in cells:
        src = _src(c)
        if c['cell_type'] == 'markdown':
            if re.fullmatch(r'\s*<!--.*?-->\s*', src, re.DOTALL): continue  # nbdev's "autogenerated" warning
            c['source'] = fix.md(src)
        elif c['cell_type'] == 'code':
            opts, src = _cell_options(src)
            if opts.get('include') == 'false': continue
            if opts.get('output') == 'false': c['outputs'] = []
            if opts.get('echo') == 'false':
                c['metadata'].setdefault('tags', []).append('remove_input')
            c['source'] = src
            for o in c.get('outputs', []):
                d = o.get('data', {})
                for k in ('text/markdown', 'text/html'):
                    if k in d: d[k] = fix.md(''.join(d[k]) if isinstance(d[k], list) else d[k])
                if 'text/markdown' in d: d['text/markdown'] = unlink_code_blocks(d['text/markdown'])
            if not src and not c.get('outputs'): continue
        elif c['cell_type'] == 'raw': continue  # Quarto-only raw content
        out.append(c)
    nb['cells'] = out
    w = nb.get('metadata', {}).get('widgets', {}).get('application/vnd.jupyter.widget-state+json', {})
    if not w.get('state'): nb.get('metadata', {}).pop('widgets', None)  # else the page loads a widget manager from unpkg
    return fm, out


def unlink_code_blocks(md: str) -> str:
    "`` [`name`](url) `` back to `` `name` `` inside fenced code: nbdev links the docments comments of a show_doc signature, which shows as raw text in a code block."
    return _re_fence.sub(lambda m: _re_code_link.sub(r'\1', m.group(0)), md)


def n_png_outputs(cells) -> int:
    return sum('image/png' in o.get('data', {}) for c in cells if c['cell_type'] == 'code' for o in c.get('outputs', []))


def show_doc_names(cells) -> list[str]:
    "Symbols documented by `show_doc` (the `### name` heading of each show_doc output)."
    res = []
    for c in cells:
        if c['cell_type'] != 'code' or 'show_doc' not in _src(c) and 'remove_input' not in c['metadata'].get('tags', []): continue
        for o in c.get('outputs', []):
            md = o.get('data', {}).get('text/markdown', '')
            res += [m.group(2) for m in _re_heading.finditer(re.sub(r'```.*?```', '', md, flags=re.DOTALL))]
    return res


# --- 3. mkdocs -----------------------------------------------------------------------------------

def mkdocs_config(cfg, nav: list[tuple[str, str]], docs_dir: Path, site_dir: Path) -> dict:
    return {
        'site_name': cfg.get('title', cfg.get('lib_name')),
        'site_description': cfg.get('description', ''),
        'site_author': cfg.get('author', ''),
        'copyright': f"Copyright {cfg.get('copyright', '')}".strip(),
        'repo_url': cfg.get('git_url', ''),
        'edit_uri': '',
        'docs_dir': str(docs_dir),
        'site_dir': str(site_dir),
        'use_directory_urls': False,  # pages are `data.html` as on the Quarto site; links work from file:// too
        'theme': {
            'name': 'material',
            'font': False,  # no Google Fonts: the site builds and reads offline
            'features': ['navigation.top', 'navigation.footer', 'toc.follow', 'content.code.copy', 'search.highlight'],
            'palette': {'scheme': 'default', 'primary': 'indigo'},  # light only: notebook outputs are styled for it
        },
        'plugins': [
            'search',
            {'mkdocs-jupyter': {
                'execute': False, 'include_source': False, 'no_prompt': True, 'cache': False,
                'ignore_h1_titles': True,  # page titles from the frontmatter (the nav), not mkdocs' reading of the h1
                # equations are typeset by the MathJax copied into the site (`copy_mathjax`), offline
                'custom_mathjax_url': MATHJAX_URL,
                'remove_tag_config': {'remove_input_tags': ['remove_input']},
            }},
        ],
        'nav': [{title: page} for title, page in nav],
    }


def mathjax_source() -> Path:
    "The MathJax 2.7 tree of the `jupyter_server_mathjax` package."
    try: import jupyter_server_mathjax
    except ImportError:
        raise DocsBuildError('jupyter_server_mathjax is not installed: it is the MathJax the site serves '
                             '(pip install -e ".[dev]", or pip install jupyter_server_mathjax==0.2.6)') from None
    src = Path(jupyter_server_mathjax.__file__).parent/'static'
    need = ['MathJax.js', 'config/TeX-AMS-MML_HTMLorMML-full.js', 'config/Safe.js', 'jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js']
    missing = [n for n in need if not (src/n).is_file()]
    if missing: raise DocsBuildError(f'{src}: missing {", ".join(missing)}; expected the MathJax 2.7 of jupyter_server_mathjax 0.2.6')
    return src


def copy_mathjax(site_dir: Path) -> Path:
    "Copy MathJax into `site_dir/assets/mathjax` with its offline config (`config/local/offline.js`)."
    dst = site_dir/MATHJAX_DIR
    if dst.exists(): shutil.rmtree(dst)
    shutil.copytree(mathjax_source(), dst, ignore=shutil.ignore_patterns('__pycache__'))
    (dst/'config'/'local').mkdir(exist_ok=True)
    (dst/'config'/'local'/'offline.js').write_text(MATHJAX_LOCAL_CONFIG, encoding='utf-8')
    return dst


def build(site_dir: Path, work_dir: Path, strict: bool = True, quiet: bool = False) -> dict:
    "Build the site into `site_dir` using `work_dir` for the processed notebooks; returns the manifest."
    site_dir, work_dir = Path(site_dir).resolve(), Path(work_dir).resolve()
    _check_replaceable(site_dir, 'docs_manifest.json', '--site-dir')
    _check_replaceable(work_dir, 'mkdocs.yml', '--work-dir')
    cwd = os.getcwd()
    os.chdir(ROOT)  # nbdev finds settings.ini and the notebooks' imports resolve as under nbdev_docs
    try: return _build(site_dir, work_dir, strict, quiet)
    finally: os.chdir(cwd)


def _check_replaceable(d: Path, marker: str, arg: str):
    "The build empties `d`: refuse unless it is new, empty, or made by an earlier build (holds `marker` or a mkdocs site)."
    if d == ROOT or d in ROOT.parents or d == ROOT/'nbs':
        raise DocsBuildError(f'{arg} {d} would delete the repository; give a folder of its own')
    if d.exists() and any(d.iterdir()) and not (d/marker).exists() and not (d/'assets'/'javascripts').is_dir():
        raise DocsBuildError(f'{arg} {d} is not empty and was not made by build_docs (no {marker}); '
                             'give a new folder or remove it')


def _build(site_dir: Path, work_dir: Path, strict: bool, quiet: bool) -> dict:
    from nbdev.config import get_config
    say = (lambda *a: None) if quiet else (lambda *a: print('build_docs:', *a, flush=True))
    t0 = time.time()
    cfg = get_config(path=ROOT)
    nbs_path = Path(cfg.nbs_path)
    notebooks = find_notebooks(nbs_path)
    mathjax_source()  # before the slow part: fail at once where it is missing
    if work_dir.exists(): shutil.rmtree(work_dir)
    proc_dir, docs_dir = work_dir/'proc', work_dir/'docs'
    proc_dir.mkdir(parents=True); docs_dir.mkdir()

    say(f'processing {len(notebooks)} notebooks with nbdev (show_doc, hide, frontmatter)')
    for src in notebooks:
        try: process_notebook(src, proc_dir/src.name)
        except Exception as e:
            cause = f'\n{type(e.__cause__).__name__}: {e.__cause__}' if e.__cause__ else ''
            hint = ('\n(nbdev runs the cells that import something to render show_doc: a cell that mixes imports with '
                    'other code runs without the cells before it; put its imports in a cell of their own)'
                    if 'Error in notebook' in str(e) else '')
            raise DocsBuildError(f'nbdev could not process {src}: {type(e).__name__}: {e}{cause}{hint}') from e
    t1 = time.time()

    nbs = {src: json.loads((proc_dir/src.name).read_text(encoding='utf-8')) for src in notebooks}
    modules = {src: notebook_module(json.loads(src.read_text(encoding='utf-8'))) for src in notebooks}
    html_of, pages = {}, {}
    for src, nb in nbs.items():
        fm = frontmatter(nb)
        html = fm.get('output-file') or f'{src.stem}.html'
        if '/' in html: raise DocsBuildError(f'{src}: output-file {html!r} is in a folder; pages sit at the site root '
                                             '(the relative MathJax URL and the links between pages expect it)')
        if html in pages: raise DocsBuildError(f'{src} and another notebook both make the page {html}')
        hs = _headings(nb) + ([fm['title']] if fm.get('title') else [])
        pages[html] = {quarto_id(h): mkdocs_id(h) for h in hs}
        html_of[src.name] = html
    fix = LinkFixer(f"{cfg.get('doc_host', '')}{cfg.get('doc_baseurl', '')}", pages)
    fix.html_of = html_of

    nav, manifest = [], {'site_name': cfg.get('title'), 'pages': []}
    for src, nb in nbs.items():
        fm, cells = to_mkdocs(nb, fix)
        html = html_of[src.name]
        if not any(c['cell_type'] == 'markdown' and re.match(r'^#\s', _src(c)) for c in cells):
            raise DocsBuildError(f'{src} has no title: start it with a markdown cell `# Title` and `> summary`')
        name = Path(html).with_suffix('.ipynb').name
        (docs_dir/name).write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding='utf-8')
        title = fm.get('title') or src.stem
        nav.append((title.replace('`', ''), name))
        manifest['pages'].append({'notebook': f'{nbs_path.name}/{src.name}', 'page': html, 'module': modules[src],
                                  'title': title.replace('`', ''), 'description': fm.get('description', ''),
                                  'png_outputs': n_png_outputs(cells), 'show_doc': show_doc_names(cells)})
    for f in nbs_path.rglob('*'):  # images and other assets the notebooks' markdown may point at
        rel = f.relative_to(nbs_path)
        if f.is_file() and f.suffix.lower() in ASSET_EXTS and not any(p.startswith(('.', '_')) for p in rel.parts):
            (docs_dir/rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, docs_dir/rel)

    yml = work_dir/'mkdocs.yml'
    yml.write_text(yaml.safe_dump(mkdocs_config(cfg, nav, docs_dir, site_dir), sort_keys=False), encoding='utf-8')
    say(f'nbdev processing {t1-t0:.1f}s; running mkdocs build ({yml})')
    cmd = [sys.executable, '-m', 'mkdocs', 'build', '--clean', '-q', '-f', str(yml)] + (['--strict'] if strict else [])
    r = subprocess.run(cmd, cwd=work_dir, capture_output=True, text=True, env={**os.environ, 'NO_MKDOCS_2_WARNING': '1'})
    log = (r.stdout + r.stderr).strip()
    if r.returncode: raise DocsBuildError(f'mkdocs build failed (exit {r.returncode}):\n{log}')
    if log and not quiet: print(log)
    copy_mathjax(site_dir)
    (site_dir/'docs_manifest.json').write_text(json.dumps(manifest, indent=1), encoding='utf-8')
    say(f'site in {site_dir} ({len(nav)} pages, {time.time()-t0:.1f}s)')
    return manifest


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--site-dir', default=str(ROOT/'site'), help='where the static site goes (default: site/)')
    p.add_argument('--work-dir', default=str(ROOT/'_proc'/'mkdocs'),
                   help='processed notebooks and the generated mkdocs.yml (default: _proc/mkdocs/)')
    p.add_argument('--no-strict', action='store_true', help='do not fail on mkdocs warnings')
    a = p.parse_args(argv)
    try: build(Path(a.site_dir), Path(a.work_dir), strict=not a.no_strict)
    except DocsBuildError as e:
        print(f'build_docs: error: {e}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__': sys.exit(main())
