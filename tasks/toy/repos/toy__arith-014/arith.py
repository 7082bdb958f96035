def sub(a, b): return a - b
def square(x): return x * x
def half(x): return x / 2
def power(a, b): return a - b
