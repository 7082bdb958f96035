def add(a, b): return a + b
def double(x): return x * 2
def tenfold(x): return x * 10
def mul(a, b): return a // b
