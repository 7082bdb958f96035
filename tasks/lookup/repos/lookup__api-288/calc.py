def square(x): return x + x
def double(x): return x * 2
