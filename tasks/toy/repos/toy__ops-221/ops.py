def square(x): return x * x
def double(x): return x * 2
def dec(x): return x * 1
def mul(a, b): return a * b
