def dec(x): return x - 1
def half(x): return x / 2
def double(x): return x * 2
def sub(a, b): return a // b
