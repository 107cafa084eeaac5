"The documentation site: `tools/build_docs.py` builds it from the notebooks, `tools/check_docs.py` checks it in Chromium."
import json, re, shutil, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
for mod in ('mkdocs', 'material', 'mkdocs_jupyter', 'jupyter_server_mathjax'):
    pytest.importorskip(mod, reason=f'{mod} is not installed: pip install -e ".[dev]"')
import build_docs, check_docs  # noqa: E402

needs_chromium = pytest.mark.skipif(check_docs.find_chromium() is None,
                                    reason='Chromium is not installed (apt-get install -y chromium): the site was built but not rendered')


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "The site built from the notebooks of this checkout into a temporary folder."
    d = tmp_path_factory.mktemp('docs')
    build_docs.build(d/'site', d/'work', quiet=True)
    return d/'site'


def test_every_notebook_has_a_page_in_order(site):
    nbs = sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.')))
    pages = json.loads((site/'docs_manifest.json').read_text())['pages']
    assert [p['notebook'] for p in pages] == ['nbs/index.ipynb'] + [f'nbs/{n}' for n in nbs if n != 'index.ipynb']
    for p in pages:
        assert (site/p['page']).is_file(), p
        assert p['title'], p


def show_doc_section(html: str, name: str) -> str:
    "The text of the show_doc output of `name` in a page's HTML, as the probe reads it (heading, signature, docstring)."
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(html, 'html.parser')
    h = next((h for h in soup.find_all(['h2', 'h3', 'h4']) if h.get_text().replace('\u00b6', '').strip() == name), None)
    assert h is not None, f'no show_doc heading {name}'
    return h.parent.get_text()


def test_api_docs_show_docments_parameters(site):
    "Without a browser: the `train_transform` section of data.html lists each parameter with its comment; a page without one fails."
    html = (site/'data.html').read_text(encoding='utf-8')
    params = check_docs.documented_params('semiseg.data', 'train_transform')
    assert params['crop_size'] == '(H, W) of the training crop, or one int for a square'
    assert check_docs.api_problems(params, show_doc_section(html, 'train_transform')) == ([], [])
    dropped = html.replace('<span class="c1"># (H, W) of the training crop, or one int for a square</span>', '')  # made to fail
    assert dropped != html
    assert check_docs.api_problems(params, show_doc_section(dropped, 'train_transform')) == ([], ['crop_size'])


def test_api_docs_of_dataclasses_and_linked_comments(site):
    """Two nbdev defects the build repairs: a dataclass's signature shows its field comments (nbdev's shell has no
    source for it), and a comment naming a symbol reads as in the source, not as raw markdown link syntax."""
    pages = {p['page']: p for p in json.loads((site/'docs_manifest.json').read_text())['pages']}
    assert pages['data.html']['module'] == 'semiseg.data' and pages['index.html']['module'] is None
    data = (site/'data.html').read_text(encoding='utf-8')
    params = check_docs.documented_params('semiseg.data', 'DatasetInfo')
    assert params['classes'] == 'class names, index = class id'
    assert check_docs.api_problems(params, show_doc_section(data, 'DatasetInfo')) == ([], [])
    lut = show_doc_section((site/'datasets.html').read_text(encoding='utf-8'), 'FileSegDataset')
    assert 'class id or 255 (`label_lut`)' in lut and '](' not in lut


def test_api_check_finds_parameters_without_docments(tmp_path, monkeypatch):
    "Which symbols the API check covers (functions and classes of the page's module with docments) and what it reports."
    (tmp_path/'apifix.py').write_text('''from os.path import join
def full(a:int, # the a
         b=2): # the b
    "Both documented."
def partial(a, # the a
            b, *, c=1)->int: # the result
    "`b` and `c` are not."
def bare(a, b): "No docments: not checked."
class K:
    def __init__(self, x, # the x
                 y): pass
''')
    monkeypatch.syspath_prepend(str(tmp_path))
    dp = check_docs.documented_params
    assert dp('apifix', 'full') == {'a': 'the a', 'b': 'the b'}
    assert dp('apifix', 'bare') is None and dp('apifix', 'join') is None and dp('apifix', 'nothing') is None
    assert check_docs.api_problems(dp('apifix', 'partial'), 'def partial(\n    a, # the a\n    b, c=1\n)->int: # the result') == (['b', 'c'], [])
    assert check_docs.api_problems(dp('apifix', 'K'), 'def K(\n    x, y\n)') == (['y'], ['x'])   # `self` is not a parameter to document
    assert check_docs.api_problems(dp('apifix', 'full'), None) == ([], ['a', 'b'])               # no section on the page


def test_raw_formulas():
    "TeX left as text: display maths, `\\(..\\)`, and `$..$` by pandoc's rule (not prices, not escaped dollars)."
    raw = check_docs.raw_formulas
    assert raw(r'the student $f_\theta(x)$ and $$D_x = \sqrt{a}$$') == [r'$$D_x = \sqrt{a}$$', r'$f_\theta(x)$']
    assert raw(r'with \(a+b\) and \[x^2\]') == [r'\[x^2\]', r'\(a+b\)']
    assert raw('the $x$ axis') == ['$x$']
    for text in ['costs $5 and $10', r'a \$ sign and a \$ sign', 'price $ 5 $', 'typeset: f\u03b8(x)', '']:
        assert raw(text) == [], text


