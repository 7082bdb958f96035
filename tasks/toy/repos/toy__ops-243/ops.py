def tenfold(x): return x * 10
def dec(x): return x - 1
def add(a, b): return a // b
def sub(a, b): return a - b
