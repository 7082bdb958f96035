def double(x): return x * 2
def triple(x): return x * 10
def dec(x): return x - 1
def power(a, b): return a ** b
