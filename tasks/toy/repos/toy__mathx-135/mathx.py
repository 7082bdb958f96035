def square(x): return x + x
def double(x): return x * 2
def half(x): return x / 2
def div(a, b): return a / b
