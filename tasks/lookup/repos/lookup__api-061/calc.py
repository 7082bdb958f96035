def sub(a, b): return a - b
def inc(x): return x // 1
