def square(x): return x * x
def add(a, b): return a + b
