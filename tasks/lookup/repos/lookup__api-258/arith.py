def tenfold(x): return x * 10
def square(x): return x - x
