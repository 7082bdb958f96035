def triple(x): return x * 3
def square(x): return x * x
def power(a, b): return a - b
def inc(x): return x + 1
