"""The OpenAI-compatible server: a model trained on a fixed call emits it through HTTP; errors are OpenAI-shaped."""
import json
import urllib.error
import urllib.request

import pytest

from agent_dagger_trainer.config import validate_config
from agent_dagger_trainer.train import train
from cli import popen
from fixtures import fixed_call_trajectory, write_jsonl


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
    process = popen('serve', '--model', full['model_dir'], '--port', '0', '--name', 'student')
    ready = json.loads(process.stdout.readline())
    assert ready['event'] == 'serving', process.stderr.read()
    yield ready['url'], str(tmp_path / 'lora' / 'adapter')
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
    url, adapter = server
    status, text = _post(url + '/load_lora_adapter', {'lora_name': 'iter-1', 'lora_path': adapter})
    assert status == 200 and 'Success' in text
    assert _post(url + '/load_lora_adapter', {'lora_name': 'iter-1', 'lora_path': adapter})[0] == 200
    record = fixed_call_trajectory(6, 'unused')
    status, body = _post(url + '/chat/completions', {
        'model': 'iter-1', 'messages': _openai_messages(record), 'tools': record['tools'], 'temperature': 0,
        'max_tokens': 64})
    assert status == 200, body
    call = body['choices'][0]['message']['tool_calls'][0]['function']
    assert (call['name'], json.loads(call['arguments'])) == ('execute_bash', {'command': 'git status'})


def test_errors_are_openai_shaped(server):
    url = server[0]
    status, body = _post(url + '/chat/completions', {
        'model': 'student', 'messages': [{'role': 'user', 'content': 'word ' * 5000}], 'max_tokens': 16})
    assert status == 400 and body['error']['code'] == 'context_length_exceeded'
    assert body['error']['message'].startswith("This model's maximum context length is 2048 tokens")
    status, body = _post(url + '/chat/completions', {'model': 'nope', 'messages': [{'role': 'user', 'content': 'x'}]})
    assert status == 404 and 'nope' in body['error']['message']
    status, body = _post(url + '/chat/completions', {'model': 'student', 'messages': [
        {'role': 'assistant', 'content': '', 'tool_calls': [{'function': {'name': 'f', 'arguments': '{oops'}}]}]})
    assert status == 400 and 'arguments' in body['error']['message']
    status, body = _post(url + '/load_lora_adapter', {'lora_name': 'bad', 'lora_path': '/nonexistent'})
    assert status == 400


def test_untrained_output_never_breaks_a_completion(models):
    """Random text from an untrained model comes back as content (or a parsed call), never as an error."""
    import torch

    from agent_dagger_trainer.serve import chat_completion, load_model

    served = load_model('raw', models['header-xml'], None, torch.device('cpu'))
    tools = [{'type': 'function', 'function': {'name': 'execute_bash', 'description': '', 'parameters': {}}}]
    for seed in range(3):
        body = chat_completion(served, {'messages': [{'role': 'user', 'content': 'Fix the bug.'}], 'tools': tools,
                                        'temperature': 1.0, 'seed': seed, 'max_tokens': 40})
        message = body['choices'][0]['message']
        assert isinstance(message['content'], str) and body['usage']['completion_tokens'] <= 40
        assert body['choices'][0]['finish_reason'] in ('stop', 'length', 'tool_calls')
