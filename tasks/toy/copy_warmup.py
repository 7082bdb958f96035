"""Copy warm-up for a tiny student made from scratch (an experiment): "repeat this random span" before SFT.

A freshly initialised ~1M-parameter model trained on the toy episodes learns their fixed form quickly but not to copy
names and lines from the issue and the observations (it predicts a frequent name instead); copying needs an induction
mechanism (a previous-token head feeding a head that attends to "the token after the earlier occurrence of this
one"). Here it is trained on [span | random gap | separator | span] with the loss on the repeat; the gap varies so
that attending a fixed distance back cannot do it. Measured (docs/toy-tasks.md): the loss stays at ln(vocab) for
≈ 2,000 steps and the mechanism forms by ≈ 4,500 (about 4 minutes on one CPU thread). The model keeps its tokenizer
and template (the directory is copied, then its weights are replaced).

    PYTHONPATH=trainer python tasks/toy/copy_warmup.py MODEL_DIR OUT_DIR [--steps 3000] [--batch 8] [--span 32] [--max-gap 16]
"""
import argparse
import json
import shutil
import time

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def batch(gen: torch.Generator, vocab: list[int], size: int, span: int, sep: int, max_gap: int) -> tuple[torch.Tensor, torch.Tensor]:
    """[A | noise | sep | A]: the loss is on the repeat of A only. The span's length and the distance to its repeat
    vary per batch, so that a fixed positional offset cannot do the job: only attending by content (induction) can."""
    ids = torch.tensor(vocab)
    n = int(torch.randint(span // 3, span + 1, (1,), generator=gen))
    gap = int(torch.randint(0, max_gap + 1, (1,), generator=gen))
    a = ids[torch.randint(len(vocab), (size, n), generator=gen)]
    noise = ids[torch.randint(len(vocab), (size, gap), generator=gen)]
    sep_col = torch.full((size, 1), sep)
    x = torch.cat([a, noise, sep_col, a], dim=1)
    labels = x.clone()
    labels[:, : n + gap + 2] = -100  # the first token of the repeat cannot be known; the rest can
    return x, labels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('model')
    parser.add_argument('output')
    parser.add_argument('--steps', type=int, default=3000)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--span', type=int, default=32, help='longest span (each batch draws span/3..span)')
    parser.add_argument('--max-gap', type=int, default=16, help='longest random gap between a span and its repeat')
    parser.add_argument('--lr', type=float, default=2e-3)
    parser.add_argument('--seed', type=int, default=0)
    args = parser.parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    special = set(tokenizer.all_special_ids)
    vocab = [i for i in range(len(tokenizer)) if i not in special]
    sep = tokenizer.convert_tokens_to_ids('\n') if '\n' in tokenizer.get_vocab() else vocab[0]
    gen = torch.Generator().manual_seed(args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.0)
    model.train()
    started = time.perf_counter()
    for step in range(1, args.steps + 1):
        lr = args.lr * min(1.0, step / 20) * (1 - (step - 1) / args.steps)
        for g in optimizer.param_groups:
            g['lr'] = lr
        x, labels = batch(gen, vocab, args.batch, args.span, sep, args.max_gap)
        loss = model(input_ids=x, labels=labels).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if step % 25 == 0 or step == args.steps:
            print(json.dumps({'event': 'step', 'step': step, 'loss': round(loss.item(), 4), 's': round(time.perf_counter() - started, 1)}), flush=True)
    shutil.copytree(args.model, args.output, dirs_exist_ok=True)
    model.save_pretrained(args.output)
    print(json.dumps({'event': 'done', 'model_dir': args.output, 'steps': args.steps}))


if __name__ == '__main__':
    main()
