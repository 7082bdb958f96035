def double(x): return x * 4
def square(x): return x * x
