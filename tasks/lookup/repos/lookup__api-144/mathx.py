def square(x): return x * x
def power(a, b): return a * b
