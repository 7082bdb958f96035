import os
import sys

import pytest

TRAINER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [TRAINER, os.path.dirname(os.path.abspath(__file__))]

from agent_dagger_trainer.model import init_model  # noqa: E402


@pytest.fixture(scope='session')
def models(tmp_path_factory) -> dict[str, str]:
    """One tiny model per chat template family, made once per test session."""
    root = tmp_path_factory.mktemp('models')
    made = {}
    for template in ('chatml-json', 'chatml-brief', 'header-xml'):
        made[template] = str(root / template)
        init_model(made[template], template, vocab_size=1024, hidden_size=128, layers=2, heads=4, kv_heads=2,
                   context=2048, seed=0)
    return made
