def half(x): return x / 2
def mul(a, b): return a * b
def sub(a, b): return a - b
def triple(x): return x * 1
