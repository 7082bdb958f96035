"""`serve`: an OpenAI-compatible chat-completions server for the student (stdlib HTTP, one thread per request).

Prompts are rendered by the same code as training (render.py), so the served model sees the tokens it was trained
on; its output is parsed back into `tool_calls` with the template's format (malformed output stays plain content).
`POST /v1/load_lora_adapter` follows vLLM's runtime-loading endpoint, so the deploy step has one code path for vLLM
and for this server: it loads a LoRA adapter or a full checkpoint under a name that requests then use as `model`.

Where the project relies on vLLM, this server answers as vLLM does (docs/fidelity.md, "vLLM"): the load and unload
routes exist only when VLLM_ALLOW_RUNTIME_LORA_UPDATING is 1 or true; loading a name that is loaded already is a 400
unless the request says `load_inplace`; an unknown model is a 404; `parallel_tool_calls: false` keeps the first call;
errors carry vLLM's body `{"error": {"message", "type", "param", "code"}}` with the status as `code`.

Log-probabilities, which on-policy distillation and GRPO read, are served as vLLM serves them (its default
`--logprobs-mode raw_logprobs`: log-softmax of the model's raw logits, before temperature and top-p; at most
`--max-logprobs` 20 alternatives): `logprobs` + `top_logprobs` on chat completions, `logprobs` (a count) on
`POST /v1/completions`, vLLM's `prompt_logprobs` extension on both, `return_tokens_as_token_ids` and
`return_token_ids`. A generation that ends with the end-of-turn token returns that token too (its ids, its
log-probability and the usage count include it, as vLLM's do); the text does not.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch

from .events import emit
from .render import openai_to_template, render_conversation
from .templates import TemplateSpec, load_spec
from .toolcalls import parse_action


class RequestError(Exception):
    """A client error: answered with its HTTP status and vLLM's error body (its `code` is the HTTP status)."""

    def __init__(self, status: int, message: str, kind: str = 'BadRequestError', param: str | None = None):
        super().__init__(message)
        self.status, self.kind, self.param = status, kind, param

    def body(self) -> dict:
        return {'error': {'message': str(self), 'type': self.kind, 'param': self.param, 'code': self.status}}


class RouteNotFound(Exception):
    """A path the server does not serve: FastAPI's (and so vLLM's) plain 404 body."""


def runtime_lora_updating() -> bool:
    """vLLM's parsing of VLLM_ALLOW_RUNTIME_LORA_UPDATING (vllm/envs.py): '1' or 'true', any case, spaces stripped."""
    return os.environ.get('VLLM_ALLOW_RUNTIME_LORA_UPDATING', '0').strip().lower() in ('1', 'true')


_GENERATION = threading.Lock()


@dataclass
class ServedModel:
    name: str
    path: str
    model: object
    tokenizer: object
    spec: TemplateSpec
    context: int
    created: int = field(default_factory=lambda: int(time.time()))
    # Generation is serialised across all models: seeded sampling uses torch's one global RNG, so two models
    # sampling at once would draw from each other's seeds (the same seed must give the same sample, as in vLLM).
    lock: threading.Lock = field(default_factory=lambda: _GENERATION)


def _tokenizer_dir(path: str, fallback: str) -> str:
    return path if os.path.exists(os.path.join(path, 'tokenizer_config.json')) else fallback


