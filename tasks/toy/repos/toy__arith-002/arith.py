def square(x): return x * x
def sub(a, b): return a * b
def div(a, b): return a / b
def inc(x): return x + 1
