def square(x): return x - x
def dec(x): return x - 1
def div(a, b): return a / b
def triple(x): return x * 3