def load_model(name: str, path: str, base_dir: str | None, device: torch.device) -> ServedModel:
    """Load a full model directory, or a LoRA adapter merged into its base (the adapter's recorded base, else base_dir)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if not os.path.isdir(path):
        # vLLM's LoRAAdapterNotFoundError, a VLLMNotFoundError: 404.
        raise RequestError(404, f'Loading lora {name} failed: No adapter found for {path}', 'NotFoundError')
    adapter_config = os.path.join(path, 'adapter_config.json')
    if os.path.exists(adapter_config):
        from peft import PeftModel

        with open(adapter_config) as f:
            recorded = json.load(f).get('base_model_name_or_path')
        base = recorded if recorded and os.path.isdir(recorded) else base_dir
        if not base:
            raise RequestError(500, f'the adapter {path} names no base model directory that exists here',
                               'InternalServerError')
        model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
        model = PeftModel.from_pretrained(model, path).merge_and_unload()
        tokenizer_dir = _tokenizer_dir(path, base)
    elif os.path.exists(os.path.join(path, 'config.json')):
        model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
        tokenizer_dir = path
    else:
        raise RequestError(500, f'{path} holds neither a model (config.json) nor a LoRA adapter (adapter_config.json)',
                           'InternalServerError')
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir)
    spec = load_spec(tokenizer_dir, tokenizer)
    model.to(device).eval()
    context = int(getattr(model.config, 'max_position_embeddings', 0) or tokenizer.model_max_length)
    return ServedModel(name, path, model, tokenizer, spec, context)


class Registry:
    def __init__(self, default: ServedModel, device: torch.device):
        self.default = default
        self.device = device
        self.models = {default.name: default}
        self.lock = threading.Lock()
        self.loading = threading.Lock()

    def get(self, name: str | None) -> ServedModel:
        if not name:
            return self.default
        with self.lock:
            if name not in self.models:
                raise RequestError(404, f'The model `{name}` does not exist.', 'NotFoundError', 'model')
            return self.models[name]

    def load(self, name: str, path: str, inplace: bool) -> str:
        """vLLM's OpenAIServingModels.load_lora_adapter: a loaded name is refused unless `inplace`, which replaces it."""
        with self.loading:  # one load at a time, as vLLM's per-name lock (the check and the load are atomic)
            with self.lock:
                loaded = name in self.models
            if name == self.default.name:
                raise RequestError(400, f"'{name}' is the base model's name: load the adapter under another lora_name.",
                                   'InvalidUserInput')
            if loaded and not inplace:
                raise RequestError(
                    400, f"The lora adapter '{name}' has already been loaded. If you want to load the adapter in "
                    "place, set 'load_inplace' to True.", 'InvalidUserInput')
            served = load_model(name, path, self.default.path, self.device)
            with self.lock:
                self.models[name] = served
        return f"Success: LoRA adapter '{name}' added successfully."

    def unload(self, name: str) -> str:
        if not name:
            raise RequestError(400, "'lora_name' needs to be provided to unload a LoRA adapter.", 'InvalidUserInput')
        with self.lock:
            if name == self.default.name or name not in self.models:
                raise RequestError(404, f"The lora adapter '{name}' cannot be found.", 'NotFoundError')
            del self.models[name]
        return f"Success: LoRA adapter '{name}' removed successfully."


# vLLM's ModelConfig.max_logprobs default (`--max-logprobs`): the most log-probabilities per position a request gets.
MAX_LOGPROBS = 20


@dataclass
class Generated:
    tokens: list[int]  # the new tokens, the end-of-turn token included when it ended the generation
    hit_end: bool
    # Per new token, the log-probabilities (vocabulary,) of the distribution it was drawn from, when asked for.
    logprobs: list[torch.Tensor] | None = None

    @property
    def content(self) -> list[int]:
        """The tokens the text is made of (without the end-of-turn token)."""
        return self.tokens[:-1] if self.hit_end else self.tokens


def _integer(body: dict, key: str):
    value = body.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise RequestError(400, f'`{key}` must be an integer, got {value!r}', param=key)
    return value


def logprob_counts(body: dict, chat: bool, vocab_size: int) -> tuple[int | None, int | None]:
    """(sampled-token count, prompt count) the request asks for: None = none, 0 = only the token itself, -1 = the
    whole vocabulary. vLLM's checks and messages: ChatCompletionRequest / CompletionRequest.check_logprobs, then
    the engine's _validate_logprobs against max_logprobs."""
    prompt = _integer(body, 'prompt_logprobs')
    if prompt is not None and prompt < 0 and prompt != -1:
        raise RequestError(400, '`prompt_logprobs` must be a positive value or -1.', param='prompt_logprobs')
    if chat:
        wanted = body.get('logprobs', False)
        if wanted is not None and not isinstance(wanted, bool):
            raise RequestError(400, f'`logprobs` must be a boolean, got {wanted!r}', param='logprobs')
        top = _integer(body, 'top_logprobs') if 'top_logprobs' in body else 0
        if top is not None:
            if top < 0 and top != -1:
                raise RequestError(400, '`top_logprobs` must be a positive value or -1.', param='top_logprobs')
            if (top == -1 or top > 0) and not wanted:
                raise RequestError(400, 'when using `top_logprobs`, `logprobs` must be set to true.',
                                   param='top_logprobs')
        sample = top if wanted else None
    else:
        sample = _integer(body, 'logprobs')
        if sample is not None and sample < 0:
            raise RequestError(400, '`logprobs` must be a positive value.', param='logprobs')
    for count, kind, param in ((sample, 'sample', 'logprobs'), (prompt, 'prompt', 'prompt_logprobs')):
        asked = vocab_size if count == -1 else count
        if asked and asked > MAX_LOGPROBS:
            raise RequestError(400, f'Requested {kind} logprobs of {asked}, which is greater than max allowed: '
                               f'{MAX_LOGPROBS}', param=param)
    return sample, prompt


