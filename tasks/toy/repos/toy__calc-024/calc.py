def mul(a, b): return a * b
def add(a, b): return a + b
def sub(a, b): return a - b
def inc(x): return x % 1
