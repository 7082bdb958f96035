def dec(x): return x - 1
def square(x): return x - x
