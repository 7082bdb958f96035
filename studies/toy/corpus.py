"""Writes tasks/toy/corpus/episodes.txt: a few oracle episodes rendered exactly as the student will read them.

`init-model --corpus tasks/toy` fits the tiny student's BPE tokenizer to the text files under the suite. With only
the repositories in it, the fixed system prompt and tool definitions (the bulk of every episode) split into ~3.4
characters per token; fitted to rendered episodes they compress far better, and every training and inference token
saved is quadratic attention time on a CPU.

    PYTHONPATH=trainer python studies/toy/corpus.py runs/toy/sft.jsonl [--episodes 20] [--template chatml-json]
"""
import argparse
import os

from agent_dagger_trainer.dataset import load_trajectories
from agent_dagger_trainer.render import canonical_to_template, render_text, turn_messages
from agent_dagger_trainer.templates import TEMPLATES

# The corpus is the suite's data: it lives beside the suite, not beside this tool.
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tasks', 'toy', 'corpus', 'episodes.txt')


class _Renderer:
    """The template's jinja text rendering without a tokenizer (the tokenizer is what this corpus is for)."""

    def __init__(self, template: str):
        from jinja2.sandbox import ImmutableSandboxedEnvironment
        import json
        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.filters['tojson'] = lambda x, **kw: json.dumps(x, ensure_ascii=False)
        self.chat_template = env.from_string(TEMPLATES[template].chat_template)

    def apply_chat_template(self, messages, tools=None, add_generation_prompt=False, tokenize=False, **_):
        return self.chat_template.render(messages=messages, tools=tools, add_generation_prompt=add_generation_prompt)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('dataset')
    parser.add_argument('--episodes', type=int, default=20)
    parser.add_argument('--template', default='chatml-json', choices=sorted(TEMPLATES))
    args = parser.parse_args()
    renderer = _Renderer(args.template)
    texts = []
    for record in load_trajectories([args.dataset])[: args.episodes]:
        messages = list(record['prompt'])
        for turn in record['turns']:
            messages.extend(turn_messages(turn['executed'], turn['observation']))
        texts.append(render_text(renderer, canonical_to_template(messages), record['tools'], False))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write('\n'.join(texts))
    print(f'wrote {len(texts)} rendered episodes ({sum(map(len, texts))} characters) to {OUT}')


if __name__ == '__main__':
    main()
