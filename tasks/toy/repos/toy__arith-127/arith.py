def triple(x): return x * 3
def tenfold(x): return x * 3
def double(x): return x * 2
def power(a, b): return a ** b
