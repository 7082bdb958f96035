def square(x): return x * x
def half(x): return x / 2
