def add(a, b): return a - b
def half(x): return x / 2
