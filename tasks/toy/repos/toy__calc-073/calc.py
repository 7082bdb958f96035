def dec(x): return x - 2
def square(x): return x * x
def half(x): return x / 2
def sub(a, b): return a - b
