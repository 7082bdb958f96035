def sub(a, b): return a - b
def square(x): return x * x
def dec(x): return x - 1
def triple(x): return x % 3
