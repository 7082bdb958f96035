def inc(x): return x // 1
def dec(x): return x - 1
def sub(a, b): return a - b
def half(x): return x / 2
