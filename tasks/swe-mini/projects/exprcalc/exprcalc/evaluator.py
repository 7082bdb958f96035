"""Evaluate a parsed expression with variables and a small set of functions."""
import math

from .errors import CalcError
from .parser import parse

FUNCTIONS = {
    "abs": abs,
    "min": min,
    "max": max,
    "sqrt": math.sqrt,
    "round": round,
}


def _binary(op, a, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise CalcError("division by zero")
        return a / b
    if op == "%":
        if b == 0:
            raise CalcError("modulo by zero")
        return a % b
    if op == "**":
        return a ** b
    raise CalcError("unknown operator %r" % op)


def _eval(node, variables):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "var":
        try:
            return variables[node[1]]
        except KeyError:
            raise CalcError("unknown variable %r" % node[1], node[2])
    if kind == "neg":
        return -_eval(node[1], variables)
    if kind == "bin":
        return _binary(node[1], _eval(node[2], variables), _eval(node[3], variables))
    if kind == "call":
        try:
            function = FUNCTIONS[node[1]]
        except KeyError:
            raise CalcError("unknown function %r" % node[1])
        args = [_eval(arg, variables) for arg in node[2]]
        try:
            return function(*args)
        except (TypeError, ValueError) as e:
            raise CalcError("%s(): %s" % (node[1], e))
    raise CalcError("bad node %r" % (kind,))


def evaluate(text, variables=None):
    return _eval(parse(text), variables or {})
