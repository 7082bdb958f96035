def double(x): return x * 2
def mul(a, b): return a * b
def sub(a, b): return a - b
def power(a, b): return a * b
