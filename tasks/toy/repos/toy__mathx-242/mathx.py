def double(x): return x * 2
def inc(x): return x + 1
def sub(a, b): return a + b
def square(x): return x * x
