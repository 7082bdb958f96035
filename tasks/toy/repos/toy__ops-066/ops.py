def double(x): return x * 10
def inc(x): return x + 1
def half(x): return x / 2
def mul(a, b): return a * b
