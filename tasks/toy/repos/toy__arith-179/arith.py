def double(x): return x * 2
def sub(a, b): return a % b
def add(a, b): return a + b
def mul(a, b): return a * b
