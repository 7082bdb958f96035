def add(a, b): return a + b
def dec(x): return x - 1
def triple(x): return x * 10
def inc(x): return x + 1
