"README.md is made from nbs/index.ipynb by `tools/make_readme.py`, so the two never drift."
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import make_readme  # noqa: E402


def test_readme_is_made_from_index():
    nb, readme = make_readme.readme_paths()
    assert nb.exists(), f'{nb} is missing: it is the README source (readme_nb in settings.ini)'
    assert readme.exists(), 'README.md is missing: run `python tools/make_readme.py`'
    assert readme.read_text(encoding='utf-8') == make_readme.make_readme(nb), \
        'README.md differs from nbs/index.ipynb: run `python tools/make_readme.py`'


def _cell(kind, src, outputs=None):
    c = {'cell_type': kind, 'metadata': {}, 'source': src}
    if kind == 'code': c.update(outputs=outputs or [], execution_count=None)
    return c


def test_make_readme_rules(tmp_path):
    png = {'output_type': 'display_data', 'data': {'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>'}, 'metadata': {}}
    cells = [
        _cell('raw', '---\ntitle: demo\ndescription: a summary\n---\n'),
        _cell('code', '#| hide\nfrom secret import *'),
        _cell('code', '#| export\ndef f(): pass'),
        _cell('markdown', 'See [data](00_data.ipynb), ![fig](images/a.png), <img src="images/b.png"> and [web](https://x.org/a.png).'),
        _cell('code', '#| echo: false\nprint("only output")',
              [{'output_type': 'stream', 'name': 'stdout', 'text': '\x1b[31monly output\x1b[0m\n'}]),
        _cell('code', 'x = 1 #|hide_line\nx + 1', [{'output_type': 'execute_result', 'data': {'text/plain': '2'},
                                                  'metadata': {}, 'execution_count': 1}]),
        _cell('code', 'plot()', [png]),
        _cell('code', '#| output: false\nnoisy()', [{'output_type': 'stream', 'name': 'stdout', 'text': 'noise'}]),
        _cell('code', '#| include: false\nsecret()'),
        _cell('code', 'show()', [{'output_type': 'display_data', 'data': {'text/markdown': '**bold**', 'text/plain': 'x'},
                                  'metadata': {}}]),
    ]
    nb = tmp_path/'index.ipynb'
    nb.write_text(json.dumps({'cells': cells, 'metadata': {}, 'nbformat': 4, 'nbformat_minor': 5}))
    md = make_readme.make_readme(nb)
    blocks = md.split('\n\n')
    assert blocks[0].startswith('<!-- WARNING') and 'nbs/index.ipynb' in blocks[0]
    assert blocks[1:3] == ['# demo', '> a summary']
    assert 'secret' not in md and 'def f' not in md and 'noise' not in md and 'hide_line' not in md
    assert '[data](nbs/00_data.ipynb)' in md and '![fig](nbs/images/a.png)' in md
    assert '<img src="nbs/images/b.png">' in md and '(https://x.org/a.png)' in md
    assert '```\nonly output\n```' in md and 'print("only output")' not in md and '\x1b' not in md
    assert '```python\nx + 1\n```\n\n```\n2\n```' in md
    assert '```python\nplot()\n```' in md and 'iVBOR' not in md and '<Figure>' not in md
    assert '```python\nnoisy()\n```' in md
    assert '**bold**' in md
    assert md.endswith('\n') and not md.endswith('\n\n')
