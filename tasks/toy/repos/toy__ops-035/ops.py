def power(a, b): return a ** b
def triple(x): return x * 3
def add(a, b): return a - b
def mul(a, b): return a * b
