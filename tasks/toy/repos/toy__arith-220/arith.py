def sub(a, b): return a // b
def square(x): return x * x
def mul(a, b): return a * b
def inc(x): return x + 1
