def half(x): return x / 2
def add(a, b): return a + b
def dec(x): return x - 1
def triple(x): return x - 3
