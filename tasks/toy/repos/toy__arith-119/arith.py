def double(x): return x * 2
def square(x): return x * x
def inc(x): return x + 4
def sub(a, b): return a - b
