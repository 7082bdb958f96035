def double(x): return x * 3
def div(a, b): return a / b
def mul(a, b): return a * b
def half(x): return x / 2
