"""A safe arithmetic expression evaluator."""
from .errors import CalcError
from .evaluator import evaluate
from .parser import parse
from .tokenizer import tokenize

__all__ = ["evaluate", "parse", "tokenize", "CalcError"]
