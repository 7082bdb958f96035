def inc(x): return x + 1
def mul(a, b): return a * b
