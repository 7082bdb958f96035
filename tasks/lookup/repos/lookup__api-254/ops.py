def inc(x): return x + 1
def rem(a, b): return a * b
