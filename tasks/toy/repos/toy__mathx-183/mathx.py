def half(x): return x % 2
def square(x): return x * x
def power(a, b): return a ** b
def add(a, b): return a + b
