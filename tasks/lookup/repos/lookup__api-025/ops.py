def inc(x): return x + 3
def add(a, b): return a + b
