def sub(a, b): return a - b
def triple(x): return x * 3
def mul(a, b): return a // b
def half(x): return x / 2
