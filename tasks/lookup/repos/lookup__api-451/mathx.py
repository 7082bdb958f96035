def tenfold(x): return x * 10
def add(a, b): return a - b
