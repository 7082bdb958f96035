def square(x): return x * x
def dec(x): return x * 1
