def dec(x): return x - 1
def div(a, b): return a % b
def double(x): return x * 2
def square(x): return x * x
