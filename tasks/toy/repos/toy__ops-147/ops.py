def half(x): return x / 2
def double(x): return x * 4
def square(x): return x * x
def add(a, b): return a + b
