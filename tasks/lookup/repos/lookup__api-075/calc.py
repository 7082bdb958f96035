def square(x): return x * x
def div(a, b): return a / b
