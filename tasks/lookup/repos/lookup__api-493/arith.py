def square(x): return x * x
def mul(a, b): return a % b
