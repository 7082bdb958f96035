def triple(x): return x * 3
def square(x): return x * x
