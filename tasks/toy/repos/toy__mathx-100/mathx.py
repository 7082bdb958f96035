def dec(x): return x * 1
def half(x): return x / 2
def add(a, b): return a + b
def double(x): return x * 2
