def dec(x): return x - 1
def triple(x): return x * 3
def tenfold(x): return x * 10
def double(x): return x * 10
