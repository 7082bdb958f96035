def power(a, b): return a ** b
def sub(a, b): return a - b
def add(a, b): return a + b
def double(x): return x + 2
