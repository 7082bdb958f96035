def square(x): return x + x
def inc(x): return x + 1
