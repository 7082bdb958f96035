"""Command line: `python -m agent_dagger_trainer {init-model,train,serve,bench} ...` (with PYTHONPATH=trainer).

Each command prints JSON lines on stdout; on failure the last line is {"event": "error", "message": ...} and the exit
status is not 0.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback

from .events import emit

os.environ.setdefault('TOKENIZERS_PARALLELISM', 'false')


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='agent_dagger_trainer', description=__doc__)
    commands = parser.add_subparsers(dest='command', required=True)

    init = commands.add_parser('init-model', help='create a tiny student model and tokenizer from scratch')
    init.add_argument('--output', required=True, help='directory to write the model to')
    init.add_argument('--template', default='chatml-json', help='chatml-json (native tool calls) or header-xml (text calls)')
    init.add_argument('--corpus', action='append', default=[], help='file or directory of text for the tokenizer (repeatable)')
    init.add_argument('--vocab-size', type=int, default=1024)
    init.add_argument('--hidden-size', type=int, default=128)
    init.add_argument('--layers', type=int, default=4)
    init.add_argument('--heads', type=int, default=4)
    init.add_argument('--kv-heads', type=int, default=2)
    init.add_argument('--context', type=int, default=8192, help='maximum context length in tokens')
    init.add_argument('--seed', type=int, default=0)
    init.add_argument('--copy-warmup-steps', type=int, default=0,
                      help='pre-train on repeating random spans for N steps (in-context copying; see warmup.py)')

    check = commands.add_parser('check-config', help="validate a train step's options (an experiment config's trainer.options) "
                                                     'without training; exit 2 when they are invalid')
    check.add_argument('--options', required=True, help='the options as a JSON object')

    train = commands.add_parser('train', help='train on TrajectoryRecord JSONL datasets (resumes when rerun)')
    train.add_argument('--config', required=True, help='JSON training config (see docs/trainer.md)')

    serve = commands.add_parser('serve', help='serve a model on the OpenAI chat-completions protocol')
    serve.add_argument('--model', required=True, help='model directory (full model or LoRA adapter)')
    serve.add_argument('--port', type=int, required=True)
    serve.add_argument('--host', default='127.0.0.1')
    serve.add_argument('--name', default=None, help='model name clients use (default: the directory name)')
    serve.add_argument('--device', default='auto', choices=['auto', 'cpu', 'cuda'])

    bench = commands.add_parser('bench', help='measure training speed and memory, the alternatives side by side')
    bench.add_argument('--out', required=True, help='directory for the bench models and bench.json')
    bench.add_argument('--profile', default='quick', choices=['quick', 'gpu'],
                       help='quick: CPU figures (render cache, compact data, dense vs block-sparse tree attention, '
                            'tree vs naive on a tiny model; about a minute); gpu: the Qwen3-4B shape with LoRA at 13k '
                            'and 60k tokens, block-sparse and dense (tokens/s, MFU, peak memory), on CUDA')
    return parser


def _exit_with_parent() -> None:
    """Exit when the parent process dies: its end of our stdin pipe closes.

    The worker that spawned a train step may be SIGKILLed; its retry starts the same step again, and an
    orphaned trainer must not keep writing the same checkpoints beside it.
    """
    import threading

    def watch() -> None:
        # The raw descriptor, not sys.stdin: a daemon thread holding the buffered reader's lock breaks
        # the interpreter's normal shutdown.
        while os.read(0, 65536):
            pass
        os._exit(70)

    threading.Thread(target=watch, name='exit-with-parent', daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if os.environ.get('AGENT_DAGGER_EXIT_WITH_PARENT') == '1':
        _exit_with_parent()
    from .config import ConfigError

    try:
        if args.command == 'check-config':
            from .config import check_options

            emit(check_options(args.options))
            return 0
        # A bad config is reported before torch and transformers take seconds to import.
        config = None
        if args.command == 'train':
            from .config import load_config

            config = load_config(args.config)
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        if args.command == 'init-model':
            from .model import init_model

            emit(init_model(args.output, args.template, args.corpus, args.vocab_size, args.hidden_size, args.layers,
                            args.heads, args.kv_heads, args.context, args.seed, args.copy_warmup_steps))
        elif args.command == 'train':
            from .train import train

            emit(train(config))
        elif args.command == 'bench':
            from .bench import main as bench_main

            emit(bench_main(args.out, args.profile))
        else:
            from .serve import serve

            serve(args.model, args.port, args.host, args.name, args.device)
        return 0
    except KeyboardInterrupt:
        return 130
    except ConfigError as error:
        # Exit 2: the config is wrong, and running the same step again cannot fix it.
        emit({'event': 'error', 'kind': 'config', 'message': str(error)})
        return 2
    except Exception as error:  # noqa: BLE001 - every failure must reach the caller as an error event
        traceback.print_exc(file=sys.stderr)
        emit({'event': 'error', 'message': f'{type(error).__name__}: {error}'})
        return 1


if __name__ == '__main__':
    sys.exit(main())
