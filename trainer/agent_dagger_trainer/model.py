"""`init-model`: a tiny student made from scratch, since no weights or tokenizers can be downloaded.

A byte-level BPE tokenizer is trained on text rendered with the chosen chat template (so the markup and tool-call
syntax get their own merges) plus any corpus files given (e.g. the bundled task suites), then a small Llama-style
causal LM is initialised with a fixed seed. Both are saved with `save_pretrained`, so
`AutoTokenizer` / `AutoModelForCausalLM.from_pretrained(dir)` load them like any downloaded model.
"""
from __future__ import annotations

import json
import os
import random

from .templates import TEMPLATES, TemplateSpec, save_spec

PAD_TOKEN = '<|pad|>'
_TEXT_SUFFIXES = ('.py', '.md', '.txt', '.json', '.jsonl', '.toml', '.cfg', '.ini', '.sh', '.yaml', '.yml', '.rst')
_CORPUS_LIMIT = 16 * 1024 * 1024

# The OpenHands CodeAct tools, for the synthetic conversations that teach the tokenizer the template's shapes.
SYNTHETIC_TOOLS = [
    {'type': 'function', 'function': {'name': 'execute_bash', 'description': 'Run a bash command in the repository.',
     'parameters': {'type': 'object', 'properties': {'command': {'type': 'string', 'description': 'The command.'},
                    'timeout': {'type': 'integer', 'description': 'Seconds before the command is killed.'}},
                    'required': ['command']}}},
    {'type': 'function', 'function': {'name': 'str_replace_editor', 'description': 'View, create and edit files.',
     'parameters': {'type': 'object', 'properties': {
         'command': {'type': 'string', 'description': 'view, create, str_replace, insert or undo_edit.'},
         'path': {'type': 'string', 'description': 'Absolute path of the file.'},
         'file_text': {'type': 'string', 'description': 'Content for create.'},
         'old_str': {'type': 'string', 'description': 'Text to replace.'},
         'new_str': {'type': 'string', 'description': 'Replacement text.'},
         'insert_line': {'type': 'integer', 'description': 'Line after which to insert.'},
         'view_range': {'type': 'array', 'description': 'First and last line to view.'}},
         'required': ['command', 'path']}}},
    {'type': 'function', 'function': {'name': 'think', 'description': 'Write down a thought.',
     'parameters': {'type': 'object', 'properties': {'thought': {'type': 'string', 'description': 'The thought.'}},
                    'required': ['thought']}}},
    {'type': 'function', 'function': {'name': 'finish', 'description': 'Finish the task.',
     'parameters': {'type': 'object', 'properties': {'message': {'type': 'string', 'description': 'Summary.'}},
                    'required': ['message']}}},
]

_WORDS = ('the function returns a wrong value when the input is empty fix the bug in module so that tests pass '
          'check file line error value list dict string number add subtract divide parse config test assert '
          'import def return class self none true false if else for while in not and or').split()
_COMMANDS = ['ls', 'ls -la', 'cat setup.py', 'grep -rn "def " .', 'python -m pytest -q', 'git diff', 'git status',
             'find . -name "*.py"', 'sed -n 1,40p calc.py', 'python -c "import calc"', 'head -n 20 README.md']
_CODE = ['def add(a, b):\n    return a + b\n', 'def divide(a, b):\n    if b == 0:\n        raise ValueError("b")\n'
         '    return a / b\n', 'import os\n\n\nclass Parser:\n    def __init__(self, text):\n        self.text = text\n',
         'for i in range(10):\n    print(i)\n', '    assert result == expected, f"{result} != {expected}"\n']


def _sentence(rng: random.Random, n: int) -> str:
    return ' '.join(rng.choice(_WORDS) for _ in range(n)).capitalize() + '.'


def _synthetic_call(rng: random.Random, index: int) -> dict:
    kind = rng.randrange(4)
    if kind == 0:
        name, arguments = 'execute_bash', {'command': rng.choice(_COMMANDS)}
    elif kind == 1:
        name = 'str_replace_editor'
        arguments = {'command': 'str_replace', 'path': f'/repo/{rng.choice(_WORDS)}.py',
                     'old_str': rng.choice(_CODE), 'new_str': rng.choice(_CODE)}
    elif kind == 2:
        name, arguments = 'think', {'thought': _sentence(rng, 12)}
    else:
        name, arguments = 'finish', {'message': _sentence(rng, 6)}
    return {'type': 'function', 'id': f'call_{index}', 'function': {'name': name, 'arguments': arguments}}


