"""Prefix-tree packing of a trajectory's transitions (h_t, a*_t) into training sequences.

All transitions of one trajectory share the trajectory's path (prompt, executed actions, observations):
- where the teacher executed, its label a*_t is the next stretch of the path: loss on, in place;
- where the student executed, the path continues with the student's action (loss off) and a*_t is a *branch* off
  h_t: its tokens are appended after the path and attend to the path up to the branch point and to earlier tokens
  of their own branch, with position ids continuing from the branch point.

The loss of a packed sequence is then the sum of the per-transition losses of the naive expansion (one sequence
per transition), which `expand_naive` builds as the reference.

Token data is held in int32 numpy arrays (a Python int list costs ≈ 36 bytes per token and array, these 4). The
attention structure of a tree is two intervals per query token: its own segment (the path, or its branch) from the
segment's start up to itself, and — for a branch token — the path before its branch point. `collate` turns that into
either a dense (L × L) boolean mask (SDPA, any device) or a FlexAttention BlockMask whose blocks are computed from the
intervals without materialising L × L, and whose mask_mod reads three per-token arrays.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

INT = np.int32
# Per-label-token values (log-probabilities, advantages) that a weighted or policy-gradient objective reads.
FLOAT = np.float32
# FlexAttention's default sparse block (torch.nn.attention.flex_attention._DEFAULT_SPARSE_BLOCK_SIZE).
BLOCK = 128


def ids(values) -> np.ndarray:
    """Token ids (or indices) as a compact int32 array."""
    return np.asarray(values, dtype=INT)


@dataclass
class Transition:
    """One training example (h_t, a*_t) of a rendered trajectory."""

    turn: int
    # Tokens of h_t (with the generation prompt) = path[:prefix_len].
    prefix_len: int
    # Tokens of the label a*_t through its end-of-turn token.
    label: np.ndarray
    # The label is the path's own continuation (teacher-executed turn): path[prefix_len:prefix_len+len(label)].
    on_path: bool
    # The end of h_t's prompt that is not on the path (a template that renders a generation prompt unlike the same
    # turn in later histories, e.g. Qwen3's empty think block): on the label's branch before it, attended, no loss.
    prompt_tail: np.ndarray = field(default_factory=lambda: np.zeros(0, INT))
    # Named values per label token (objective.py: the teacher's or the behaviour policy's log-probabilities, the
    # advantage): they travel with the label's tokens through packing, so any per-token weight stays exact.
    label_data: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.label = ids(self.label)
        self.prompt_tail = ids(self.prompt_tail)
        if self.on_path and len(self.prompt_tail):
            raise ValueError(f'turn {self.turn}: a label on the path must have its whole prompt on the path')
        self.label_data = {name: np.asarray(values, dtype=FLOAT) for name, values in self.label_data.items()}
        for name, values in self.label_data.items():
            if values.shape != self.label.shape:
                raise ValueError(f'turn {self.turn}: label_data[{name!r}] has {values.size} values for '
                                 f'{len(self.label)} label tokens; give one value per label token')


@dataclass
class RenderedTrajectory:
    path: np.ndarray
    transitions: list[Transition]

    def __post_init__(self) -> None:
        self.path = ids(self.path)


@dataclass
class Sequence:
    """One training sequence: a tree (path + branches) or a plain prefix + label.

    Token i attends to token j (j <= i) when j >= seg_start[i] (its own segment: the path, or its own branch) or
    j < visible_path[i] (the path before its branch point; i + 1 on the path itself).
    """

    input_ids: np.ndarray
    position_ids: np.ndarray
    seg_start: np.ndarray
    visible_path: np.ndarray
    # Loss terms: the token at target index k is predicted by the logits at source index.
    loss_targets: np.ndarray
    loss_sources: np.ndarray
    # Per loss term, aligned with loss_targets: the label tokens' named values (Transition.label_data).
    label_data: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.input_ids)

    @property
    def label_count(self) -> int:
        return len(self.loss_targets)

    @property
    def nbytes(self) -> int:
        return sum(getattr(self, name).nbytes for name in self.__dataclass_fields__ if name != 'label_data') + \
            sum(values.nbytes for values in self.label_data.values())


def _sequence(path: np.ndarray, loss_on_path: list[tuple[int, int]],
              branches: list[tuple[int, np.ndarray, int]], data: list[dict[str, np.ndarray]]) -> Sequence:
    """A path with loss spans (start, length) on it, then branches (branch point, tokens, leading tokens without
    loss) appended after it; `data` holds each span's label_data, path spans first, in the same order."""
    n = len(path)
    parts_ids, parts_pos, parts_seg, parts_vis = [path], [np.arange(n, dtype=INT)], [np.zeros(n, INT)], \
        [np.arange(1, n + 1, dtype=INT)]
    targets = [np.arange(s, s + k, dtype=INT) for s, k in loss_on_path]
    sources = [np.arange(s - 1, s + k - 1, dtype=INT) for s, k in loss_on_path]
    start = n
    for point, tokens, skip in branches:
        k = len(tokens)
        parts_ids.append(tokens)
        parts_pos.append(np.arange(point, point + k, dtype=INT))
        parts_seg.append(np.full(k, start, INT))
        parts_vis.append(np.full(k, point, INT))
        targets.append(np.arange(start + skip, start + k, dtype=INT))
        # The first branch token is predicted from the last token of h_t on the path, the rest from their predecessor.
        sources.append(np.concatenate([ids([point - 1]), np.arange(start, start + k - 1, dtype=INT)])[skip:])
        start += k
    cat = lambda parts: np.concatenate(parts).astype(INT, copy=False) if parts else np.zeros(0, INT)  # noqa: E731
    return Sequence(cat(parts_ids), cat(parts_pos), cat(parts_seg), cat(parts_vis), cat(targets), cat(sources),
                    _concat_data(data))


