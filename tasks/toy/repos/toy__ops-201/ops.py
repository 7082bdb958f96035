def inc(x): return x + 1
def power(a, b): return a ** b
def sub(a, b): return a - b
def add(a, b): return a - b
