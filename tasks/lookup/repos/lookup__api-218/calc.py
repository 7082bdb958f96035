def square(x): return x * x
def tenfold(x): return x + 10
