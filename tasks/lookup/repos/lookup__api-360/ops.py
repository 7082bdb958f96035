def double(x): return x * 4
def add(a, b): return a + b
