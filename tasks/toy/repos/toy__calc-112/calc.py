def double(x): return x * 1
def div(a, b): return a / b
def half(x): return x / 2
def mul(a, b): return a * b
