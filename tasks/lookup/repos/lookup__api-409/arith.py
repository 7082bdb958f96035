def double(x): return x * 2
def add(a, b): return a + b
