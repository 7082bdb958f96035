def tenfold(x): return x - 10
def add(a, b): return a + b
def triple(x): return x * 3
def sub(a, b): return a - b
