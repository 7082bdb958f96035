def half(x): return x / 2
def sub(a, b): return a * b
