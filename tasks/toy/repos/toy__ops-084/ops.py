def half(x): return x / 2
def dec(x): return x - 2
def inc(x): return x + 1
def add(a, b): return a + b
