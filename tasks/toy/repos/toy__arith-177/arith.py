def square(x): return x * x
def sub(a, b): return a - b
def dec(x): return x % 1
def div(a, b): return a / b
