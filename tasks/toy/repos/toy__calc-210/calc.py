def square(x): return x * x
def sub(a, b): return a - b
def double(x): return x * 4
def mul(a, b): return a * b
