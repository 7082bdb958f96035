"""The OpenAI-compatible server: a model trained on a fixed call emits it through HTTP; the routes, errors and LoRA
loading follow vLLM's contract (vllm/entrypoints/openai/models/serving.py, serve/lora/api_router.py)."""
import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from agent_dagger_trainer.config import validate_config
from agent_dagger_trainer.train import train
from cli import env
from fixtures import fixed_call_trajectory, write_jsonl


def _serve(model_dir, lora_updating):
    """The server as the CLI starts it, with or without vLLM's runtime-LoRA switch."""
    variables = {**env(), 'VLLM_ALLOW_RUNTIME_LORA_UPDATING': lora_updating}
    process = subprocess.Popen([sys.executable, '-m', 'agent_dagger_trainer', 'serve', '--model', model_dir, '--port', '0',
                                '--name', 'student'], env=variables, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    ready = json.loads(process.stdout.readline() or '{}')
    assert ready.get('event') == 'serving', process.stderr.read()
    return process, ready['url']


def _train_fixed_call(tmp_path, model_dir, command, name, **overrides):
    dataset = write_jsonl(tmp_path / f'{name}.jsonl', [fixed_call_trajectory(seed, command) for seed in range(8)])
    config = validate_config({'datasets': [dataset], 'model': model_dir, 'output_dir': str(tmp_path / name),
                              'lr': 5e-3, 'epochs': 60, 'batch_size': 8, 'device': 'cpu', 'dtype': 'fp32',
                              'save_every_steps': 0, **overrides})
    return train(config)


def _post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            raw = response.read().decode()
            return response.status, json.loads(raw) if response.headers['Content-Type'] == 'application/json' else raw
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _openai_messages(record):
    return [{'role': m['role'], 'content': m['content']} for m in record['prompt']]


@pytest.fixture(scope='module')
def server(models, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('serve')
    full = _train_fixed_call(tmp_path, models['chatml-json'], 'ls', 'full')
    # The next DAgger iteration as a LoRA adapter on top of the first model, taught a different call.
    lora = _train_fixed_call(tmp_path, models['chatml-json'], 'git status', 'lora', method='lora', lr=1e-2,
                             init_from=full['model_dir'], epochs=40,
                             lora={'r': 8, 'alpha': 16, 'dropout': 0.0,
                                   'target_modules': ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'up_proj', 'down_proj']})
    assert full['final_loss'] < 0.1 and lora['final_loss'] < 0.6, (full, lora)
    process, url = _serve(full['model_dir'], ' True ')  # vLLM strips and lower-cases the value
    yield url, str(tmp_path / 'lora' / 'adapter'), full['model_dir']
    process.kill()
    process.wait()


def test_models_lists_the_served_model(server):
    with urllib.request.urlopen(server[0] + '/models') as response:
        listed = json.loads(response.read())
    assert [m['id'] for m in listed['data']] == ['student'] and listed['data'][0]['max_model_len'] == 2048


def test_trained_model_emits_the_fixed_tool_call(server):
    record = fixed_call_trajectory(5, 'unused')  # a training prompt: the tiny model is not asked to generalise
    status, body = _post(server[0] + '/chat/completions', {
        'model': 'student', 'messages': _openai_messages(record), 'tools': record['tools'], 'temperature': 0,
        'max_tokens': 64})
    assert status == 200, body
    choice = body['choices'][0]
    assert choice['finish_reason'] == 'tool_calls', choice
    calls = choice['message']['tool_calls']
    assert [(c['type'], c['function']['name'], json.loads(c['function']['arguments'])) for c in calls] == [
        ('function', 'execute_bash', {'command': 'ls'})]
    usage = body['usage']
    assert usage['prompt_tokens'] > 100 and usage['completion_tokens'] > 5
    assert usage['total_tokens'] == usage['prompt_tokens'] + usage['completion_tokens']


def test_history_with_tool_calls_and_seeded_sampling(server):
    record = fixed_call_trajectory(4, 'unused')
    messages = _openai_messages(record) + [
        {'role': 'assistant', 'content': None, 'tool_calls': [
            {'id': 'call_1', 'type': 'function', 'function': {'name': 'execute_bash', 'arguments': '{"command": "ls"}'}}]},
        {'role': 'tool', 'tool_call_id': 'call_1', 'content': 'calc.py\ntests'}]
    body = {'model': 'student', 'messages': messages, 'tools': record['tools'], 'temperature': 1.0, 'top_p': 0.9,
            'seed': 5, 'max_tokens': 32}
    first, second = _post(server[0] + '/chat/completions', body), _post(server[0] + '/chat/completions', body)
    assert first[0] == 200 and first[1]['choices'][0]['message'] == second[1]['choices'][0]['message']


def test_loaded_adapter_is_served_under_its_name(server):
    url, adapter, full = server
    status, text = _post(url + '/load_lora_adapter', {'lora_name': 'iter-1', 'lora_path': adapter})
    assert (status, text) == (200, "Success: LoRA adapter 'iter-1' added successfully.")
    # vLLM refuses a name that is loaded already, whatever the path, unless the request says load_inplace.
    status, body = _post(url + '/load_lora_adapter', {'lora_name': 'iter-1', 'lora_path': adapter})
    assert (status, body) == (400, {'error': {
        'message': "The lora adapter 'iter-1' has already been loaded. If you want to load the adapter in place, "
                   "set 'load_inplace' to True.", 'type': 'InvalidUserInput', 'param': None, 'code': 400}})
    with urllib.request.urlopen(url + '/models') as response:
        listed = {m['id']: m['root'] for m in json.loads(response.read())['data']}
    assert listed == {'student': full, 'iter-1': adapter}
    record = fixed_call_trajectory(6, 'unused')
    status, body = _post(url + '/chat/completions', {
        'model': 'iter-1', 'messages': _openai_messages(record), 'tools': record['tools'], 'temperature': 0,
        'max_tokens': 64})
    assert status == 200, body
    call = body['choices'][0]['message']['tool_calls'][0]['function']
    assert (call['name'], json.loads(call['arguments'])) == ('execute_bash', {'command': 'git status'})

    # In place: the name now serves the other checkpoint (the first model, taught `ls`).
    status, text = _post(url + '/load_lora_adapter', {'lora_name': 'iter-1', 'lora_path': full, 'load_inplace': True})
    assert status == 200, text
    status, body = _post(url + '/chat/completions', {
        'model': 'iter-1', 'messages': _openai_messages(record), 'tools': record['tools'], 'temperature': 0,
        'max_tokens': 64})
    call = body['choices'][0]['message']['tool_calls'][0]['function']
    assert (call['name'], json.loads(call['arguments'])) == ('execute_bash', {'command': 'ls'})
    assert _post(url + '/unload_lora_adapter', {'lora_name': 'iter-1'}) == (
        200, "Success: LoRA adapter 'iter-1' removed successfully.")
    assert _post(url + '/unload_lora_adapter', {'lora_name': 'iter-1'}) == (404, {'error': {
        'message': "The lora adapter 'iter-1' cannot be found.", 'type': 'NotFoundError', 'param': None, 'code': 404}})


def test_errors_are_openai_shaped(server):
    url = server[0]
    status, body = _post(url + '/chat/completions', {
        'model': 'student', 'messages': [{'role': 'user', 'content': 'word ' * 5000}], 'max_tokens': 16})
    assert status == 400 and body['error']['code'] == 400 and body['error']['type'] == 'BadRequestError'
    assert body['error']['message'].startswith("This model's maximum context length is 2048 tokens")
    status, body = _post(url + '/chat/completions', {'model': 'nope', 'messages': [{'role': 'user', 'content': 'x'}]})
    assert (status, body) == (404, {'error': {'message': 'The model `nope` does not exist.', 'type': 'NotFoundError',
                                              'param': 'model', 'code': 404}})
    status, body = _post(url + '/chat/completions', {'model': 'student', 'messages': [
        {'role': 'assistant', 'content': '', 'tool_calls': [{'function': {'name': 'f', 'arguments': '{oops'}}]}]})
    assert status == 400 and 'arguments' in body['error']['message']
    status, body = _post(url + '/load_lora_adapter', {'lora_name': 'bad', 'lora_path': '/nonexistent'})
    assert (status, body['error']['message']) == (404, 'Loading lora bad failed: No adapter found for /nonexistent')
    status, body = _post(url + '/load_lora_adapter', {'lora_name': '', 'lora_path': '/x'})
    assert (status, body['error']['type']) == (400, 'InvalidUserInput')


@pytest.mark.parametrize('value', ['0', 'false', 'yes', ''])
def test_lora_routes_exist_only_when_runtime_updating_is_allowed(models, value):
    """vLLM attaches the load/unload routes only when VLLM_ALLOW_RUNTIME_LORA_UPDATING is 1 or true."""
    process, url = _serve(models['chatml-json'], value)
    try:
        status, body = _post(url + '/load_lora_adapter', {'lora_name': 'x', 'lora_path': models['chatml-json']})
        assert (status, body) == (404, {'detail': 'Not Found'})
        assert _post(url + '/unload_lora_adapter', {'lora_name': 'student'}) == (404, {'detail': 'Not Found'})
    finally:
        process.kill()
        process.wait()


def test_parallel_tool_calls_false_keeps_the_first_call(models, monkeypatch):
    """vLLM's maybe_filter_parallel_tool_calls: two parsed calls come back as one when parallel_tool_calls is false."""
    import torch

    from agent_dagger_trainer import serve
    from agent_dagger_trainer.toolcalls import parse_action

    served = serve.load_model('raw', models['chatml-json'], None, torch.device('cpu'))
    text = ('<tool_call>{"name": "execute_bash", "arguments": {"command": "ls"}}</tool_call>'
            '<tool_call>{"name": "execute_bash", "arguments": {"command": "pwd"}}</tool_call>')
    assert len(parse_action(text, served.spec.tool_format).tool_calls) == 2
    end = served.tokenizer.convert_tokens_to_ids(served.spec.end_of_turn)
    monkeypatch.setattr(serve, 'generate', lambda *args: serve.Generated(
        served.tokenizer.encode(text, add_special_tokens=False) + [end], True))
    tools = [{'type': 'function', 'function': {'name': 'execute_bash', 'description': '', 'parameters': {}}}]
    request = {'messages': [{'role': 'user', 'content': 'x'}], 'tools': tools, 'temperature': 0}
    commands = lambda body: [json.loads(c['function']['arguments'])['command']  # noqa: E731
                             for c in body['choices'][0]['message']['tool_calls']]
    assert commands(serve.chat_completion(served, request)) == ['ls', 'pwd']
    assert commands(serve.chat_completion(served, {**request, 'parallel_tool_calls': False})) == ['ls']
    with pytest.raises(serve.RequestError, match='parallel_tool_calls must be a boolean'):
        serve.chat_completion(served, {**request, 'parallel_tool_calls': 'no'})


def test_untrained_output_never_breaks_a_completion(models):
    """Random text from an untrained model comes back as content (or a parsed call), never as an error."""
    import torch

    from agent_dagger_trainer.serve import chat_completion, load_model

    served = load_model('raw', models['header-xml'], None, torch.device('cpu'))
    tools = [{'type': 'function', 'function': {'name': 'execute_bash', 'description': '', 'parameters': {}}}]
    samples = {}
    for seed in (0, 1, 2, 0):
        body = chat_completion(served, {'messages': [{'role': 'user', 'content': 'Fix the bug.'}], 'tools': tools,
                                        'temperature': 1.0, 'seed': seed, 'max_tokens': 40})
        message = body['choices'][0]['message']
        assert isinstance(message['content'], str) and body['usage']['completion_tokens'] <= 40
        assert body['choices'][0]['finish_reason'] in ('stop', 'length', 'tool_calls')
        # The seed decides the sample, as vLLM's per-request seed does: the same seed again, the same sample.
        assert samples.setdefault(seed, message) == message
    assert len({json.dumps(m) for m in samples.values()}) > 1


# ---- log-probabilities, as vLLM serves them (chat_completion/serving.py, completion/serving.py, vllm/logprobs.py) ----


@pytest.fixture(scope='module')
def raw_model(models):
    import torch

    from agent_dagger_trainer.serve import load_model

    return load_model('raw', models['chatml-json'], None, torch.device('cpu'))


def _reference_logprobs(served, prompt, tokens):
    """Teacher-forced: log-softmax of the raw logits predicting each of `tokens` after `prompt`, in one forward."""
    import torch

    with torch.no_grad():
        logits = served.model(input_ids=torch.tensor([prompt + tokens]), use_cache=False).logits[0]
    return torch.log_softmax(logits.float(), -1)[len(prompt) - 1: len(prompt) + len(tokens) - 1]


def _as_json(body):
    return json.loads(json.dumps(body))  # what a client receives: token-id keys become strings


@pytest.mark.parametrize('temperature', [0, 1.5])
def test_chat_logprobs_are_the_raw_distribution_with_the_sampled_token_first(raw_model, temperature):
    from agent_dagger_trainer.serve import chat_completion

    body = _as_json(chat_completion(raw_model, {
        'messages': [{'role': 'user', 'content': 'Fix the bug.'}], 'temperature': temperature, 'top_p': 0.9,
        'seed': 3, 'max_tokens': 12, 'logprobs': True, 'top_logprobs': 3, 'return_token_ids': True}))
    choice = body['choices'][0]
    tokens, content = choice['token_ids'], choice['logprobs']['content']
    assert len(content) == len(tokens) == body['usage']['completion_tokens'] > 0
    assert body['prompt_token_ids'] and body['prompt_logprobs'] is None
    # vLLM's default logprobs mode is raw_logprobs: temperature and top-p do not change the reported values.
    reference = _reference_logprobs(raw_model, body['prompt_token_ids'], tokens)
    sampled_below_top = 0
    for token, entry, row in zip(tokens, content, reference):
        assert set(entry) == {'token', 'logprob', 'bytes', 'top_logprobs'}
        decoded = raw_model.tokenizer.decode([token])
        assert entry['token'] == decoded and entry['bytes'] == list(decoded.encode('utf-8'))
        assert entry['logprob'] == pytest.approx(row[token].item(), abs=1e-4)
        top = entry['top_logprobs']
        assert len(top) == 3 and all(set(t) == {'token', 'logprob', 'bytes'} for t in top)
        # The sampled token leads (vLLM inserts it first); the rest are the most likely tokens in rank order.
        assert top[0]['token'] == decoded and top[0]['logprob'] == entry['logprob']
        best = row.topk(4).indices.tolist()
        others = [raw_model.tokenizer.decode([t]) for t in best if t != token][:2]
        assert [t['token'] for t in top[1:]] == others
        sampled_below_top += token != best[0]
    if temperature == 0:
        assert sampled_below_top == 0, 'greedy takes the most likely token'
    else:
        assert sampled_below_top > 0, 'at temperature 1.5 some sampled token is not the most likely one'


def test_chat_tokens_as_token_ids_and_logprobs_without_alternatives(raw_model):
    from agent_dagger_trainer.serve import chat_completion

    request = {'messages': [{'role': 'user', 'content': 'Fix the bug.'}], 'temperature': 0, 'max_tokens': 6}
    plain = _as_json(chat_completion(raw_model, request))
    assert plain['choices'][0]['logprobs'] is None and plain['choices'][0]['token_ids'] is None
    body = _as_json(chat_completion(raw_model, {**request, 'logprobs': True, 'return_tokens_as_token_ids': True,
                                                'return_token_ids': True}))
    tokens, content = body['choices'][0]['token_ids'], body['choices'][0]['logprobs']['content']
    assert [c['token'] for c in content] == [f'token_id:{t}' for t in tokens]
    # top_logprobs defaults to 0: no alternatives; `bytes` stays the decoded token's (vLLM's _create_chat_logprobs).
    assert all(c['top_logprobs'] == [] for c in content)
    assert content[0]['bytes'] == list(raw_model.tokenizer.decode([tokens[0]]).encode('utf-8'))
    # {"logprobs": true, "top_logprobs": null}: vLLM returns no logprobs at all.
    assert chat_completion(raw_model, {**request, 'logprobs': True, 'top_logprobs': None})['choices'][0]['logprobs'] is None


def test_completion_prompt_logprobs_score_given_tokens(raw_model):
    """The teacher's side of on-policy distillation: log π*(token | prefix) for every token of a given sequence."""
    from agent_dagger_trainer.serve import completion

    prompt = raw_model.tokenizer.encode('def add(a, b):\n    return a + b\n', add_special_tokens=False)
    body = _as_json(completion(raw_model, {'prompt': prompt, 'max_tokens': 1, 'temperature': 0, 'prompt_logprobs': 0}))
    choice = body['choices'][0]
    scored = choice['prompt_logprobs']
    assert len(scored) == len(prompt) and scored[0] is None
    reference = _reference_logprobs(raw_model, prompt[:1], prompt[1:])
    for token, position, row in zip(prompt[1:], scored[1:], reference):
        # prompt_logprobs 0: only the prompt token itself, keyed by its id, as vLLM's Logprob.
        assert list(position) == [str(token)]
        entry = position[str(token)]
        assert set(entry) == {'logprob', 'rank', 'decoded_token'}
        assert entry['logprob'] == pytest.approx(row[token].item(), abs=1e-4)
        assert entry['rank'] == int((row >= row[token]).sum()) >= 1
        assert entry['decoded_token'] == raw_model.tokenizer.decode([token])
    assert choice['logprobs'] is None and body['usage'] == {
        'prompt_tokens': len(prompt), 'completion_tokens': 1, 'total_tokens': len(prompt) + 1}
    wider = _as_json(completion(raw_model, {'prompt': prompt, 'max_tokens': 1, 'prompt_logprobs': 2}))
    for token, position in zip(prompt[1:], wider['choices'][0]['prompt_logprobs'][1:]):
        ranks = {int(t): e['rank'] for t, e in position.items()}
        assert str(token) in position and len(position) == (2 if ranks[token] <= 2 else 3)
        assert sorted(r for t, r in ranks.items() if t != token or r <= 2) == [1, 2]


def test_completion_logprobs_count_one_more_than_asked(raw_model):
    from agent_dagger_trainer.serve import completion

    body = _as_json(completion(raw_model, {'prompt': 'def add(a, b):', 'max_tokens': 5, 'temperature': 1.0,
                                           'seed': 1, 'logprobs': 2, 'return_token_ids': True}))
    choice = body['choices'][0]
    logprobs, tokens = choice['logprobs'], choice['token_ids']
    assert set(logprobs) == {'text_offset', 'token_logprobs', 'tokens', 'top_logprobs'}
    assert logprobs['tokens'] == [raw_model.tokenizer.decode([t]) for t in tokens]
    offsets = [0]
    for token in logprobs['tokens'][:-1]:
        offsets.append(offsets[-1] + len(token))
    assert logprobs['text_offset'] == offsets
    reference = _reference_logprobs(raw_model, choice['prompt_token_ids'], tokens)
    for token, shown, value, top, row in zip(tokens, logprobs['tokens'], logprobs['token_logprobs'],
                                             logprobs['top_logprobs'], reference):
        assert value == pytest.approx(row[token].item(), abs=1e-4) and top[shown] == value
        # The sampled token plus the 2 most likely: 3 entries, or 2 when the sampled token is one of them.
        assert len(top) == (2 if token in row.topk(2).indices.tolist() else 3)


@pytest.mark.parametrize('route,extra,message', [
    ('chat', {'top_logprobs': 2}, 'when using `top_logprobs`, `logprobs` must be set to true.'),
    ('chat', {'logprobs': True, 'top_logprobs': -2}, '`top_logprobs` must be a positive value or -1.'),
    ('chat', {'logprobs': True, 'top_logprobs': 21}, 'Requested sample logprobs of 21, which is greater than max allowed: 20'),
    ('chat', {'logprobs': True, 'top_logprobs': -1}, 'Requested sample logprobs of {vocab}, which is greater than max allowed: 20'),
    ('chat', {'prompt_logprobs': -3}, '`prompt_logprobs` must be a positive value or -1.'),
    ('completion', {'prompt_logprobs': 25}, 'Requested prompt logprobs of 25, which is greater than max allowed: 20'),
    ('completion', {'logprobs': -1}, '`logprobs` must be a positive value.'),
    ('completion', {'echo': True}, 'echo is not supported'),
    ('completion', {'prompt': [[1, 2]]}, 'one prompt per request'),
    ('completion', {'prompt': [1, 10**9]}, 'outside the vocabulary'),
])
def test_logprob_requests_vllm_refuses_are_400(raw_model, route, extra, message):
    from agent_dagger_trainer.serve import RequestError, chat_completion, completion

    request = {'messages': [{'role': 'user', 'content': 'x'}]} if route == 'chat' else {'prompt': 'x'}
    with pytest.raises(RequestError) as error:
        (chat_completion if route == 'chat' else completion)(raw_model, {**request, 'max_tokens': 2, **extra})
    assert error.value.status == 400
    assert message.format(vocab=len(raw_model.tokenizer)) in str(error.value)


def test_completions_route_over_http(models):
    process, url = _serve(models['chatml-json'], '0')
    try:
        status, body = _post(url + '/completions', {'model': 'student', 'prompt': [5, 6, 7], 'max_tokens': 2,
                                                   'prompt_logprobs': 0, 'logprobs': 0,
                                                   'return_tokens_as_token_ids': True})
        assert status == 200 and body['object'] == 'text_completion', body
        choice = body['choices'][0]
        assert choice['prompt_logprobs'][0] is None and list(choice['prompt_logprobs'][1]) == ['6']
        assert all(token.startswith('token_id:') for token in choice['logprobs']['tokens'])
        status, body = _post(url + '/completions', {'model': 'student', 'prompt': 'x', 'logprobs': 21})
        assert (status, body) == (400, {'error': {
            'message': 'Requested sample logprobs of 21, which is greater than max allowed: 20',
            'type': 'BadRequestError', 'param': 'logprobs', 'code': 400}})
    finally:
        process.kill()
        process.wait()
