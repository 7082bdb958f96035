def mul(a, b): return a * b
def double(x): return x * 2
def dec(x): return x - 3
def rem(a, b): return a % b