def test_maths_check_fails_a_page_that_mathjax_did_not_typeset(site):
    """Without a browser: losses.html as a reader sees it where MathJax does not run (its text outside pre/code) is full of
    TeX, which the maths check reports; what MathJax itself reports fails it too."""
    from bs4 import BeautifulSoup
    art = BeautifulSoup((site/'losses.html').read_text(encoding='utf-8'), 'html.parser').find('article')
    for e in art.find_all(['pre', 'code', 'script', 'style']): e.decompose()
    errs = check_docs.math_problems({'mathjax': None}, art.get_text())
    assert len(errs) == 1 and 'shown as raw TeX (MathJax did not load)' in errs[0], errs
    assert check_docs.math_problems({'mathjax': 'done', 'typeset': 3, 'found': 3}, 'f\u03b8(x) typeset') == []
    assert 'did not finish' in check_docs.math_problems({'mathjax': 'timeout'}, '')[0]
    assert 'MathJax errors' in check_docs.math_problems({'mathjax': 'done', 'errors': ['Missing }']}, '')[0]


def test_site_serves_mathjax_offline(site):
    "MathJax is the dev requirement's copy inside the site, loaded by a relative URL (served or file://); no page asks a CDN for it."
    mj = site/build_docs.MATHJAX_DIR
    for f in ['MathJax.js', 'config/TeX-AMS-MML_HTMLorMML-full.js', 'config/Safe.js', 'config/local/offline.js',
              'jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js', 'fonts/HTML-CSS/STIX-Web/woff/STIXMathJax_Main-Regular.woff']:
        assert (mj/f).is_file(), f
    assert 'webFont: "STIX-Web"' in (mj/'config/local/offline.js').read_text()
    for p in json.loads((site/'docs_manifest.json').read_text())['pages']:
        text = (site/p['page']).read_text(encoding='utf-8')
        assert re.findall(r'<script src="([^"]*MathJax[^"]*)"', text) == [build_docs.MATHJAX_URL], p['page']
        assert not re.search(r'https?://[^"\'\s]*mathjax', text, re.IGNORECASE), p['page']
    dev = next(l for l in (ROOT/'settings.ini').read_text().splitlines() if l.startswith('dev_requirements'))
    assert 'jupyter_server_mathjax==0.2.6' in dev.split()


def test_quarto_markup_is_translated(site):
    "No pandoc attributes, cell options or links to the published site are left in the pages."
    for p in json.loads((site/'docs_manifest.json').read_text())['pages']:
        text = (site/p['page']).read_text(encoding='utf-8')
        assert '{target=' not in text and '#| ' not in text, p['page']
        assert 'semiseg.github.io/semiseg/' not in text, p['page']


def test_build_refuses_to_empty_a_foreign_folder(tmp_path):
    (tmp_path/'keep.txt').write_text('mine')
    with pytest.raises(build_docs.DocsBuildError, match='not made by build_docs'):
        build_docs.build(tmp_path, tmp_path/'work', quiet=True)
    assert (tmp_path/'keep.txt').exists()


@needs_chromium
def test_check_fails_untypeset_maths_and_hidden_comments(site, tmp_path, capsys):
    """In Chromium, a copy of two pages made to fail: losses.html without its MathJax script (its formulas stay TeX), and
    data.html whose train_transform signature lost a comment. The check fails on each, and passes the page it did not touch."""
    fx = tmp_path/'site'
    shutil.copytree(site, fx)
    mf = json.loads((fx/'docs_manifest.json').read_text())
    mf['pages'] = [p for p in mf['pages'] if p['page'] in ('data.html', 'losses.html', 'mixers.html')]
    (fx/'docs_manifest.json').write_text(json.dumps(mf))
    losses = (fx/'losses.html').read_text(encoding='utf-8')
    no_mathjax = re.sub(r'<script src="assets/mathjax/MathJax\.js[^"]*">\s*</script>', '', losses)
    assert no_mathjax != losses
    (fx/'losses.html').write_text(no_mathjax, encoding='utf-8')
    data = (fx/'data.html').read_text(encoding='utf-8')
    (fx/'data.html').write_text(data.replace('<span class="c1"># (H, W) of the training crop, or one int for a square</span>', ''), encoding='utf-8')
    assert not check_docs.check(fx)
    out = capsys.readouterr().out
    assert re.search(r'FAIL losses\.html: \d+ formulas shown as raw TeX \(MathJax did not load\)', out), out
    assert "FAIL data.html: train_transform: parameters whose docments comment the page does not show: ['crop_size']" in out, out
    assert re.search(r'^mixers\.html .* ok$', out, re.MULTILINE), out                  # maths typeset, API shown


@needs_chromium
def test_site_renders_in_chromium(site, capsys):
    ok = check_docs.check(site)
    out = capsys.readouterr().out
    assert ok, out
    assert (site/'screenshot.png').stat().st_size > 0


def _mixed_cells(nb) -> list[str]:
    "The warnings nbdev's docs build gives for notebook `nb`: cells holding imports and other code (nbdev runs every cell that imports)."
    import warnings
    from nbdev.process import NBProcessor
    from nbdev.processors import _do_eval
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        NBProcessor(nb, procs=[_do_eval]).process()
    return [str(x.message) for x in w if 'imports and other code' in str(x.message)]


def test_no_cell_mixes_imports_with_other_code(tmp_path):
    """The docs build runs each cell that imports, to have the names `show_doc` needs: a cell that also tests or trains
    would run at build time. Imports stand in cells of their own."""
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        assert _mixed_cells(nb) == [], nb.name
    bad = tmp_path/'bad.ipynb'       # made to fail
    bad.write_text(json.dumps(dict(nbformat=4, nbformat_minor=5, metadata={}, cells=[
        dict(cell_type='code', execution_count=None, metadata={}, outputs=[], source='import os\nx = os.sep')])))
    assert len(_mixed_cells(bad)) == 1
