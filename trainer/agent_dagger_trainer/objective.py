"""The training objective: cross-entropy on the teacher's label tokens only, L(θ) = −Σ log π_θ(y_l | h, y_<l)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from .packing import Row


def label_loss_sum(model, row: Row) -> torch.Tensor:
    """Summed negative log-likelihood of a row's label tokens under its tree attention mask and position ids.

    Logits are computed only where a label token is predicted (`logits_to_keep`), which also lets a branch's first
    token be predicted from the last token of h_t on the path rather than from its left neighbour in the row.
    """
    output = model(
        input_ids=row.input_ids,
        attention_mask=row.attention_mask,
        position_ids=row.position_ids,
        logits_to_keep=row.loss_sources,
        use_cache=False,
    )
    logits = output.logits[0].float()
    return F.cross_entropy(logits, row.loss_targets, reduction='sum')