def position_logprobs(tokenizer, logprobs: torch.Tensor, token: int, count: int) -> dict[int, dict]:
    """One position as vLLM's dict[token id, Logprob]: the actual token first with its rank in the vocabulary (the
    number of tokens at least as likely), then the `count` most likely tokens with ranks 1..count (-1: all); a token
    already present keeps its place (vllm/logprobs.py, append_logprobs_for_next_position)."""
    chosen = logprobs[token]
    entries = [(token, float(chosen), int((logprobs >= chosen).sum()))]
    if count:
        values, indices = torch.topk(logprobs, len(logprobs) if count == -1 else count)
        entries += [(int(t), float(v), rank) for rank, (v, t) in enumerate(zip(values, indices), start=1)]
    position: dict[int, dict] = {}
    for token_id, value, rank in entries:
        # Decoded one id at a time, special tokens kept (vLLM's convert_ids_list_to_tokens).
        position[token_id] = {'logprob': value, 'rank': rank, 'decoded_token': tokenizer.decode([token_id])}
    return position


def _shown(token_id: int, entry: dict, as_ids: bool) -> str:
    return f'token_id:{token_id}' if as_ids else entry['decoded_token']


def _clamped(value: float) -> float:
    # vLLM turns -inf into the JSON-serialisable -9999.0, as OpenAI does.
    return max(value, -9999.0)


def chat_logprobs(tokens: list[int], positions: list[dict[int, dict]], top: int, as_ids: bool) -> dict:
    """choices[].logprobs of a chat completion (vLLM's _create_chat_logprobs / _get_top_logprobs): the first `top`
    entries of each position in its order (all for -1), so the sampled token leads them."""
    content = []
    for token_id, position in zip(tokens, positions):
        entry = position[token_id]
        content.append({
            'token': _shown(token_id, entry, as_ids), 'logprob': _clamped(entry['logprob']),
            'bytes': list(entry['decoded_token'].encode('utf-8', errors='replace')),
            'top_logprobs': [
                {'token': (shown := _shown(t, e, as_ids)), 'logprob': _clamped(e['logprob']),
                 'bytes': list(shown.encode('utf-8', errors='replace'))}
                for i, (t, e) in enumerate(position.items()) if (top and i < top) or top == -1],
        })
    return {'content': content}


def completion_logprobs(tokens: list[int], positions: list[dict[int, dict]], count: int, as_ids: bool) -> dict:
    """choices[].logprobs of a completion (vLLM's _create_completion_logprobs): tokens, their log-probabilities,
    the entries i <= count of each position (OpenAI's logprobs + 1) and each token's offset in the text."""
    out = {'text_offset': [], 'token_logprobs': [], 'tokens': [], 'top_logprobs': []}
    offset = 0
    for token_id, position in zip(tokens, positions):
        token = _shown(token_id, position[token_id], as_ids)
        out['tokens'].append(token)
        out['token_logprobs'].append(_clamped(position[token_id]['logprob']))
        out['top_logprobs'].append({_shown(t, e, as_ids): _clamped(e['logprob'])
                                    for i, (t, e) in enumerate(position.items()) if count >= i})
        out['text_offset'].append(offset)
        offset += len(token)
    return out


def prompt_logprobs(served: ServedModel, prompt: list[int], count: int) -> list[dict[int, dict] | None]:
    """vLLM's prompt_logprobs: None for the first token (nothing predicts it), then per prompt token its
    position dict under the model's raw distribution given the tokens before it."""
    device = next(served.model.parameters()).device
    with served.lock, torch.no_grad():
        logits = served.model(input_ids=torch.tensor([prompt], device=device), use_cache=False).logits[0, :-1]
    rows = torch.log_softmax(logits.float(), dim=-1)
    out: list[dict[int, dict] | None] = [None]
    for row, token in zip(rows, prompt[1:]):
        position = position_logprobs(served.tokenizer, row, token, count)
        for entry in position.values():
            entry['logprob'] = _clamped(entry['logprob'])
        out.append(position)
    return out


