"""Rendered trajectories cached across DAgger iterations, so iteration i renders only D_i.

Training step i sees D = D_1 ∪ … ∪ D_i; rendering a trajectory costs O(T²) in the template engine (each label renders
the history before it), so re-rendering every earlier dataset each iteration grows quadratically over a run. A
rendering is stored under two keys:

- the template key: the tokenizer (its full serialisation), the template spec, and the source of the modules that
  render (dataset, render, templates, toolcalls) — any change to how tokens come out gives a new key;
- the record key: a hash of the record's content (the same trajectory in another file is the same entry).

Entries are `.npz` files written to a temporary name and renamed, so a killed run leaves whole entries only; an entry
that cannot be read is rendered again and rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass

import numpy as np

from .dataset import render_trajectory
from .packing import INT, RenderedTrajectory, Transition

CACHE_SCHEMA = 'agent-dagger/render-cache@1'
_RENDERING_MODULES = ('dataset', 'render', 'templates', 'toolcalls')


@dataclass
class CacheStats:
    hits: int = 0
    rendered: int = 0


def template_key(tokenizer, spec) -> str:
    digest = hashlib.sha256(CACHE_SCHEMA.encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in _RENDERING_MODULES:
        path = os.path.join(here, f'{name}.py')
        if os.path.exists(path):
            with open(path, 'rb') as f:
                digest.update(f.read())
    digest.update(repr(spec).encode())
    backend = getattr(tokenizer, 'backend_tokenizer', None)
    digest.update(backend.to_str().encode() if backend is not None else repr(sorted(tokenizer.get_vocab().items())).encode())
    digest.update(repr(sorted(tokenizer.get_added_vocab().items())).encode())
    digest.update((getattr(tokenizer, 'chat_template', None) or '').encode())
    return digest.hexdigest()[:24]


def record_key(record: dict) -> str:
    content = {k: v for k, v in record.items() if k != '_source'}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def _save(path: str, trajectory: RenderedTrajectory) -> None:
    labels = [t.label for t in trajectory.transitions]
    tails = [t.prompt_tail for t in trajectory.transitions]
    arrays = {
        'path': trajectory.path,
        'turn': np.array([t.turn for t in trajectory.transitions], dtype=np.int64),
        'prefix_len': np.array([t.prefix_len for t in trajectory.transitions], dtype=np.int64),
        'on_path': np.array([t.on_path for t in trajectory.transitions], dtype=bool),
        'label_len': np.array([len(label) for label in labels], dtype=np.int64),
        'labels': np.concatenate(labels) if labels else np.zeros(0, INT),
        'tail_len': np.array([len(tail) for tail in tails], dtype=np.int64),
        'tails': np.concatenate(tails) if tails else np.zeros(0, INT),
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, staging = tempfile.mkstemp(dir=os.path.dirname(path), suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            np.savez(f, **arrays)
        os.replace(staging, path)
    except BaseException:
        os.unlink(staging)
        raise


def _load(path: str) -> RenderedTrajectory | None:
    try:
        with np.load(path) as data:
            ends = np.cumsum(data['label_len'])
            labels = np.split(data['labels'].astype(INT, copy=False), ends[:-1]) if len(ends) else []
            tail_ends = np.cumsum(data['tail_len'])
            tails = np.split(data['tails'].astype(INT, copy=False), tail_ends[:-1]) if len(tail_ends) else []
            transitions = [Transition(int(turn), int(prefix), label, bool(on), tail) for turn, prefix, label, on, tail
                           in zip(data['turn'], data['prefix_len'], labels, data['on_path'], tails)]
            return RenderedTrajectory(data['path'], transitions)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        return None


def render_all(tokenizer, spec, records: list[dict], cache_dir: str | None,
               stats: CacheStats | None = None) -> list[RenderedTrajectory]:
    """Each record's rendering: from the cache when it holds one for this template, else rendered and stored."""
    stats = stats if stats is not None else CacheStats()
    if not cache_dir:
        stats.rendered += len(records)
        return [render_trajectory(tokenizer, spec, record) for record in records]
    root = os.path.join(cache_dir, template_key(tokenizer, spec))
    rendered = []
    for record in records:
        path = os.path.join(root, f'{record_key(record)}.npz')
        cached = _load(path) if os.path.exists(path) else None
        if cached is None:
            cached = render_trajectory(tokenizer, spec, record)
            _save(path, cached)
            stats.rendered += 1
        else:
            stats.hits += 1
        rendered.append(cached)
    return rendered
