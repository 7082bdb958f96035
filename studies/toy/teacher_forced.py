"""Teacher-forced scoring of a student on oracle episodes: which label tokens would it get wrong?

For each TrajectoryRecord (e.g. held-out oracle episodes from `studies/toy/episodes.ts collect --split heldout`), the
whole episode is rendered in the student's template and the model's argmax is compared with every label token,
given the oracle's history. Prints the mean loss per label token, the wrong label tokens per turn index, and the
first wrong ones with their context (docs/toy-tasks.md, "Learnability": the "wrong label tokens" column).

    PYTHONPATH=trainer python studies/toy/teacher_forced.py MODEL_DIR EPISODES.jsonl [--examples 20]
"""
import argparse
import json

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from agent_dagger_trainer.render import canonical_to_template, render_conversation, turn_messages
from agent_dagger_trainer.templates import load_spec


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('model')
    parser.add_argument('episodes')
    parser.add_argument('--examples', type=int, default=20, help='wrong tokens to show with their context')
    args = parser.parse_args()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model).eval()
    spec = load_spec(args.model, tokenizer)
    wrong: dict[int, int] = {}
    total: dict[int, int] = {}
    examples = []
    nll, n = 0.0, 0
    for line in open(args.episodes):
        record = json.loads(line)
        messages = list(record['prompt'])
        for turn in record['turns']:
            messages.extend(turn_messages(turn['executed'], turn['observation']))
        rendered = render_conversation(tokenizer, spec, canonical_to_template(messages), record['tools'], False)
        with torch.no_grad():
            logits = model(torch.tensor([rendered.ids])).logits[0].float()
        predicted = logits.argmax(-1)
        logp = torch.log_softmax(logits, -1)
        for k, (start, end) in enumerate(rendered.assistant_spans):
            for i in range(start, end):
                target = rendered.ids[i]
                nll -= logp[i - 1, target].item()
                n += 1
                total[k] = total.get(k, 0) + 1
                if predicted[i - 1].item() != target:
                    wrong[k] = wrong.get(k, 0) + 1
                    if len(examples) < args.examples:
                        context = tokenizer.decode(rendered.ids[max(start, i - 14):i])
                        examples.append((k, context, tokenizer.decode([target]), tokenizer.decode([predicted[i - 1].item()])))
    turns = sorted(total)
    print(json.dumps({'nll_per_label_token': round(nll / max(n, 1), 4), 'label_tokens': n,
                      'wrong': sum(wrong.values()), 'wrong_by_turn': [wrong.get(k, 0) for k in turns],
                      'label_tokens_by_turn': [total[k] for k in turns]}))
    for k, context, target, got in examples:
        print(f'turn {k}: ...{context!r} -> expected {target!r}, predicted {got!r}')


if __name__ == '__main__':
    main()
