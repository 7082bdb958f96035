def inc(x): return x + 2
def square(x): return x * x