def _context_check(served: ServedModel, prompt: list[int], requested: int | None, where: str) -> int:
    """The completion budget; a request that does not fit is refused with vLLM's message."""
    if requested is not None and (not isinstance(requested, int) or isinstance(requested, bool) or requested < 1):
        raise RequestError(400, f'max_tokens must be a positive integer, got {requested!r}', param='max_tokens')
    budget = served.context - len(prompt)
    if budget < 1 or (requested and requested > budget):
        completion = requested or 1
        raise RequestError(
            400,
            f"This model's maximum context length is {served.context} tokens. However, you requested "
            f'{len(prompt) + completion} tokens ({len(prompt)} in the {where}, {completion} in the completion). '
            f'Please reduce the length of the {where} or completion.')
    return budget


def _sampling(body: dict) -> tuple[float, float, int | None, list]:
    if body.get('n', 1) != 1:
        raise RequestError(400, 'only n = 1 is supported')
    temperature = _number(body, 'temperature', 1.0, 0.0, 2.0)
    top_p = _number(body, 'top_p', 1.0, 0.0, 1.0)
    seed = body.get('seed')
    if seed is not None and not isinstance(seed, int):
        raise RequestError(400, f'seed must be an integer, got {seed!r}', param='seed')
    stop = body.get('stop') or []
    return temperature, top_p, seed, [stop] if isinstance(stop, str) else stop


def _flag(body: dict, key: str) -> bool:
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise RequestError(400, f'`{key}` must be a boolean, got {value!r}', param=key)
    return bool(value)


def _positions(served: ServedModel, generated: Generated, count: int) -> list[dict[int, dict]]:
    return [position_logprobs(served.tokenizer, row, token, count)
            for token, row in zip(generated.tokens, generated.logprobs)]


def _number(body: dict, key: str, default, low: float, high: float):
    value = body.get(key)
    if value is None:
        return default
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not low <= value <= high:
        raise RequestError(400, f'{key} must be a number in [{low}, {high}], got {value!r}', param=key)
    return value


def chat_completion(served: ServedModel, body: dict) -> dict:
    try:
        messages = openai_to_template(body.get('messages'))
    except ValueError as error:
        raise RequestError(400, str(error)) from error
    tools = body.get('tools') or None
    if tools is not None and not isinstance(tools, list):
        raise RequestError(400, 'tools must be a list of function tools', param='tools')
    parallel = body.get('parallel_tool_calls', True)
    if parallel is not None and not isinstance(parallel, bool):
        raise RequestError(400, f'parallel_tool_calls must be a boolean, got {parallel!r}', param='parallel_tool_calls')
    temperature, top_p, seed, stop = _sampling(body)
    sample_count, prompt_count = logprob_counts(body, True, len(served.tokenizer))
    as_ids, return_ids = _flag(body, 'return_tokens_as_token_ids'), _flag(body, 'return_token_ids')

    prompt = render_conversation(served.tokenizer, served.spec, messages, tools, True).ids
    requested = body.get('max_completion_tokens') or body.get('max_tokens')
    budget = _context_check(served, prompt, requested, 'messages')
    generated = generate(served, prompt, requested or budget, temperature, top_p, seed, sample_count is not None)
    hit_end = generated.hit_end

    text = served.tokenizer.decode(generated.content, skip_special_tokens=True)
    finish_reason = 'stop' if hit_end else 'length'
    for marker in stop:
        if isinstance(marker, str) and marker and marker in text:
            text, finish_reason = text[: text.index(marker)], 'stop'
    message: dict = {'role': 'assistant', 'content': text}
    if tools:
        parsed = parse_action(text, served.spec.tool_format, tools)
        # vLLM's maybe_filter_parallel_tool_calls: without parallel tool calls only the first call is kept.
        calls = parsed.tool_calls if parallel is not False else parsed.tool_calls[:1]
        if calls:
            message['content'] = parsed.content
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            message['tool_calls'] = [
                {'id': f'call_{digest}_{i}', 'type': 'function',
                 'function': {'name': call.name, 'arguments': json.dumps(call.arguments, ensure_ascii=False)}}
                for i, call in enumerate(calls)]
            finish_reason = 'tool_calls' if hit_end else finish_reason
    choice = {'index': 0, 'message': message, 'finish_reason': finish_reason,
              'logprobs': None if sample_count is None else chat_logprobs(
                  generated.tokens, _positions(served, generated, sample_count), sample_count, as_ids),
              'token_ids': generated.tokens if return_ids else None}
    return {
        'id': f'chatcmpl-{uuid.uuid4().hex}', 'object': 'chat.completion', 'created': int(time.time()),
        'model': served.name, 'choices': [choice],
        'usage': {'prompt_tokens': len(prompt), 'completion_tokens': len(generated.tokens),
                  'total_tokens': len(prompt) + len(generated.tokens)},
        'prompt_logprobs': None if prompt_count is None else prompt_logprobs(served, prompt, prompt_count),
        'prompt_token_ids': prompt if return_ids else None,
    }


