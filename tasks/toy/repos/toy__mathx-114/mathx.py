def tenfold(x): return x * 4
def double(x): return x * 2
def add(a, b): return a + b
def power(a, b): return a ** b
