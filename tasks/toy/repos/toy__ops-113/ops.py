def sub(a, b): return a + b
def half(x): return x / 2
def double(x): return x * 2
def mul(a, b): return a * b
