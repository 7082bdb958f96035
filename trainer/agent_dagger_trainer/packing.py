"""Prefix-tree packing of a trajectory's transitions (h_t, a*_t) into training sequences.

All transitions of one trajectory share the trajectory's path (prompt, executed actions, observations):
- where the teacher executed, its label a*_t is the next stretch of the path: loss on, in place;
- where the student executed, the path continues with the student's action (loss off) and a*_t is a *branch* off
  h_t: its tokens are appended after the path and attend to the path up to the branch point and to earlier tokens
  of their own branch, with position ids continuing from the branch point.

The loss of a packed sequence is then the sum of the per-transition losses of the naive expansion (one sequence
per transition), which `expand_naive` builds as the reference. Sequences are described by plain lists here; the
attention mask and tensors are built in `collate`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch


@dataclass
class Transition:
    """One training example (h_t, a*_t) of a rendered trajectory."""

    turn: int
    # Tokens of h_t (with the generation prompt) = path[:prefix_len].
    prefix_len: int
    # Tokens of the label a*_t through its end-of-turn token.
    label: list[int]
    # The label is the path's own continuation (teacher-executed turn): path[prefix_len:prefix_len+len(label)].
    on_path: bool


@dataclass
class RenderedTrajectory:
    path: list[int]
    transitions: list[Transition]


@dataclass
class Sequence:
    """One training sequence: a tree (path + branches) or a plain prefix + label.

    Token i attends to token j (j <= i) when both are on the path (branch 0), or when both are on the same branch,
    or when j is on the path before token i's branch point.
    """

    input_ids: list[int] = field(default_factory=list)
    position_ids: list[int] = field(default_factory=list)
    branch: list[int] = field(default_factory=list)
    # Path tokens visible to each token: i + 1 on the path, the branch point on a branch.
    visible_path: list[int] = field(default_factory=list)
    # Loss terms: the token at target index k is predicted by the logits at source index.
    loss_targets: list[int] = field(default_factory=list)
    loss_sources: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.input_ids)

    def add_path(self, tokens: list[int]) -> None:
        start = len(self.input_ids)
        self.input_ids.extend(tokens)
        self.position_ids.extend(range(start, start + len(tokens)))
        self.branch.extend([0] * len(tokens))
        self.visible_path.extend(range(start + 1, start + len(tokens) + 1))

    def add_branch(self, branch_id: int, branch_point: int, tokens: list[int]) -> None:
        start = len(self.input_ids)
        self.input_ids.extend(tokens)
        self.position_ids.extend(range(branch_point, branch_point + len(tokens)))
        self.branch.extend([branch_id] * len(tokens))
        self.visible_path.extend([branch_point] * len(tokens))
        # The first branch token is predicted from the last token of h_t on the path, the rest from their predecessor.
        self.loss_targets.extend(range(start, start + len(tokens)))
        self.loss_sources.extend([branch_point - 1, *range(start, start + len(tokens) - 1)])

    def add_loss_on_path(self, start: int, length: int) -> None:
        self.loss_targets.extend(range(start, start + length))
        self.loss_sources.extend(range(start - 1, start + length - 1))


@dataclass
class PackStats:
    sequences: int = 0
    tokens: int = 0
    label_tokens: int = 0
    # Transitions longer than max_seq_len on their own (prefix + label): left out.
    dropped: int = 0


def _fits(transition: Transition, max_len: int) -> bool:
    return transition.prefix_len + len(transition.label) <= max_len


def expand_naive(trajectory: RenderedTrajectory, max_len: int, stats: PackStats | None = None) -> list[Sequence]:
    """The reference: one sequence per transition, h_t followed by a*_t, loss on a*_t."""
    sequences = []
    for transition in trajectory.transitions:
        if not _fits(transition, max_len):
            if stats:
                stats.dropped += 1
            continue
        sequence = Sequence()
        sequence.add_path(trajectory.path[: transition.prefix_len])
        sequence.add_path(transition.label)
        sequence.add_loss_on_path(transition.prefix_len, len(transition.label))
        sequences.append(sequence)
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
    return 0 if transition.on_path else len(transition.label)


def _tree(path: list[int], group: list[Transition]) -> Sequence:
    sequence = Sequence()
    sequence.add_path(path[: _path_end(group[-1])])
    for transition in group:
        if transition.on_path:
            sequence.add_loss_on_path(transition.prefix_len, len(transition.label))
    for branch_id, transition in enumerate((t for t in group if not t.on_path), start=1):
        sequence.add_branch(branch_id, transition.prefix_len, transition.label)
    return sequence


def _count(sequences: list[Sequence], stats: PackStats | None) -> None:
    if stats:
        stats.sequences += len(sequences)
        stats.tokens += sum(len(s) for s in sequences)
        stats.label_tokens += sum(len(s.loss_targets) for s in sequences)


# ---- tensors --------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """Several sequences side by side in one row of the model's input (block-diagonal attention)."""

    input_ids: torch.Tensor  # (1, L)
    position_ids: torch.Tensor  # (1, L)
    attention_mask: torch.Tensor  # (1, 1, L, L) bool, True where attending (the form SDPA takes as it is)
    loss_sources: torch.Tensor  # (N,) positions whose logits predict ...
    loss_targets: torch.Tensor  # (N,) ... these token ids


def tree_attention_allowed(sequences: list[Sequence], device: torch.device | str = 'cpu') -> torch.Tensor:
    """Boolean (L, L) matrix: entry [i, j] is True when token i may attend to token j (built on `device`)."""
    doc, branch, visible, index = [], [], [], []
    offset = 0
    for number, sequence in enumerate(sequences):
        doc.extend([number] * len(sequence))
        branch.extend(sequence.branch)
        visible.extend(v + offset for v in sequence.visible_path)
        index.extend(range(offset, offset + len(sequence)))
        offset += len(sequence)
    doc_t, branch_t, visible_t, index_t = (torch.tensor(x, device=device) for x in (doc, branch, visible, index))
    same_doc = doc_t[:, None] == doc_t[None, :]
    causal = index_t[None, :] <= index_t[:, None]
    same_branch = branch_t[:, None] == branch_t[None, :]
    visible_on_path = (branch_t[None, :] == 0) & (index_t[None, :] < visible_t[:, None])
    return same_doc & causal & (same_branch | visible_on_path)


def collate(sequences: list[Sequence], device: torch.device | str) -> Row:
    allowed = tree_attention_allowed(sequences, device)
    input_ids, position_ids, sources, targets = [], [], [], []
    offset = 0
    for sequence in sequences:
        input_ids.extend(sequence.input_ids)
        position_ids.extend(sequence.position_ids)
        sources.extend(s + offset for s in sequence.loss_sources)
        targets.extend(sequence.input_ids[t] for t in sequence.loss_targets)
        offset += len(sequence)
    return Row(
        input_ids=torch.tensor([input_ids], device=device),
        position_ids=torch.tensor([position_ids], device=device),
        attention_mask=allowed[None, None],
        loss_sources=torch.tensor(sources, dtype=torch.long, device=device),
        loss_targets=torch.tensor(targets, dtype=torch.long, device=device),
    )


def rows(sequences: list[Sequence], max_len: int) -> list[list[Sequence]]:
    """Group sequences, in order, into rows of at most max_len tokens."""
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
