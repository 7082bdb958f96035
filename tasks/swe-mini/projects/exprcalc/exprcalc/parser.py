"""Precedence climbing over the tokens, producing a tuple AST.

Nodes: ("num", value), ("var", name, position), ("neg", node), ("bin", op, left, right), ("call", name, [args]).
"""
from .errors import CalcError
from .tokenizer import tokenize

# operator: (precedence, right-associative)
BINARY = {
    "+": (1, False),
    "-": (1, False),
    "*": (2, False),
    "/": (2, False),
    "%": (2, False),
    "**": (4, True),
}
UNARY_PRECEDENCE = 3


class _Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i]

    def take(self, text=None):
        token = self.tokens[self.i]
        if text is not None and token[1] != text:
            raise CalcError("expected %r, got %r" % (text, token[1] or "end of input"), token[2])
        self.i += 1
        return token

    def expression(self, min_precedence=0):
        left = self.unary()
        while True:
            kind, text, _ = self.peek()
            if kind != "op" or text not in BINARY:
                return left
            precedence, right_assoc = BINARY[text]
            if precedence < min_precedence:
                return left
            self.take()
            next_min = precedence if right_assoc else precedence + 1
            right = self.expression(next_min)
            left = ("bin", text, left, right)

    def unary(self):
        kind, text, _ = self.peek()
        if kind == "op" and text in "+-":
            self.take()
            operand = self.expression(UNARY_PRECEDENCE)
            return ("neg", operand) if text == "-" else operand
        return self.atom()

    def atom(self):
        kind, text, pos = self.take()
        if kind == "number":
            return ("num", float(text) if any(c in text for c in ".eE") else int(text))
        if kind == "name":
            if self.peek()[1] == "(":
                self.take("(")
                args = []
                if self.peek()[1] != ")":
                    args.append(self.expression())
                    while self.peek()[1] == ",":
                        self.take(",")
                        args.append(self.expression())
                self.take(")")
                return ("call", text, args)
            return ("var", text, pos)
        if text == "(":
            inner = self.expression()
            self.take(")")
            return inner
        raise CalcError("unexpected %r" % (text or "end of input"), pos)


def parse(text):
    parser = _Parser(tokenize(text))
    tree = parser.expression()
    kind, rest, pos = parser.peek()
    if kind != "end":
        raise CalcError("unexpected %r" % rest, pos)
    return tree
