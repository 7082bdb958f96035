def double(x): return x * 4
def sub(a, b): return a - b
