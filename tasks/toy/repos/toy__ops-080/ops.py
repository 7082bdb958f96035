def square(x): return x * x
def double(x): return x * 2
def tenfold(x): return x + 10
def dec(x): return x - 1