def synthetic_conversations(spec: TemplateSpec, count: int, seed: int) -> list[str]:
    """Rendered multi-turn tool-using conversations, to teach the tokenizer the template's markup."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.filters['tojson'] = lambda x, **kw: json.dumps(x, ensure_ascii=False)
    template = env.from_string(spec.chat_template)
    rng = random.Random(seed)
    texts = []
    for number in range(count):
        messages = [{'role': 'system', 'content': 'You are a careful software engineer.'},
                    {'role': 'user', 'content': _sentence(rng, 30)}]
        for turn in range(rng.randrange(1, 6)):
            call = _synthetic_call(rng, turn)
            content = _sentence(rng, rng.randrange(0, 10)) if rng.random() < 0.5 else ''
            messages.append({'role': 'assistant', 'content': content, 'tool_calls': [call]})
            observation = rng.choice(_CODE) if rng.random() < 0.5 else _sentence(rng, 15)
            messages.append({'role': 'tool', 'content': observation, 'name': call['function']['name']})
        texts.append(template.render(messages=messages, tools=SYNTHETIC_TOOLS, add_generation_prompt=bool(number % 2)))
    return texts


def corpus_texts(paths: list[str]) -> list[str]:
    """Text files under the given files or directories, up to a total size limit, in a stable order."""
    texts, total = [], 0
    for root in paths:
        files = [root] if os.path.isfile(root) else sorted(
            os.path.join(d, name) for d, _, names in os.walk(root) for name in names)
        for path in files:
            if not path.endswith(_TEXT_SUFFIXES) or total >= _CORPUS_LIMIT:
                continue
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read(_CORPUS_LIMIT - total)
            texts.append(text)
            total += len(text)
    return texts


def train_tokenizer(spec: TemplateSpec, texts: list[str], vocab_size: int):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    special = [*spec.special_tokens, PAD_TOKEN]
    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    backend.train_from_iterator(texts, trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, eos_token=spec.end_of_turn, pad_token=PAD_TOKEN,
                                        additional_special_tokens=list(spec.special_tokens))
    tokenizer.add_tokens(list(spec.added_tokens))
    tokenizer.chat_template = spec.chat_template
    return tokenizer


def init_model(output: str, template: str = 'chatml-json', corpus: list[str] | None = None, vocab_size: int = 1024,
               hidden_size: int = 128, layers: int = 4, heads: int = 4, kv_heads: int = 2, context: int = 8192,
               seed: int = 0, copy_warmup_steps: int = 0) -> dict:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    if template not in TEMPLATES:
        raise ValueError(f'unknown template {template!r}; choose one of {", ".join(TEMPLATES)}')
    spec = TEMPLATES[template]
    texts = synthetic_conversations(spec, 400, seed) + corpus_texts(corpus or [])
    tokenizer = train_tokenizer(spec, texts, vocab_size)
    eot = tokenizer.convert_tokens_to_ids(spec.end_of_turn)
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=hidden_size, intermediate_size=hidden_size * 3,
        num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=kv_heads,
        max_position_embeddings=context, tie_word_embeddings=True, eos_token_id=eot,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    model.generation_config.eos_token_id = eot
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    warmup_loss = None
    if copy_warmup_steps > 0:
        from .warmup import copy_warmup

        warmup_loss = round(copy_warmup(model, tokenizer, copy_warmup_steps, seed=seed), 4)
    os.makedirs(output, exist_ok=True)
    model.save_pretrained(output)
    tokenizer.save_pretrained(output)
    save_spec(output, spec)
    return {'event': 'done', 'model_dir': output, 'template': template, 'parameters': model.num_parameters(),
            'vocab_size': len(tokenizer), 'context': context, 'copy_warmup_steps': copy_warmup_steps,
            'copy_warmup_loss': warmup_loss}
