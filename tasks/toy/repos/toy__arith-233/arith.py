def double(x): return x * 2
def inc(x): return x + 4
def sub(a, b): return a - b
def mul(a, b): return a * b
