"""The copy warm-up that gives a tiny from-scratch student in-context copying (warmup.py)."""
import json
import os

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer.model import init_model
from agent_dagger_trainer.warmup import copy_batch, copy_warmup


def test_copy_batch_puts_the_loss_on_the_repeat_only():
    generator = torch.Generator().manual_seed(3)
    vocab = list(range(10, 60))
    for _ in range(20):
        x, labels = copy_batch(generator, vocab, 4, 12, 1, 6)
        sep = (x[0] == 1).nonzero().flatten().tolist()
        assert len(sep) == 1, 'the separator occurs once (it is not in the vocabulary drawn from)'
        n = x.shape[1] - sep[0] - 1
        assert torch.equal(x[:, :n], x[:, -n:]), 'the span is repeated after the separator'
        assert (labels[:, : sep[0] + 2] == -100).all() and torch.equal(labels[:, sep[0] + 2:], x[:, sep[0] + 2:])


def test_copy_warmup_trains_in_place_and_init_model_records_it(tmp_path):
    out = str(tmp_path / 'tiny')
    result = init_model(out, 'chatml-brief', vocab_size=300, hidden_size=32, layers=2, heads=2, kv_heads=1, context=256,
                        seed=0, copy_warmup_steps=30)
    assert result['copy_warmup_steps'] == 30 and result['copy_warmup_loss'] is not None
    assert json.load(open(os.path.join(out, 'agent_dagger.json')))['template'] == 'chatml-brief'
    tokenizer = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    before = [p.detach().clone() for p in model.parameters()]
    loss = copy_warmup(model, tokenizer, 40, batch=4, span=8, max_gap=4, lr=1e-2, seed=1, log_every=0)
    assert loss == loss and loss < 8.0
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters())), 'the weights changed'
    assert not model.training, 'the model is left in eval mode'
