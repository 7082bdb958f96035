def mul(a, b): return a * b
def add(a, b): return a + b
def inc(x): return x + 1
def double(x): return x * 3