def completion(served: ServedModel, body: dict) -> dict:
    """`POST /v1/completions` for one prompt (text, or token ids as given): what scoring a sequence needs, e.g. a
    teacher's log-probabilities of a student's tokens with `prompt_logprobs` (vLLM's extension)."""
    if body.get('echo'):
        raise RequestError(400, 'echo is not supported by this server; use prompt_logprobs for the prompt', param='echo')
    raw = body.get('prompt')
    if isinstance(raw, str) and raw:
        # vLLM's CompletionRequest tokenises with add_special_tokens=True by default.
        prompt = served.tokenizer(raw, add_special_tokens=True).input_ids
    elif isinstance(raw, list) and raw and all(isinstance(t, int) and not isinstance(t, bool) for t in raw):
        prompt = list(raw)
        vocab = len(served.tokenizer)
        if any(not 0 <= t < vocab for t in prompt):
            raise RequestError(400, f'a prompt token id is outside the vocabulary [0, {vocab})', param='prompt')
    else:
        raise RequestError(400, 'prompt must be one non-empty string or one non-empty list of token ids (this server '
                           'takes one prompt per request)', param='prompt')
    temperature, top_p, seed, stop = _sampling(body)
    sample_count, prompt_count = logprob_counts(body, False, len(served.tokenizer))
    as_ids, return_ids = _flag(body, 'return_tokens_as_token_ids'), _flag(body, 'return_token_ids')
    # vLLM's CompletionRequest default.
    requested = body.get('max_tokens', 16)
    budget = _context_check(served, prompt, requested, 'prompt')
    generated = generate(served, prompt, requested or budget, temperature, top_p, seed, sample_count is not None)
    text = served.tokenizer.decode(generated.content, skip_special_tokens=True)
    finish_reason = 'stop' if generated.hit_end else 'length'
    for marker in stop:
        if isinstance(marker, str) and marker and marker in text:
            text, finish_reason = text[: text.index(marker)], 'stop'
    choice = {
        'index': 0, 'text': text, 'finish_reason': finish_reason, 'stop_reason': None,
        'logprobs': None if sample_count is None else completion_logprobs(
            generated.tokens, _positions(served, generated, sample_count), sample_count, as_ids),
        'prompt_logprobs': None if prompt_count is None else prompt_logprobs(served, prompt, prompt_count),
        'prompt_token_ids': prompt if return_ids else None, 'token_ids': generated.tokens if return_ids else None,
    }
    return {
        'id': f'cmpl-{uuid.uuid4().hex}', 'object': 'text_completion', 'created': int(time.time()),
        'model': served.name, 'choices': [choice],
        'usage': {'prompt_tokens': len(prompt), 'completion_tokens': len(generated.tokens),
                  'total_tokens': len(prompt) + len(generated.tokens)},
    }


def generate(served: ServedModel, prompt: list[int], max_new: int, temperature: float, top_p: float,
             seed: int | None, logprobs: bool = False) -> Generated:
    """Greedy at temperature 0, else seeded nucleus sampling. With `logprobs`, each new token's distribution as
    vLLM reports it by default (raw_logprobs): log-softmax of the raw logits, before temperature and top-p."""
    end = served.tokenizer.convert_tokens_to_ids(served.spec.end_of_turn)
    device = next(served.model.parameters()).device
    input_ids = torch.tensor([prompt], device=device)
    sampling = {'do_sample': True, 'temperature': temperature, 'top_p': top_p, 'top_k': 0} if temperature > 0 else {
        'do_sample': False, 'temperature': None, 'top_p': None, 'top_k': None}
    with served.lock, torch.no_grad():
        if seed is not None:
            torch.manual_seed(seed)
        output = served.model.generate(
            input_ids, attention_mask=torch.ones_like(input_ids), max_new_tokens=max_new, eos_token_id=end,
            pad_token_id=served.tokenizer.pad_token_id or end, return_dict_in_generate=True, output_logits=logprobs,
            **sampling)
    new = output.sequences[0, len(prompt):].tolist()
    rows = [torch.log_softmax(step[0].float(), dim=-1) for step in output.logits] if logprobs else None
    return Generated(new, bool(new) and new[-1] == end, rows)


