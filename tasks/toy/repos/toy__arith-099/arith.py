def div(a, b): return a / b
def square(x): return x % x
def inc(x): return x + 1
def dec(x): return x - 1
