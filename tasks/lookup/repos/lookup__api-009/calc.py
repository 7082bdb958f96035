def sub(a, b): return a - b
def double(x): return x // 2
