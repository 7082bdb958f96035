def double(x): return x * 4
def square(x): return x * x
def tenfold(x): return x * 10
def half(x): return x / 2
