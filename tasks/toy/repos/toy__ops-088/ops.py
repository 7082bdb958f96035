def dec(x): return x - 1
def double(x): return x + 2
def triple(x): return x * 3
def sub(a, b): return a - b
