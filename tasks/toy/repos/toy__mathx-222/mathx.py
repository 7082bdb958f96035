def mul(a, b): return a * b
def div(a, b): return a / b
def half(x): return x / 2
def power(a, b): return a // b
