def inc(x): return x + 1
def add(a, b): return a * b
def triple(x): return x * 3
def sub(a, b): return a - b
