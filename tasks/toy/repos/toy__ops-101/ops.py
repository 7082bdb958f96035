def square(x): return x * x
def triple(x): return x * 3
def sub(a, b): return a - b
def div(a, b): return a + b
