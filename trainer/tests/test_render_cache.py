"""The render cache: iteration i renders only D_i, and what it returns equals a fresh rendering."""
import os

import numpy as np
from transformers import AutoTokenizer

from agent_dagger_trainer.dataset import render_trajectory
from agent_dagger_trainer.render_cache import CacheStats, record_key, render_all, template_key
from agent_dagger_trainer.templates import load_spec
from fixtures import trajectory


def _same(a, b) -> bool:
    return np.array_equal(a.path, b.path) and len(a.transitions) == len(b.transitions) and all(
        (x.turn, x.prefix_len, x.on_path) == (y.turn, y.prefix_len, y.on_path) and np.array_equal(x.label, y.label)
        and np.array_equal(x.prompt_tail, y.prompt_tail)
        for x, y in zip(a.transitions, b.transitions))


def _tokenizer(models, template):
    tokenizer = AutoTokenizer.from_pretrained(models[template])
    return tokenizer, load_spec(models[template], tokenizer)


def test_iterations_render_only_new_records(models, tmp_path):
    tokenizer, spec = _tokenizer(models, 'chatml-json')
    d1 = [dict(trajectory(seed, 4), _source=f'iter-1.jsonl:{seed}') for seed in range(3)]
    d2 = [dict(trajectory(seed, 4), _source=f'iter-2.jsonl:{seed}') for seed in range(3, 5)]
    first, second = CacheStats(), CacheStats()
    render_all(tokenizer, spec, d1, str(tmp_path), first)
    cached = render_all(tokenizer, spec, d1 + d2, str(tmp_path), second)
    assert (first.rendered, first.hits) == (3, 0) and (second.rendered, second.hits) == (2, 3)
    assert all(_same(c, render_trajectory(tokenizer, spec, r)) for c, r in zip(cached, d1 + d2))
    # The key is the content: the same trajectory read from another file is a hit.
    moved = CacheStats()
    render_all(tokenizer, spec, [dict(d1[0], _source='elsewhere.jsonl:9')], str(tmp_path), moved)
    assert (moved.rendered, moved.hits) == (0, 1)
    changed = dict(d1[0], reward=1 - d1[0]['reward'])
    assert record_key(changed) != record_key(d1[0])


def test_another_template_or_a_damaged_entry_renders_again(models, tmp_path):
    records = [trajectory(seed, 3) for seed in range(2)]
    tokenizer, spec = _tokenizer(models, 'chatml-json')
    render_all(tokenizer, spec, records, str(tmp_path))
    xml_tokenizer, xml_spec = _tokenizer(models, 'header-xml')
    stats = CacheStats()
    xml = render_all(xml_tokenizer, xml_spec, records, str(tmp_path), stats)
    assert (stats.rendered, stats.hits) == (2, 0) and len(os.listdir(tmp_path)) == 2
    assert all(_same(c, render_trajectory(xml_tokenizer, xml_spec, r)) for c, r in zip(xml, records))

    entry = tmp_path / template_key(tokenizer, spec) / f'{record_key(records[0])}.npz'
    entry.write_bytes(b'not a zip')
    stats = CacheStats()
    (again,) = render_all(tokenizer, spec, records[:1], str(tmp_path), stats)
    assert (stats.rendered, stats.hits) == (1, 0) and entry.stat().st_size > 100
    assert _same(again, render_trajectory(tokenizer, spec, records[0]))
