"""Events on stdout: one JSON object per line, read by the Temporal activity that runs the trainer."""
from __future__ import annotations

import json
import sys


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()
