def double(x): return x * 2
def square(x): return x * x
def dec(x): return x - 1
def half(x): return x / 4
