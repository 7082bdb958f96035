def square(x): return x + x
def div(a, b): return a / b
def half(x): return x / 2
def triple(x): return x * 3
