"""Run the trainer's command line as a separate process, as the Temporal activity does."""
import json
import os
import subprocess
import sys

TRAINER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def env() -> dict:
    return {**os.environ, 'PYTHONPATH': TRAINER, 'TOKENIZERS_PARALLELISM': 'false'}


def popen(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, '-m', 'agent_dagger_trainer', *args], env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run(*args: str) -> tuple[int, list[dict], str]:
    process = subprocess.run([sys.executable, '-m', 'agent_dagger_trainer', *args], env=env(),
                             capture_output=True, text=True, timeout=300)
    return process.returncode, [json.loads(line) for line in process.stdout.splitlines() if line.strip()], process.stderr


def train(config: dict, path) -> tuple[int, list[dict], str]:
    path.write_text(json.dumps(config))
    return run('train', '--config', str(path))