def make_handler(registry: Registry):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, format, *args):  # noqa: A002 - the base class's signature
            pass

        def _send(self, status: int, payload, content_type: str = 'application/json') -> None:
            data = (json.dumps(payload) if content_type == 'application/json' else payload).encode()
            self.send_response(status)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> dict:
            length = int(self.headers.get('Content-Length') or 0)
            try:
                body = json.loads(self.rfile.read(length) or b'{}')
            except ValueError as error:
                raise RequestError(400, f'the request body is not valid JSON: {error}') from error
            if not isinstance(body, dict):
                raise RequestError(400, 'the request body must be a JSON object')
            return body

        def _answer(self, work) -> None:
            try:
                status, payload, kind = work()
                self._send(status, payload, kind)
            except RequestError as error:
                self._send(error.status, error.body())
            except RouteNotFound:
                self._send(404, {'detail': 'Not Found'})
            except Exception as error:  # noqa: BLE001 - a failed request must never take the server down
                self._send(500, {'error': {'message': f'{type(error).__name__}: {error}',
                                           'type': 'InternalServerError', 'param': None, 'code': 500}})

        def do_GET(self):  # noqa: N802 - http.server's naming
            def work():
                if self.path.rstrip('/') == '/v1/models':
                    with registry.lock:
                        models = list(registry.models.values())
                    return 200, {'object': 'list', 'data': [
                        {'id': m.name, 'object': 'model', 'created': m.created, 'owned_by': 'agent-dagger',
                         'root': m.path, 'max_model_len': m.context} for m in models]}, 'application/json'
                if self.path.rstrip('/') == '/health':
                    return 200, '', 'text/plain'
                raise RouteNotFound()

            self._answer(work)

        def do_POST(self):  # noqa: N802
            def work():
                route = self.path.rstrip('/')
                body = self._body()
                if route == '/v1/chat/completions':
                    if body.get('stream'):
                        raise RequestError(400, 'stream is not supported by this server')
                    return 200, chat_completion(registry.get(body.get('model')), body), 'application/json'
                if route == '/v1/completions':
                    if body.get('stream'):
                        raise RequestError(400, 'stream is not supported by this server')
                    return 200, completion(registry.get(body.get('model')), body), 'application/json'
                # vLLM attaches these routes only when runtime LoRA updating is allowed (serve/lora/api_router.py).
                if route == '/v1/load_lora_adapter' and runtime_lora_updating():
                    name, path = body.get('lora_name'), body.get('lora_path')
                    inplace = body.get('load_inplace', False)
                    if not isinstance(name, str) or not isinstance(path, str) or not isinstance(inplace, bool):
                        raise RequestError(400, 'lora_name and lora_path must be strings and load_inplace a boolean')
                    if not name or not path:
                        raise RequestError(400, "Both 'lora_name' and 'lora_path' must be provided.", 'InvalidUserInput')
                    return 200, registry.load(name, path, inplace), 'text/plain'
                if route == '/v1/unload_lora_adapter' and runtime_lora_updating():
                    name = body.get('lora_name')
                    return 200, registry.unload(name if isinstance(name, str) else ''), 'text/plain'
                raise RouteNotFound()

            self._answer(work)

    return Handler


def serve(model_dir: str, port: int, host: str = '127.0.0.1', name: str | None = None, device: str = 'auto') -> None:
    target = torch.device('cuda' if device == 'auto' and torch.cuda.is_available() else
                          ('cpu' if device == 'auto' else device))
    served = load_model(name or os.path.basename(os.path.normpath(model_dir)), model_dir, None, target)
    registry = Registry(served, target)
    server = ThreadingHTTPServer((host, port), make_handler(registry))
    server.daemon_threads = True
    emit({'event': 'serving', 'url': f'http://{host}:{server.server_address[1]}/v1', 'model': served.name,
          'context': served.context, 'device': str(target)})
    try:
        server.serve_forever()
    finally:
        server.server_close()
