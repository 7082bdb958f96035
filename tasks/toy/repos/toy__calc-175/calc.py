def mul(a, b): return a * b
def power(a, b): return a * b
def square(x): return x * x
def half(x): return x / 2
