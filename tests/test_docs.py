"The documentation site: `tools/build_docs.py` builds it from the notebooks, `tools/check_docs.py` checks it in Chromium."
import json, sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
for mod in ('mkdocs', 'material', 'mkdocs_jupyter'):
    pytest.importorskip(mod, reason=f'{mod} is not installed: pip install -e ".[dev]"')
import build_docs, check_docs  # noqa: E402


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


def test_api_docs_show_docments_parameters(site):
    "Without a browser: the `train_transform` section of data.html lists each parameter with its comment."
    from bs4 import BeautifulSoup
    soup = BeautifulSoup((site/'data.html').read_text(encoding='utf-8'), 'html.parser')
    h = soup.find(id='train_transform')
    assert h is not None, 'data.html has no train_transform heading'
    name, params = check_docs.expected_api('semiseg.data.train_transform')
    assert 'crop_size' in params
    assert check_docs.api_shown(h.parent.get_text(), params) == []


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


@pytest.mark.skipif(check_docs.find_chromium() is None,
                    reason='Chromium is not installed (apt-get install -y chromium): the site was built but not rendered')
def test_site_renders_in_chromium(site, capsys):
    ok = check_docs.check(site)
    out = capsys.readouterr().out
    assert ok, out
    assert (site/'screenshot.png').stat().st_size > 0
