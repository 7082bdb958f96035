def square(x): return x * x
def triple(x): return x * 10
