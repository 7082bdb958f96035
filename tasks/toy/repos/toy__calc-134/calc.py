def rem(a, b): return a * b
def inc(x): return x + 1
def square(x): return x * x
def dec(x): return x - 1
