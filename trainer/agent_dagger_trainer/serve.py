"""`serve`: an OpenAI-compatible chat-completions server for the student (stdlib HTTP, one thread per request).

Prompts are rendered by the same code as training (render.py), so the served model sees the tokens it was trained
on; its output is parsed back into `tool_calls` with the template's format (malformed output stays plain content).
`POST /v1/load_lora_adapter` follows vLLM's runtime-loading endpoint, so the deploy step has one code path for vLLM
and for this server: it loads a LoRA adapter or a full checkpoint under a name that requests then use as `model`.

Where the project relies on vLLM, this server answers as vLLM does (docs/fidelity.md, "vLLM"): the load and unload
routes exist only when VLLM_ALLOW_RUNTIME_LORA_UPDATING is 1 or true; loading a name that is loaded already is a 400
unless the request says `load_inplace`; an unknown model is a 404; `parallel_tool_calls: false` keeps the first call;
errors carry vLLM's body `{"error": {"message", "type", "param", "code"}}` with the status as `code`.
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
    if body.get('n', 1) != 1:
        raise RequestError(400, 'only n = 1 is supported')
    temperature = _number(body, 'temperature', 1.0, 0.0, 2.0)
    top_p = _number(body, 'top_p', 1.0, 0.0, 1.0)
    seed = body.get('seed')
    if seed is not None and not isinstance(seed, int):
        raise RequestError(400, f'seed must be an integer, got {seed!r}', param='seed')
    stop = body.get('stop') or []
    stop = [stop] if isinstance(stop, str) else stop

    prompt = render_conversation(served.tokenizer, served.spec, messages, tools, True).ids
    requested = body.get('max_completion_tokens') or body.get('max_tokens')
    if requested is not None and (not isinstance(requested, int) or requested < 1):
        raise RequestError(400, f'max_tokens must be a positive integer, got {requested!r}')
    budget = served.context - len(prompt)
    if budget < 1 or (requested and requested > budget):
        completion = requested or 1
        raise RequestError(
            400,
            f"This model's maximum context length is {served.context} tokens. However, you requested "
            f'{len(prompt) + completion} tokens ({len(prompt)} in the messages, {completion} in the completion). '
            'Please reduce the length of the messages or completion.')
    generated, hit_end = generate(served, prompt, requested or budget, temperature, top_p, seed)

    text = served.tokenizer.decode(generated, skip_special_tokens=True)
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
    return {
        'id': f'chatcmpl-{uuid.uuid4().hex}', 'object': 'chat.completion', 'created': int(time.time()),
        'model': served.name,
        'choices': [{'index': 0, 'message': message, 'finish_reason': finish_reason, 'logprobs': None}],
        'usage': {'prompt_tokens': len(prompt), 'completion_tokens': len(generated),
                  'total_tokens': len(prompt) + len(generated)},
    }


def generate(served: ServedModel, prompt: list[int], max_new: int, temperature: float, top_p: float,
             seed: int | None) -> tuple[list[int], bool]:
    """Greedy at temperature 0, else seeded nucleus sampling; returns the new tokens (without end-of-turn) and
    whether the end-of-turn token ended the generation."""
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
            pad_token_id=served.tokenizer.pad_token_id or end, **sampling)
    new = output[0, len(prompt):].tolist()
    if new and new[-1] == end:
        return new[:-1], True
    return new, False


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
