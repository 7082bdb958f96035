def sub(a, b): return a - b
def tenfold(x): return x + 10
def double(x): return x * 2
def add(a, b): return a + b