def _concat_data(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Per-name concatenation; every part must carry the same names (a weight missing for some labels is a bug)."""
    names = set(parts[0]) if parts else set()
    for part in parts:
        if set(part) != names:
            raise ValueError(f'label_data names differ between labels packed together ({sorted(names)} vs '
                             f'{sorted(part)}); every transition must carry the same values')
    return {name: np.concatenate([part[name] for part in parts]).astype(FLOAT, copy=False) for name in sorted(names)}


@dataclass
class PackStats:
    sequences: int = 0
    tokens: int = 0
    label_tokens: int = 0
    # Transitions longer than max_seq_len on their own (prefix + label): left out.
    dropped: int = 0


def _fits(transition: Transition, max_len: int) -> bool:
    return transition.prefix_len + len(transition.prompt_tail) + len(transition.label) <= max_len


def expand_naive(trajectory: RenderedTrajectory, max_len: int, stats: PackStats | None = None) -> list[Sequence]:
    """The reference: one sequence per transition, h_t followed by a*_t, loss on a*_t."""
    sequences = []
    for transition in trajectory.transitions:
        if not _fits(transition, max_len):
            if stats:
                stats.dropped += 1
            continue
        path = np.concatenate([trajectory.path[: transition.prefix_len], transition.prompt_tail, transition.label])
        start = transition.prefix_len + len(transition.prompt_tail)
        sequences.append(_sequence(path, [(start, len(transition.label))], [], [transition.label_data]))
    _count(sequences, stats)
    return sequences


def pack_tree(trajectory: RenderedTrajectory, max_len: int, stats: PackStats | None = None) -> list[Sequence]:
    """Pack the transitions into as few prefix trees as fit in max_len tokens each (greedy, in turn order).

    A trajectory longer than max_len is split into several trees; each later tree repeats the shared prefix it needs,
    which keeps the loss exact at the cost of some recomputation.
    """
    groups: list[list[Transition]] = []
    size = 0
    for transition in trajectory.transitions:
        if not _fits(transition, max_len):
            if stats:
                stats.dropped += 1
            continue
        if groups:
            grown = size - _path_end(groups[-1][-1]) + _path_end(transition) + _branch_len(transition)
            if grown <= max_len:
                groups[-1].append(transition)
                size = grown
                continue
        groups.append([transition])
        size = _path_end(transition) + _branch_len(transition)
    sequences = [_tree(trajectory.path, group) for group in groups]
    _count(sequences, stats)
    return sequences


def _path_end(transition: Transition) -> int:
    return transition.prefix_len + (len(transition.label) if transition.on_path else 0)


def _branch_len(transition: Transition) -> int:
    return 0 if transition.on_path else len(transition.prompt_tail) + len(transition.label)


def _tree(path: np.ndarray, group: list[Transition]) -> Sequence:
    on_path = [t for t in group if t.on_path]
    branched = [t for t in group if not t.on_path]
    return _sequence(path[: _path_end(group[-1])],
                     [(t.prefix_len, len(t.label)) for t in on_path],
                     [(t.prefix_len, np.concatenate([t.prompt_tail, t.label]), len(t.prompt_tail)) for t in branched],
                     [t.label_data for t in on_path + branched])


def _count(sequences: list[Sequence], stats: PackStats | None) -> None:
    if stats:
        stats.sequences += len(sequences)
        stats.tokens += sum(len(s) for s in sequences)
        stats.label_tokens += sum(s.label_count for s in sequences)


# ---- tensors --------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """Sequences side by side in one row of the model's input; the mask keeps them apart."""

    input_ids: torch.Tensor  # (1, L)
    position_ids: torch.Tensor  # (1, L)
    # (1, 1, L, L) bool, True where attending (the form SDPA takes as it is), or a FlexAttention BlockMask.
    attention_mask: object
    loss_sources: torch.Tensor  # (N,) positions whose logits predict ...
    loss_targets: torch.Tensor  # (N,) ... these token ids
    label_data: dict[str, torch.Tensor] = field(default_factory=dict)  # name -> (N,) float32, one per loss term


@dataclass
class Intervals:
    """Per token of a row: it attends to [seg_lo, itself] and to [path_lo, path_hi) — nothing of another sequence."""

    seg_lo: np.ndarray
    path_lo: np.ndarray
    path_hi: np.ndarray


def row_intervals(sequences: list[Sequence]) -> Intervals:
    offsets = np.cumsum([0, *(len(s) for s in sequences[:-1])])
    return Intervals(
        np.concatenate([s.seg_start + o for s, o in zip(sequences, offsets)]).astype(INT),
        np.concatenate([np.full(len(s), o, INT) for s, o in zip(sequences, offsets)]),
        np.concatenate([s.visible_path + o for s, o in zip(sequences, offsets)]).astype(INT),
    )


def _allowed(q, kv, seg_lo, path_lo, path_hi):
    """The tree mask, stated once for the dense matrix and FlexAttention's mask_mod alike."""
    return (kv <= q) & ((kv >= seg_lo[q]) | ((kv >= path_lo[q]) & (kv < path_hi[q])))


def dense_tree_mask(intervals: Intervals, device: torch.device | str = 'cpu') -> torch.Tensor:
    """Boolean (L, L) matrix: entry [i, j] is True when token i may attend to token j (built on `device`)."""
    seg_lo, path_lo, path_hi = (torch.from_numpy(a).to(device) for a in (intervals.seg_lo, intervals.path_lo,
                                                                          intervals.path_hi))
    index = torch.arange(len(seg_lo), device=device)
    return _allowed(index[:, None], index[None, :], seg_lo, path_lo, path_hi)


def tree_attention_allowed(sequences: list[Sequence], device: torch.device | str = 'cpu') -> torch.Tensor:
    return dense_tree_mask(row_intervals(sequences), device)


def flex_available() -> bool:
    try:
        from torch.nn.attention.flex_attention import BlockMask  # noqa: F401
    except ImportError:
        return False
    return True


def tree_block_mask(intervals: Intervals, device: torch.device | str = 'cpu', block: int = BLOCK):
    """The tree mask as a FlexAttention BlockMask, equal to `create_block_mask` of the same mask_mod.

    Blocks are classified (empty, partial, full) by counting, per (query block, key block), the overlap of each
    query's two intervals with the key block: O(L · L / block) integer work and O(L / block)² memory, instead of
    evaluating the mask_mod on all L² pairs. Partial blocks apply the mask_mod; full ones skip it.
    """
    from torch.nn.attention.flex_attention import BlockMask

    length = len(intervals.seg_lo)
    blocks = -(-length // block)
    padded = blocks * block
    # Padding queries (beyond L) attend to nothing, so the mask_mod may read them safely.
    pad = lambda a, v: torch.from_numpy(np.pad(a, (0, padded - length), constant_values=v)).to(device)  # noqa: E731
    seg_lo, path_lo, path_hi = pad(intervals.seg_lo, padded), pad(intervals.path_lo, 0), pad(intervals.path_hi, 0)
    q = torch.arange(padded, device=device, dtype=torch.int32)
    valid = q < length
    a1, b1 = torch.where(valid, seg_lo, 0), torch.where(valid, q + 1, 0)
    # The path interval of a path token lies inside its own segment: clip it so the two never overlap.
    a2, b2 = path_lo, torch.minimum(path_hi, seg_lo)
    lo = torch.arange(blocks, device=device, dtype=torch.int32) * block
    hi = torch.clamp(lo + block, max=length)
    counts = torch.empty(blocks, blocks, dtype=torch.int64, device=device)
    step = max(1, (1 << 22) // (block * blocks))
    for first in range(0, blocks, step):
        rows = slice(first * block, min(blocks, first + step) * block)
        overlap = sum(torch.clamp(torch.minimum(b[rows, None], hi) - torch.maximum(a[rows, None], lo), min=0)
                      for a, b in ((a1, b1), (a2, b2)))
        counts[first:first + step] = overlap.view(-1, block, blocks).sum(1)
    full = counts == block * block
    partial = (counts > 0) & ~full

    def ordered(dense: torch.Tensor):
        dense = dense.to(torch.int32)[None, None]
        return dense.sum(-1).to(torch.int32), torch.argsort(dense, dim=-1, descending=True, stable=True).to(torch.int32)

    def mask_mod(b, h, q_idx, kv_idx):
        return _allowed(q_idx, kv_idx, seg_lo, path_lo, path_hi)

    return BlockMask.from_kv_blocks(*ordered(partial), *ordered(full), BLOCK_SIZE=block, mask_mod=mask_mod,
                                    seq_lengths=(length, length))


def collate(sequences: list[Sequence], device: torch.device | str, attention: str = 'dense') -> Row:
    """One row of the model's input; `attention` 'dense' (a boolean matrix) or 'flex' (a BlockMask)."""
    if attention not in ('dense', 'flex'):
        raise ValueError(f"attention must be 'dense' or 'flex', got {attention!r}")
    offsets = np.cumsum([0, *(len(s) for s in sequences[:-1])])
    intervals = row_intervals(sequences)
    as_tensor = lambda parts: torch.from_numpy(np.concatenate(parts)).to(device, torch.long)  # noqa: E731
    input_ids = as_tensor([s.input_ids for s in sequences])
    mask = tree_block_mask(intervals, device) if attention == 'flex' else dense_tree_mask(intervals, device)[None, None]
    return Row(
        input_ids=input_ids[None],
        position_ids=as_tensor([s.position_ids for s in sequences])[None],
        attention_mask=mask,
        loss_sources=as_tensor([s.loss_sources + o for s, o in zip(sequences, offsets)]),
        loss_targets=input_ids[as_tensor([s.loss_targets + o for s, o in zip(sequences, offsets)])],
        label_data={name: torch.from_numpy(values).to(device)
                    for name, values in _concat_data([s.label_data for s in sequences]).items()},
    )


def rows(sequences: list[Sequence], max_len: int) -> list[list[Sequence]]:
    """Group sequences, in order, into rows of at most max_len tokens.

    Only for the block mask: it skips every block between two sequences, so sharing a row costs nothing but the
    few blocks on their boundary. A dense mask would pay (ΣL)² for it, so dense rows hold one sequence each
    (`rows_for`).
    """
    grouped: list[list[Sequence]] = []
    size = 0
    for sequence in sequences:
        if grouped and size + len(sequence) <= max_len:
            grouped[-1].append(sequence)
            size += len(sequence)
        else:
            grouped.append([sequence])
            size = len(sequence)
    return grouped


def rows_for(sequences: list[Sequence], max_len: int, attention: str) -> list[list[Sequence]]:
    return rows(sequences, max_len) if attention == 'flex' else [[s] for s in sequences]
