def half(x): return x / 4
def sub(a, b): return a - b
